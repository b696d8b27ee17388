/**
 * Coverage of an image's contents by a protected (readOnly) set: which executables, libraries, interpreter
 * modules, loader and configuration files are outside it, grouped under the smallest set of directories
 * that would cover them; which protected paths the workload must write; which known breakages apply.
 * Coverage of one file by one rule is `dirCovers` of effective.ts (readOnly rules only), the same test the policies use.
 */
import { dirCovers } from './effective';
import { DirItem, PathItem } from './fim-items';
import { PRESETS } from './fim-presets';
import { ImageEntry } from './image-listing';

export type Category = 'executable' | 'library' | 'module' | 'loader' | 'configuration';

/** The categories whose files, left writable, let an attacker run code in the workload (exit 1 in the CLI). */
export const CRITICAL: ReadonlySet<Category> = new Set<Category>(['executable', 'library', 'loader']);

export interface ProtectedSet {
  readonly dirs: readonly DirItem[];
  readonly paths: readonly PathItem[];
}

export interface WritablePath {
  /** Absolute; directories end in '/'. */
  readonly path: string;
  /** e.g. `volume mount data (emptyDir)`. */
  readonly origin: string;
}

export interface Gap {
  /** The directory (ending in '/') or file that covers this group. */
  readonly cover: string;
  readonly critical: boolean;
  readonly categories: Category[];
  readonly fileCount: number;
  readonly directories: string[];
  readonly examples: string[];
}

export interface Write {
  readonly path: string;
  readonly protectedBy: string;
  readonly reason: string;
  readonly source: string;
}

export interface Breakage {
  readonly id: string;
  readonly preset: string;
  readonly description: string;
  readonly fix: string;
  readonly paths: string[];
}

export interface CoverageResult {
  readonly checked: number;
  readonly protectedCount: number;
  readonly gaps: Gap[];
  readonly writes: Write[];
  readonly breakages: Breakage[];
}

/** Files worth protecting even when the image does not contain them: creating them takes effect. */
const ABSENT_CHECKS: ReadonlyArray<{ path: string; category: Category; families: string[]; note: string }> = [
  { path: '/etc/ld.so.preload', category: 'loader', families: [], note: 'loaded into every dynamically linked process' },
  { path: '/etc/ld.so.conf.d/', category: 'loader', families: [], note: 'library search path' },
  { path: '/root/.local/lib/', category: 'module', families: ['python'], note: 'Python user site-packages, searched before the system\'s; usercustomize.py runs at every start' },
];

/** Directories a covering directory never widens to: too broad to protect, or written by every workload. */
const STOP = new Set(['/', '/usr/', '/usr/local/', '/etc/', '/var/', '/root/', '/home/', '/srv/', '/tmp/', '/run/', '/mnt/', '/media/']);
const IGNORED = /^\/(proc|sys|dev)\//;
const LOADER = new Set(['/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.preload']);
const SHELL_STARTUP = /^\/root\/\.(bashrc|profile|bash_profile|bash_login|zshrc|cshrc)$/;
const LIBRARY = /\.so(\.\d[\w.]*)?$/;
const MODULE = /\.(py|pyc|pm|pl|rb|php|jar|class|jmod)$/;
const NODE_MODULE = /\/node_modules\/.*\.[mc]?js$/;
const BIN_DIR = /\/(s?bin|libexec)\/[^/]+$/;

export function parentDir(path: string): string {
  const p = path.endsWith('/') ? path.slice(0, -1) : path;
  return p.slice(0, p.lastIndexOf('/') + 1) || '/';
}

function classifyPath(path: string, executable: boolean | undefined): Category | undefined {
  if (IGNORED.test(path)) return undefined;
  if (LOADER.has(path) || path.startsWith('/etc/ld.so.conf.d/')) return 'loader';
  if (path.startsWith('/etc/') || path.startsWith('/usr/local/etc/')) return 'configuration';
  if (SHELL_STARTUP.test(path)) return 'configuration';
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (LIBRARY.test(base)) return 'library';
  if (executable === true) return 'executable';
  if (MODULE.test(base) || NODE_MODULE.test(path)) return 'module';
  if (executable === undefined && BIN_DIR.test(path)) return 'executable';
  return undefined;
}

/** Resolves symlinked directories and links, as the kernel does before KubeArmor sees the path. */
class Resolver {
  private readonly byPath = new Map<string, ImageEntry>();
  constructor(entries: readonly ImageEntry[]) {
    for (const e of entries) this.byPath.set(e.path, e);
  }

  public entry(path: string): ImageEntry | undefined {
    return this.byPath.get(path);
  }

