import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { run } from '../src/cli/main';
import { PolicyImport } from '../src/policy-import';
import { aliasBomb, deepFlow, manyDocuments, policy } from './util/hostile';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ka-hostile-'));
  fs.writeFileSync(path.join(dir, 'a-bomb.yaml'), `${aliasBomb()}---\n${policy('after-bomb')}`);
  fs.writeFileSync(path.join(dir, 'b-good.yaml'), policy('good'));
  fs.writeFileSync(path.join(dir, 'c-deep.yaml'), deepFlow(100_000));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('cdk8s-kubearmor lint on hostile input', () => {
  test('fails when a file holds an alias bomb or hostile nesting: refused with file:line, the other files are linted, exit 3', async () => {
    const r = await cli('lint', dir);
    expect(r.err).toBe('');
    expect(r.out).toBe([
      `${dir}/a-bomb.yaml:7 (document 1): ERROR KA-INPUT: its aliases expand to more than 1000 nodes (a YAML alias bomb, or excessive aliases); the document was not read; write the values out instead of aliasing them (Kubernetes manifests need no aliases), or raise the limit (CLI: --max-alias-count)`,
      `${dir}/c-deep.yaml:6 (document 1): ERROR KA-INPUT: nesting deeper than 64 levels; the document was not read; flatten the document (Kubernetes manifests need a few dozen levels at most)`,
      '3 files, 4 documents (2 KubeArmor policies, 0 other documents, 0 workloads): 2 errors, 0 warnings, 0 acknowledged; 2 inputs not checked (KA-INPUT)',
      '',
    ].join('\n'));
    expect(r.code).toBe(3);
  });

  test('fails when a file holds an alias bomb: --format json still prints one valid JSON document', async () => {
    const r = await cli('lint', '--format', 'json', path.join(dir, 'a-bomb.yaml'), path.join(dir, 'b-good.yaml'));
    expect(r.code).toBe(3);
    const json = JSON.parse(r.out);
    expect(json.summary).toEqual({ errors: 1, warnings: 0, acknowledged: 0, inputErrors: 1 });
    expect(json.findings).toEqual([{
      file: path.join(dir, 'a-bomb.yaml'),
      line: 7,
      document: 1,
      pointer: '',
      id: 'KA-INPUT',
      severity: 'error',
      message: 'its aliases expand to more than 1000 nodes (a YAML alias bomb, or excessive aliases); the document was not read',
      fix: 'write the values out instead of aliasing them (Kubernetes manifests need no aliases), or raise the limit (CLI: --max-alias-count)',
    }]);
    expect(json.policies).toBe(2);
  });

  test('fails when a path does not exist: KA-INPUT for it, the others are linted, exit 3', async () => {
    const missing = path.join(dir, 'no-such.yaml');
    const r = await cli('lint', missing, path.join(dir, 'b-good.yaml'));
    expect(r.out).toBe([
      `${missing}:1 (document 1): ERROR KA-INPUT: cannot read the path: no such file or directory; check the path`,
      '2 files, 1 document (1 KubeArmor policy, 0 other documents, 0 workloads): 1 error, 0 warnings, 0 acknowledged; 1 input not checked (KA-INPUT)',
      '',
    ].join('\n'));
    expect(r.code).toBe(3);
  });

  test('fails when a file is larger than --max-bytes: refused before it is read', async () => {
    const r = await cli('lint', '--max-bytes=100', path.join(dir, 'b-good.yaml'));
    const size = fs.statSync(path.join(dir, 'b-good.yaml')).size;
    expect(r.out.split('\n')[0]).toBe(`${dir}/b-good.yaml:1 (document 1): ERROR KA-INPUT: ${size} bytes exceed the limit of 100; the file was not read; split it, or raise the limit (--max-bytes)`);
    expect(r.code).toBe(3);
  });

  test('130,000 documents: refused by the default document limit, then linted with --max-documents (no stack overflow)', async () => {
    const file = path.join(dir, 'many.yml');
    fs.writeFileSync(file, manyDocuments(130_000));
    try {
      const refused = await cli('lint', file);
      expect(refused.out).toBe([
        `${file}:100000 (document 20001): ERROR KA-INPUT: more than 20000 documents (document 20001 starts here); the file was not read; split it, or raise the limit (CLI: --max-documents)`,
        '1 file, 1 document (0 KubeArmor policies, 0 other documents, 0 workloads): 1 error, 0 warnings, 0 acknowledged; 1 input not checked (KA-INPUT)',
        '',
      ].join('\n'));
      expect(refused.code).toBe(3);
      const r = await cli('lint', '--format', 'json', '--max-documents', '130000', file);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out)).toMatchObject({
        files: 1, documents: 130_000, policies: 0, summary: { errors: 0, warnings: 0, acknowledged: 0, inputErrors: 0 },
      });
    } finally {
      fs.rmSync(file);
    }
  }, 60_000);

  test('fails with exit 2 when a limit flag is not a positive integer', async () => {
    for (const argv of [['--max-documents', '0'], ['--max-bytes=1e9'], ['--max-depth'], ['--max-alias-count', '-1']]) {
      const r = await cli('lint', ...argv, dir);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/^cdk8s-kubearmor lint: --max-[a-z-]+ must be a positive integer, got /);
    }
    expect((await cli('lint', '--max-depth')).err).toBe('cdk8s-kubearmor lint: --max-depth must be a positive integer, got nothing\n');
  });

  test('names, kinds and file names with line terminators stay on one line of output', async () => {
    const file = path.join(dir, 'odd\nname.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: "ConfigMap\\u2028x"\nmetadata:\n  name: "a\\nb\\u0085c"\n');
    try {
      const r = await cli('lint', file);
      expect(r.out.split('\n')[0]).toBe(`${dir}/odd\\u000aname.yaml:1: note: document 1 (ConfigMap\\u2028x a\\u000ab\\u0085c) is not a KubeArmor policy; not linted`);
      expect(r.code).toBe(0);
    } finally {
      fs.rmSync(file);
    }
  });

  test('--version prints the package version', async () => {
    const version = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version;
    expect(await cli('--version')).toEqual({ code: 0, out: `cdk8s-kubearmor ${version}\n`, err: '' });
  });
});

