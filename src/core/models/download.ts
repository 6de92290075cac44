/**
 * Downloads over http(s) that always end: a connect timeout, an idle timeout (no byte for a while),
 * a low-speed limit (curl's `--speed-limit`/`--speed-time`: a server trickling a byte every half
 * second fails too), a size limit, redirects followed (at most 5), progress reports, and a clear
 * error naming the URL and the HTTP status. Files land in a user-level content-addressed cache
 * (`<cache>/sha256/<hex>`), written under a temporary name and renamed, so a cached file is always
 * whole; a URL fetched once is reused from `<cache>/urls/<sha256 of the URL>.json` without network.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';

/** A download that failed: bad status, timeout, too large, hash mismatch, network error. Bad input (exit 2, `exit-codes.ts`). */
export class DownloadError extends Error {
  override name = 'DownloadError';
  constructor(
    readonly url: string,
    message: string,
  ) {
    super(`${url}: ${message}`);
  }
}

/** Limits of one download; every field has a default (see {@link downloadLimits}). */
export interface DownloadLimits {
  /** Milliseconds to establish the TCP (and TLS) connection. */
  connectTimeoutMs: number;
  /** Milliseconds without any byte from the server (waiting for the headers included). */
  idleTimeoutMs: number;
  /** Bytes per second below which a download fails, averaged over `lowSpeedWindowMs`. */
  lowSpeedBytesPerSecond: number;
  /** Window of the low-speed check, in milliseconds. */
  lowSpeedWindowMs: number;
  /** Largest file accepted, in bytes. */
  maxBytes: number;
}

/** Progress of one file: bytes received so far and the announced total (Content-Length), if any. */
export interface DownloadProgress {
  url: string;
  received: number;
  total?: number;
  /** True once, when the file is complete. */
  done: boolean;
}

const envNumber = (name: string, fallback: number): number => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/**
 * Default limits: connect 15 s, idle 30 s, under 1 KB/s over 30 s, 1 GB; each can be set by an
 * environment variable (`TRANSFER_LAB_CONNECT_TIMEOUT_MS`, `TRANSFER_LAB_IDLE_TIMEOUT_MS`,
 * `TRANSFER_LAB_LOW_SPEED_BPS`, `TRANSFER_LAB_LOW_SPEED_WINDOW_MS`, `TRANSFER_LAB_MAX_DOWNLOAD_BYTES`).
 */
export function downloadLimits(): DownloadLimits {
  return {
    connectTimeoutMs: envNumber('TRANSFER_LAB_CONNECT_TIMEOUT_MS', 15_000),
    idleTimeoutMs: envNumber('TRANSFER_LAB_IDLE_TIMEOUT_MS', 30_000),
    lowSpeedBytesPerSecond: envNumber('TRANSFER_LAB_LOW_SPEED_BPS', 1024),
    lowSpeedWindowMs: envNumber('TRANSFER_LAB_LOW_SPEED_WINDOW_MS', 30_000),
    maxBytes: envNumber('TRANSFER_LAB_MAX_DOWNLOAD_BYTES', 1 << 30),
  };
}

/**
 * The user-level cache folder: `TRANSFER_LAB_CACHE`, else `$XDG_CACHE_HOME/transfer-lab`, else
 * `~/.cache/transfer-lab`.
 */
export function cacheDir(): string {
  if (process.env.TRANSFER_LAB_CACHE) return process.env.TRANSFER_LAB_CACHE;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'transfer-lab');
}

const sha256Hex = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');

