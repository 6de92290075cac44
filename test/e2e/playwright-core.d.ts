/**
 * The slice of playwright-core's API the UI tests use. playwright-core is installed by the harness
 * into .cache/vscode-e2e (not a product dependency), so its own typings are not resolvable from here;
 * if it becomes a devDependency, delete this file.
 */
declare module 'playwright-core' {
  export interface Keyboard {
    press(key: string): Promise<void>;
    type(text: string, options?: { delay?: number }): Promise<void>;
  }
  export interface Mouse {
    move(x: number, y: number, options?: { steps?: number }): Promise<void>;
    down(): Promise<void>;
    up(): Promise<void>;
  }
  export interface Locator {
    boundingBox(): Promise<{ x: number; y: number; width: number; height: number } | null>;
    first(): Locator;
    last(): Locator;
    nth(index: number): Locator;
    locator(selector: string): Locator;
    filter(options: { hasText?: string | RegExp; has?: Locator }): Locator;
    click(options?: {
      button?: 'left' | 'right';
      timeout?: number;
      position?: { x: number; y: number };
      modifiers?: ('Alt' | 'Control' | 'Meta' | 'Shift')[];
    }): Promise<void>;
    hover(options?: { timeout?: number }): Promise<void>;
    fill(value: string, options?: { timeout?: number }): Promise<void>;
    waitFor(options?: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
    innerText(options?: { timeout?: number }): Promise<string>;
    allInnerTexts(): Promise<string[]>;
    getAttribute(name: string, options?: { timeout?: number }): Promise<string | null>;
    count(): Promise<number>;
    isVisible(): Promise<boolean>;
    screenshot(options?: { path?: string }): Promise<Buffer>;
  }
  export interface Page {
    goto(url: string, options?: { timeout?: number }): Promise<unknown>;
    locator(selector: string): Locator;
    waitForSelector(selector: string, options?: { timeout?: number; state?: 'attached' | 'detached' | 'visible' | 'hidden' }): Promise<unknown>;
    waitForTimeout(ms: number): Promise<void>;
    evaluate<R>(fn: () => R): Promise<R>;
    waitForFunction(fn: string | (() => unknown), arg?: unknown, options?: { timeout?: number }): Promise<unknown>;
    screenshot(options?: { path?: string; fullPage?: boolean }): Promise<Buffer>;
    on(event: 'console', listener: (m: { type(): string; text(): string }) => void): void;
    on(event: 'pageerror', listener: (e: Error) => void): void;
    keyboard: Keyboard;
    mouse: Mouse;
  }
  export interface BrowserContext {
    pages(): Page[];
    newPage(): Promise<Page>;
    close(): Promise<void>;
  }
  export const chromium: {
    launchPersistentContext(
      userDataDir: string,
      options: { executablePath?: string; headless?: boolean; viewport?: { width: number; height: number }; args?: string[] },
    ): Promise<BrowserContext>;
  };
}
