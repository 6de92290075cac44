/**
 * The extra slice of playwright-core's API the panel UI tests use (frames of the webview, locator
 * evaluation, form controls), merged into the declarations of `playwright-core.d.ts`.
 */
declare module 'playwright-core' {
  export interface FrameLocator {
    locator(selector: string): Locator;
    frameLocator(selector: string): FrameLocator;
  }
  export interface Keyboard {
    insertText(text: string): Promise<void>;
  }
  export interface Locator {
    evaluateAll<R>(fn: (els: HTMLElement[]) => R): Promise<R>;
    evaluate<R, A = undefined>(fn: (el: HTMLElement, arg: A) => R, arg?: A, options?: { timeout?: number }): Promise<R>;
    selectOption(value: string, options?: { timeout?: number }): Promise<string[]>;
    check(options?: { timeout?: number }): Promise<void>;
    uncheck(options?: { timeout?: number }): Promise<void>;
    isChecked(options?: { timeout?: number }): Promise<boolean>;
    isDisabled(options?: { timeout?: number }): Promise<boolean>;
    press(key: string, options?: { timeout?: number }): Promise<void>;
    focus(options?: { timeout?: number }): Promise<void>;
    inputValue(options?: { timeout?: number }): Promise<string>;
    dblclick(options?: { timeout?: number; position?: { x: number; y: number } }): Promise<void>;
  }
  export interface Page {
    frameLocator(selector: string): FrameLocator;
    setViewportSize(size: { width: number; height: number }): Promise<void>;
  }
  /** A Chrome DevTools Protocol session (for the renderer's Performance metrics). */
  export interface CDPSession {
    send(method: string, params?: object): Promise<unknown>;
    detach(): Promise<void>;
  }
  export interface BrowserContext {
    newCDPSession(page: Page): Promise<CDPSession>;
  }
}
