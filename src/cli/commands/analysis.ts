/**
 * `transfer-lab sweep | filters | advise <file>`: the analysis tasks, each run in the worker and
 * recorded as a run of the experiment; prints the result file's table. `--apply` (sweep, advise)
 * writes the suggested edit into the experiment file, keeping its comments and formatting.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AdvisorReport } from '../../core/advisor/advise.js';
import { applyPointerEdits, type PointerEdit } from '../../core/experiment/edits.js';
import { ARTIFACT_FILES, type ArtifactName, type GaborMatchFile, type LayerSweepFile, type RunTask } from '../../core/runs/artifacts.js';
import type { AdviseTaskOptions, BackendPreference } from '../../protocol/worker.js';
import { EXIT_OK } from '../../worker/exit-codes.js';
import { formatTable, pct } from '../table.js';
import { printRunTable, runThroughWorker } from './run.js';

export interface AnalysisCommandOptions {
  runsDir: string;
  backend: BackendPreference;
  json?: boolean;
  apply?: boolean;
  taskOptions?: AdviseTaskOptions;
}

const out = (s: string) => process.stdout.write(s + '\n');
const num = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : String(v));

/** Runs `task`, reads its artifact, prints it (or the JSON) and applies its edit when asked. @returns the exit code. */
async function analysis<T>(file: string, task: RunTask, artifact: ArtifactName, o: AnalysisCommandOptions, print: (v: T) => void, edits?: (v: T) => PointerEdit[]): Promise<number> {
  const r = await runThroughWorker(file, { runsDir: o.runsDir, backend: o.backend, json: o.json, task, ...(o.taskOptions ? { taskOptions: o.taskOptions } : {}) });
  const resultFile = r.runDir && r.summary?.artifacts?.[artifact] ? path.join(r.runDir, ARTIFACT_FILES[artifact]) : undefined;
  if (!resultFile) {
    if (o.json) out(JSON.stringify(r.summary ?? { error: r.error }, null, 2));
    else if (r.summary) printRunTable(r.summary);
    else process.stderr.write(`error: ${r.error}\n`);
    return r.exitCode === EXIT_OK ? 1 : r.exitCode;
  }
  const value = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as T;
  if (o.json) out(JSON.stringify(value, null, 2));
  else {
    print(value);
    out(`\n${path.relative(process.cwd(), resultFile)}`);
  }
  const e = edits?.(value) ?? [];
  if (o.apply && e.length > 0) {
    const abs = path.resolve(file);
    fs.writeFileSync(abs, applyPointerEdits(fs.readFileSync(abs, 'utf8'), e));
    if (!o.json) out(`applied to ${path.relative(process.cwd(), abs)}: ${e.map((x) => (x.value === undefined ? `remove ${x.pointer}` : `${x.pointer} = ${JSON.stringify(x.value)}`)).join(', ')}`);
  } else if (e.length > 0 && !o.json) {
    out(`suggested edit (--apply writes it): ${e.map((x) => (x.value === undefined ? `remove ${x.pointer}` : `${x.pointer} = ${JSON.stringify(x.value)}`)).join(', ')}`);
  }
  return r.exitCode;
}

/** `sweep <file>`. */
export function sweepCommand(file: string, o: AnalysisCommandOptions): Promise<number> {
  return analysis<LayerSweepFile>(
    file,
    'layerSweep',
    'layerSweep',
    o,
    (v) => {
      out(`layer sweep of ${v.experiment}: a linear head per cut layer (${v.examples.train} train, ${v.examples.validation} validation, ${v.examples.test} test examples)`);
      const rows = v.layers.map((l) => [
        l.layer + (l.layer === v.best ? ' *' : '') + (l.layer === v.currentCutLayer ? ' (current)' : ''),
        l.className,
        l.pool > 1 ? `${l.featureShape.join('×')} (avg ${l.pool}×${l.pool})` : l.featureShape.join('×'),
        pct(l.trainAccuracy),
        pct(l.valAccuracy),
        pct(l.testAccuracy),
        num(l.seconds, 1),
      ]);
      out(formatTable(['layer', 'class', 'features', 'train acc', 'val acc', 'test acc', 'seconds'], rows));
      if (v.best) out(`best by validation accuracy: ${v.best}`);
    },
    (v) => (v.edit ? [v.edit] : []),
  );
}

