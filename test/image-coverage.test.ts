import * as path from 'path';
import { FileIntegrityPreset, ImageContents, ImageCoverage, ImageFileCategory } from '../src';
import { IMAGE_FAMILIES } from '../src/private/image-families';

const fixture = (name: string) => ImageContents.fromFile(path.join(__dirname, 'fixtures', 'images', `${name}.tvf.gz`));
const SEED = [FileIntegrityPreset.KUBEARMOR_FIM_TEMPLATE];
const DEFAULTS = FileIntegrityPreset.defaults();
const CODE = [ImageFileCategory.EXECUTABLE, ImageFileCategory.LIBRARY];
const codeGaps = (c: ImageCoverage) => c.gaps.filter((g) => g.categories.some((x) => CODE.includes(x))).map((g) => g.cover);
const listing = (lines: string[]) => ImageContents.parse(lines.map((l) => (l.startsWith('l') || l.startsWith('d') || l.startsWith('-') ? l
  : `-rwxr-xr-x root/root 1 2024-01-01 00:00 .${l}`)).join('\n'));

describe('mysql:5.6 (split /usr, debian:stretch layout)', () => {
  const mysql = fixture('mysql-5.6');

  test('under the seed template /lib/ and /lib64/ are uncovered (libc, the dynamic loader), with the loader files and the entrypoint', () => {
    const c = ImageCoverage.ofPresets(mysql, SEED);
    expect(c.hasCriticalGaps).toBe(true);
    expect(c.coveringSet(true)).toEqual(['/entrypoint.sh', '/etc/alternatives/', '/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d/',
      '/etc/ld.so.preload', '/lib/', '/lib64/', '/usr/libexec/', '/usr/local/bin/', '/usr/share/']);
    const lib = c.gaps.find((g) => g.cover === '/lib/')!;
    expect(lib.critical).toBe(true);
    expect(lib.directories).toContain('/lib/x86_64-linux-gnu/');
    expect(c.gaps.find((g) => g.cover === '/lib64/')!.examples).toEqual(['/lib64/ld-linux-x86-64.so.2']);
    expect(c.gaps.find((g) => g.cover === '/usr/local/bin/')!.examples).toEqual(['/usr/local/bin/docker-entrypoint.sh']);
    expect(c.gaps.find((g) => g.cover === '/etc/ld.so.preload')!.examples).toEqual(['/etc/ld.so.preload (not in the image; loaded into every dynamically linked process)']);
  });

  test('under the revised defaults no executable, library or loader file is uncovered', () => {
    const c = ImageCoverage.ofPresets(mysql, DEFAULTS);
    expect(c.hasCriticalGaps).toBe(false);
    expect(codeGaps(c)).toEqual([]);
    expect(c.coveringSet()).toEqual(['/etc/']);
    expect(c.gaps[0].categories).toEqual([ImageFileCategory.CONFIGURATION]);
  });

  test('the split layout is reported as a fact, and the docker-library entrypoint breakage applies', () => {
    const c = ImageCoverage.ofPresets(mysql, DEFAULTS);
    expect(c.toJson().mergedUsr).toBe(false);
    expect(c.breakages.map((b) => b.id)).toEqual(['UPDATE_ALTERNATIVES', 'ENTRYPOINT_LOCAL_BIN', 'KUBECTL_DEBUG']);
    expect(c.breakages[1].paths).toEqual(['/usr/local/bin/']);
  });
});

