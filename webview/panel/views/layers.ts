/**
 * The layer table: every layer of the base model (name, type, output shape, parameters), whether it is
 * frozen in the chosen stage, its layer group and the cut marker. Each control sends a command; the
 * table changes when the JSON file does (the host sends the new view), never before.
 *
 * A long base (MobileNetV2's 155 layers) is navigable: a filter by name, the layers of each block
 * (`block_13_…`, `conv4_block2_…`) under a header row that collapses them, and "Go to the cut", which
 * shows and focuses the cut layer's row. Filtering and collapsing only hide rows (no re-render), so the
 * filter field keeps its caret while typing.
 */
import type { ExperimentDetail, LayerRow } from '../../../src/protocol/webview.js';
import { h, replaceChildrenKeepingFocus, section } from '../dom.js';
import { int, num } from '../format.js';
import { post, save } from '../host.js';
import type { PageState } from '../state.js';

const NEW_GROUP = '\u0000new';
const NO_GROUP = '\u0000none';

/** The block a layer belongs to, by its name (`block_13_expand_BN` → `block_13`, `conv4_block2_1_conv` → `conv4_block2`), or undefined. */
export function blockOf(name: string): string | undefined {
  return /^(.*?block_?\d+)(?:_|$)/i.exec(name)?.[1];
}

/** Blocks are shown (with collapsible header rows) only when a base has at least this many. */
const MIN_BLOCKS = 2;

/** Renders the layer table and the stage chooser. */
export class LayersView {
  private readonly parts = section('layers', 'Layers');
  readonly el = this.parts.el;
  /** Filter by name (kept across re-renders, never re-created: typing keeps its caret). */
  private readonly filter = h('input', {
    type: 'search',
    id: 'layer-filter',
    placeholder: 'Filter layers by name',
    'aria-label': 'Filter layers by name',
    'aria-controls': 'layer-table',
    oninput: () => this.applyVisibility(),
  });
  private readonly matches = h('span', { class: 'muted', id: 'layer-matches', role: 'status' });
  private readonly jump = h(
    'button',
    { id: 'jump-to-cut', title: 'Show the cut layer’s row and move the focus to it', onclick: () => this.jumpToCut() },
    'Go to the cut',
  );
  private readonly foldAll = h('button', { id: 'collapse-blocks', onclick: () => this.toggleAll() }, 'Collapse all blocks');
  private readonly navBar = h('div', { class: 'toolbar layer-nav' }, this.filter, this.jump, this.foldAll, this.matches);
  private readonly content = h('div', {});
  /** Blocks whose rows are hidden (when no filter is typed). */
  private readonly collapsed = new Set<string>();
  private blocks: string[] = [];

  constructor(private readonly rerender: () => void) {
    this.parts.body.append(this.navBar, this.content);
  }

  update(s: PageState): void {
    const d = s.experiment?.detail;
    const editable = s.experiment?.valid !== false;
    this.navBar.hidden = !d || d.layers.length === 0;
    if (!d) {
      replaceChildrenKeepingFocus(this.content, [h('p', { class: 'muted' }, 'The layers show once the file passes its checks.')]);
      return;
    }
    if (s.stage >= d.stages.length) s.stage = 0;
    const stage = d.stages[s.stage];
    const locked = !editable ? 'fix the file first' : stage?.freezeLocked;
    const blocks = [...new Set(d.layers.map((l) => blockOf(l.name)).filter((b): b is string => !!b))];
    this.blocks = blocks.length >= MIN_BLOCKS ? blocks : [];
    this.foldAll.hidden = this.blocks.length === 0;
    this.jump.hidden = !d.layers.some((l) => l.role === 'cut');
    replaceChildrenKeepingFocus(this.content, [
      d.layersNote ? h('p', { class: 'note' }, d.layersNote) : null,
      d.layers.length ? this.toolbar(s, d, locked) : null,
      d.layers.length ? this.table(s, d, locked, editable) : null,
      d.layers.length ? this.totals(s, d) : null,
    ]);
    this.applyVisibility();
  }

