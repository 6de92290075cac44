/**
 * The run store: one folder per run, `<runsDir>/<experiment>/<run-id>/`, holding
 * - `config.json`    the resolved experiment the run used (written once, at creation),
 * - `metrics.jsonl`  every run event, one JSON object a line, append-only (never rewritten),
 * - `summary.json`   the latest `RunSummary`, replaced atomically (temp file + rename),
 * - `labels.json`    `{ "classNames": [...] }`, the label of each output index,
 * - `checkpoints/best/`, `checkpoints/last/`  saved models,
 * - `worker.log`     free-text log of the worker,
 * - `reserve.tmp`    64 KiB kept while the run is live, so a disk that fills still takes its final summary.
 * Run ids sort by start time: `YYYYMMDD-HHMMSS-xxxx` (UTC; `xxxx` encodes the milliseconds).
 * Pure Node fs (no tfjs, no vscode): the worker writes, the extension host and the CLI read.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedExperiment } from '../experiment/types.js';
import type { RunEvent, RunStatus, RunSummary } from './events.js';

export const CONFIG_FILE = 'config.json';
export const METRICS_FILE = 'metrics.jsonl';
export const SUMMARY_FILE = 'summary.json';
export const LABELS_FILE = 'labels.json';
export const LOG_FILE = 'worker.log';
export const CHECKPOINTS_DIR = 'checkpoints';
/** Space a live run keeps for its last `summary.json` on a disk that fills (deleted when the run ends). */
export const RESERVE_FILE = 'reserve.tmp';
/** Size of {@link RESERVE_FILE}: a final summary is a few KiB; 64 KiB covers 4 KiB blocks with margin. */
export const RESERVE_BYTES = 64 * 1024;

/** Matches a run id: `YYYYMMDD-HHMMSS-xxxx`. */
export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-f]{4}$/;

/** Which checkpoint. */
export type CheckpointKind = 'best' | 'last';

/** A new run's folder, open for writing. Not safe to share between processes. */
export interface RunHandle {
  /** The run id (`YYYYMMDD-HHMMSS-xxxx`). */
  readonly id: string;
  /** Absolute run folder. */
  readonly dir: string;
  /** Experiment name (the run folder's parent is its file-system-safe form). */
  readonly experiment: string;
  readonly configPath: string;
  readonly metricsPath: string;
  readonly summaryPath: string;
  readonly labelsPath: string;
  /** `worker.log` of the run. */
  readonly logPath: string;
  /**
   * Appends one event to `metrics.jsonl` as one line, written straight to the file (no buffering in
   * this process, so a killed worker loses nothing written); epoch, stage and test events are also
   * fsync'ed. Non-finite numbers (a diverged loss) are written as `null`, as JSON has no NaN.
   */
  append(event: RunEvent): void;
  /** Replaces `summary.json` atomically (readers see the old or the new file, never a mix). */
  writeSummary(summary: RunSummary): void;
  /** Writes `labels.json`: `{ "classNames": [...] }` in output-index order. */
  writeLabels(classNames: readonly string[]): void;
  /** `checkpoints/<which>/` of the run, created if missing. */
  checkpointDir(which: CheckpointKind): string;
  /** Appends a line to `worker.log`, prefixed with an ISO timestamp. */
  log(line: string): void;
  /** Closes the metrics file (further appends reopen it). */
  close(): void;
  /**
   * Writes {@link RESERVE_FILE} ({@link RESERVE_BYTES} bytes): space kept so that a run whose disk fills
   * can still write its final `summary.json` (the recorder gives it back on ENOSPC and retries).
   * @throws Node fs errors (ENOSPC: the disk is already full).
   */
  reserveSpace(): void;
  /** Deletes {@link RESERVE_FILE}; false when it was not there. */
  releaseReserve(): boolean;
}

/** A run as listed by {@link listRuns}. */
export interface RunInfo {
  /** Experiment folder name under the runs root. */
  experiment: string;
  runId: string;
  /** Absolute run folder. */
  dir: string;
  /**
   * The summary as {@link readSummary} returns it; for a run that died before writing one, a
   * summary made from `config.json` with status `interrupted`.
   */
  summary: RunSummary;
}