describe('gaps of the old defaults, one per layout', () => {
  test('debian-12: /etc/alternatives/ links redirect /usr/bin/awk and pager; SYSTEM_BINARIES now covers them', () => {
    const debian = fixture('debian-12');
    const seed = ImageCoverage.ofPresets(debian, SEED).gaps.find((g) => g.cover === '/etc/alternatives/')!;
    expect(seed).toEqual({
      cover: '/etc/alternatives/',
      critical: true,
      categories: [ImageFileCategory.EXECUTABLE],
      fileCount: 2,
      directories: ['/etc/alternatives/'],
      examples: ['/etc/alternatives/awk', '/etc/alternatives/pager'],
    });
    expect(ImageCoverage.ofPresets(debian, [FileIntegrityPreset.SYSTEM_BINARIES]).coveringSet(true)).not.toContain('/etc/alternatives/');
    expect(codeGaps(ImageCoverage.ofPresets(debian, DEFAULTS))).toEqual([]);
  });

  test('debian-12: merged /usr puts the loader under /usr/lib64/, which the seed template misses', () => {
    const c = ImageCoverage.ofPresets(fixture('debian-12'), SEED);
    expect(c.gaps.find((g) => g.cover === '/usr/lib64/')!.examples).toEqual(['/usr/lib64/ld-linux-x86-64.so.2']);
  });

  test('mysql-5.6: /usr/share/ holds perl modules and executable helpers (debconf); SYSTEM_LIBRARIES now covers it', () => {
    const seed = ImageCoverage.ofPresets(fixture('mysql-5.6'), SEED).gaps.find((g) => g.cover === '/usr/share/')!;
    expect(seed.critical).toBe(true);
    expect(seed.categories).toEqual([ImageFileCategory.EXECUTABLE, ImageFileCategory.MODULE]);
    expect(seed.directories).toEqual(expect.arrayContaining(['/usr/share/debconf/', '/usr/share/perl5/Debconf/']));
  });

  test('eclipse-temurin: /opt/java/openjdk/ is outside the defaults; ADD_ON_SOFTWARE (opt-in) or a preset from the image covers it', () => {
    const temurin = fixture('eclipse-temurin-17');
    const c = ImageCoverage.ofPresets(temurin, DEFAULTS);
    expect(c.coveringSet(true)).toEqual(['/opt/']);
    expect(c.gaps.find((g) => g.cover === '/opt/')!.examples).toEqual(['/opt/java/openjdk/bin/java', '/opt/java/openjdk/bin/jpackage', '/opt/java/openjdk/bin/keytool']);
    expect(ImageCoverage.ofPresets(temurin, [...DEFAULTS, FileIntegrityPreset.ADD_ON_SOFTWARE]).hasCriticalGaps).toBe(false);
    const own = FileIntegrityPreset.fromImageContents(temurin, { name: 'TEMURIN' });
    expect(own.directories).toEqual(['/opt/']);
    expect(own.paths).toEqual([]);
    expect(ImageCoverage.ofPresets(temurin, [...DEFAULTS, own]).hasCriticalGaps).toBe(false);
  });

  test('wordpress:apache: PHP under /usr/local/ (config in /usr/local/etc/) and WordPress in /usr/src/ are outside the defaults', () => {
    const wp = fixture('wordpress-apache');
    const c = ImageCoverage.ofPresets(wp, DEFAULTS);
    expect(c.hasCriticalGaps).toBe(false);
    expect(c.coveringSet()).toEqual(['/etc/', '/usr/local/etc/', '/usr/src/']);
    expect(c.gaps.find((g) => g.cover === '/usr/src/')!.categories).toEqual([ImageFileCategory.MODULE]);
    expect(ImageCoverage.ofPresets(wp, [...DEFAULTS, FileIntegrityPreset.ADD_ON_SOFTWARE]).coveringSet()).toEqual(['/etc/', '/usr/src/']);
    expect(FileIntegrityPreset.fromImageContents(wp).directories).toEqual(['/usr/src/']);
  });

  test('python:3.12: root\'s user site-packages (searched first) is a gap until USER_LOCAL_SOFTWARE', () => {
    const py = fixture('python-3.12');
    const gap = ImageCoverage.ofPresets(py, DEFAULTS).gaps.find((g) => g.cover === '/root/.local/')!;
    expect(gap.examples).toEqual(['/root/.local/lib/ (not in the image; Python user site-packages, searched before the system\'s; usercustomize.py runs at every start)']);
    expect(ImageCoverage.ofPresets(py, [...DEFAULTS, FileIntegrityPreset.USER_LOCAL_SOFTWARE]).coveringSet()).toEqual(['/etc/']);
  });

  test('shell start-up files (run on kubectl exec) stay opt-in: SHELL_CONFIGURATION covers them', () => {
    const debian = fixture('debian-12');
    const before = ImageCoverage.ofPresets(debian, DEFAULTS).gaps.find((g) => g.cover === '/etc/')!;
    expect(before.examples.length).toBe(3);
    const c = ImageCoverage.ofPresets(ImageContents.parse('/etc/profile\n/etc/bash.bashrc\n/root/.bashrc\n/usr/bin/bash\n'), DEFAULTS);
    expect(c.coveringSet()).toEqual(['/etc/', '/root/.bashrc']);
    expect(ImageCoverage.ofPresets(ImageContents.parse('/etc/profile\n/etc/bash.bashrc\n/root/.bashrc\n'), [FileIntegrityPreset.SHELL_CONFIGURATION])
      .gaps.filter((g) => !g.cover.startsWith('/etc/ld.so') && g.cover !== '/etc/ld.so.conf.d/')).toEqual([]);
  });
});

