import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { variantManifests } from '../diff/example-variants';
import { cli, ROOT } from '../util/cli';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

const DIST = 'examples/wordpress-mysql/dist';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ka-diff-'));
function write(name: string, manifests: any[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, manifests.map((m) => YAML.stringify(m)).join('---\n'));
  return file;
}

/** The README's PR-comment example: the example dist against the staged rollout (every hardening in Audit). */
const README_ARGS = ['diff', '--format', 'markdown', DIST];

describe('cdk8s-kubearmor diff', () => {
  test('the dist against itself: exit 0, one line', async () => {
    const r = await cli('diff', DIST, DIST);
    expect([r.code, r.out, r.err]).toEqual([0, 'diff: 3 KubeArmor policies before, 3 after; 4 workloads: no enforcement change\n', '']);
  });

  test('every construct renamed: exit 0', async () => {
    const r = await cli('diff', DIST, write('renamed.yaml', variantManifests({ idSuffix: '-renamed' })));
    expect(r.code).toBe(0);
  });

  test('Audit rollout: exit 1; text, json and markdown agree', async () => {
    const audit = write('audit.yaml', variantManifests({ audit: true }));
    const text = await cli('diff', DIST, audit);
    expect(text.code).toBe(1);
    expect(text.out).toContain('WRITE /bin/diff-probe by /bin/sh: denied, Block alert harden-mysql-file-integrity-monitoring before, permitted, Audit alert harden-mysql-file-integrity-monitoring after [both enforcers, both postures]');
    const json = await cli('diff', '--format', 'json', DIST, audit);
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.out);
    expect([doc.version, doc.hasChanges, doc.workloads.map((w: any) => w.change)]).toEqual([1, true, ['UNCHANGED', 'CHANGED', 'CHANGED', 'UNCHANGED']]);
    const md = await cli('diff', '--format=markdown', DIST, audit);
    expect(md.code).toBe(1);
    expect(md.out).toContain('| workload | change | protection | posture | selection | alerts | lints | compliance | accesses |');
    expect(md.out).toContain('<details><summary>Deployment wordpress-mysql/mysql');
  });

  test('the README shows the markdown this prints for the staged rollout (regenerate: npx ts-node --project test/tsconfig.json scripts/diff-readme.ts)', async () => {
    const audit = write('audit-readme.yaml', variantManifests({ audit: true }));
    const r = await cli(...README_ARGS, audit);
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const m = /<!-- diff-example:start -->\n````markdown\n([\s\S]*?)````\n<!-- diff-example:end -->/.exec(readme);
    expect(m).not.toBeNull();
    expect(m![1]).toBe(r.out);
  });

  test('usage errors exit 2: wrong count, unknown option, bad format, missing path, invalid policy', async () => {
    expect((await cli('diff', DIST)).code).toBe(2);
    expect((await cli('diff', '--bogus', DIST, DIST)).err).toContain("unknown option '--bogus'");
    expect((await cli('diff', '--format', 'xml', DIST, DIST)).err).toContain("--format must be text, json or markdown, got 'xml'");
    const missing = await cli('diff', DIST, 'no/such/dir');
    expect([missing.code, missing.err]).toEqual([2, "cdk8s-kubearmor diff: PolicyDiff: cannot read after 'no/such/dir': no such file or directory; give existing files or directories\n"]);
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, 'apiVersion: security.kubearmor.com/v1\nkind: KubeArmorPolicy\nmetadata:\n  name: x\nspec:\n  selector: {}\n  file:\n    matchPathss: []\n');
    const invalid = await cli('diff', DIST, bad);
    expect(invalid.code).toBe(2);
    expect(invalid.err).toContain('PolicyDiff: 1 problem in the after policies (nothing was compared');
    expect(invalid.err).toContain(`${bad}:8 (document 1)`);
    expect((await cli('diff', '--help')).code).toBe(0);
  });
});