  /** Hides the rows the filter excludes and those of collapsed blocks (a typed filter shows its matches in every block). */
  private applyVisibility(): void {
    const q = this.filter.value.trim().toLowerCase();
    const rows = Array.from(this.content.querySelectorAll<HTMLTableRowElement>('#layer-table tbody tr[data-layer]'));
    const shownPerBlock = new Map<string, number>();
    let shown = 0;
    for (const tr of rows) {
      const block = tr.dataset.block;
      const match = !q || (tr.dataset.layer ?? '').toLowerCase().includes(q);
      const visible = match && (q !== '' || !block || !this.collapsed.has(block));
      tr.hidden = !visible;
      if (match) {
        shown++;
        if (block) shownPerBlock.set(block, (shownPerBlock.get(block) ?? 0) + 1);
      }
    }
    for (const head of Array.from(this.content.querySelectorAll<HTMLTableRowElement>('#layer-table tr.block-row'))) {
      const block = head.dataset.blockHead ?? '';
      head.hidden = q !== '' && !shownPerBlock.get(block);
      const open = q !== '' || !this.collapsed.has(block);
      const button = head.querySelector('button');
      button?.setAttribute('aria-expanded', String(open));
      head.classList.toggle('collapsed', !open);
    }
    this.matches.textContent = q ? `${shown} of ${rows.length} layers` : '';
    this.foldAll.textContent = this.blocks.length > 0 && this.blocks.every((b) => this.collapsed.has(b)) ? 'Expand all blocks' : 'Collapse all blocks';
  }

  private toggleBlock(block: string): void {
    if (this.collapsed.has(block)) this.collapsed.delete(block);
    else this.collapsed.add(block);
    this.applyVisibility();
  }

  private toggleAll(): void {
    const all = this.blocks.every((b) => this.collapsed.has(b));
    for (const b of this.blocks) {
      if (all) this.collapsed.delete(b);
      else this.collapsed.add(b);
    }
    this.applyVisibility();
  }

  /** Shows the cut layer's row (clearing a filter that hides it, expanding its block), scrolls to it and focuses its cut button. */
  private jumpToCut(): void {
    const row = this.content.querySelector<HTMLTableRowElement>('#layer-table tr.role-cut');
    if (!row) return;
    const block = row.dataset.block;
    if (block) this.collapsed.delete(block);
    if (row.hidden) this.filter.value = '';
    this.applyVisibility();
    row.scrollIntoView({ block: 'center' });
    row.querySelector<HTMLElement>('input[type="radio"]')?.focus();
  }

  private toolbar(s: PageState, d: ExperimentDetail, locked: string | undefined) {
    const stages = d.stages;
    return h(
      'div',
      { class: 'toolbar' },
      stages.length > 1
        ? h(
            'label',
            {},
            'Freeze in stage ',
            h(
              'select',
              {
                id: 'stage-select',
                'data-key': 'stage-select',
                onchange: (ev: Event) => {
                  s.stage = Number((ev.target as HTMLSelectElement).value);
                  save({ stage: s.stage });
                  this.rerender();
                },
              },
              ...stages.map((st, i) =>
                h('option', { value: i, selected: i === s.stage }, `${i + 1}. ${st.name} (${st.epochs} epoch${st.epochs === 1 ? '' : 's'})`),
              ),
            ),
          )
        : d.kind === 'unsupervised'
          ? null
          : h('span', {}, `Stage: ${stages[0]?.name ?? '—'} (${stages[0]?.epochs ?? 0} epochs)`),
      locked ? h('span', { class: 'note', id: 'freeze-locked' }, `Freezing is fixed here: ${locked}.`) : null,
      d.cutExplicit
        ? h(
            'button',
            {
              'data-key': 'default-cut',
              title: 'Remove transfer.cutLayer: the head takes the layer before the base’s last layer',
              onclick: () => post('setCutLayer', { layer: null }),
            },
            'Use the default cut',
          )
        : null,
    );
  }

