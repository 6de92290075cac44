/**
 * The text sources on their own (`textFolder`, `textTable`, `spamAssassin`, `brownCorpus`): `loadData`
 * reads them through here, and so does the panel's coverage report, which must not pull in the image
 * readers (sharp) into the extension host.
 */
import type { DataSource } from '../experiment/schema.js';
import { loadBrownCorpus } from './sources/brown-corpus.js';
import { loadSpamAssassin } from './sources/spam-assassin.js';
import type { SourceContext, SourceData } from './sources/source.js';
import { loadTextFolder } from './sources/text-folder.js';
import { loadTextTable } from './sources/text-table.js';

/** A source that holds documents. */
export type TextSource = Extract<DataSource, { kind: 'textFolder' | 'textTable' | 'spamAssassin' | 'brownCorpus' }>;

/** True for the sources that hold documents. */
export function isTextSource(src: DataSource): src is TextSource {
  return src.kind === 'textFolder' || src.kind === 'textTable' || src.kind === 'spamAssassin' || src.kind === 'brownCorpus';
}

/**
 * Reads one text source (its documents encoded against `ctx.text`'s vocabulary, with coverage).
 * @throws DataError naming the file (and line or column) at fault.
 */
export function readTextSource(src: TextSource, ctx: SourceContext): Promise<SourceData> {
  switch (src.kind) {
    case 'textFolder':
      return loadTextFolder(src, ctx);
    case 'textTable':
      return loadTextTable(src as Parameters<typeof loadTextTable>[0], ctx); // resolved: columns filled in
    case 'spamAssassin':
      return loadSpamAssassin(src as Parameters<typeof loadSpamAssassin>[0], ctx); // resolved: groups, headers filled in
    case 'brownCorpus':
      return loadBrownCorpus(src, ctx);
  }
}
