/**
 * `npm run bench:advisor`: checks the strategy advisor on real pairs by running every rule of thumb
 * over several label draws.
 *
 * For each advisor case (examples/advise-*.transfer.json: digits 0–4 → 5–9, similar inputs; digits →
 * Fashion-MNIST, different; 10 and 300–400 labelled examples per class) and each seed (`training.seed`
 * replaced: another split, so another draw of the labelled examples, and another initialisation and
 * shuffling), it asks the advisor — which sees the training and validation sets only — and then trains
 * the four variants its rules describe (the file with each rule's edit as the advisor made it for that
 * draw, e.g. the cut layer its sweep chose) and records their test accuracy.
 *
 * Prints, per case, the advice of each draw and the test accuracy of each rule as mean ± sd over the
 * draws (sd: sample standard deviation), and whether the advised rule is the best one or within noise
 * of it: the paired per-draw difference (best rule − the rule advised on that draw) has a 95% Student-t
 * interval that contains 0. Asserts nothing. Writes the table to .transfer-lab/bench/advisor-check.json.
 *
 * Test accuracies are cached in .transfer-lab/bench/advisor-check-cache/<case>.json by the variant's text,
 * seed and source checkpoint (a rule whose edit did not change is not trained again; `--fresh` ignores
 * the cache).
 *
 * Usage: npm run build && npx tsx bench/advisor-check.ts [--seeds 7,8,9] [--fresh] [--advise-only] [case-name-substring…]
 * (`--advise-only`: the advice of each draw, no training, no table.)
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../src/core/backend/index.js';
import { advise, ruleEdits, type AdvisorReport } from '../src/core/advisor/advise.js';
import type { Rule } from '../src/core/advisor/rules.js';
import { applyPointerEdits } from '../src/core/experiment/edits.js';
import { loadExperiment } from '../src/core/experiment/load.js';
import { latestCheckpoint } from '../src/core/experiment/name.js';
import { runExperiment } from '../src/core/tasks/train.js';

const ROOT = path.join(__dirname, '..');
const EXAMPLES = path.join(ROOT, 'examples');
const RUNS = path.join(ROOT, '.transfer-lab', 'runs');
const OUT = path.join(ROOT, '.transfer-lab', 'bench');
const CACHE_DIR = path.join(OUT, 'advisor-check-cache');
const CASES = ['advise-digits-5-9-small', 'advise-digits-5-9-large', 'advise-fashion-small', 'advise-fashion-large'];
const RULES: Rule[] = ['smallSimilar', 'smallDifferent', 'largeSimilar', 'largeDifferent'];

/** One draw of one case. */
interface Draw {
  seed: number;
  advice: Rule;
  domainAccuracy: number;
  medianPerClass: number;
  specificityGap?: number;
  /** The cut layer of each feature-extraction rule on this draw. */
  layers: Partial<Record<Rule, string>>;
  testAccuracy: Partial<Record<Rule, number>>;
  seconds: Partial<Record<Rule, number>>;
}

interface CaseResult {
  case: string;
  draws: Draw[];
}

/** Two-sided 95% Student-t quantiles by degrees of freedom (1..10). */
const T95 = [NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

export function meanSd(v: readonly number[]): { mean: number; sd: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, sd };
}

/**
 * The verdict on a case: the best rule by mean test accuracy, and the paired difference best − advised
 * (advised = the rule advised on each draw) with the half-width of its 95% t interval. The advice is
 * best when every draw's advised rule has the best mean (rules whose edits coincide tie).
 */
export function judge(draws: readonly Draw[]): { best: Rule; gap: number; halfWidth: number; verdict: string } {
  const mean = (r: Rule) => meanSd(draws.map((d) => d.testAccuracy[r] ?? NaN)).mean;
  const best = RULES.reduce((a, b) => (mean(b) > mean(a) ? b : a));
  const top = mean(best);
  const diffs = draws.map((d) => (d.testAccuracy[best] ?? NaN) - (d.testAccuracy[d.advice] ?? NaN));
  const { mean: gap, sd } = meanSd(diffs);
  const n = diffs.length;
  const halfWidth = n > 1 ? (T95[Math.min(n - 1, 10)] ?? 1.96) * (sd / Math.sqrt(n)) : 0;
  const pt = (v: number) => (v * 100).toFixed(1);
  const verdict = draws.every((d) => mean(d.advice) >= top - 1e-12)
    ? 'yes (best)'
    : gap <= halfWidth
      ? `within noise (−${pt(gap)} ± ${pt(halfWidth)} pt)`
      : `no (−${pt(gap)} ± ${pt(halfWidth)} pt)`;
  return { best, gap, halfWidth, verdict };
}

