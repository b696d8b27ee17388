import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ImageContents, ImageContentsFormat } from '../src';

const fixture = (name: string) => path.join(__dirname, 'fixtures', 'images', `${name}.tvf.gz`);
const paths = (c: ImageContents) => c._entries.map((e) => e.path);

describe('ImageContents parsers', () => {
  test('a plain path list (find / -xdev, tar -tf) with ./ prefixes and directories', () => {
    const c = ImageContents.parse('./\n./usr/\n./usr/bin/\n./usr/bin/env\n/lib/x86_64-linux-gnu/libc.so.6\n\nusr/sbin/nginx\n');
    expect(c.format).toBe(ImageContentsFormat.PATH_LIST);
    expect(c._entries).toEqual([
      { path: '/usr', type: 'dir' }, { path: '/usr/bin', type: 'dir' }, { path: '/usr/bin/env', type: 'file' },
      { path: '/lib/x86_64-linux-gnu/libc.so.6', type: 'file' }, { path: '/usr/sbin/nginx', type: 'file' },
    ].filter((e) => e.path !== '/'));
  });

  test('a tar -tvf listing: modes give executables, symlink and hard link targets', () => {
    const c = ImageContents.parse([
      'drwxr-xr-x root/root         0 2023-06-12 00:00 ./usr/bin/',
      '-rwxr-xr-x root/root    125640 2023-06-12 00:00 ./usr/bin/mawk',
      '-rw-r--r-- root/root       100 2023-06-12 00:00 ./usr/bin/README',
      'lrwxrwxrwx root/root         0 2023-06-12 00:00 ./bin -> usr/bin',
      'hrwxr-xr-x root/root         0 2023-06-12 00:00 ./usr/bin/uncompress link to ./usr/bin/gunzip',
      '-rwsr-xr-x 0/0             72 2023-06-12 00:00:01 usr/bin/su',
    ].join('\n'));
    expect(c.format).toBe(ImageContentsFormat.LONG_LISTING);
    expect(c._entries).toEqual([
      { path: '/usr/bin', type: 'dir', executable: undefined, target: undefined },
      { path: '/usr/bin/mawk', type: 'file', executable: true, target: undefined },
      { path: '/usr/bin/README', type: 'file', executable: false, target: undefined },
      { path: '/bin', type: 'symlink', executable: undefined, target: 'usr/bin' },
      { path: '/usr/bin/uncompress', type: 'hardlink', executable: true, target: './usr/bin/gunzip' },
      { path: '/usr/bin/su', type: 'file', executable: true, target: undefined },
    ]);
  });

  test('an ls -lR listing: directory headers, totals, . and .., both date styles', () => {
    const c = ImageContents.parse([
      '/usr/local/bin:', 'total 8',
      'drwxr-xr-x 2 root root 4096 Jun 12 10:00 .',
      'drwxr-xr-x 9 root root 4096 Jun 12 10:00 ..',
      '-rwxr-xr-x 1 root root  120 Jun 12  2023 docker-entrypoint.sh',
      'lrwxrwxrwx 1 root root    9 2023-06-12 10:00 python3 -> python3.12',
      '', '/usr/local/lib/python3.12:', '-rw-r--r--. 1 root root 10 Jun 12 10:00 os.py',
    ].join('\n'));
    expect(c._entries.map((e) => [e.path, e.type, e.executable])).toEqual([
      ['/usr/local/bin/docker-entrypoint.sh', 'file', true], ['/usr/local/bin/python3', 'symlink', undefined],
      ['/usr/local/lib/python3.12/os.py', 'file', false],
    ]);
  });

  test('CycloneDX JSON file components (syft), nested components included', () => {
    const sbom = {
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      components: [
        { type: 'library', name: 'bash', components: [{ type: 'file', name: '/usr/bin/bash' }] },
        { type: 'file', name: '/usr/lib/x86_64-linux-gnu/libc.so.6' },
      ],
    };
    const c = ImageContents.parse(JSON.stringify(sbom, null, 2));
    expect(c.format).toBe(ImageContentsFormat.CYCLONEDX_JSON);
    expect(paths(c)).toEqual(['/usr/bin/bash', '/usr/lib/x86_64-linux-gnu/libc.so.6']);
  });

  test('SPDX JSON files[] (syft): APPLICATION marks executables', () => {
    const sbom = {
      spdxVersion: 'SPDX-2.3',
      files: [
        { fileName: '/usr/bin/bash', fileTypes: ['APPLICATION', 'BINARY'] }, { fileName: '/etc/passwd', fileTypes: ['TEXT'] },
      ],
    };
    const c = ImageContents.parse(JSON.stringify(sbom));
    expect(c.format).toBe(ImageContentsFormat.SPDX_JSON);
    expect(c._entries).toEqual([{ path: '/usr/bin/bash', type: 'file', executable: true }, { path: '/etc/passwd', type: 'file', executable: undefined }]);
  });

  test('fails when long-listing lines are malformed, naming each line number', () => {
    const text = ['-rwxr-xr-x root/root 1 2023-06-12 00:00 ./usr/bin/a', 'garbage here', '-rwxr-xr-x root/root 1 2023-06-12 00:00 ./b',
      'lrwxrwxrwx root/root 0 2023-06-12 00:00 ./c'].join('\n');
    expect(() => ImageContents.parse(text, { source: 'img.tvf' })).toThrow(
      'img.tvf: 2 malformed entries in a long-listing input; fix or remove them\n'
      + 'img.tvf:2: not a long-listing line (expected `tar -tvf` or `ls -l` columns: mode, owner, size, date, name): garbage here\n'
      + "img.tvf:4: a symlink without its target ('->'): lrwxrwxrwx root/root 0 2023-06-12 00:00 ./c");
  });

  test('fails when a path list mixes in long-listing lines or escapes the root', () => {
    expect(() => ImageContents.parse('/usr/bin/a\n../../etc/passwd\n-rwxr-xr-x root/root 1 2023-06-12 00:00 ./x\n', { source: 'list' })).toThrow(
      'list: 2 malformed entries in a path-list input; fix or remove them\n'
      + "list:2: '..' above the image root: ../../etc/passwd\n"
      + 'list:3: a long-listing line in a plain path list; give the whole input in one format: -rwxr-xr-x root/root 1 2023-06-12 00:00 ./x');
  });

  test('fails when JSON is invalid, with the line of the error', () => {
    expect(() => ImageContents.parse('{\n  "bomFormat": "CycloneDX",\n  "components": [,]\n}', { source: 'sbom.json' }))
      .toThrow(/^sbom\.json: 1 malformed entry in a cyclonedx-json input; fix or remove them\nsbom\.json:3: invalid JSON: /);
  });

  test('fails when JSON is not an SBOM, or an SBOM lists no files', () => {
    expect(() => ImageContents.parse('{"a": 1}', { source: 's' })).toThrow(
      's: 1 malformed entry in a cyclonedx-json input; fix or remove them\ns:1: JSON that is neither a CycloneDX (bomFormat) nor an SPDX (spdxVersion) document');
    expect(() => ImageContents.parse('{"bomFormat": "CycloneDX", "components": []}', { source: 's' })).toThrow(
      's: no files found (cyclonedx-json); give a path list, a long listing (tar -tvf, ls -lR) or an SBOM with file entries');
  });

  test('reports at most ten malformed lines and counts the rest', () => {
    const text = Array.from({ length: 12 }, (_, i) => `-rwxr-xr-x root/root 1 2023-06-12 00:00 ./ok${i}\nbad ${i}`).join('\n');
    const msg = (() => {
      try {
        ImageContents.parse(text, { source: 'x' });
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(msg.split('\n')).toHaveLength(12);
    expect(msg).toMatch(/^x: 12 malformed entries/);
    expect(msg).toMatch(/\n\.\.\. and 2 more$/);
    expect(msg).toContain('x:2: not a long-listing line');
  });

  test('fromFile reads plain and gzipped files in chunks (lines across chunk borders)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'contents-'));
    try {
      const lines = Array.from({ length: 40000 }, (_, i) => `/usr/share/data/some-long-directory-name/file-${i}.txt`);
      fs.writeFileSync(path.join(dir, 'list.txt'), `${lines.join('\n')}\n`);
      const c = ImageContents.fromFile(path.join(dir, 'list.txt'));
      expect(c.entryCount).toBe(40000);
      expect(c.source).toBe(path.join(dir, 'list.txt'));
      expect(paths(c)).toEqual(lines);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(ImageContents.fromFile(fixture('debian-12')).entryCount).toBeGreaterThan(2000);
  });

  test('fails when the file cannot be read', () => {
    expect(() => ImageContents.fromFile('/nonexistent/list.txt')).toThrow(/^ImageContents\.fromFile: cannot read \/nonexistent\/list\.txt: ENOENT/);
  });
});

describe('ImageContents facts', () => {
  test('debian-12 is merged-/usr: /bin, /sbin, /lib, /lib64 are symlinks (a fact from the listing)', () => {
    const c = ImageContents.fromFile(fixture('debian-12'));
    expect(c.mergedUsr).toBe(true);
    expect(c.symlinkedDirectories).toEqual(['/bin -> usr/bin', '/sbin -> usr/sbin', '/lib -> usr/lib', '/lib64 -> usr/lib64']);
    expect(c.families).toEqual(['debian']);
  });

  test('mysql-5.6 (stretch layout) is split-/usr: /bin and /lib are real directories', () => {
    const c = ImageContents.fromFile(fixture('mysql-5.6'));
    expect(c.mergedUsr).toBe(false);
    expect(c.symlinkedDirectories).toEqual([]);
    expect(c.families).toEqual(['debian', 'docker-library']);
  });

  test('an SBOM without directories: merged /usr is unknown unless files sit under real /bin or /lib', () => {
    expect(ImageContents.parse('/usr/bin/a\n').mergedUsr).toBeUndefined();
    expect(ImageContents.parse('/usr/bin/a\n/bin/sh\n').mergedUsr).toBe(false);
  });

  test.each([
    ['python-3.12', ['debian', 'python']],
    ['eclipse-temurin-17', ['debian', 'java']],
    ['nginx', ['debian', 'nginx', 'docker-library']],
    ['wordpress-apache', ['debian', 'apache', 'php', 'docker-library']],
  ])('%s families', (name, families) => {
    expect(ImageContents.fromFile(fixture(name)).families).toEqual(families);
  });
});
