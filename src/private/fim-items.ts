/**
 * The protected items of a FileIntegrityPolicy and how they collapse (pure functions).
 *
 * - explicit duplicates are removed;
 * - a directory with the same readOnly flag as a recursive ancestor directory is covered by it;
 * - the same directory added recursive and non-recursive keeps the recursive rule (it covers the other);
 * - a file under a recursive directory, or directly in a non-recursive one, with the same readOnly flag
 *   is covered by it.
 * Items with different readOnly flags never collapse: they are different rules.
 */

import { dirCovers } from './effective';

export interface DirItem {
  readonly dir: string;
  readonly recursive: boolean;
  readonly readOnly: boolean;
  /** Where the item came from, for conflict messages (`preset SYSTEM_BINARIES`, `directories[]`, ...). */
  readonly origin: string;
}

export interface PathItem {
  readonly path: string;
  readonly readOnly: boolean;
  readonly origin: string;
}

export interface Collapsed {
  readonly directories: DirItem[];
  readonly paths: PathItem[];
}

/** Whether `dir` (same readOnly) covers directory `d`. */
export function dirCoversDir(a: DirItem, d: DirItem): boolean {
  if (a.readOnly !== d.readOnly) return false;
  if (a.dir === d.dir) return a.recursive && !d.recursive;
  return a.recursive && dirCovers(a.dir, true, d.dir);
}

/** Whether `a` (same readOnly) covers file `p`. */
export function dirCoversPath(a: DirItem, p: PathItem): boolean {
  if (a.readOnly !== p.readOnly) return false;
  return dirCovers(a.dir, a.recursive, p.path);
}

export function collapse(dirs: readonly DirItem[], paths: readonly PathItem[]): Collapsed {
  const uniqueDirs = new Map<string, DirItem>();
  for (const d of dirs) {
    const k = `${d.dir}\u0000${d.readOnly}\u0000${d.recursive}`;
    if (!uniqueDirs.has(k)) uniqueDirs.set(k, d);
  }
  const ds = [...uniqueDirs.values()];
  const keptDirs = ds.filter((d) => !ds.some((a) => a !== d && dirCoversDir(a, d)));
  const uniquePaths = new Map<string, PathItem>();
  for (const p of paths) {
    const k = `${p.path}\u0000${p.readOnly}`;
    if (!uniquePaths.has(k)) uniquePaths.set(k, p);
  }
  const keptPaths = [...uniquePaths.values()].filter((p) => !keptDirs.some((a) => dirCoversPath(a, p)));
  const byDir = (a: DirItem, b: DirItem) => (a.dir === b.dir ? Number(a.readOnly) - Number(b.readOnly) : a.dir < b.dir ? -1 : 1);
  const byPath = (a: PathItem, b: PathItem) => (a.path === b.path ? Number(a.readOnly) - Number(b.readOnly) : a.path < b.path ? -1 : 1);
  return { directories: keptDirs.sort(byDir), paths: keptPaths.sort(byPath) };
}
