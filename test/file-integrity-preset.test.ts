import { ComplianceControl, FileIntegrityPreset } from '../src';
import { SEED_DIRECTORIES } from './fixtures/seed';
import { PRESETS } from '../src/private/fim-presets';

const TWINS: Array<[string, string]> = [['/bin/', '/usr/bin/'], ['/sbin/', '/usr/sbin/'], ['/lib/', '/usr/lib/'], ['/lib32/', '/usr/lib32/'], ['/lib64/', '/usr/lib64/']];

describe('FileIntegrityPreset contents', () => {
  const presets = FileIntegrityPreset.all();

  test('offers the required presets', () => {
    expect(presets.map((p) => p.name)).toEqual(['SYSTEM_BINARIES', 'SYSTEM_LIBRARIES', 'BOOT', 'SYSTEM_CONFIGURATION', 'CREDENTIALS',
      'TRUST_STORES', 'CRON', 'SHELL_CONFIGURATION', 'ADD_ON_SOFTWARE', 'USER_LOCAL_SOFTWARE', 'KUBEARMOR_FIM_TEMPLATE']);
    expect(presets.every((p) => (FileIntegrityPreset as any)[p.name] === p)).toBe(true);
  });

  test.each(FileIntegrityPreset.all().map((p) => [p.name, p]))('%s: dirs end in /, paths do not, absolute, no globs, sorted, unique', (_n, p) => {
    const preset = p as FileIntegrityPreset;
    expect(preset.directories.length + preset.paths.length).toBeGreaterThan(0);
    for (const d of preset.directories) expect(d).toMatch(/^\/[^*?[\]{}]*\/$/);
    for (const f of preset.paths) expect(f).toMatch(/^\/[^*?[\]{}]*[^/]$/);
    for (const x of [...preset.directories, ...preset.paths]) {
      expect(x.length).toBeLessThanOrEqual(200);
      expect(x).not.toMatch(/\/\//);
    }
    expect(preset.directories).toEqual([...new Set(preset.directories)].sort());
    expect(preset.paths).toEqual([...new Set(preset.paths)].sort());
  });

  test.each(FileIntegrityPreset.all().map((p) => [p.name, p]))('%s: has a description, controls and "breaks" text', (_n, p) => {
    const preset = p as FileIntegrityPreset;
    expect(preset.description.length).toBeGreaterThan(40);
    expect(preset.breaks.length).toBeGreaterThan(40);
    expect(preset.controls.length).toBeGreaterThan(0);
    expect(preset.isCustom).toBe(false);
  });

  test.each(FileIntegrityPreset.all().filter((p) => p !== FileIntegrityPreset.KUBEARMOR_FIM_TEMPLATE).map((p) => [p.name, p]))(
    '%s: lists both merged-/usr spellings of every system directory', (_n, p) => {
      const dirs = (p as FileIntegrityPreset).directories;
      for (const [a, b] of TWINS) expect(dirs.includes(a)).toBe(dirs.includes(b));
    });

  test('KUBEARMOR_FIM_TEMPLATE mirrors the upstream template exactly (its one twin gap, /lib/, is upstream\'s)', () => {
    const p = FileIntegrityPreset.KUBEARMOR_FIM_TEMPLATE;
    expect(p.directories).toEqual([...SEED_DIRECTORIES].sort());
    expect(p.paths).toEqual([]);
    expect(p.controls).toEqual([
      ComplianceControl.NIST_AU_2, ComplianceControl.NIST_SI_4, ComplianceControl.MITRE_T1036, ComplianceControl.MITRE_T1565,
    ]);
    for (const [a, b] of TWINS.filter(([x]) => x !== '/lib/' && x !== '/lib32/' && x !== '/lib64/')) expect(p.directories.includes(a)).toBe(p.directories.includes(b));
  });

  test('the defaults (binaries, libraries, boot) are a superset of the seed directories', () => {
    const dirs = FileIntegrityPreset.defaults().flatMap((p) => p.directories);
    for (const d of SEED_DIRECTORIES) expect(dirs).toContain(d);
    expect(FileIntegrityPreset.defaults()).toEqual([
      FileIntegrityPreset.SYSTEM_BINARIES, FileIntegrityPreset.SYSTEM_LIBRARIES, FileIntegrityPreset.BOOT,
    ]);
  });

  test('no preset protects logs (append-only by nature) or shell history files', () => {
    for (const p of presets) {
      for (const x of [...p.directories, ...p.paths]) {
        expect(x.startsWith('/var/log')).toBe(false);
        expect(x).not.toMatch(/_history$/);
      }
    }
  });

  test('contents of the core presets', () => {
    expect(FileIntegrityPreset.SYSTEM_BINARIES.directories).toEqual(['/bin/', '/docker-entrypoint.d/', '/etc/alternatives/', '/sbin/', '/usr/bin/',
      '/usr/libexec/', '/usr/local/bin/', '/usr/local/sbin/', '/usr/sbin/']);
    expect(FileIntegrityPreset.SYSTEM_BINARIES.paths).toEqual(['/docker-entrypoint.sh', '/entrypoint.sh']);
    expect(FileIntegrityPreset.SYSTEM_LIBRARIES.directories).toEqual(['/etc/ld.so.conf.d/', '/lib/', '/lib32/', '/lib64/', '/usr/lib/', '/usr/lib32/',
      '/usr/lib64/', '/usr/local/lib/', '/usr/share/']);
    expect(FileIntegrityPreset.ADD_ON_SOFTWARE.directories).toEqual(['/opt/', '/usr/local/']);
    expect(FileIntegrityPreset.USER_LOCAL_SOFTWARE.directories).toEqual(['/root/.local/bin/', '/root/.local/lib/']);
    expect(FileIntegrityPreset.SYSTEM_LIBRARIES.paths).toEqual(['/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.preload']);
    expect(FileIntegrityPreset.BOOT.directories).toEqual(['/boot/']);
    expect(FileIntegrityPreset.SYSTEM_CONFIGURATION.directories).toEqual(['/etc/']);
    expect(FileIntegrityPreset.CREDENTIALS.paths).toEqual(expect.arrayContaining(['/etc/passwd', '/etc/shadow', '/etc/group', '/etc/gshadow', '/etc/sudoers']));
    expect(FileIntegrityPreset.CREDENTIALS.directories).toEqual(expect.arrayContaining(['/etc/sudoers.d/', '/etc/ssh/', '/root/.ssh/', '/etc/pam.d/']));
    expect(FileIntegrityPreset.TRUST_STORES.directories).toEqual(expect.arrayContaining(['/etc/ssl/', '/etc/pki/', '/usr/local/share/ca-certificates/']));
    expect(FileIntegrityPreset.CRON.paths).toContain('/etc/crontab');
    expect(FileIntegrityPreset.SHELL_CONFIGURATION.paths).toEqual(expect.arrayContaining(['/etc/profile', '/etc/bash.bashrc', '/root/.bashrc']));
    expect(FileIntegrityPreset.SYSTEM_BINARIES.breaks).toContain('package installs');
  });

  test('each built-in preset reads its own row on first use, whatever order the presets are first read in', () => {
    // A fresh registry: no preset has read its row yet; read them last row first.
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('../src/file-integrity-preset').FileIntegrityPreset;
      for (const row of [...PRESETS].reverse()) {
        const p = fresh[row.name];
        expect([row.name, p.description, p.breaks, p.directories, p.paths, p.controls.map((c: ComplianceControl) => c.key).sort(), p.knownBreakages])
          .toEqual([row.name, row.description, row.breaks, [...row.directories].sort(), [...row.paths].sort(), [...new Set(row.controls)].sort(),
            (row.knownBreakages ?? []).map((k) => ({ ...k }))]);
      }
      // Two presets read one after the other keep their own contents.
      expect(fresh.SYSTEM_LIBRARIES.directories).not.toEqual(fresh.SYSTEM_BINARIES.directories);
    });
  });

  test('getters return copies', () => {
    const p = FileIntegrityPreset.BOOT;
    p.directories.push('/tmp/');
    p.controls.pop();
    expect(p.directories).toEqual(['/boot/']);
    expect(p.controls.length).toBeGreaterThan(1);
  });
});