  /** The final entry a link points to (up to 8 hops), or undefined when it leaves the listing. */
  public follow(e: ImageEntry): ImageEntry | undefined {
    let cur: ImageEntry | undefined = e;
    for (let hops = 0; cur && (cur.type === 'symlink' || cur.type === 'hardlink') && hops < 8; hops++) {
      const t: string = cur.target ?? '';
      const abs = cur.type === 'hardlink' || t.startsWith('/') ? t : `${parentDir(cur.path)}${t}`;
      cur = this.byPath.get(this.canonical(abs));
    }
    return cur && cur.type !== 'symlink' && cur.type !== 'hardlink' ? cur : undefined;
  }

  /** `path` with symlinked directories along it replaced by their targets. */
  public canonical(raw: string): string {
    const out: string[] = [];
    const segs = raw.split('/').filter((s) => s !== '' && s !== '.');
    for (let i = 0, hops = 0; i < segs.length; i++) {
      if (segs[i] === '..') {
        out.pop();
        continue;
      }
      out.push(segs[i]);
      const e = i < segs.length - 1 ? this.byPath.get(`/${out.join('/')}`) : undefined;
      if (e?.type === 'symlink' && e.target !== undefined && hops++ < 16) {
        const t = e.target.startsWith('/') ? e.target : `/${out.slice(0, -1).join('/')}/${e.target}`;
        out.length = 0;
        segs.splice(0, i + 1, ...t.split('/').filter((s) => s !== '' && s !== '.'));
        i = -1;
      }
    }
    return `/${out.join('/')}`;
  }
}

function categoryOf(e: ImageEntry, r: Resolver): Category | undefined {
  if (e.type === 'dir' || e.type === 'other') return undefined;
  if (e.type === 'symlink') {
    if (e.path.startsWith('/etc/alternatives/')) return 'executable';
    const t = r.follow(e);
    if (t?.type === 'dir') return undefined;
    if (t) return classifyPath(e.path, undefined) === 'loader' ? 'loader' : classifyPath(t.path, t.executable) ?? classifyPath(e.path, undefined);
    return classifyPath(e.path, undefined);
  }
  return classifyPath(e.path, e.executable);
}

export class Protection {
  constructor(private readonly set: ProtectedSet) {}

  /** The rule (directory or file) protecting `path`, if any; directories (ending '/') are tested as a whole. */
  public by(path: string): string | undefined {
    if (path.endsWith('/')) {
      const d = this.set.dirs.find((a) => (a.recursive ? path.startsWith(a.dir) : path === a.dir));
      return d?.dir;
    }
    const d = this.set.dirs.find((a) => a.readOnly && dirCovers(a.dir, a.recursive, path));
    if (d) return d.dir;
    return this.set.paths.find((p) => p.path === path)?.path;
  }

  /** A protected directory or file at or under `dir` (a mount over it hides the protected files). */
  public under(dir: string): string | undefined {
    return this.set.dirs.find((d) => d.dir.startsWith(dir))?.dir ?? this.set.paths.find((p) => p.path.startsWith(dir))?.path;
  }
}

interface Item {
  readonly path: string;
  readonly category: Category;
  readonly absent?: string;
}

/** Configuration is grouped up to /etc/ itself (the SYSTEM_CONFIGURATION preset), apart from code. */
const CONFIG_STOP = new Set([...STOP].filter((d) => d !== '/etc/'));

function smallestCover(items: readonly Item[], writable: readonly WritablePath[], stop: ReadonlySet<string>): Map<string, string> {
  const blocked = (dir: string) => writable.some((w) => w.path.startsWith(dir));
  const memo = new Map<string, string>();
  const coverOfDir = (start: string): string => {
    const known = memo.get(start);
    if (known !== undefined) return known;
    let d = start;
    for (let up = parentDir(d); !stop.has(up) && !blocked(up); up = parentDir(d)) d = up;
    memo.set(start, d);
    return d;
  };
  const raw = new Map<string, string>();
  for (const it of items) {
    const dir = it.path.endsWith('/') ? it.path : parentDir(it.path);
    raw.set(it.path, stop.has(dir) && !it.path.endsWith('/') ? it.path : coverOfDir(dir));
  }
  const covers = [...new Set(raw.values())].sort();
  const kept: string[] = [];
  for (const c of covers) if (!kept.some((k) => k.endsWith('/') && c.startsWith(k))) kept.push(c);
  const out = new Map<string, string>();
  for (const [path, c] of raw) out.set(path, kept.find((k) => k === c || (k.endsWith('/') && c.startsWith(k)))!);
  return out;
}

