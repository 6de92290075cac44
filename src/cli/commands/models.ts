/**
 * `transfer-lab models`: the catalogue of well-known models (`{"kind": "catalog", "name": …}`) with
 * input size, scaling, licence, SHA-256 pin and whether each is in the download cache (no network),
 * and the Keras Applications whose weights-only ImageNet files are recognised by name.
 */
import { CATALOG, catalogUrl } from '../../core/models/catalog.js';
import { cachedEntry } from '../../core/models/download.js';
import { APPLICATION_INPUT, APPLICATION_SCALE, KERAS_APPLICATIONS } from '../../core/models/keras/applications/names.js';
import { EXIT_OK } from '../../worker/exit-codes.js';
import { formatTable } from '../table.js';

/** Prints the catalogue (or, with `json`, an array of its entries with `url` and `cached`). @returns 0. */
export function modelsCommand(o: { json?: boolean }): number {
  const entries = CATALOG.map((e) => {
    const url = catalogUrl(e);
    const hit = cachedEntry(url, e.sha256 ? { sha256: e.sha256 } : {});
    return { ...e, url, cached: hit !== undefined };
  });
  if (o.json) {
    const applications = KERAS_APPLICATIONS.map((name) => ({ name, inputShape: APPLICATION_INPUT[name], scale: APPLICATION_SCALE[name] }));
    process.stdout.write(JSON.stringify({ catalog: entries, kerasApplications: applications }, null, 2) + '\n');
    return EXIT_OK;
  }
  const rows = entries.map((e) => [
    e.name,
    `${e.inputShape[0]}×${e.inputShape[1]}`,
    e.scale,
    e.licence,
    e.sha256 ? e.sha256.slice(0, 12) + '…' : 'unpinned',
    e.cached ? 'yes' : 'no',
  ]);
  process.stdout.write('Catalogue: "base": {"kind": "catalog", "name": "<name>"} (downloaded on first use, then cached)\n');
  process.stdout.write(formatTable(['name', 'input', 'scale', 'licence', 'sha256', 'cached'], rows) + '\n');
  for (const e of entries) process.stdout.write(`  ${e.name}: ${e.description}\n    ${e.url}\n`);
  process.stdout.write(
    '\nKeras Applications: a weights-only ImageNet .h5 as "base": {"kind": "model", "path": "<file>.h5"} (architecture from the file name or "application")\n',
  );
  process.stdout.write(
    formatTable(
      ['application', 'input', 'scale'],
      KERAS_APPLICATIONS.map((n) => [n, `${APPLICATION_INPUT[n][0]}×${APPLICATION_INPUT[n][1]}`, APPLICATION_SCALE[n]]),
    ) + '\n',
  );
  return EXIT_OK;
}
