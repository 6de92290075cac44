/**
 * Optimizers whose learning rate is given per variable at every step.
 *
 * tfjs optimizers hold one fixed rate, and key their slot state by the *position* of a variable in
 * the gradient list — so passing a different set of variables (a layer unfrozen in stage 2) mixes up
 * state between variables. These optimizers keep slot state per variable name, never reset it on a
 * rate or stage change, and take the rate of each variable from the caller (schedule × layer-group
 * multiplier), so the rate logged for a step is the rate applied.
 *
 * Update rules are those of tfjs/Keras (and, for sgd/momentum/adam, PyTorch with dampening 0):
 * - sgd:      w ← w − η g
 * - momentum: a ← μ a + g;  w ← w − η a            (Nesterov: w ← w − η (g + μ a))
 * - adam:     m ← β1 m + (1−β1) g;  v ← β2 v + (1−β2) g²;  w ← w − η m̂ / (√v̂ + ε),
 *             m̂ = m/(1−β1^t), v̂ = v/(1−β2^t), t counted per variable (Kingma & Ba 2015,
 *             https://arxiv.org/abs/1412.6980)
 * - rmsprop:  s ← ρ s + (1−ρ) g²;  a ← μ a + η g/√(s + ε);  w ← w − a   (tfjs RMSPropOptimizer)
 */
import * as tf from '@tensorflow/tfjs';
import type { ResolvedExperiment } from '../experiment/types.js';
import { adamHeapBackend, adamStepOnHeap } from '../backend/wasm-kernels/adam.js';

export type OptimizerConfig = ResolvedExperiment['optimizer'];

interface Slots {
  /** Steps taken by this variable (Adam bias correction). */
  t: number;
  a?: tf.Tensor;
  b?: tf.Tensor;
}

/** An optimizer with per-variable state and per-step, per-variable rates. */
export class PerVariableOptimizer {
  private readonly slots = new Map<string, Slots>();

  constructor(readonly config: OptimizerConfig) {}

  /**
   * Applies one update to each variable that has a gradient.
   * @param grads gradient of the loss for each variable, keyed by `variable.name`; same shape as the variable.
   * @param variables the variables, keyed by name.
   * @param rate learning rate (per step) of a variable, by name.
   */
  apply(grads: tf.NamedTensorMap, variables: Map<string, tf.Variable>, rate: (name: string) => number): void {
    const c = this.config;
    for (const [name, g] of Object.entries(grads)) {
      const v = variables.get(name);
      if (!v) throw new Error(`internal: gradient for unknown variable "${name}"`);
      const lr = rate(name);
      let s = this.slots.get(name);
      if (!s) {
        s = { t: 0 };
        this.slots.set(name, s);
      }
      s.t += 1;
      const old = [s.a, s.b];
      tf.tidy(() => {
        switch (c.type) {
          case 'sgd':
            v.assign(tf.sub(v, tf.mul(g, lr)));
            break;
          case 'momentum': {
            const a = s.a ? tf.add(tf.mul(s.a, c.momentum), g) : g.clone();
            const step = c.nesterov ? tf.add(g, tf.mul(a, c.momentum)) : a;
            v.assign(tf.sub(v, tf.mul(step, lr)));
            s.a = tf.keep(a);
            break;
          }
          case 'adam': {
            const heap = adamHeapBackend(v, g, s.a, s.b);
            if (heap) {
              // On wasm: one loop over the heap instead of 14 elementwise kernels.
              const next = adamStepOnHeap(heap, v, g, s.a, s.b, { lr, beta1: c.beta1, beta2: c.beta2, epsilon: c.epsilon, t: s.t });
              v.assign(next.w);
              s.a = tf.keep(next.m);
              s.b = tf.keep(next.u);
              break;
            }
            const m = tf.add(tf.mul(s.a ?? tf.zerosLike(g), c.beta1), tf.mul(g, 1 - c.beta1));
            const u = tf.add(tf.mul(s.b ?? tf.zerosLike(g), c.beta2), tf.mul(tf.square(g), 1 - c.beta2));
            const mHat = tf.div(m, 1 - Math.pow(c.beta1, s.t));
            const uHat = tf.div(u, 1 - Math.pow(c.beta2, s.t));
            v.assign(tf.sub(v, tf.mul(tf.div(mHat, tf.add(tf.sqrt(uHat), c.epsilon)), lr)));
            s.a = tf.keep(m);
            s.b = tf.keep(u);
            break;
          }
          case 'rmsprop': {
            const ms = tf.add(tf.mul(s.a ?? tf.zerosLike(g), c.rho), tf.mul(tf.square(g), 1 - c.rho));
            const mom = tf.add(tf.mul(s.b ?? tf.zerosLike(g), c.momentum), tf.div(tf.mul(g, lr), tf.sqrt(tf.add(ms, c.epsilon))));
            v.assign(tf.sub(v, mom));
            s.a = tf.keep(ms);
            s.b = tf.keep(mom);
            break;
          }
        }
      });
      for (const t of old) if (t && t !== s.a && t !== s.b) t.dispose();
    }
  }

  /** Number of variables with optimizer state. */
  get size(): number {
    return this.slots.size;
  }

  /** Frees all slot tensors. */
  dispose(): void {
    for (const s of this.slots.values()) {
      s.a?.dispose();
      s.b?.dispose();
    }
    this.slots.clear();
  }
}