// ---------------------------------------------------------------------------------------------
// names
// ---------------------------------------------------------------------------------------------

/**
 * A new run id for `date`: `YYYYMMDD-HHMMSS-xxxx` in UTC, where `xxxx` is 4 hex digits of
 * milliseconds × 16 + a random nibble. Ids sort by start time to the millisecond; two runs started
 * in the same millisecond differ by the random nibble (createRun retries on a clash).
 */
export function newRunId(date: Date = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const day = `${p(date.getUTCFullYear(), 4)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}`;
  const time = `${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}`;
  const tail = (date.getUTCMilliseconds() * 16 + (randomBytes(1)[0] & 15)).toString(16).padStart(4, '0');
  return `${day}-${time}-${tail}`;
}

let lastRunId = '';

/** {@link newRunId}, but always after the previous id of this process (runs created in one millisecond keep their order). */
function nextRunId(): string {
  let id = newRunId();
  if (id <= lastRunId) {
    const tail = parseInt(lastRunId.slice(-4), 16) + 1;
    id = tail <= 0xffff ? `${lastRunId.slice(0, -4)}${tail.toString(16).padStart(4, '0')}` : id;
  }
  lastRunId = id;
  return id;
}

/** Start time encoded in a run id (UTC, to the millisecond), or undefined when it is not a run id. */
export function runIdDate(runId: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-([0-9a-f]{4})$/.exec(runId);
  if (!m) return undefined;
  const ms = Math.min(999, Math.floor(parseInt(m[7], 16) / 16));
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms));
}

/**
 * Folder name of an experiment's runs: the name with characters that are not allowed in file names
 * (`/ \ : * ? " < > |`, control characters) replaced by `_`, and no leading dot.
 */
