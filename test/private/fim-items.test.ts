import * as fc from 'fast-check';
import { canonicalJson } from '../../src/private/canonical';
import { collapse, DirItem, dirRuleKey, PathItem, pathRuleKey } from '../../src/private/fim-items';

/** The pairwise definition the linear collapse must agree with (the rules of fim-items.ts, O(n²)). */
function reference(dirs: readonly DirItem[], paths: readonly PathItem[]) {
  const parentDir = (p: string) => p.slice(0, p.lastIndexOf('/') + 1);
  const coversDir = (a: DirItem, d: DirItem) => a.readOnly === d.readOnly
    && (a.dir === d.dir ? a.recursive && !d.recursive : a.recursive && d.dir.startsWith(a.dir));
  const coversPath = (a: DirItem, p: PathItem) => a.readOnly === p.readOnly && (a.recursive ? p.path.startsWith(a.dir) : parentDir(p.path) === a.dir);
  const ds = [...new Map(dirs.map((d) => [`${d.dir}|${d.readOnly}|${d.recursive}`, d])).values()];
  const kept = ds.filter((d) => !ds.some((a) => a !== d && coversDir(a, d)));
  const ps = [...new Map(paths.map((p) => [`${p.path}|${p.readOnly}`, p])).values()];
  const show = (x: { dir?: string; path?: string; readOnly: boolean; recursive?: boolean }) => `${x.dir ?? x.path} ro=${x.readOnly} r=${x.recursive ?? '-'}`;
  return { directories: kept.map(show).sort(), paths: ps.filter((p) => !kept.some((a) => coversPath(a, p))).map(show).sort() };
}

const segment = fc.constantFrom('a', 'b', 'etc', 'usr', 'bin');
const dirPath = fc.array(segment, { maxLength: 4 }).map((s) => `/${s.map((x) => `${x}/`).join('')}`);
const filePath = fc.tuple(dirPath, segment).map(([d, f]) => `${d}${f}.conf`);

describe('collapse', () => {
  test('agrees with the pairwise definition on random overlapping items', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ dir: dirPath, recursive: fc.boolean(), readOnly: fc.boolean() }), { maxLength: 12 }),
      fc.array(fc.record({ path: filePath, readOnly: fc.boolean() }), { maxLength: 12 }),
      (dirs, paths) => {
        const d = dirs.map((x) => ({ ...x, origin: 'test' }));
        const p = paths.map((x) => ({ ...x, origin: 'test' }));
        const got = collapse(d, p);
        const show = (x: { dir?: string; path?: string; readOnly: boolean; recursive?: boolean }) => `${x.dir ?? x.path} ro=${x.readOnly} r=${x.recursive ?? '-'}`;
        expect({ directories: got.directories.map(show).sort(), paths: got.paths.map(show).sort() }).toEqual(reference(d, p));
      }), { numRuns: 1000 });
  });

  test('keeps the recursive rule of a directory added both ways, and files directly in a flat directory collapse', () => {
    const got = collapse(
      [{ dir: '/etc/', recursive: false, readOnly: true, origin: 'x' }, { dir: '/etc/', recursive: true, readOnly: true, origin: 'y' }, { dir: '/var/', recursive: false, readOnly: true, origin: 'z' }],
      [{ path: '/var/a', readOnly: true, origin: 'p' }, { path: '/var/sub/b', readOnly: true, origin: 'q' }, { path: '/etc/x/y', readOnly: false, origin: 'r' }]);
    expect(got.directories.map((d) => [d.dir, d.recursive])).toEqual([['/etc/', true], ['/var/', false]]);
    expect(got.paths.map((p) => p.path)).toEqual(['/etc/x/y', '/var/sub/b']);
  });
});

describe('rule keys', () => {
  test('dirRuleKey is canonicalJson of the emitted directory rule, for every flag combination', () => {
    fc.assert(fc.property(fc.string(), fc.boolean(), fc.boolean(), (dir, recursive, readOnly) => {
      expect(dirRuleKey(dir, recursive, readOnly)).toBe(canonicalJson({ dir, recursive: recursive || undefined, readOnly: readOnly || undefined }));
    }));
    expect(dirRuleKey('/a "b"\\/', true, false)).toBe('{"dir":"/a \\"b\\"\\\\/","recursive":true}');
  });

  test('pathRuleKey is canonicalJson of the emitted file rule', () => {
    fc.assert(fc.property(fc.string(), fc.boolean(), (path, readOnly) => {
      expect(pathRuleKey(path, readOnly)).toBe(canonicalJson({ path, readOnly: readOnly || undefined }));
    }));
  });
});
