/**
 * Polling for a condition, shared by the extension-host tests (`test/vscode`, bundled into the
 * extension host) and the UI end-to-end tests (`test/e2e`, plain Node driving the browser): only
 * timers, no `vscode` and no Playwright, so both bundles can include it.
 */

/** Resolves with the first truthy value `fn` returns (polled every `everyMs`); fails after `ms` with `what` and the last error `fn` threw. */
export async function until<T>(fn: () => T | Promise<T>, ms: number, what: string, everyMs = 200): Promise<NonNullable<T>> {
  const t0 = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
