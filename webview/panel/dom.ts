/**
 * Small DOM helpers for the panel: `h()` builds elements (attributes, properties, listeners; never a
 * `style` attribute, which the panel's Content-Security-Policy forbids), and `replaceChildrenKeepingFocus`
 * re-renders a section without losing the keyboard focus (elements carry `data-key`).
 */

/** Attribute values; functions under `on<event>` keys become listeners. */
export type Attrs = Record<string, string | number | boolean | undefined | null | EventListener>;

/** Children accepted by {@link h}: nodes, text, and nothing (skipped). */
export type Child = Node | string | number | null | undefined | false;

/** Properties set as properties, not attributes (their live value matters). */
const PROPS = new Set(['checked', 'value', 'disabled', 'selected', 'indeterminate']);

/** Creates an element. `class` sets the class list; `on<event>` adds a listener; `true` sets an empty attribute. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) {
      if (PROPS.has(k)) (el as unknown as Record<string, unknown>)[k] = false;
      continue;
    }
    if (k === 'style') throw new Error('inline styles are not allowed by the panel CSP: use a class');
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (PROPS.has(k)) {
      (el as unknown as Record<string, unknown>)[k] = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

/** Appends children (skipping empty ones). */
export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

/**
 * Replaces the children of `container` and moves the focus back to the element with the same
 * `data-key` as the focused one (so a re-render after an edit keeps the keyboard user's place).
 */
export function replaceChildrenKeepingFocus(container: Element, children: Child[]): void {
  const active = document.activeElement;
  const key = active instanceof HTMLElement && container.contains(active) ? active.dataset.key : undefined;
  container.replaceChildren();
  append(container, children);
  if (key !== undefined) {
    const again = container.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
    again?.focus();
  }
}

/** A labelled section with a heading; returns the section and its body. */
export function section(id: string, title: string, ...headerExtras: Child[]): { el: HTMLElement; body: HTMLElement } {
  const body = h('div', { class: 'section-body' });
  const el = h(
    'section',
    { id, 'aria-labelledby': `${id}-title` },
    h('header', { class: 'section-header' }, h('h2', { id: `${id}-title` }, title), ...headerExtras),
    body,
  );
  return { el, body };
}
