/**
 * Batches bursts of notifications into at most one flush per interval (default 100 ms, so at most ~10
 * posts a second): the first request in a quiet period flushes at once, requests during the interval
 * are coalesced into one trailing flush, and `flushNow` (a run ended) flushes immediately so final
 * values are never held back. Pure: the clock and timers are injectable for tests.
 */

/** The timer functions the batcher uses (the globals by default). */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Throttles `flush` to once per `intervalMs`, with a guaranteed trailing call. */
export class Batcher {
  private timer: unknown;
  private last = -Infinity;
  private disposed = false;

  constructor(
    private readonly flush: () => void,
    private readonly intervalMs = 100,
    private readonly clock: Clock = realClock,
  ) {}

  /** Asks for a flush: now if the last one was at least an interval ago, else at the end of the interval. */
  request(): void {
    if (this.disposed || this.timer !== undefined) return;
    const wait = Math.max(0, this.last + this.intervalMs - this.clock.now());
    if (wait === 0) {
      this.run();
      return;
    }
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.run();
    }, wait);
  }

  /** Flushes immediately (cancelling a pending trailing flush). */
  flushNow(): void {
    if (this.disposed) return;
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.run();
  }

  /** True while a trailing flush is scheduled. */
  get pending(): boolean {
    return this.timer !== undefined;
  }

  private run(): void {
    this.last = this.clock.now();
    this.flush();
  }

  /** Cancels a pending flush; later requests do nothing. */
  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
