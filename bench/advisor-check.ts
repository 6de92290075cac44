/**
 * `npm run bench:advisor`: checks the strategy advisor on real pairs by running every rule of thumb.
 * For each advisor case (examples/advise-*.transfer.json: digits 0–4 → 5–9, similar; digits →
 * Fashion-MNIST, different; 10 and 300–400 labelled examples per class) it asks the advisor, then
 * trains the four variants its rules describe (the same file with each rule's edit; the earlier
 * layer is the advisor's sweep choice) and prints test accuracy per rule, marking the advised one.
 * Prints figures; asserts nothing. Writes the table to .transfer-lab/bench/advisor-check.json.
 *
 * Usage: npm run build && npx tsx bench/advisor-check.ts [case-name-substring…]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initBackend } from '../src/core/backend/index.js';
import { advise, type AdvisorReport } from '../src/core/advisor/advise.js';
import { editsFor, type Rule } from '../src/core/advisor/rules.js';
import { applyPointerEdits } from '../src/core/experiment/edits.js';
import { loadExperiment } from '../src/core/experiment/load.js';
import { runExperiment } from '../src/core/training/run.js';

const ROOT = path.join(__dirname, '..');
const EXAMPLES = path.join(ROOT, 'examples');
const RUNS = path.join(ROOT, '.transfer-lab', 'runs');
const CASES = ['advise-digits-5-9-small', 'advise-digits-5-9-large', 'advise-fashion-small', 'advise-fashion-large'];
const RULES: Rule[] = ['smallSimilar', 'smallDifferent', 'largeSimilar', 'largeDifferent'];

interface Row {
  case: string;
  advice: Rule;
  domainAccuracy: number;
  medianPerClass: number;
  earlierLayer?: string;
  testAccuracy: Partial<Record<Rule, number>>;
  seconds: Partial<Record<Rule, number>>;
}

async function main(): Promise<void> {
  const backend = await initBackend('auto');
  const only = process.argv.slice(2);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'advisor-check-'));
  const rows: Row[] = [];
  for (const name of CASES.filter((c) => only.length === 0 || only.some((o) => c.includes(o)))) {
    const file = path.join(EXAMPLES, `${name}.transfer.json`);
    const { experiment } = await loadExperiment(file, { runsDir: RUNS });
    const report: AdvisorReport = await advise(experiment, { runsDir: RUNS });
    const row: Row = { case: name, advice: report.verdict.rule, domainAccuracy: report.similarity.domainAccuracy, medianPerClass: report.target.medianPerClass, ...(report.earlierLayer ? { earlierLayer: report.earlierLayer } : {}), testAccuracy: {}, seconds: {} };
    process.stderr.write(`${name}: advice ${row.advice} (domain accuracy ${(row.domainAccuracy * 100).toFixed(1)}%, ${row.medianPerClass}/class, earlier layer ${row.earlierLayer})\n`);
    // The variant files live in a temporary folder: make the source experiment path absolute.
    const text = fs.readFileSync(file, 'utf8').replace('"digits-source.transfer.json"', JSON.stringify(path.join(EXAMPLES, 'digits-source.transfer.json')));
    for (const rule of RULES) {
      const variant = path.join(dir, `${name}-${rule}.transfer.json`);
      fs.writeFileSync(variant, applyPointerEdits(text, [...editsFor(rule, report.earlierLayer), { pointer: '/$schema' }]));
      const s = await runExperiment({ experimentFile: variant, runsDir: RUNS, backend: backend.name === 'tensorflow' ? 'tensorflow' : 'wasm' });
      row.testAccuracy[rule] = s.test?.accuracy;
      row.seconds[rule] = s.seconds;
      process.stderr.write(`  ${rule.padEnd(15)} ${s.status} test ${((s.test?.accuracy ?? NaN) * 100).toFixed(1)}% (${s.seconds.toFixed(0)} s)\n`);
    }
    rows.push(row);
  }
  const pct = (v: number | undefined) => (v === undefined ? '–' : `${(v * 100).toFixed(1)}%`);
  const header = ['case', 'per class', 'domain acc', 'advice', ...RULES, 'advice best?'];
  const lines = rows.map((r) => {
    const best = Math.max(...RULES.map((k) => r.testAccuracy[k] ?? -1));
    const got = r.testAccuracy[r.advice] ?? -1;
    return [r.case, String(r.medianPerClass), pct(r.domainAccuracy), r.advice, ...RULES.map((k) => pct(r.testAccuracy[k]) + (k === r.advice ? ' *' : '')), got === best ? 'yes' : `no (−${((best - got) * 100).toFixed(1)} pt)`];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (l: string[]) => l.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write([fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(fmt)].join('\n') + '\n');
  const out = path.join(ROOT, '.transfer-lab', 'bench');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'advisor-check.json'), JSON.stringify({ backend, rows }, null, 2));
}

void main();