function parseArgs(argv: string[]): { seeds?: number[]; fresh: boolean; adviseOnly: boolean; only: string[] } {
  const only: string[] = [];
  let seeds: number[] | undefined;
  let fresh = false;
  let adviseOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--seeds') seeds = argv[++i]!.split(',').map(Number);
    else if (a.startsWith('--seeds=')) seeds = a.slice(8).split(',').map(Number);
    else if (a === '--fresh') fresh = true;
    else if (a === '--advise-only') adviseOnly = true;
    else only.push(a);
  }
  return { ...(seeds ? { seeds } : {}), fresh, adviseOnly, only };
}

async function main(): Promise<void> {
  const backend = await initBackend('auto');
  const args = parseArgs(process.argv.slice(2));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'advisor-check-'));
  fs.mkdirSync(OUT, { recursive: true });
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const sourceCheckpoint = latestCheckpoint(RUNS, 'digits-source', 'best');
  if (!sourceCheckpoint) throw new Error('no completed digits-source run with a best checkpoint: node dist/cli.js run examples/digits-source.transfer.json');
  // The checkpoint's run id names the source in the cache key (a new source run trains everything again).
  const sourceRun = path.basename(path.dirname(path.dirname(path.dirname(sourceCheckpoint))));
  process.stderr.write(`source: ${sourceCheckpoint}\n`);
  const results: CaseResult[] = [];
  for (const name of CASES.filter((c) => args.only.length === 0 || args.only.some((o) => c.includes(o)))) {
    const file = path.join(EXAMPLES, `${name}.transfer.json`);
    const fileSeed = (await loadExperiment(file, { runsDir: RUNS })).experiment.training.seed;
    const seeds = args.seeds ?? [fileSeed, fileSeed + 1, fileSeed + 2];
    // The variant files live in a temporary folder: make the source experiment path absolute.
    const text = fs.readFileSync(file, 'utf8').replace('"digits-source.transfer.json"', JSON.stringify(path.join(EXAMPLES, 'digits-source.transfer.json')));
    const result: CaseResult = { case: name, draws: [] };
    // One cache file per case: two bench processes on different cases do not overwrite each other's.
    const cacheFile = path.join(CACHE_DIR, `${name}.json`);
    const cache: Record<string, { testAccuracy?: number; seconds: number }> =
      !args.fresh && fs.existsSync(cacheFile) ? JSON.parse(fs.readFileSync(cacheFile, 'utf8')) : {};
    for (const seed of seeds) {
      const seeded = applyPointerEdits(text, [{ pointer: '/training/seed', value: seed }, { pointer: '/$schema' }]);
      const seedDir = path.join(dir, `seed-${seed}`);
      fs.mkdirSync(seedDir, { recursive: true });
      const adviseFile = path.join(seedDir, `${name}.transfer.json`);
      fs.writeFileSync(adviseFile, seeded);
      const { experiment } = await loadExperiment(adviseFile, { runsDir: RUNS });
      const t0 = performance.now();
      const report: AdvisorReport = await advise(experiment, { runsDir: RUNS });
      const edits = ruleEdits(report);
      const layerOf = (r: Rule) => edits[r].find((e) => e.pointer === '/transfer/cutLayer')?.value as string | undefined;
      const draw: Draw = {
        seed,
        advice: report.verdict.rule,
        domainAccuracy: report.similarity.domainAccuracy,
        medianPerClass: report.target.medianPerClass,
        ...(report.specificityGap !== undefined ? { specificityGap: report.specificityGap } : {}),
        layers: Object.fromEntries(RULES.flatMap((r) => (layerOf(r) ? [[r, layerOf(r)!]] : []))),
        testAccuracy: {},
        seconds: {},
      };
      const gap =
        report.specificityGap === undefined
          ? '–'
          : `${(report.specificityGap * 100).toFixed(1)} pt (SE ${((report.specificityStandardError ?? 0) * 100).toFixed(1)}, threshold ${(report.thresholds.maxSpecificityGap * 100).toFixed(1)})`;
      process.stderr.write(
        `${name} seed ${seed}: advice ${draw.advice} (domain accuracy ${(draw.domainAccuracy * 100).toFixed(1)}%, ${draw.medianPerClass}/class, gap ${gap}, layers ${JSON.stringify(draw.layers)}; ${((performance.now() - t0) / 1000).toFixed(0)} s)\n`,
      );
      for (const rule of args.adviseOnly ? [] : RULES) {
        const variantText = applyPointerEdits(seeded, edits[rule]);
        const key = crypto.createHash('sha256').update(`${sourceRun}\n${variantText}`).digest('hex').slice(0, 16);
        let hit = cache[key];
        if (!hit) {
          const variant = path.join(dir, `${name}-${rule}.transfer.json`);
          fs.writeFileSync(variant, variantText);
          const s = await runExperiment({ experimentFile: variant, runsDir: RUNS, backend: backend.name === 'tensorflow' ? 'tensorflow' : 'wasm' });
          if (s.status !== 'completed') throw new Error(`${name} ${rule} seed ${seed}: ${s.status}`);
          hit = { ...(s.test?.accuracy !== undefined ? { testAccuracy: s.test.accuracy } : {}), seconds: s.seconds };
          cache[key] = hit;
          fs.writeFileSync(cacheFile, JSON.stringify(cache, null, 1));
        }
        if (hit.testAccuracy !== undefined) draw.testAccuracy[rule] = hit.testAccuracy;
        draw.seconds[rule] = hit.seconds;
        process.stderr.write(`  ${rule.padEnd(15)} test ${((hit.testAccuracy ?? NaN) * 100).toFixed(1)}% (${hit.seconds.toFixed(0)} s)\n`);
      }
      result.draws.push(draw);
    }
    results.push(result);
  }
  if (args.adviseOnly) return;
  const pct = (v: number) => `${(v * 100).toFixed(1)}`;
  const header = ['case', 'per class', 'domain acc', 'advice (draws)', ...RULES, 'advice best?'];
  const lines = results.map((r) => {
    const j = judge(r.draws);
    const advice = RULES.filter((k) => r.draws.some((d) => d.advice === k))
      .map((k) => `${k}${r.draws.length > 1 ? ` ×${r.draws.filter((d) => d.advice === k).length}` : ''}`)
      .join(', ');
    const cell = (k: Rule) => {
      const { mean, sd } = meanSd(r.draws.map((d) => d.testAccuracy[k] ?? NaN));
      const top = meanSd(r.draws.map((d) => d.testAccuracy[j.best] ?? NaN)).mean;
      return `${pct(mean)} ± ${pct(sd)}${r.draws.some((d) => d.advice === k) ? ' *' : ''}${mean >= top - 1e-12 ? ' ^' : ''}`;
    };
    const dom = meanSd(r.draws.map((d) => d.domainAccuracy)).mean;
    return [r.case, String(r.draws[0]?.medianPerClass ?? ''), `${pct(dom)}%`, advice, ...RULES.map(cell), j.verdict];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (l: string[]) => l.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  const seedsUsed = [...new Set(results.flatMap((r) => r.draws.map((d) => d.seed)))].join(', ');
  process.stdout.write(
    [
      `test accuracy %, mean ± sd over draws (seeds ${seedsUsed}); * advised on some draw, ^ best mean (ties: the rules' edits coincide); source run ${sourceRun}`,
      fmt(header),
      widths.map((w) => '-'.repeat(w)).join('  '),
      ...lines.map(fmt),
    ].join('\n') + '\n',
  );
  fs.writeFileSync(path.join(OUT, 'advisor-check.json'), JSON.stringify({ backend, sourceCheckpoint, results }, null, 2));
}

void main();