  private table(s: PageState, d: ExperimentDetail, locked: string | undefined, editable: boolean) {
    const stageName = d.stages[s.stage]?.name ?? '';
    const multi = d.stages.length > 1;
    const last = d.layers.length - 1;
    return h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'layers', id: 'layer-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { class: 'num' }, '#'),
            h('th', {}, 'Layer'),
            h('th', {}, 'Type'),
            h('th', {}, 'Output'),
            h('th', { class: 'num' }, 'Params'),
            h('th', { title: multi ? `Frozen in stage ${stageName}` : 'Frozen: not trained' }, 'Frozen'),
            multi ? h('th', { title: 'Frozen (F) or trained (T) in each stage' }, 'Stages') : null,
            h('th', {}, 'Layer group'),
            h('th', { title: 'The cut layer feeds the new head; later layers are dropped' }, 'Cut'),
            h('th', {}, ''),
          ),
        ),
        ...this.bodies(s, d, locked, editable, last, multi ? 10 : 9),
      ),
    );
  }

  /** One tbody per block (a header row that collapses it, then its layers), and one for each run of layers outside blocks. */
  private bodies(s: PageState, d: ExperimentDetail, locked: string | undefined, editable: boolean, last: number, columns: number): HTMLElement[] {
    const blocks = new Set(this.blocks);
    const groups: { block?: string; layers: LayerRow[] }[] = [];
    for (const l of d.layers) {
      const b = blockOf(l.name);
      const block = b && blocks.has(b) ? b : undefined;
      const g = groups[groups.length - 1];
      if (g && g.block === block) g.layers.push(l);
      else groups.push({ ...(block ? { block } : {}), layers: [l] });
    }
    return groups.map((g) => {
      const rows = g.layers.map((l) => this.row(s, d, l, locked, editable, l.index === last || l === d.layers[last], g.block));
      if (!g.block) return h('tbody', {}, ...rows);
      const block = g.block;
      const frozen = g.layers.filter((l) => l.role !== 'dropped' && l.frozen[s.stage]).length;
      const cut = g.layers.some((l) => l.role === 'cut');
      const dropped = g.layers.every((l) => l.role === 'dropped');
      const summary = `${g.layers.length} layers${dropped ? ', dropped' : `, ${frozen} frozen`}${cut ? ', the cut' : ''}`;
      const head = h(
        'tr',
        { class: 'block-row', 'data-block-head': block },
        h(
          'th',
          { colspan: columns, scope: 'rowgroup' },
          h('button', { class: 'block-toggle', 'data-key': `block:${block}`, 'aria-expanded': 'true', onclick: () => this.toggleBlock(block) }, block),
          h('span', { class: 'muted' }, ` ${summary}`),
        ),
      );
      return h('tbody', { 'data-block': block }, head, ...rows);
    });
  }

  private row(s: PageState, d: ExperimentDetail, l: LayerRow, locked: string | undefined, editable: boolean, isLast: boolean, block?: string) {
    const inBase = l.role !== 'dropped';
    const frozen = inBase ? (l.frozen[s.stage] ?? false) : false;
    const stageName = d.stages[s.stage]?.name ?? '';
    const rowClass = [`role-${l.role}`, frozen ? 'frozen' : inBase ? 'trainable' : ''].filter(Boolean).join(' ');
    return h(
      'tr',
      { class: rowClass, 'data-layer': l.name, 'data-frozen': inBase ? String(frozen) : undefined, 'data-block': block },
      h('td', { class: 'num muted' }, l.index),
      h(
        'td',
        { class: 'name' },
        h('code', {}, l.name),
        l.role === 'cut' ? h('span', { class: 'badge cut-badge', title: 'Cut layer: its output feeds the head' }, 'cut') : null,
        l.note ? h('div', { class: 'muted layer-note' }, l.note) : null,
      ),
      h('td', {}, l.className, l.isBatchNorm ? h('span', { class: 'badge', title: 'BatchNorm: kept in inference mode while frozen' }, 'BN') : null),
      h('td', { class: 'mono' }, l.outputShape || '—'),
      h('td', { class: 'num' }, int(l.params)),
      h(
        'td',
        { class: 'center' },
        inBase
          ? h('input', {
              type: 'checkbox',
              class: 'freeze-toggle',
              'data-key': `freeze:${l.name}`,
              checked: frozen,
              disabled: !!locked,
              'aria-label': `Freeze ${l.name}${d.stages.length > 1 ? ` in stage ${stageName}` : ''}`,
              onchange: (ev: Event) => post('toggleFreeze', { stage: s.stage, layer: l.name, frozen: (ev.target as HTMLInputElement).checked }),
            })
          : h('span', { class: 'muted', title: 'After the cut: not part of the new network' }, 'dropped'),
      ),
      d.stages.length > 1
        ? h(
            'td',
            { class: 'mono muted', title: d.stages.map((st, i) => `${st.name}: ${l.frozen[i] ? 'frozen' : 'trained'}`).join(', ') },
            inBase ? l.frozen.map((f) => (f ? 'F' : 'T')).join(' ') : '',
          )
        : null,
      h('td', {}, inBase ? this.groupSelect(d, l, editable) : null),
      h(
        'td',
        { class: 'center' },
        h('input', {
          type: 'radio',
          name: 'cut',
          'data-key': `cut:${l.name}`,
          checked: l.role === 'cut',
          disabled: !editable || isLast,
          'aria-label': `Cut the base at ${l.name}`,
          title: isLast ? 'The last layer is the old classifier the head replaces' : `Feed the head from ${l.name}`,
          onchange: () => post('setCutLayer', { layer: l.name }),
        }),
      ),
      h(
        'td',
        {},
        inBase
          ? h(
              'button',
              {
                class: 'small',
                'data-key': `upto:${l.name}`,
                disabled: !!locked,
                title: `Freeze every layer from the first up to and including ${l.name}${d.stages.length > 1 ? ` in stage ${stageName}` : ''}, train the rest`,
                onclick: () => post('freezeUpTo', { stage: s.stage, layer: l.name }),
              },
              'Freeze up to here',
            )
          : null,
      ),
    );
  }

  private groupSelect(d: ExperimentDetail, l: LayerRow, editable: boolean) {
    return h(
      'select',
      {
        class: 'group-select',
        'data-key': `group:${l.name}`,
        disabled: !editable,
        'aria-label': `Layer group of ${l.name}`,
        onchange: (ev: Event) => {
          const el = ev.target as HTMLSelectElement;
          const v = el.value;
          if (v === NEW_GROUP) {
            el.value = l.group ?? NO_GROUP; // the file decides; the host asks for a name
            post('newLayerGroup', { layer: l.name });
          } else {
            post('setLayerGroup', { layer: l.name, group: v === NO_GROUP ? null : v });
          }
        },
      },
      h('option', { value: NO_GROUP, selected: l.group === null }, `base ×${num(d.learningRate.baseMultiplier)}`),
      ...d.groups.map((g) => h('option', { value: g.name, selected: l.group === g.name }, `${g.name} ×${num(g.multiplier)}`)),
      h('option', { value: NEW_GROUP }, 'New group…'),
    );
  }

  private totals(s: PageState, d: ExperimentDetail) {
    const base = d.layers.filter((l) => l.role !== 'dropped');
    const frozen = base.filter((l) => l.frozen[s.stage]);
    const params = (ls: LayerRow[]) => ls.reduce((n, l) => n + l.params, 0);
    if (d.kind === 'unsupervised') {
      return h(
        'p',
        { class: 'muted totals', id: 'layer-totals' },
        `${base.length} base layers up to ${d.cutLayer ?? '—'} (${int(params(base))} params, none trained): their output is clustered · ${d.layers.length - base.length} dropped`,
      );
    }
    return h(
      'p',
      { class: 'muted totals', id: 'layer-totals' },
      `${base.length} base layers up to ${d.cutLayer ?? '—'} · ${frozen.length} frozen (${int(params(frozen))} params) · ${base.length - frozen.length} trained (${int(params(base) - params(frozen))} params) · ${d.layers.length - base.length} dropped`,
    );
  }
}
