/**
 * The layer list of a `gabor` base computed from its parameters, without tfjs (the extension host
 * reads it for completion, the panel and the semantic checks). Mirrors `base.ts` exactly.
 */
import type { ResolvedGaborBase } from '../experiment/types.js';
import type { LayerInfo } from '../models/topology.js';
import { GABOR_DEFAULT_INPUT } from './kernel.js';

/** Number of filters of the bank: wavelengths × orientations × phases. */
export function gaborFilterCount(base: Pick<ResolvedGaborBase, 'wavelengths' | 'orientations' | 'phases'>): number {
  return base.wavelengths.length * base.orientations * base.phases.length;
}

/** The layers of the `gabor` base in order (`gabor`, `gabor_relu`, [`gabor_pool`], `flatten`, `logits`), with output shapes and parameter counts. */
export function gaborTopology(base: ResolvedGaborBase): LayerInfo[] {
  const [h, w, c] = base.inputShape ?? GABOR_DEFAULT_INPUT;
  const f = gaborFilterCount(base);
  const ph = base.pool > 1 ? Math.floor(h / base.pool) : h;
  const pw = base.pool > 1 ? Math.floor(w / base.pool) : w;
  const flat = ph * pw * f;
  const layers: Omit<LayerInfo, 'index'>[] = [
    { name: 'gabor', className: 'Conv2D', outputShape: [null, h, w, f], params: base.size * base.size * c * f, trainableByDefault: true, isBatchNorm: false },
    { name: 'gabor_relu', className: 'ReLU', outputShape: [null, h, w, f], params: 0, trainableByDefault: true, isBatchNorm: false },
    ...(base.pool > 1
      ? [{ name: 'gabor_pool', className: 'MaxPooling2D', outputShape: [null, ph, pw, f], params: 0, trainableByDefault: true, isBatchNorm: false }]
      : []),
    { name: 'flatten', className: 'Flatten', outputShape: [null, flat], params: 0, trainableByDefault: true, isBatchNorm: false },
    { name: 'logits', className: 'Dense', outputShape: [null, 10], params: flat * 10 + 10, trainableByDefault: true, isBatchNorm: false },
  ];
  return layers.map((l, index) => ({ ...l, index }));
}