/** `filters <file>`. */
export function filtersCommand(file: string, o: AnalysisCommandOptions): Promise<number> {
  return analysis<GaborMatchFile>(file, 'gaborMatch', 'gaborMatch', o, (v) => {
    out(`first-layer filters of ${v.baseSource}: layer "${v.layer}" ${v.kernelSize.join('×')}×${v.inputChannels}, ${v.filters.length} filters against ${v.search.kernels} Gabor kernels`);
    const rows = v.filters.map((f) => [f.index, num(f.correlation), num(f.best.thetaDegrees, 1), num(f.best.lambda, 2), num(f.best.sigma, 2), num(f.best.gamma, 2), num(f.best.psiDegrees, 0)]);
    out(formatTable(['filter', 'r', 'θ°', 'λ', 'σ', 'γ', 'ψ°'], rows));
    out(`mean r ${num(v.meanCorrelation)}, median ${num(v.medianCorrelation)}; random ${v.kernelSize.join('×')} kernels (chance): mean ${num(v.chance.meanCorrelation)}, median ${num(v.chance.medianCorrelation)}`);
  });
}

/** `advise <file>`. */
export function adviseCommand(file: string, o: AnalysisCommandOptions): Promise<number> {
  return analysis<AdvisorReport>(
    file,
    'advise',
    'advice',
    o,
    (v) => {
      const s = v.similarity;
      const t = v.thresholds;
      out(`strategy advice for ${v.experiment} (source: ${path.basename(v.sourceExperiment)}, features at "${v.layer}")`);
      out(
        formatTable(
          ['measure', 'value', 'threshold', 'verdict'],
          [
            ['labelled examples per class (median)', String(v.target.medianPerClass), `< ${t.smallPerClass} is small`, v.verdict.small ? 'small' : 'large'],
            ['domain classifier accuracy (held out)', pct(s.domainAccuracy), `≥ ${pct(t.differentDomainAccuracy)} is different`, s.domainAccuracy >= t.differentDomainAccuracy ? 'different' : 'similar'],
            ['proxy A-distance', num(s.proxyADistance), '', ''],
            ['nearest-neighbour distance ratio', num(s.nearestNeighbourRatio), '', ''],
            ['mean shift (per feature, source sd²)', num(s.meanShift), '', ''],
            ...(v.specificityGap !== undefined
              ? [[`best earlier layer (${v.earlierLayer}) − "${v.layer}", val acc`, `${v.specificityGap >= 0 ? '+' : ''}${(v.specificityGap * 100).toFixed(1)} pt`, `> ${(t.maxSpecificityGap * 100).toFixed(0)} pt is different`, v.specificityGap > t.maxSpecificityGap ? 'different' : 'similar']]
              : []),
          ],
        ),
      );
      out(`(${s.examplesPerDomain} examples per domain, ${s.features} features; labelled per class: ${v.target.labelledPerClass.join(', ')})`);
      if (v.layers) {
        out('\nlinear head per cut layer (target training → validation):');
        out(formatTable(['layer', 'features', 'train acc', 'val acc'], v.layers.map((l) => [l.layer, l.features, pct(l.trainAccuracy), pct(l.valAccuracy)])));
      }
      out(`\nverdict: ${v.verdict.small ? 'small' : 'large'} and ${v.verdict.similar ? 'similar' : 'different'}; advice: ${v.verdict.advice}`);
    },
    (v) => v.edits,
  );
}