describe('what the defaults break, per image family', () => {
  test('python:3.12: Python as root writes __pycache__ into the protected /usr/local/lib/python3.12/ (the image ships no .pyc)', () => {
    const c = ImageCoverage.ofPresets(fixture('python-3.12'), DEFAULTS);
    expect(c.writes).toEqual([{ path: '/usr/local/lib/python3.12/', protectedBy: '/usr/local/lib/', reason: expect.stringContaining('__pycache__'), source: 'PYTHON_BYTECODE' }]);
    expect(c.breakages.map((b) => b.id)).toContain('PYTHON_BYTECODE');
  });

  test('a tree with __pycache__ next to its modules is not reported', () => {
    const c = ImageCoverage.ofPresets(listing(['/usr/local/bin/python3', '/usr/lib/python3.11/os.py', '/usr/lib/python3.11/__pycache__/os.cpython-311.pyc']), DEFAULTS);
    expect(c.writes).toEqual([]);
  });

  test('GPU images: ldconfig at start rewrites the protected /etc/ld.so.cache', () => {
    const c = ImageCoverage.ofPresets(listing(['lrwxrwxrwx root/root 0 2024-01-01 00:00 ./usr/local/cuda -> cuda-12.2', '/usr/local/cuda-12.2/bin/nvcc',
      '-rw-r--r-- root/root 1 2024-01-01 00:00 ./etc/ld.so.cache']), DEFAULTS);
    expect(c.toJson().families).toEqual(['cuda']);
    expect(c.writes.map((w) => [w.path, w.protectedBy, w.source])).toEqual([['/etc/ld.so.cache', '/etc/ld.so.cache', 'LDCONFIG_AT_START']]);
  });

  test('Fedora 36+: the rpm database is under the protected /usr/lib/sysimage/rpm/', () => {
    const c = ImageCoverage.ofPresets(listing(['-rw-r--r-- root/root 1 2024-01-01 00:00 ./usr/lib/sysimage/rpm/rpmdb.sqlite', '/usr/bin/dnf']), DEFAULTS);
    expect(c.breakages.filter((b) => b.id === 'RPM_DATABASE')).toEqual([{
      id: 'RPM_DATABASE',
      preset: 'SYSTEM_LIBRARIES',
      description: expect.stringContaining('Fedora 36'),
      fix: expect.any(String),
      paths: ['/usr/lib/sysimage/rpm/'],
    }]);
    expect(c.writes).toEqual([]);
  });

  test('nginx: content written into /usr/share/nginx/html/ breaks now that /usr/share/ is protected', () => {
    const c = ImageCoverage.ofPresets(fixture('nginx'), DEFAULTS);
    expect(c.breakages.find((b) => b.id === 'NGINX_CONTENT')!.paths).toEqual(['/usr/share/nginx/html/']);
    expect(c.hasCriticalGaps).toBe(false);
  });

  test('bitnami and tomcat state under ADD_ON_SOFTWARE are runtime writes', () => {
    const contents = listing(['/opt/bitnami/redis/bin/redis-server', 'drwxr-xr-x root/root 0 2024-01-01 00:00 ./usr/local/tomcat/logs/',
      '/usr/local/tomcat/bin/catalina.sh']);
    const c = ImageCoverage.ofPresets(contents, [...DEFAULTS, FileIntegrityPreset.ADD_ON_SOFTWARE]);
    expect(c.writes.map((w) => [w.path, w.protectedBy, w.source])).toEqual([
      ['/opt/bitnami/', '/opt/', 'BITNAMI_STATE'], ['/usr/local/tomcat/', '/usr/local/', 'TOMCAT_STATE'],
    ]);
  });

  test('kubectl debug applies to every image whose binaries are protected', () => {
    expect(ImageCoverage.ofPresets(fixture('debian-12'), DEFAULTS).breakages.map((b) => b.id)).toContain('KUBECTL_DEBUG');
    expect(ImageCoverage.ofPresets(fixture('debian-12'), [FileIntegrityPreset.BOOT]).breakages).toEqual([]);
  });

  test('every breakage names known image families', () => {
    const keys = IMAGE_FAMILIES.map((f) => f.key);
    for (const p of FileIntegrityPreset.all()) {
      for (const b of p.knownBreakages) {
        for (const f of b.imageFamilies) expect(keys).toContain(f);
        expect(b.paths.length).toBeGreaterThan(0);
      }
    }
  });
});

