/**
 * Coalesces the page's re-renders. A live run sends up to ten `metricsUpdate`s and `runs` messages a
 * second; rendering each one at once made the page's work grow with the message rate, and a webview
 * iframe of the same site can share the workbench's renderer thread, so under load the workbench fell
 * behind (the UI test measured the renderer 88 % busy, the charts 20 s behind the run, Stop taking 37 s).
 * Here a message only marks the views it concerns; each marked view renders once in the next
 * animation frame, however many messages arrived meanwhile.
 */

/** Renders marked views once per animation frame. */
export class RenderQueue {
  private readonly marked = new Set<() => void>();
  private frame: number | undefined;

  /** Marks views to render in the next frame (each render function runs once, in marking order). */
  mark(...renders: (() => void)[]): void {
    for (const r of renders) this.marked.add(r);
    this.frame ??= requestAnimationFrame(() => this.flush());
  }

  /** Renders everything marked now (and cancels the pending frame). */
  flush(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    const renders = [...this.marked];
    this.marked.clear();
    for (const r of renders) r();
  }
}
