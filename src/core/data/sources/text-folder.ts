/**
 * The `textFolder` source: one subfolder per class of `.txt` documents (the layout of Keras'
 * `text_dataset_from_directory` and of IMDB's `aclImdb/train/{neg,pos}`). Classes are the folder names
 * sorted by code point unless `classes` gives the order; files are read in code-point order of their
 * names. Other files (`.json`, `.md`…) are ignored.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { TextFolderSource } from '../../experiment/schema.js';
import { DataError, errorMessage } from '../errors.js';
import type { RawDocument } from '../../text/encode.js';
import type { SourceContext, SourceData } from './source.js';
import { decodeUtf8, textSourceData } from './text-source.js';

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Reads a text folder.
 * @throws DataError naming the folder or file: missing folder, no class folders, a listed class
 *   missing, a class folder without `.txt` files, a file that is not UTF-8 (with its line), no
 *   documents, or (via {@link textSourceData}) no text base.
 */
export async function loadTextFolder(src: TextFolderSource, ctx: SourceContext): Promise<SourceData> {
  const root = src.path;
  let entries: string[];
  try {
    if (!(await stat(root)).isDirectory()) throw new DataError(`text folder ${root} is not a folder`, root);
    entries = await readdir(root);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`text folder not found: ${root} (${errorMessage(e)})`, root, { cause: e });
  }
  const folders: string[] = [];
  for (const name of entries.sort(byCodePoint)) if ((await stat(path.join(root, name))).isDirectory()) folders.push(name);
  if (folders.length === 0) throw new DataError(`text folder ${root} has no class subfolders`, root);
  const classNames = src.classes ? src.classes.map((c) => c.normalize('NFC')) : folders.map((f) => f.normalize('NFC'));
  const byName = new Map(folders.map((f) => [f.normalize('NFC'), f]));
  const docs: RawDocument[] = [];
  for (const [label, name] of classNames.entries()) {
    const folder = byName.get(name);
    if (!folder) throw new DataError(`class folder "${name}" not found in ${root} (found: ${folders.join(', ')})`, root);
    const dir = path.join(root, folder);
    const files = (await readdir(dir)).filter((f) => f.toLowerCase().endsWith('.txt')).sort(byCodePoint);
    if (files.length === 0) throw new DataError(`class folder ${dir} has no .txt files`, dir);
    for (const f of files) {
      const file = path.join(dir, f);
      docs.push({ id: file, text: decodeUtf8(await readFile(file), file), label });
    }
  }
  return textSourceData(docs, classNames, ctx, {
    ...(src.perClass !== undefined ? { perClass: src.perClass } : {}),
    where: `text folder ${root}`,
    source: root,
  });
}