export function experimentDirName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const safe = name.replace(/[/\\:*?"<>|\u0000-\u001f]/g, '_').replace(/^\.+/, '_');
  return safe === '' ? '_' : safe;
}

/** `<runsDir>/<experiment folder>`. */
export function experimentRunsDir(runsDir: string, experimentName: string): string {
  return path.join(runsDir, experimentDirName(experimentName));
}

/** Longest name of one folder or file, in UTF-8 bytes (NAME_MAX of ext4, tmpfs, APFS; NTFS counts UTF-16 units, fewer). */
const NAME_MAX_BYTES = 255;
/** Longest absolute path, in bytes (PATH_MAX: Linux 4096, macOS 1024; Node writes long paths on Windows). */
const PATH_MAX_BYTES = process.platform === 'darwin' ? 1024 : process.platform === 'win32' ? 32767 : 4096;
/**
 * Bytes a run writes below its experiment folder, with margin: `/<run id>/checkpoints/best/model.json.tmp-<pid>`
 * is 60, temp files of result files (`layer-sweep.json.<pid>.<n>.tmp`) are shorter.
 */
const RUN_PATH_TAIL_BYTES = 96;

/** Why runs of an experiment cannot be stored: which setting to change and a message naming the path. */
export interface RunStoreProblem {
  /** `name`: the experiment's name makes a folder name or path too long; `runsDir`: the runs folder cannot be written. */
  setting: 'name' | 'runsDir';
  message: string;
}

/**
 * What would stop {@link createRun} from storing a run of `experimentName` under `runsDir`, checked
 * without writing anything: a run folder name or path longer than the file system allows
 * (ENAMETOOLONG), a path through a file (the runs folder, or a folder above it, is a file), and a
 * nearest existing folder that cannot be written (read-only, EACCES/EROFS). `validate` and `run`
 * (before any data loads) report it as bad input.
 * @returns undefined when a run can be created (as far as permissions and names tell; a full disk is not foreseen).
 */
export function runStoreProblem(runsDir: string, experimentName: string): RunStoreProblem | undefined {
  const root = path.resolve(runsDir);
  const folder = experimentDirName(experimentName);
  const expDir = path.join(root, folder);
  const folderBytes = Buffer.byteLength(folder, 'utf8');
  if (folderBytes > NAME_MAX_BYTES) {
    return {
      setting: 'name',
      message: `the experiment name is ${folderBytes} bytes as a folder name under ${root}; file systems allow ${NAME_MAX_BYTES}: shorten \`name\``,
    };
  }
  const long = root.split(path.sep).find((part) => Buffer.byteLength(part, 'utf8') > NAME_MAX_BYTES);
  if (long !== undefined)
    return { setting: 'runsDir', message: `the runs folder ${root} has a folder name of ${Buffer.byteLength(long, 'utf8')} bytes (at most ${NAME_MAX_BYTES})` };
  const deepest = Buffer.byteLength(expDir, 'utf8') + RUN_PATH_TAIL_BYTES;
  if (deepest > PATH_MAX_BYTES) {
    return {
      setting: Buffer.byteLength(root, 'utf8') + RUN_PATH_TAIL_BYTES + 1 > PATH_MAX_BYTES / 2 ? 'runsDir' : 'name',
      message: `run files would have paths of about ${deepest} bytes under ${expDir}; the file system allows ${PATH_MAX_BYTES}: shorten \`name\` or the runs folder`,
    };
  }
  // The nearest folder that exists on the way to the experiment's runs folder must be a writable folder.
  for (let dir = expDir; ; dir = path.dirname(dir)) {
    let st: fs.Stats;
    try {
      st = fs.statSync(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && path.dirname(dir) !== dir) continue;
      return { setting: 'runsDir', message: `cannot store runs under ${root}: ${dir}: ${(e as Error).message}` };
    }
    if (!st.isDirectory()) return { setting: 'runsDir', message: `cannot store runs under ${root}: ${dir} is a file, not a folder` };
    try {
      fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'EROFS' ? 'it is on a read-only file system' : code === 'EACCES' || code === 'EPERM' ? 'it is not writable' : (e as Error).message;
      return { setting: 'runsDir', message: `cannot store runs under ${root}: ${dir === root ? 'the runs folder' : dir} cannot be written (${why})` };
    }
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// writing
// ---------------------------------------------------------------------------------------------

/**
 * Creates a run folder for `experiment` under `runsDir` (created as needed) and writes its
 * `config.json` (the resolved experiment).
 * @throws Node fs errors (EACCES, ENOSPC…) when the folder or file cannot be written.
 */
export function createRun(runsDir: string, experiment: ResolvedExperiment): RunHandle {
  const parent = experimentRunsDir(path.resolve(runsDir), experiment.name);
  fs.mkdirSync(parent, { recursive: true });
  for (let attempt = 0; ; attempt++) {
    const id = nextRunId();
    const dir = path.join(parent, id);
    try {
      fs.mkdirSync(dir); // not recursive: fails with EEXIST on a clash
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 64) continue;
      throw e;
    }
    const handle = new RunWriter(id, dir, experiment.name);
    writeJsonAtomic(handle.configPath, experiment);
    return handle;
  }
}

class RunWriter implements RunHandle {
  readonly configPath: string;
  readonly metricsPath: string;
  readonly summaryPath: string;
  readonly labelsPath: string;
  readonly logPath: string;
  private readonly reservePath: string;
  private fd: number | undefined;

  constructor(
    readonly id: string,
    readonly dir: string,
    readonly experiment: string,
  ) {
    this.configPath = path.join(dir, CONFIG_FILE);
    this.metricsPath = path.join(dir, METRICS_FILE);
    this.summaryPath = path.join(dir, SUMMARY_FILE);
    this.labelsPath = path.join(dir, LABELS_FILE);
    this.logPath = path.join(dir, LOG_FILE);
    this.reservePath = path.join(dir, RESERVE_FILE);
  }

  append(event: RunEvent): void {
    this.fd ??= fs.openSync(this.metricsPath, 'a');
    const before = fs.fstatSync(this.fd).size;
    try {
      writeAll(this.fd, Buffer.from(JSON.stringify(event) + '\n', 'utf8'));
    } catch (e) {
      // A disk that filled mid-line: cut the partial line off, so the next event starts a line of its own.
      try {
        fs.ftruncateSync(this.fd, before);
      } catch {
        // readers skip a partial line anyway
      }
      throw e;
    }
    if (event.kind === 'epoch' || event.kind === 'stage' || event.kind === 'test') fs.fsyncSync(this.fd);
  }

  writeSummary(summary: RunSummary): void {
    writeJsonAtomic(this.summaryPath, summary);
  }

  reserveSpace(): void {
    const fd = fs.openSync(this.reservePath, 'w');
    try {
      writeAll(fd, Buffer.alloc(RESERVE_BYTES));
    } finally {
      fs.closeSync(fd);
    }
  }

  releaseReserve(): boolean {
    try {
      fs.unlinkSync(this.reservePath);
      return true;
    } catch {
      return false;
    }
  }

  writeLabels(classNames: readonly string[]): void {
    writeJsonAtomic(this.labelsPath, { classNames });
  }

  checkpointDir(which: CheckpointKind): string {
    const dir = path.join(this.dir, CHECKPOINTS_DIR, which);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  log(line: string): void {
    fs.appendFileSync(this.logPath, `${new Date().toISOString()} ${line}\n`);
  }

  close(): void {
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
  }
}

function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
}

let tmpCounter = 0;

/**
 * Writes `value` as pretty JSON to `file` atomically: a temp file in the same folder is written,
 * fsync'ed and renamed over `file`. Retries the rename briefly on Windows sharing errors.
 * @throws Node fs errors when the file cannot be written.
 */
export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.${tmpCounter++}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    writeAll(fd, Buffer.from(JSON.stringify(value, null, 2) + '\n', 'utf8'));
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true }); // a disk that filled: leave no partial temp file taking space
    throw e;
  }
  fs.closeSync(fd);
  for (let attempt = 0; ; attempt++) {
    try {
      fs.renameSync(tmp, file);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code === 'EPERM' || code === 'EBUSY' || code === 'EACCES') && attempt < 10) {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
        continue;
      }
      fs.rmSync(tmp, { force: true });
      throw e;
    }
  }
}

