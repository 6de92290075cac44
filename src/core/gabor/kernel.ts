/**
 * Gabor kernels and filter banks (pure arithmetic, no tfjs).
 *
 * The real Gabor function (Daugman 1985; the form of Wikipedia's "Gabor filter" and OpenCV's
 * `getGaborKernel`, https://docs.opencv.org/4.x/d4/d86/group__imgproc__filter.html):
 *
 *   g(x, y; λ, θ, ψ, σ, γ) = exp(−(x′² + γ² y′²) / (2σ²)) · cos(2π x′ / λ + ψ)
 *   x′ =  x cos θ + y sin θ
 *   y′ = −x sin θ + y cos θ
 *
 * x grows to the right and y downwards (image rows), both in pixels from the kernel centre
 * ((size − 1) / 2). θ = 0 gives stripes that vary along x (vertical edges/bars).
 */

/** Input shape [h, w, c] of a `gabor` base without `inputShape`: an MNIST digit. */
export const GABOR_DEFAULT_INPUT: [number, number, number] = [28, 28, 1];

/** Parameters of one Gabor kernel. Lengths in pixels, angles in radians. */
export interface GaborParams {
  /** Wavelength λ of the sinusoid (pixels), > 0. */
  lambda: number;
  /** Orientation θ of the normal to the stripes (radians). */
  theta: number;
  /** Phase offset ψ (radians): 0 even-symmetric, π/2 odd-symmetric. */
  psi: number;
  /** Standard deviation σ of the Gaussian envelope (pixels), > 0. */
  sigma: number;
  /** Spatial aspect ratio γ of the envelope, > 0 (1: circular). */
  gamma: number;
}

/** g(x, y) of the closed form above at one point (float64). */
export function gaborValue(x: number, y: number, p: GaborParams): number {
  const c = Math.cos(p.theta);
  const s = Math.sin(p.theta);
  const xr = x * c + y * s;
  const yr = -x * s + y * c;
  return Math.exp(-(xr * xr + p.gamma * p.gamma * yr * yr) / (2 * p.sigma * p.sigma)) * Math.cos((2 * Math.PI * xr) / p.lambda + p.psi);
}

/**
 * A `size`×`size` kernel of the closed form, row-major ([row][col] → index row·size + col), float64.
 * @param normalize subtract the mean (no response to flat regions) and scale to unit L2 norm; a kernel
 *   that is all zero after centring (cannot happen for λ below the kernel size) is left at zero.
 * @throws RangeError when size is not a positive integer or λ, σ, γ are not positive.
 */
export function gaborKernel(size: number, p: GaborParams, normalize = false): Float64Array {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`Gabor kernel size must be a positive integer, got ${size}`);
  if (!(p.lambda > 0 && p.sigma > 0 && p.gamma > 0)) throw new RangeError(`Gabor λ, σ and γ must be positive (λ=${p.lambda}, σ=${p.sigma}, γ=${p.gamma})`);
  const k = new Float64Array(size * size);
  const c = (size - 1) / 2;
  for (let r = 0; r < size; r++) for (let q = 0; q < size; q++) k[r * size + q] = gaborValue(q - c, r - c, p);
  if (normalize) normalizeKernel(k);
  return k;
}

/** In place: subtract the mean, then divide by the L2 norm (when it is not 0). Returns `k`. */
export function normalizeKernel(k: Float64Array): Float64Array {
  let mean = 0;
  for (const v of k) mean += v;
  mean /= k.length;
  let norm = 0;
  for (let i = 0; i < k.length; i++) {
    k[i] -= mean;
    norm += k[i]! * k[i]!;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < k.length; i++) k[i] /= norm;
  return k;
}

/** What a bank is built from (degrees for phases, as in the experiment file). */
export interface GaborBankSpec {
  /** Kernel side in pixels. */
  size: number;
  /** Orientations evenly spaced over [0, π): θ_i = iπ / orientations. */
  orientations: number;
  /** λ per scale (pixels). */
  wavelengths: number[];
  /** σ per scale (pixels), same length as `wavelengths`. */
  sigmas: number[];
  gamma: number;
  /** ψ values in degrees. */
  phases: number[];
}

/** One kernel of a bank with its parameters. */
export interface BankFilter {
  params: GaborParams;
  /** Zero-mean, unit-norm size×size kernel, row-major. */
  kernel: Float64Array;
}

/**
 * The bank in a fixed order: scale (outermost), then orientation, then phase (innermost); filter
 * index = (scale · orientations + orientation) · phases + phase. Every kernel is normalised.
 * @throws RangeError when `sigmas` and `wavelengths` differ in length or a parameter is invalid.
 */
export function gaborBank(spec: GaborBankSpec): BankFilter[] {
  if (spec.sigmas.length !== spec.wavelengths.length) {
    throw new RangeError(`a Gabor bank needs one σ per wavelength: ${spec.sigmas.length} σ for ${spec.wavelengths.length} wavelengths`);
  }
  const out: BankFilter[] = [];
  spec.wavelengths.forEach((lambda, s) => {
    for (let o = 0; o < spec.orientations; o++) {
      for (const deg of spec.phases) {
        const params: GaborParams = { lambda, theta: (o * Math.PI) / spec.orientations, psi: (deg * Math.PI) / 180, sigma: spec.sigmas[s]!, gamma: spec.gamma };
        out.push({ params, kernel: gaborKernel(spec.size, params, true) });
      }
    }
  });
  return out;
}
