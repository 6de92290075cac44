/**
 * The layer list of a `wordVectors` base computed from its settings and the size of its vocabulary,
 * without tfjs (the extension host reads it for the panel's layer table, completion and the semantic
 * checks). Mirrors `text-base.ts` exactly: `embedding` [maxLength, dim] ((words + 2) × dim weights:
 * padding and OOV rows first), then `pool` (mean/max/meanMax), `conv` + `pool` (conv), `prepad` + `gru` (gru) or `prepad`, `gru_forward`, `gru_backward`, `gru` (bigru). The last layer is
 * marked `headless`: the base has no old head, so the default cut keeps it.
 */
import type { ResolvedWordVectorsBase } from '../experiment/types.js';
import type { VectorsShape } from '../text/vectors.js';
import type { LayerInfo } from './topology.js';

/**
 * The layers of a `wordVectors` base.
 * @param vectors words kept and vector size (`readVectorsShape`).
 * @param maxLength tokens per document (`data.text.maxLength`).
 */
export function textBaseTopology(base: ResolvedWordVectorsBase, vectors: VectorsShape, maxLength: number): LayerInfo[] {
  const { dim } = vectors;
  const rows = vectors.words + 2;
  const common = { trainableByDefault: true, isBatchNorm: false } as const;
  const layers: Omit<LayerInfo, 'index'>[] = [
    { name: 'embedding', className: 'Embedding', outputShape: [null, maxLength, dim], params: rows * dim, ...common },
  ];
  if (base.encoder === 'conv') {
    layers.push(
      {
        name: 'conv',
        className: 'Conv1D',
        outputShape: [null, maxLength, base.filters],
        params: base.kernelSize * dim * base.filters + base.filters,
        ...common,
      },
      { name: 'pool', className: 'GlobalMaxPooling1D', outputShape: [null, base.filters], params: 0, ...common, headless: true },
    );
  } else if (base.encoder === 'gru' || base.encoder === 'bigru') {
    // tfjs' GRU: 3 × (dim × units + units × units + units) weights per direction
    const gru = 3 * (dim * base.units + base.units * base.units + base.units);
    const seq = { outputShape: [null, maxLength, dim], params: 0, ...common };
    const last = { outputShape: [null, base.units], params: gru, ...common };
    layers.push({ name: 'prepad', className: 'PrePad1D', ...seq });
    if (base.encoder === 'gru') layers.push({ name: 'gru', className: 'GRU', ...last, headless: true });
    else
      layers.push(
        { name: 'gru_forward', className: 'GRU', ...last },
        { name: 'gru_backward', className: 'GRU', ...last },
        { name: 'gru', className: 'Concatenate', outputShape: [null, 2 * base.units], params: 0, ...common, headless: true },
      );
  } else {
    layers.push({
      name: 'pool',
      className: 'MaskedPooling1D',
      outputShape: [null, base.encoder === 'meanMax' ? 2 * dim : dim],
      params: 0,
      ...common,
      headless: true,
    });
  }
  return layers.map((l, index) => ({ ...l, index }));
}
