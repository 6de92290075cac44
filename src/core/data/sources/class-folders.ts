/**
 * The one listing of an image folder's classes, shared by the loader (`image-folder.ts`) and
 * `validate` (`experiment/semantic.ts`), so both see the same classes: hidden entries skipped
 * (`.x`, `__MACOSX`, `Thumbs.db`, `desktop.ini`), names compared in NFC (macOS writes NFD).
 * Synchronous and without sharp, so the editor's diagnostics can call it.
 */
import * as fs from 'node:fs';
import path from 'node:path';
import { DataError, errorMessage } from '../errors.js';

const HIDDEN_NAMES = new Set(['__macosx', 'thumbs.db', 'desktop.ini']);

/** True for entries that are never data: dot-files and dot-folders, `__MACOSX`, `Thumbs.db`, `desktop.ini`. */
export function isHiddenEntry(name: string): boolean {
  return name.startsWith('.') || HIDDEN_NAMES.has(name.toLowerCase());
}

/**
 * Class folders of `root`: NFC name → on-disk name (symbolic links to folders count).
 * @throws DataError naming `root` when it is missing, not a folder, unreadable, has no class
 *   subfolders, or has two folders whose names differ only in Unicode normalisation.
 */
export function listClassFolders(root: string): Map<string, string> {
  let entries: fs.Dirent[];
  try {
    if (!fs.statSync(root).isDirectory()) throw new DataError(`${root} is not a folder (an image folder holds one subfolder per class)`, root);
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch (e) {
    if (e instanceof DataError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataError(code === 'ENOENT' ? `image folder not found: ${root}` : `cannot read image folder ${root}: ${errorMessage(e)}`, root, { cause: e });
  }
  const folders = new Map<string, string>();
  for (const entry of entries) {
    if (isHiddenEntry(entry.name)) continue;
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && isFolder(path.join(root, entry.name)));
    if (!isDir) continue;
    const name = entry.name.normalize('NFC');
    const other = folders.get(name);
    if (other !== undefined) {
      throw new DataError(
        `${root} has two class folders named "${name}" (${JSON.stringify(other)} and ${JSON.stringify(entry.name)} differ only in Unicode normalisation)`,
        root,
      );
    }
    folders.set(name, entry.name);
  }
  if (folders.size === 0) throw new DataError(`image folder ${root} has no class subfolders (expected ${root}/<class>/<images>)`, root);
  return folders;
}

/**
 * Non-hidden files of a class folder (absolute paths; symbolic links to files count), in UTF-16
 * code unit order of their names. @throws Node fs errors when the folder cannot be read.
 */
export function listClassFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (isHiddenEntry(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isFile() || (entry.isSymbolicLink() && isFile(full))) files.push(full);
  }
  return files.sort(byCodePoint);
}

/**
 * True when a class folder holds at least one file {@link listClassFiles} would list; stops at the
 * first one, so checking a folder of 100,000 images costs one entry. @throws Node fs errors.
 */
export function hasClassFile(dir: string): boolean {
  const d = fs.opendirSync(dir);
  try {
    for (let entry = d.readSync(); entry; entry = d.readSync()) {
      if (isHiddenEntry(entry.name)) continue;
      if (entry.isFile() || (entry.isSymbolicLink() && isFile(path.join(dir, entry.name)))) return true;
    }
    return false;
  } finally {
    d.closeSync();
  }
}

/** Orders strings by UTF-16 code unit (locale-independent). */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