describe('FileIntegrityPreset.custom', () => {
  test('builds a validated, sorted, de-duplicated preset', () => {
    const p = FileIntegrityPreset.custom({
      name: 'APP_BINARIES',
      description: 'The application install directory',
      directories: ['/opt/app/bin/', '/opt/app/', '/opt/app/'],
      paths: ['/etc/app.conf'],
      controls: [ComplianceControl.MITRE_T1565, ComplianceControl.NIST_SI_7],
      breaks: 'self-updates',
    });
    expect(p.directories).toEqual(['/opt/app/', '/opt/app/bin/']);
    expect(p.paths).toEqual(['/etc/app.conf']);
    expect(p.controls).toEqual([ComplianceControl.NIST_SI_7, ComplianceControl.MITRE_T1565]);
    expect(p.isCustom).toBe(true);
  });

  test('fails when a directory does not end in /', () => {
    expect(() => FileIntegrityPreset.custom({ name: 'X', description: 'x', directories: ['/opt/app'] })).toThrow(
      "FileIntegrityPreset.custom: directories[] '/opt/app' must end in '/' (a directory); use '/opt/app/', or a file rule (matchPaths) for a single file");
  });

  test('fails when a path ends in /', () => {
    expect(() => FileIntegrityPreset.custom({ name: 'X', description: 'x', paths: ['/etc/app/'] })).toThrow(
      "FileIntegrityPreset.custom: paths[] '/etc/app/' must not end in '/' (a file path); use a directory rule (matchDirectories) with dir '/etc/app/', or the file path '/etc/app'");
  });

  test('fails when a path has glob characters', () => {
    expect(() => FileIntegrityPreset.custom({ name: 'X', description: 'x', paths: ['/home/*/.bashrc'] })).toThrow(
      "FileIntegrityPreset.custom: paths[] '/home/*/.bashrc' contains glob characters (BPF-LSM matches them literally, AppArmor expands them: the enforcers disagree); use a pattern rule (matchPatterns, AppArmor only) or list the concrete paths / a recursive directory");
  });

  test('fails when the name is invalid', () => {
    expect(() => FileIntegrityPreset.custom({ name: 'my preset', description: 'x', paths: ['/a'] })).toThrow(
      "FileIntegrityPreset.custom: name 'my preset' is not a preset name; use letters, digits, '_' and '-', starting with a letter (e.g. 'APP_BINARIES')");
  });

  test('fails when the name is a built-in preset', () => {
    expect(() => FileIntegrityPreset.custom({ name: 'BOOT', description: 'x', paths: ['/a'] })).toThrow(
      "FileIntegrityPreset.custom: name 'BOOT' is the name of a built-in preset; use FileIntegrityPreset.BOOT or another name");
  });

  test('fails when the description is empty', () => {
    expect(() => FileIntegrityPreset.custom({ name: 'X', description: ' ', paths: ['/a'] })).toThrow(
      "FileIntegrityPreset.custom: description ' ' is empty; say what the preset protects and why");
  });

  test('fails when it protects nothing', () => {
    expect(() => FileIntegrityPreset.custom({ name: 'X', description: 'x' })).toThrow(
      "FileIntegrityPreset.custom: preset 'X' protects nothing; give at least one of directories or paths");
  });
});