/** Replaces `summary.json` of a run folder atomically (for a parent finishing a run whose worker died). */
export function writeSummaryFile(runDir: string, summary: RunSummary): void {
  writeJsonAtomic(path.join(runDir, SUMMARY_FILE), summary);
}

// ---------------------------------------------------------------------------------------------
// reading
// ---------------------------------------------------------------------------------------------

/** True when a process with this pid exists (EPERM: it exists but belongs to another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * `summary.json` of a run folder; undefined when missing or unreadable. A `running` summary whose
 * worker process is gone (`process.kill(pid, 0)` fails with ESRCH) is returned as `interrupted`
 * (the file is not changed).
 */
export function readSummary(runDir: string): RunSummary | undefined {
  const s = readJson(path.join(runDir, SUMMARY_FILE)) as RunSummary | undefined;
  if (!s || typeof s !== 'object' || typeof s.status !== 'string') return undefined;
  if (s.status === 'running' && typeof s.pid === 'number' && !isProcessAlive(s.pid)) return { ...s, status: 'interrupted' };
  return s;
}

/** `config.json` of a run folder (the resolved experiment), or undefined. */
export function readConfig(runDir: string): ResolvedExperiment | undefined {
  return readJson(path.join(runDir, CONFIG_FILE)) as ResolvedExperiment | undefined;
}

/** Class names of `labels.json` of a run folder, or undefined. */
export function readLabels(runDir: string): string[] | undefined {
  const v = readJson(path.join(runDir, LABELS_FILE)) as { classNames?: unknown } | undefined;
  return Array.isArray(v?.classNames) ? v.classNames.map(String) : undefined;
}

/** Events read by {@link readMetricsFrom}, and where to continue. */
export interface MetricsChunk {
  events: RunEvent[];
  /** Byte offset just after the last complete line read; pass it to the next call. */
  nextOffset: number;
}

/**
 * Reads the complete lines of `metrics.jsonl` from byte `offset` (for tailing a live run): only the
 * bytes after `offset` are read, so following a long run costs what was appended, not the whole file.
 * A last line without its newline (being written) is left for the next call; a line that is not JSON
 * is skipped. A missing file reads as no events.
 */