/** Fetches `url` into memory within `limits`, following up to 5 redirects. @throws DownloadError */
export function fetchBytes(url: string, limits: DownloadLimits = downloadLimits(), onProgress?: (p: DownloadProgress) => void, redirects = 0): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new DownloadError(url, 'not a valid URL'));
      return;
    }
    const lib = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : undefined;
    if (!lib) {
      reject(new DownloadError(url, `unsupported protocol "${parsed.protocol}" (http and https only)`));
      return;
    }
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      req.destroy();
      reject(new DownloadError(url, message));
    };
    const req = lib.get(parsed, { headers: { 'user-agent': 'transfer-lab' } });
    const connect = setTimeout(() => fail(`no connection within ${limits.connectTimeoutMs / 1000} s`), limits.connectTimeoutMs);
    timers.push(connect);
    req.on('socket', (socket) => {
      const connected = () => clearTimeout(connect);
      if (!socket.connecting) connected();
      socket.once(parsed.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
    });
    req.setTimeout(limits.idleTimeoutMs, () => fail(`the server sent nothing for ${limits.idleTimeoutMs / 1000} s`));
    req.on('error', (e) => fail(`download failed: ${e.message}`));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        settled = true;
        timers.forEach(clearTimeout);
        req.destroy();
        if (redirects >= 5) {
          reject(new DownloadError(url, 'more than 5 redirects'));
          return;
        }
        fetchBytes(new URL(res.headers.location, url).toString(), limits, onProgress, redirects + 1).then(resolve, reject);
        return;
      }
      if (status !== 200) {
        res.resume();
        fail(`HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`);
        return;
      }
      const total = Number(res.headers['content-length']);
      const announced = Number.isFinite(total) && total >= 0 ? total : undefined;
      if (announced !== undefined && announced > limits.maxBytes) {
        fail(`the file is ${announced} bytes, more than the limit of ${limits.maxBytes} bytes`);
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      let windowStart = Date.now();
      let windowBytes = 0;
      const lowSpeed = setInterval(() => {
        const seconds = (Date.now() - windowStart) / 1000;
        if (windowBytes / seconds < limits.lowSpeedBytesPerSecond) {
          fail(`too slow: ${windowBytes} bytes in the last ${seconds.toFixed(0)} s (less than ${limits.lowSpeedBytesPerSecond} bytes/s)`);
        }
        windowStart = Date.now();
        windowBytes = 0;
      }, limits.lowSpeedWindowMs);
      timers.push(lowSpeed as unknown as NodeJS.Timeout);
      let lastReport = 0;
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        received += chunk.length;
        windowBytes += chunk.length;
        if (received > limits.maxBytes) {
          fail(`more than the limit of ${limits.maxBytes} bytes`);
          return;
        }
        chunks.push(chunk);
        const now = Date.now();
        if (onProgress && now - lastReport > 250) {
          lastReport = now;
          onProgress({ url, received, ...(announced !== undefined ? { total: announced } : {}), done: false });
        }
      });
      res.on('error', (e) => fail(`download failed: ${e.message}`));
      res.on('aborted', () => fail('the server closed the connection mid-file'));
      res.on('end', () => {
        if (settled) return;
        if (announced !== undefined && received !== announced) {
          fail(`the server closed the connection after ${received} of ${announced} bytes`);
          return;
        }
        settled = true;
        timers.forEach((t) => {
          clearTimeout(t);
          clearInterval(t);
        });
        onProgress?.({ url, received, ...(announced !== undefined ? { total: announced } : {}), done: true });
        resolve(Buffer.concat(chunks));
      });
    });
  });
}

/** Where a URL's download is recorded in the cache. */
interface UrlRecord {
  url: string;
  sha256: string;
  bytes: number;
  fetched: string;
}

