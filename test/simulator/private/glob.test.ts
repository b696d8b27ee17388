import { appArmorGlob, appArmorMatcher } from '../../../src/simulator/private/glob';

/** A small deterministic generator (Park–Miller), so a failure names a reproducible case. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a * 16807) % 2147483647;
    return (a - 1) / 2147483646;
  };
}

const PATH_PIECES = ['/', 'a', 'b', 'ab', '.', '-', '\n', '\r', '\u2028', '\u2029', '*', '{', ',', '}', '\\', 'é', ' '];
const GLOB_PIECES = ['/', 'a', 'b', '.', '*', '**', '?', '{,**}', '{,*}', '{a,b}', '[ab]', '[^a]', '\\*', ',', '}', '{', '['];
const SUFFIXES = ['{,**}', '**', '{,*}', '*', '', '?', '{a,}'];

function pick(rnd: () => number, pieces: readonly string[], max: number): string {
  let s = '';
  const n = Math.floor(rnd() * max);
  for (let i = 0; i < n; i++) s += pieces[Math.floor(rnd() * pieces.length)];
  return s;
}

describe('appArmorMatcher decides what appArmorGlob decides', () => {
  const rnd = random(17);
  const paths = new Set<string>(['', '/', '/usr/bin', '/usr/bin/', '/usr/bin/ls', '/usr/bin/x/y', '/usr/bin/\n', '/usr/binx']);
  while (paths.size < 1500) paths.add(pick(rnd, PATH_PIECES, 7));
  const globs = new Set<string>(['/usr/bin/{,**}', '/usr/bin/{,*}', '/usr/bin/**', '/usr/bin/*', '**', '*', '{,**}', '{,*}']);
  // Literal prefixes (the fast path) and arbitrary globs (the RegExp path), each with every directory ending.
  while (globs.size < 400) globs.add(pick(rnd, rnd() < 0.5 ? PATH_PIECES.filter((p) => !'*{,}\\'.includes(p)) : GLOB_PIECES, 5) + SUFFIXES[Math.floor(rnd() * SUFFIXES.length)]);
  // Every path is also tried under a prefix of the glob, so the prefix forms see matches and not only misses.
  const withPrefixes = (glob: string): string[] => {
    const literal = glob.replace(/(\{,\*\*\}|\*\*|\{,\*\}|\*)$/, '');
    return [...paths, ...[...paths].map((p) => literal + p)];
  };

  test('on 400 globs (literal prefixes and arbitrary globs) × 3,000 paths', () => {
    const differ: string[] = [];
    let prefixForms = 0;
    for (const glob of globs) {
      const re = appArmorGlob(glob);
      const m = appArmorMatcher(glob);
      if (re === undefined || m === undefined) {
        if ((re === undefined) !== (m === undefined)) differ.push(`${JSON.stringify(glob)}: malformed for one only`);
        continue;
      }
      if (!m.toString().includes('.test(')) prefixForms++;
      for (const p of withPrefixes(glob)) if (m(p) !== re.test(p)) differ.push(`${JSON.stringify(glob)} on ${JSON.stringify(p)}`);
    }
    expect(differ).toEqual([]);
    // Both paths of the matcher were exercised.
    expect(prefixForms).toBeGreaterThan(100);
    expect(prefixForms).toBeLessThan(globs.size - 50);
  });

  test('the directory forms match as AppArmor reads them', () => {
    expect(appArmorMatcher('/usr/bin/{,**}')!('/usr/bin/')).toBe(true);
    expect(appArmorMatcher('/usr/bin/{,**}')!('/usr/bin/a/b')).toBe(true);
    expect(appArmorMatcher('/usr/bin/{,**}')!('/usr/binx')).toBe(false);
    expect(appArmorMatcher('/usr/bin/{,*}')!('/usr/bin/a')).toBe(true);
    expect(appArmorMatcher('/usr/bin/{,*}')!('/usr/bin/a/b')).toBe(false);
    expect(appArmorMatcher('/usr/bin/{,*}')!('/usr/bin')).toBe(false);
    expect(appArmorMatcher('/usr/{bin')).toBeUndefined();
  });
});
