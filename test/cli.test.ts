import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as ts from 'typescript';
import * as YAML from 'yaml';
import { cli, ROOT } from './util/cli';
import { generateCode } from '../src/cli/import';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

const LINT = path.relative(ROOT, path.join(__dirname, 'fixtures', 'lint'));
const CORPUS = path.relative(ROOT, path.join(__dirname, 'fixtures', 'corpus'));

describe('cdk8s-kubearmor lint', () => {
  test('fails when a policy is broken: one line per problem with file, line, ID and fix, exit 1', async () => {
    const r = await cli('lint', `${LINT}/broken.yaml`);
    expect(r.code).toBe(1);
    expect(r.out).toBe([
      `${LINT}/broken.yaml:9 (document 1): ERROR KA-SCHEMA: spec.action 'block' is not a KubeArmor action; use 'Block' (the CRD is case-sensitive)`,
      `${LINT}/broken.yaml:15 (document 1): ERROR KA-SCHEMA: spec.file.matchDirectories[0].dir '/etc' must end in '/' (a directory); use '/etc/', or a file rule (matchPaths) for a single file`,
      `${LINT}/broken.yaml:18 (document 1): ERROR KA-SCHEMA: spec.file.matchPathss 'matchPathss' is not declared by the CRD (the apiserver would silently prune it); did you mean 'matchPaths'?`,
      `${LINT}/broken.yaml:21: note: document 2 (ConfigMap not-a-policy) is not a KubeArmor policy; not linted`,
      '1 file, 2 documents (1 KubeArmor policy, 1 other document, 0 workloads): 3 errors, 0 warnings, 0 acknowledged',
      '',
    ].join('\n'));
  });

  test('fails when a document is indented with tabs (KA-YAML, with its line)', async () => {
    const r = await cli('lint', `${LINT}/tabs.yaml`);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${LINT}/tabs.yaml:9 (document 1): ERROR KA-YAML: Tabs are not allowed as indentation; indent with spaces; YAML forbids tabs in indentation`);
  });

  test('fails when an acknowledgement gives no reason', async () => {
    const r = await cli('lint', `${LINT}/empty-ack.yaml`);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`${LINT}/empty-ack.yaml:7 (document 1): ERROR KA-ACK: metadata.annotations["lint.cdk8s-kubearmor.io/acknowledge.KA004"] the acknowledgement of KA004 gives no reason; write why`);
    expect(r.out).toContain(`${LINT}/empty-ack.yaml:15 (document 1): WARNING KA004 merged-usr-twin: spec.file.matchDirectories[0] KubeArmorPolicy/`);
  });

  test('warnings alone exit 0; workloads of the same files are used; acknowledged findings are not printed', async () => {
    const r = await cli('lint', `${LINT}/app.yaml`);
    expect(r.code).toBe(0);
    expect(r.out).toBe([
      `${LINT}/app.yaml:42 (document 3): WARNING KA001 selector-matches-no-workload: spec.selector KubeArmorPolicy/shop/api-bin selects no workload defined in this app (namespace shop, labels {"app":"api"}); the workload may live elsewhere; Check labels and namespace; acknowledge when the workload is deployed from elsewhere.`,
      `${LINT}/app.yaml:1: note: document 1 (Deployment web) is not a KubeArmor policy; not linted (used as a workload for selector checks)`,
      '1 file, 3 documents (2 KubeArmor policies, 1 other document, 1 workload): 0 errors, 1 warning, 1 acknowledged',
      '',
    ].join('\n'));
    expect((await cli('lint', '--show-acknowledged', `${LINT}/app.yaml`)).out).toContain('[acknowledged: distroless image: /bin is not a symlink]');
  });

  test('fails when --strict is given and there are warnings', async () => {
    expect((await cli('lint', '--strict', `${LINT}/app.yaml`)).code).toBe(1);
  });

  test('--format json lists every finding with file, line, document, pointer and ID', async () => {
    const r = await cli('lint', '--format', 'json', `${LINT}/broken.yaml`, `${LINT}/app.yaml`);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.summary).toEqual({ errors: 3, warnings: 1, acknowledged: 1, inputErrors: 0 });
    expect(json).toMatchObject({ version: 1, files: 2, documents: 5, policies: 3, workloads: 1 });
    expect(json.findings[0]).toEqual({
      file: `${LINT}/app.yaml`,
      line: 42,
      document: 3,
      pointer: '/spec/selector',
      id: 'KA001',
      ruleName: 'selector-matches-no-workload',
      severity: 'warning',
      kind: 'KubeArmorPolicy',
      namespace: 'shop',
      resourceName: 'api-bin',
      message: expect.stringContaining('selects no workload'),
      fix: expect.any(String),
    });
    expect(json.findings.find((f: any) => f.pointer === '/spec/file/matchDirectories/0/dir')).toEqual({
      file: `${LINT}/broken.yaml`,
      line: 15,
      document: 1,
      pointer: '/spec/file/matchDirectories/0/dir',
      id: 'KA-SCHEMA',
      severity: 'error',
      kind: 'KubeArmorPolicy',
      namespace: 'shop',
      resourceName: 'web-fim',
      message: '\'/etc\' must end in \'/\' (a directory)',
      fix: 'use \'/etc/\', or a file rule (matchPaths) for a single file',
    });
    expect(json.findings.find((f: any) => f.id === 'KA004')).toMatchObject({ acknowledged: 'distroless image: /bin is not a symlink' });
    expect(json.skipped).toEqual([
      { file: `${LINT}/broken.yaml`, document: 2, line: 21, apiVersion: 'v1', kind: 'ConfigMap', name: 'not-a-policy' },
      { file: `${LINT}/app.yaml`, document: 1, line: 1, apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    ]);
  });

  test('lints directories recursively; the corpus has no errors', async () => {
    const r = await cli('lint', CORPUS);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^4 files, 7 documents \(7 KubeArmor policies, 0 other documents, 0 workloads\): 0 errors, \d+ warnings, 0 acknowledged$/m);
  });

  test('fails with exit 2 on usage errors', async () => {
    expect((await cli('lint')).code).toBe(2);
    expect((await cli('lint', '--format', 'xml', LINT)).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('import')).code).toBe(2);
    expect((await cli('--help')).code).toBe(0);
  });
});

describe('cdk8s-kubearmor import', () => {
  test('fails when the file has problems, printing them like the importer', async () => {
    const r = await cli('import', `${LINT}/broken.yaml`);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain(`${LINT}/broken.yaml:15 (document 1): ERROR KA-SCHEMA: spec.file.matchDirectories[0].dir '/etc' must end in '/' (a directory); use '/etc/', or a file rule (matchPaths) for a single file`);
  });

  test('prints typed props when they synthesise the same object, fromManifest otherwise', async () => {
    const r = await cli('import', `${CORPUS}/upstream-examples.yaml`);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`  const kspWordpressBlockConfig = new SecurityPolicy(scope, 'KubeArmorPolicy.wordpress-mysql.ksp-wordpress-block-config', {
    target: PolicyTarget.podLabels({ app: 'wordpress' }, 'wordpress-mysql'),
    policyName: 'ksp-wordpress-block-config',
    action: PolicyAction.BLOCK,
    severity: 10,
    filePaths: [{ path: '/var/www/html/wp-config.php', fromSource: ['/bin/cat', '/usr/bin/cat'] }],
  });`);
    expect(r.out).toContain('const nsWidePkgManagers = SecurityPolicy.fromManifest(scope,');
  });

  // Every corpus file, plus a sorted policy of each kind so that the typed path covers every prop.
  const files = [...fs.readdirSync(path.join(ROOT, CORPUS)).map((f) => path.join(CORPUS, f)), path.join(LINT, 'app.yaml'), path.join(path.relative(ROOT, __dirname), 'fixtures', 'import', 'typed.yaml')];
  const generated = files.map((file, i) => ({ file, fn: `build${i}`, ...generateCode(fs.readFileSync(path.join(ROOT, file), 'utf8'), file, `build${i}`) }));

  test('the typed form is used for the sorted fixtures', () => {
    const typed = generated.find((g) => g.file.endsWith('typed.yaml'))!;
    expect([typed.typed, typed.verbatim]).toEqual([3, 0]);
  });

  test('the generated code type-checks against the library', () => {
    const dir = fs.mkdtempSync(path.join(ROOT, '.tmp-import-'));
    try {
      const names = generated.map((g, i) => {
        const f = path.join(dir, `gen${i}.ts`);
        fs.writeFileSync(f, g.code);
        return f;
      });
      const program = ts.createProgram(names, {
        strict: true,
        noUnusedLocals: true,
        noEmit: true,
        skipLibCheck: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        esModuleInterop: true,
        types: [],
        baseUrl: ROOT,
        paths: { 'cdk8s-kubearmor': ['src/index.ts'] },
      });
      const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file && names.includes(path.resolve(d.file.fileName)));
      expect(diagnostics.map((d) => `${d.file!.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  test.each(generated.map((g) => [g.file, g] as const))('the code generated for %s synthesises the same objects', (file, g) => {
    const dir = fs.mkdtempSync(path.join(ROOT, '.tmp-import-'));
    try {
      const f = path.join(dir, 'gen.ts');
      fs.writeFileSync(f, g.code);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(f);
      const chart = new Chart(new App(), 'migrated');
      const policies = mod[g.fn](chart);
      const input = YAML.parseAllDocuments(fs.readFileSync(path.join(ROOT, file), 'utf8')).map((d) => d.toJS())
        .filter((o) => o !== null && String(o.apiVersion).startsWith('security.kubearmor.com/'));
      expect(policies).toHaveLength(input.length);
      expect(Testing.synth(chart)).toEqual(input);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