/** The coverage of `entries` by `set`. */
export function computeCoverage(entries: readonly ImageEntry[], families: readonly string[], set: ProtectedSet,
  writable: readonly WritablePath[]): CoverageResult {
  const r = new Resolver(entries);
  const protection = new Protection(set);
  const uncovered: Item[] = [];
  let checked = 0;
  for (const e of entries) {
    const category = categoryOf(e, r);
    if (category === undefined) continue;
    checked++;
    if (protection.by(e.path) === undefined) uncovered.push({ path: e.path, category });
  }
  for (const a of ABSENT_CHECKS) {
    if (a.families.length > 0 && !a.families.some((f) => families.includes(f))) continue;
    if (r.entry(a.path.replace(/\/$/, '')) !== undefined) continue;
    checked++;
    if (protection.by(a.path) === undefined) uncovered.push({ path: a.path, category: a.category, absent: a.note });
  }
  const config = uncovered.filter((i) => i.category === 'configuration');
  const code = uncovered.filter((i) => i.category !== 'configuration');
  const codeCover = smallestCover(code, writable, STOP);
  const configCover = smallestCover(config, writable, CONFIG_STOP);
  const groups = new Map<string, { cover: string; items: Item[] }>();
  const add = (items: readonly Item[], covers: Map<string, string>, kind: string) => {
    for (const it of items) {
      const cover = covers.get(it.path)!;
      const key = `${cover}\u0000${kind}`;
      const g = groups.get(key);
      if (g) g.items.push(it);
      else groups.set(key, { cover, items: [it] });
    }
  };
  add(code, codeCover, 'code');
  add(config, configCover, 'config');
  const gaps: Gap[] = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, { cover, items }]) => {
    const critical = items.filter((i) => CRITICAL.has(i.category));
    const examples = smallest(critical.length ? critical : items, 3).map((i) => (i.absent ? `${i.path} (not in the image; ${i.absent})` : i.path));
    return {
      cover,
      critical: critical.length > 0,
      categories: [...new Set(items.map((i) => i.category))].sort(),
      fileCount: items.length,
      directories: [...new Set(items.map((i) => (i.path.endsWith('/') ? i.path : parentDir(i.path))))].sort(),
      examples,
    };
  });
  const writes: Write[] = [];
  for (const w of writable) {
    const by = protection.by(w.path) ?? (w.path.endsWith('/') ? protection.under(w.path) : undefined);
    if (by !== undefined) writes.push({ path: w.path, protectedBy: by, reason: 'the workload writes to this volume; a readOnly rule denies it', source: w.origin });
  }
  const breakages: Breakage[] = [];
  for (const row of PRESETS) {
    for (const b of row.knownBreakages ?? []) {
      if (b.imageFamilies.length > 0 && !b.imageFamilies.some((f) => families.includes(f))) continue;
      const paths = b.id === 'PYTHON_BYTECODE' ? pythonTreesWithoutBytecode(entries, b.paths, protection)
        : b.paths.filter((p) => protection.by(p) !== undefined && (b.imageFamilies.length === 0 || present(r, entries, p)));
      if (paths.length === 0) continue;
      breakages.push({ id: b.id, preset: row.name, description: b.description, fix: b.fix, paths });
      if (b.atStart) for (const p of paths) writes.push({ path: p, protectedBy: protection.by(p)!, reason: b.description, source: b.id });
    }
  }
  writes.sort((a, b) => (a.path === b.path ? (a.source < b.source ? -1 : 1) : a.path < b.path ? -1 : 1));
  return { checked, protectedCount: checked - uncovered.length, gaps, writes, breakages };
}

/** The `n` items with the smallest paths, sorted, without sorting them all. */
function smallest(items: readonly Item[], n: number): Item[] {
  const out: Item[] = [];
  for (const it of items) {
    if (out.length === n && it.path >= out[n - 1].path) continue;
    let at = out.findIndex((o) => it.path < o.path);
    if (at < 0) at = out.length;
    out.splice(at, 0, it);
    if (out.length > n) out.pop();
  }
  return out;
}

function present(r: Resolver, entries: readonly ImageEntry[], p: string): boolean {
  if (!p.endsWith('/')) return r.entry(p) !== undefined;
  return r.entry(p.slice(0, -1)) !== undefined || entries.some((e) => e.path.startsWith(p));
}

/** Roots of Python module trees (`.../python3.X/`) under protected `roots` with modules that have no `__pycache__`. */
function pythonTreesWithoutBytecode(entries: readonly ImageEntry[], roots: readonly string[], protection: Protection): string[] {
  const cached = new Set<string>();
  for (const e of entries) if (e.path.endsWith('/__pycache__')) cached.add(`${e.path.slice(0, -'__pycache__'.length)}`);
  for (const e of entries) {
    const at = e.path.lastIndexOf('/__pycache__/');
    if (at >= 0) cached.add(e.path.slice(0, at + 1));
  }
  const trees = new Set<string>();
  for (const e of entries) {
    if (!e.path.endsWith('.py') || !roots.some((root) => e.path.startsWith(root))) continue;
    const m = /^(.*?\/python\d(?:\.\d+)?\/)/.exec(e.path);
    if (!m || cached.has(parentDir(e.path)) || protection.by(e.path) === undefined) continue;
    trees.add(m[1]);
  }
  return [...trees].sort();
}