describe('volume mounts and the covering set', () => {
  const contents = listing(['/opt/app/bin/server', '/opt/app/lib/libapp.so', 'drwxr-xr-x root/root 0 2024-01-01 00:00 ./opt/app/data/']);

  test('a writable mount under a protected directory is reported; covering directories never contain it', () => {
    const c = ImageCoverage.ofPresets(contents, DEFAULTS, { writablePaths: ['/opt/app/data/'] });
    expect(c.coveringSet()).toEqual(['/opt/app/bin/', '/opt/app/lib/']);
    const d = ImageCoverage.ofPresets(contents, [...DEFAULTS, FileIntegrityPreset.ADD_ON_SOFTWARE], { writablePaths: ['/opt/app/data/'] });
    expect(d.writes).toEqual([{ path: '/opt/app/data/', protectedBy: '/opt/', reason: 'the workload writes to this volume; a readOnly rule denies it', source: 'writablePaths' }]);
  });

  test('ofManifests: rules of the policies selecting the workload, and its writable mounts (not configMaps or readOnly mounts)', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'app', namespace: 'ns' },
      spec: {
        template: {
          metadata: { labels: { app: 'a' } },
          spec: {
            containers: [{
              name: 'c',
              volumeMounts: [{ name: 'data', mountPath: '/opt/app/data' }, { name: 'cfg', mountPath: '/opt/app/conf' },
                { name: 'ro', mountPath: '/opt/app/ro', readOnly: true }],
            }],
            volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'x' } }, { name: 'ro', emptyDir: {} }],
          },
        },
      },
    };
    const policy = (name: string, labels: Record<string, string>, dir: string) => ({
      apiVersion: 'security.kubearmor.com/v1',
      kind: 'KubeArmorPolicy',
      metadata: { name, namespace: 'ns' },
      spec: { selector: { matchLabels: labels }, action: 'Block', file: { matchDirectories: [{ dir, recursive: true, readOnly: true }] } },
    });
    const manifests = [deployment, policy('fim', { app: 'a' }, '/opt/'), policy('other', { app: 'b' }, '/opt/app/bin/')];
    const c = ImageCoverage.ofManifests(contents, manifests);
    expect(c.workload).toBe('Deployment/ns/app');
    expect(c.protectedBy).toEqual(['KubeArmorPolicy ns/fim']);
    expect(c.coveringSet(true)).toEqual(['/etc/ld.so.conf.d/', '/etc/ld.so.preload']);
    expect(c.writes.map((w) => [w.path, w.source])).toEqual([['/opt/app/data/', 'volume mount data (emptyDir) of container c']]);
  });

  test('fails when the workload is not among the manifests, or several are and none is named', () => {
    const w = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c' }] } });
    expect(() => ImageCoverage.ofManifests(contents, [w('a'), w('b')])).toThrow(
      'ImageCoverage.ofManifests: the manifests hold 2 workloads (Pod/a, Pod/b); say which one runs the image with the workload option');
    expect(() => ImageCoverage.ofManifests(contents, [w('a')], { workload: 'mysql' })).toThrow(
      "ImageCoverage.ofManifests: workload 'mysql' is not among the manifests (workloads: Pod/a); use Kind/namespace/name");
  });
});

describe('rendering', () => {
  const c = ImageCoverage.ofPresets(ImageContents.parse('/lib/x86_64-linux-gnu/libc.so.6\n/usr/bin/env\n', { source: 'tiny' }), SEED);

  test('text', () => {
    expect(c.toText()).toBe([
      'Coverage of tiny',
      '  protected by: preset KUBEARMOR_FIM_TEMPLATE',
      '  layout: split /usr (/bin, /sbin, /lib are real directories)',
      '  families: none recognised',
      '  1 of 4 executables, libraries, modules, loader and configuration files protected; CRITICAL files unprotected',
      'CRITICAL unprotected /etc/ld.so.conf.d/: 1 loader file (e.g. /etc/ld.so.conf.d/ (not in the image; library search path))',
      'CRITICAL unprotected /etc/ld.so.preload: 1 loader file (e.g. /etc/ld.so.preload (not in the image; loaded into every dynamically linked process))',
      'CRITICAL unprotected /lib/: 1 library file (e.g. /lib/x86_64-linux-gnu/libc.so.6)',
      'BREAKS   KUBECTL_DEBUG (SYSTEM_BINARIES) on /usr/bin/, /usr/sbin/: Use a debug image that already contains the tools, or `kubectl debug --copy-to` a pod the policy does not select.',
      '',
    ].join('\n'));
  });

  test('markdown and JSON', () => {
    expect(c.toMarkdown()).toContain('| `/lib/` | yes | library | 1 | `/lib/x86_64-linux-gnu/libc.so.6` |');
    expect(c.toJson()).toEqual(expect.objectContaining({
      source: 'tiny',
      mergedUsr: false,
      hasCriticalGaps: true,
      checkedFiles: 4,
      protectedFiles: 1,
      coveringSet: ['/etc/ld.so.conf.d/', '/etc/ld.so.preload', '/lib/'],
    }));
  });

  test('fromImageContents fails when the base presets already cover everything', () => {
    expect(() => FileIntegrityPreset.fromImageContents(ImageContents.parse('/usr/bin/env\n', { source: 'tiny' }))).toThrow(
      'FileIntegrityPreset.fromImageContents: tiny has no executable, library, loader, module files outside SYSTEM_BINARIES, SYSTEM_LIBRARIES, BOOT; use those presets as they are');
  });
});