/** Writes `data` to `file` atomically: a temporary name in the same folder, fsync, rename. */
function writeAtomic(file: string, data: Buffer | string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** Result of {@link cachedDownload}. */
export interface CachedFile {
  /** Path of the content-addressed file in the cache. */
  file: string;
  sha256: string;
  /** True when no network was used. */
  fromCache: boolean;
}

/** A URL's file found in the cache by {@link cachedEntry}. */
export interface CacheEntry {
  file: string;
  sha256: string;
  /** Size in bytes. */
  bytes: number;
  /** When it was downloaded (ISO 8601), when the cache recorded it. */
  fetched?: string;
}

/**
 * The cached file of `url` (or, with `sha256`, the cached file of that hash), without any network.
 * @returns undefined when the URL was not downloaded yet, its file is gone, or its hash is not `sha256`.
 */
export function cachedEntry(url: string, o: { sha256?: string; cache?: string } = {}): CacheEntry | undefined {
  const root = o.cache ?? cacheDir();
  const want = o.sha256?.toLowerCase();
  const pinned = want ? path.join(root, 'sha256', want) : undefined;
  if (pinned && fs.existsSync(pinned)) return { file: pinned, sha256: want!, bytes: fs.statSync(pinned).size };
  try {
    const rec = JSON.parse(fs.readFileSync(path.join(root, 'urls', `${sha256Hex(url)}.json`), 'utf8')) as UrlRecord;
    const file = path.join(root, 'sha256', rec.sha256);
    if (rec.url === url && fs.existsSync(file) && (!want || want === rec.sha256)) return { file, sha256: rec.sha256, bytes: rec.bytes, fetched: rec.fetched };
  } catch {
    // not downloaded yet (or an unreadable record)
  }
  return undefined;
}

/**
 * What is wrong with the form of a model URL, checked without any network. Errors: not a URL, not
 * http(s), no host, user credentials in it. A warning: a path naming neither a tfjs `model.json`
 * (`.json`) nor a Keras file (`.h5`, `.hdf5`, `.keras`): it is read as a model.json.
 * @returns the problem, or undefined when the URL is well formed.
 */
export function modelUrlProblem(url: string): { message: string; severity: 'error' | 'warning' } | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { message: `"${url}" is not a valid URL`, severity: 'error' };
  }
  const error = (message: string) => ({ message, severity: 'error' as const });
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return error(`"${url}": only http and https URLs are supported, not ${u.protocol}`);
  if (!u.hostname) return error(`"${url}" has no host`);
  if (u.username || u.password) return error(`"${url}" carries user credentials; they would be stored in the cache's records and run logs`);
  if (!/\.(json|h5|hdf5|keras)$/i.test(u.pathname)) {
    return {
      message: `"${url}" names neither a model.json (.json) nor a Keras file (.h5, .hdf5, .keras): it will be read as a tfjs model.json`,
      severity: 'warning',
    };
  }
  return undefined;
}

/**
 * The file at `url`, from the cache when this URL was downloaded before (and its file is still
 * there and, when `sha256` is given, has that hash), else downloaded within the limits and stored.
 * @param sha256 expected SHA-256 (hex) of the file; a mismatch fails and nothing is cached.
 * @throws DownloadError for HTTP errors, timeouts, size limit, or a hash mismatch (the message gives both hashes).
 */
export async function cachedDownload(
  url: string,
  o: { sha256?: string; limits?: DownloadLimits; onProgress?: (p: DownloadProgress) => void; cache?: string } = {},
): Promise<CachedFile> {
  const root = o.cache ?? cacheDir();
  const want = o.sha256?.toLowerCase();
  const recordFile = path.join(root, 'urls', `${sha256Hex(url)}.json`);
  const hit = cachedEntry(url, o);
  if (hit) return { file: hit.file, sha256: hit.sha256, fromCache: true };
  const data = await fetchBytes(url, o.limits ?? downloadLimits(), o.onProgress);
  const got = sha256Hex(data);
  if (want && got !== want)
    throw new DownloadError(url, `SHA-256 mismatch: expected ${want}, the download has ${got} (${data.length} bytes); nothing was cached`);
  const file = path.join(root, 'sha256', got);
  if (!fs.existsSync(file)) writeAtomic(file, data);
  const rec: UrlRecord = { url, sha256: got, bytes: data.length, fetched: new Date().toISOString() };
  writeAtomic(recordFile, JSON.stringify(rec, null, 2));
  return { file, sha256: got, fromCache: false };
}
