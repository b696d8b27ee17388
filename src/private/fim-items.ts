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

function parentDir(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1);
}

/** `path`'s ancestor directories, nearest last ('/a/b/c' → '/', '/a/', '/a/b/'), in O(length). */
function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let i = path.indexOf('/'); i >= 0 && i < path.length - 1; i = path.indexOf('/', i + 1)) out.push(path.slice(0, i + 1));
  return out;
}

/**
 * Removes duplicates and covered items (the rules of the file comment), sorted. Linear in the total
 * length of the items plus a sort, instead of comparing every pair: coverage is a lookup of each item's
 * ancestor directories in sets of the recursive (and non-recursive) directories per readOnly flag.
 * Coverage by a recursive directory is transitive, so looking up every directory (kept or covered)
 * gives the same result as looking up the kept ones.
 */
export function collapse(dirs: readonly DirItem[], paths: readonly PathItem[]): Collapsed {
  const uniqueDirs = new Map<string, DirItem>();
  for (const d of dirs) {
    const k = `${d.dir}\u0000${d.readOnly}\u0000${d.recursive}`;
    if (!uniqueDirs.has(k)) uniqueDirs.set(k, d);
  }
  const ds = [...uniqueDirs.values()];
  const key = (readOnly: boolean, dir: string) => `${readOnly}\u0000${dir}`;
  const recursive = new Set(ds.filter((d) => d.recursive).map((d) => key(d.readOnly, d.dir)));
  const flat = new Set(ds.filter((d) => !d.recursive).map((d) => key(d.readOnly, d.dir)));
  const underRecursive = (readOnly: boolean, path: string) => ancestors(path).some((a) => recursive.has(key(readOnly, a)));
  // Covered: a recursive ancestor with the same flag, or the same directory also added recursive.
  const keptDirs = ds.filter((d) => !underRecursive(d.readOnly, d.dir) && !(!d.recursive && recursive.has(key(d.readOnly, d.dir))));
  const uniquePaths = new Map<string, PathItem>();
  for (const p of paths) {
    const k = `${p.path}\u0000${p.readOnly}`;
    if (!uniquePaths.has(k)) uniquePaths.set(k, p);
  }
  const keptPaths = [...uniquePaths.values()].filter((p) => !underRecursive(p.readOnly, p.path) && !flat.has(key(p.readOnly, parentDir(p.path))));
  const byDir = (a: DirItem, b: DirItem) => (a.dir === b.dir ? Number(a.readOnly) - Number(b.readOnly) : a.dir < b.dir ? -1 : 1);
  const byPath = (a: PathItem, b: PathItem) => (a.path === b.path ? Number(a.readOnly) - Number(b.readOnly) : a.path < b.path ? -1 : 1);
  return { directories: keptDirs.sort(byDir), paths: keptPaths.sort(byPath) };
}

/**
 * `canonicalJson` of the directory rule an item emits (`{dir, recursive: true?, readOnly: true?}`), built
 * directly: the policy de-duplicates and sorts provided rules by it, and canonicalising every provided
 * rule of every policy was a tenth of a hardened app's synthesis.
 */
export function dirRuleKey(dir: string, recursive: boolean, readOnly: boolean): string {
  return `{"dir":${JSON.stringify(dir)}${readOnly ? ',"readOnly":true' : ''}${recursive ? ',"recursive":true' : ''}}`;
}

/** `canonicalJson` of the file rule an item emits (`{path, readOnly: true?}`). */
export function pathRuleKey(path: string, readOnly: boolean): string {
  return `{"path":${JSON.stringify(path)}${readOnly ? ',"readOnly":true' : ''}}`;
}
