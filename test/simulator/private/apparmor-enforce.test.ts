/**
 * linesFor: the AppArmor line index (glob lines by their literal directory prefix, exact lines by their text)
 * returns, in profile order, every line that can match a path or the path without its trailing `/`; compared
 * with a scan of every line. Profiles are built so that an index shared across line lists, or an exact line
 * looked up by its directory only, gives a wrong answer.
 */
import { AaLine, linesFor } from '../../../src/simulator/private/apparmor-enforce';
import { appArmorGlob, hasGlob } from '../../../src/simulator/private/glob';

const lineOf = (text: string): AaLine => {
  const re = hasGlob(text) ? appArmorGlob(text) : undefined;
  return { deny: false, qualifier: '', text, perms: 'r', exact: !hasGlob(text), match: hasGlob(text) ? (p) => re?.test(p) ?? false : (p) => p === text };
};

const TEXTS = ['/etc/{,**}', '/etc/hosts', '/etc/ssl/', '/etc/ssl/cert.pem', '/**/nc', '/etc/ssl/*', '/var/log/', '/var/log/app.log', '/etc/hosts', '/bin/sh', '/e\\tc/x', '/etc/ss?/k'];
const PATHS = ['/etc/hosts', '/etc/hosts/', '/etc/ssl/', '/etc/ssl', '/etc/ssl/cert.pem', '/etc/ssl/cert.pem/', '/usr/bin/nc', '/var/log/app.log', '/var/log/',
  '/var/log', '/bin/sh', '/bin/sh/', '/e\\tc/x', '/etc/ssl/k', '/nowhere', '/'];

const candidates = (path: string) => (path.endsWith('/') ? [path, path.slice(0, -1)] : [path]);

describe('linesFor', () => {
  test('holds every line matching the path or the path without its trailing slash, in profile order', () => {
    const lines = TEXTS.map(lineOf);
    for (const path of PATHS) {
      const got = linesFor(lines, path);
      const want = lines.filter((l) => candidates(path).some((p) => l.match(p)));
      const matching = got.filter((l) => candidates(path).some((p) => l.match(p)));
      expect(matching).toEqual(want);
      // profile order, no line twice
      const at = got.map((l) => lines.indexOf(l));
      expect(at).toEqual([...new Set(at)].sort((a, b) => a - b));
    }
  });

  test('an exact line is found for its own path only, not for its directory or siblings', () => {
    const lines = ['/files/a.conf', '/files/b.conf', '/files/'].map(lineOf);
    expect(linesFor(lines, '/files/a.conf/').map((l) => l.text)).toEqual(['/files/a.conf']);
    expect(linesFor(lines, '/files/b.conf').map((l) => l.text)).toEqual(['/files/b.conf']);
    expect(linesFor(lines, '/files/').map((l) => l.text)).toEqual(['/files/']);
    expect(linesFor(lines, '/files/c.conf')).toEqual([]);
  });

  test('each line list has its own index', () => {
    const one = ['/etc/hosts', '/etc/{,**}'].map(lineOf);
    const other = ['/etc/passwd', '/etc/hosts'].map(lineOf);
    expect(linesFor(one, '/etc/hosts').map((l) => l.text)).toEqual(['/etc/hosts', '/etc/{,**}']);
    expect(linesFor(other, '/etc/hosts').map((l) => l.text)).toEqual(['/etc/hosts']);
    expect(linesFor(other, '/etc/passwd').map((l) => l.text)).toEqual(['/etc/passwd']);
  });
});
