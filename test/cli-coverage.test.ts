import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli, ROOT } from './util/cli';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

const IMAGES = path.relative(ROOT, path.join(__dirname, 'fixtures', 'images'));
const EXAMPLE = 'examples/wordpress-mysql/dist/wordpress-mysql.k8s.yaml';

describe('cdk8s-kubearmor coverage', () => {
  test('the example\'s mysql policy (seed template) on mysql:5.6: /lib/ and /lib64/ uncovered, exit 1', async () => {
    const r = await cli('coverage', '--image-contents', `${IMAGES}/mysql-5.6.tvf.gz`, '--workload', 'mysql', EXAMPLE);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    const lines = r.out.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      `Coverage of ${IMAGES}/mysql-5.6.tvf.gz (Deployment/wordpress-mysql/mysql)`,
      '  protected by: KubeArmorPolicy wordpress-mysql/harden-mysql-file-integrity-monitoring',
      '  layout: split /usr (/bin, /sbin, /lib are real directories)',
      '  families: debian, docker-library',
      '  1462 of 2816 executables, libraries, modules, loader and configuration files protected; CRITICAL files unprotected',
    ]);
    expect(lines).toContain('CRITICAL unprotected /lib64/: 1 library file (e.g. /lib64/ld-linux-x86-64.so.2)');
    expect(lines.some((l) => l.startsWith('CRITICAL unprotected /lib/: 36 executable/library files'))).toBe(true);
  });

  test('the default presets on mysql:5.6: nothing critical, exit 0; JSON output', async () => {
    const r = await cli('coverage', '--image-contents', `${IMAGES}/mysql-5.6.tvf.gz`, '--presets', 'SYSTEM_BINARIES,SYSTEM_LIBRARIES,BOOT', '--format', 'json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.hasCriticalGaps).toBe(false);
    expect(j.coveringSet).toEqual(['/etc/']);
    expect(j.mergedUsr).toBe(false);
  });

  test('markdown output for the wordpress workload', async () => {
    const r = await cli('coverage', `--image-contents=${IMAGES}/wordpress-apache.tvf.gz`, '--workload=wordpress', '--format=markdown', EXAMPLE);
    expect(r.code).toBe(0);
    expect(r.out).toContain('| `/usr/src/` | no | module | 952 |');
  });

  test('fails when the image contents are malformed: line numbers on stderr, exit 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverage-'));
    try {
      const file = path.join(dir, 'bad.tvf');
      fs.writeFileSync(file, '-rwxr-xr-x root/root 1 2023-06-12 00:00 ./usr/bin/a\nnot a listing\n');
      const r = await cli('coverage', '--image-contents', file, '--presets', 'BOOT');
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toBe(`cdk8s-kubearmor coverage: ${file}: 1 malformed entry in a long-listing input; fix or remove them\n`
        + `${file}:2: not a long-listing line (expected \`tar -tvf\` or \`ls -l\` columns: mode, owner, size, date, name): not a listing\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('fails when arguments are missing or wrong, exit 2', async () => {
    expect((await cli('coverage', EXAMPLE)).err).toMatch(/^cdk8s-kubearmor coverage: --image-contents FILE is required\n/);
    expect((await cli('coverage', '--image-contents', 'x')).err).toMatch(/^cdk8s-kubearmor coverage: give policy files or directories, or --presets\n/);
    const r = await cli('coverage', '--image-contents', `${IMAGES}/nginx.tvf.gz`, '--presets', 'NOPE');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^cdk8s-kubearmor coverage: --presets: 'NOPE' is not a preset; use SYSTEM_BINARIES, /);
    expect((await cli('coverage', '--image-contents', 'x', '--format', 'xml', EXAMPLE)).err).toBe(
      "cdk8s-kubearmor coverage: --format must be text, json or markdown, got 'xml'\n");
    const several = await cli('coverage', '--image-contents', `${IMAGES}/nginx.tvf.gz`, EXAMPLE);
    expect(several.code).toBe(2);
    expect(several.err).toBe('cdk8s-kubearmor coverage: ImageCoverage.ofManifests: the manifests hold 4 workloads (Deployment/wordpress-mysql/mysql, '
      + 'Deployment/wordpress-mysql/wordpress, Job/wordpress-mysql/db-migrate, Deployment/kube-system/metrics-agent); say which one runs the image with the workload option\n');
  });

  test('is listed in the top-level usage', async () => {
    const r = await cli('--help');
    expect(r.out).toContain('coverage --image-contents F');
    expect((await cli('coverage', '--help')).out).toMatch(/^Usage: cdk8s-kubearmor coverage --image-contents FILE/);
  });
});