export function readMetricsFrom(runDir: string, offset = 0): MetricsChunk {
  let fd: number;
  try {
    fd = fs.openSync(path.join(runDir, METRICS_FILE), 'r');
  } catch {
    return { events: [], nextOffset: offset };
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size <= offset) return { events: [], nextOffset: offset };
    const buf = Buffer.alloc(size - offset);
    let got = 0;
    while (got < buf.length) {
      const n = fs.readSync(fd, buf, got, buf.length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    const end = buf.subarray(0, got).lastIndexOf(0x0a);
    if (end < 0) return { events: [], nextOffset: offset };
    return { events: parseLines(buf.subarray(0, end + 1).toString('utf8')), nextOffset: offset + end + 1 };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Every event of a run's `metrics.jsonl`, in order. Tolerant: a truncated last line (a killed
 * writer) and lines that are not JSON are skipped. A missing file reads as no events.
 */
export function readMetrics(runDir: string): RunEvent[] {
  let text: string;
  try {
    text = fs.readFileSync(path.join(runDir, METRICS_FILE), 'utf8');
  } catch {
    return [];
  }
  return parseLines(text);
}

function parseLines(text: string): RunEvent[] {
  const events: RunEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const e = JSON.parse(line) as RunEvent;
      if (e && typeof e === 'object' && typeof e.kind === 'string') events.push(e);
    } catch {
      // truncated or corrupt line: skip
    }
  }
  return events;
}

/** A summary for a run folder without `summary.json` (the worker died first), from its config. */
function summaryFromConfig(dir: string, runId: string): RunSummary | undefined {
  const config = readConfig(dir);
  if (!config || typeof config !== 'object') return undefined;
  const started = runIdDate(runId);
  return {
    runId,
    experiment: config.name,
    experimentFile: config.file,
    status: 'interrupted',
    startedAt: (started ?? fs.statSync(dir).mtime).toISOString(),
    seconds: 0,
    strategy: config.transfer?.strategy ?? 'unknown',
    epochsPlanned: config.training?.epochs ?? 0,
    epochsDone: 0,
    error: 'the run ended before writing a summary',
  };
}

function subdirs(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
      .map((d) => d.name);
  } catch {
    return [];
  }
}

/**
 * Runs under `runsDir`, newest first (by run id; then by experiment name), of one experiment when
 * `experimentName` is given. Folders that hold neither `summary.json` nor `config.json` are skipped.
 * A missing `runsDir` lists nothing.
 */
export function listRuns(runsDir: string, experimentName?: string): RunInfo[] {
  const root = path.resolve(runsDir);
  const experiments = experimentName !== undefined ? [experimentDirName(experimentName)] : subdirs(root);
  const runs: RunInfo[] = [];
  for (const experiment of experiments) {
    const expDir = path.join(root, experiment);
    for (const runId of subdirs(expDir)) {
      const dir = path.join(expDir, runId);
      const summary = readSummary(dir) ?? summaryFromConfig(dir, runId);
      if (summary) runs.push({ experiment, runId, dir, summary });
    }
  }
  return runs.sort((a, b) => (a.runId === b.runId ? a.experiment.localeCompare(b.experiment) : a.runId < b.runId ? 1 : -1));
}

/** Filter of {@link latestRun}. */
export interface RunFilter {
  status?: RunStatus;
}

/** The newest run of an experiment (with the given status, if any), or undefined. */
export function latestRun(runsDir: string, experimentName: string, filter: RunFilter = {}): RunInfo | undefined {
  return listRuns(runsDir, experimentName).find((r) => filter.status === undefined || r.summary.status === filter.status);
}

/**
 * Deletes a run folder and everything in it.
 * @throws Error when `runDir` is not a run folder (its name is not a run id, or it has no
 *   config.json / summary.json / metrics.jsonl) or when its worker is still running.
 */
export function deleteRun(runDir: string): void {
  const dir = path.resolve(runDir);
  const id = path.basename(dir);
  if (!RUN_ID_PATTERN.test(id) || ![CONFIG_FILE, SUMMARY_FILE, METRICS_FILE].some((f) => fs.existsSync(path.join(dir, f)))) {
    throw new Error(`not a run folder: ${dir}`);
  }
  const s = readSummary(dir);
  if (s?.status === 'running') throw new Error(`run ${id} is still running (pid ${s.pid ?? '?'}); stop it first`);
  fs.rmSync(dir, { recursive: true, force: true });
}