describe('PolicyImport on hostile input', () => {
  test('fails when a document is an alias bomb: one error with file and line, nothing imported', () => {
    const chart = new Chart(new App(), 'imported');
    expect(() => PolicyImport.fromYaml(chart, `${policy('first')}---\n${aliasBomb()}`, { sourceName: 'vendor.yaml' })).toThrow(
      'imported: cannot import vendor.yaml: 1 problem (nothing was imported):\n'
      + '  vendor.yaml:22 (document 2): ERROR KA-INPUT: its aliases expand to more than 1000 nodes (a YAML alias bomb, or excessive aliases); the document was not read; '
      + 'write the values out instead of aliasing them (Kubernetes manifests need no aliases), or raise the limit (CLI: --max-alias-count)');
    expect(chart.node.children).toHaveLength(0);
  });

  test('fails when the input has more documents than maxDocuments', () => {
    expect(() => PolicyImport.fromYaml(new Chart(new App(), 'imported'), manyDocuments(3), { sourceName: 'x.yaml', maxDocuments: 2 })).toThrow(
      'imported: cannot import x.yaml: 1 problem (nothing was imported):\n'
      + '  x.yaml:10 (document 3): ERROR KA-INPUT: more than 2 documents (document 3 starts here); the file was not read; split it, or raise the limit (CLI: --max-documents)');
  });

  test('fails when fromFile is given a missing file: the error names the construct path and the file', () => {
    const missing = path.join(dir, 'missing.yaml');
    expect(() => PolicyImport.fromFile(new Chart(new App(), 'imported'), missing)).toThrow(
      `imported: cannot import ${missing}: no such file or directory (nothing was imported); check the path (relative paths start at the working directory, ${JSON.stringify(process.cwd())})`);
  });

  test('fails when fromFile is given a file larger than maxBytes', () => {
    const file = path.join(dir, 'b-good.yaml');
    expect(() => PolicyImport.fromFile(new Chart(new App(), 'imported'), file, { maxBytes: 10 })).toThrow(
      `imported: cannot import ${file}: ${fs.statSync(file).size} bytes exceed the limit of 10 (nothing was imported); split the file, or raise maxBytes`);
  });

  test('fails when a limit option is not a positive integer', () => {
    expect(() => PolicyImport.fromYaml(new Chart(new App(), 'imported'), '', { maxDocuments: 0 })).toThrow(
      'imported: PolicyImport option maxDocuments must be a positive integer, got 0; omit it for the default');
  });
});
