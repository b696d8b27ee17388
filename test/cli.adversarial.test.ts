/**
 * Adversarial suite for the reading path: random YAML structures, aliases, huge scalars, hostile
 * strings and mixed kinds through the lint CLI, the import code generator and PolicyImport. Whatever the
 * input: no uncaught exception, every refusal has a file and a line, the output parses. And for the
 * writing path: hostile free text in tags and messages is refused at the call or read back as written.
 */
import { execFileSync } from 'child_process';
import { App, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import * as ts from 'typescript';
import * as YAML from 'yaml';
import { PolicyTarget, SecurityPolicy } from '../src';
import { generateCode } from '../src/cli/import';
import { PolicyImport } from '../src/policy-import';
import { formatJson, formatText } from '../src/private/lint-format';
import { lintSources } from '../src/private/lint-sources';
import { YAML_LIMITS } from '../src/private/yaml-source';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

// Small limits, so that refusals are exercised often and every case stays fast.
const LIMITS = { ...YAML_LIMITS, maxDepth: 8, maxAliasCount: 50, maxScalarChars: 200, maxDocuments: 6, maxBytes: 20_000 };

const hostile = fc.constantFrom('\n', '\r', '\u2028', '\u2029', '\u0085', '*/', '`', '${x}', '\'', '"', '\\', '\u0000', '\ud800', '#', ': ', '- ', '&a', '*a');
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.array(fc.oneof(hostile, fc.string({ maxLength: 4 })), { maxLength: 5 }).map((xs) => xs.join('')));
const key = fc.oneof(fc.constantFrom('apiVersion', 'kind', 'metadata', 'name', 'namespace', 'spec', 'selector', 'matchLabels', 'file', 'process',
  'matchPaths', 'matchDirectories', 'path', 'dir', 'action', 'severity', 'tags', 'message', 'readOnly', 'recursive', 'labels', 'annotations', '__proto__'), text);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    text, fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('Block', 'Audit', 'Allow', '/etc/', '/bin/sh'),
    fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(key, tie('tree'), { maxKeys: 5 })),
}));
const kind = fc.constantFrom('KubeArmorPolicy', 'KubeArmorHostPolicy', 'KubeArmorClusterPolicy', 'ConfigMap', 'Deployment');
const document = fc.record({ kind, name: fc.oneof(fc.constantFrom('web', 'a-b', 'x'), text), spec: tree, extra: tree }).map((d) => ({
  apiVersion: d.kind.startsWith('KubeArmor') ? 'security.kubearmor.com/v1' : 'v1',
  kind: d.kind,
  metadata: { name: d.name, namespace: 'shop' },
  spec: d.kind === 'KubeArmorPolicy' && d.spec !== null && typeof d.spec === 'object' && !Array.isArray(d.spec)
    ? { selector: { matchLabels: { app: 'web' } }, file: { matchPaths: [{ path: '/etc/passwd' }] }, ...d.spec } : d.spec,
  ...(d.extra !== null && typeof d.extra === 'object' && !Array.isArray(d.extra) ? { data: d.extra } : {}),
}));
/** Lexical damage applied to rendered YAML: aliases, nesting, long scalars, raw tokens, truncation. */
const damage = fc.oneof(
  fc.constant((y: string) => y),
  fc.constant((y: string) => `${y}bomb: &b [${'*b0, '.repeat(3)}]\nb0: &b0 [1, 2, 3]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n`),
  fc.constant((y: string) => `${y}deep: ${'['.repeat(50)}${']'.repeat(50)}\n`),
  fc.constant((y: string) => `${y}long: ${'x'.repeat(300)}\n`),
  fc.nat({ max: 400 }).map((n) => (y: string) => y.slice(0, n)),
  fc.tuple(fc.nat({ max: 400 }), fc.constantFrom('\t', '[', '{', '"', '\'', '&x ', '*x', '---\n', '%YAML 1.1\n', '! ', '? ', ': ', '\n  - ', '|\n', '\u2028'))
    .map(([n, t]) => (y: string) => `${y.slice(0, n)}${t}${y.slice(n)}`),
);
const yamlText = fc.tuple(fc.array(fc.tuple(document, damage), { minLength: 1, maxLength: 4 }), fc.boolean())
  .map(([docs, extraDocs]) => docs.map(([d, f]) => f(YAML.stringify(d, { aliasDuplicateObjects: false }))).join('---\n') + (extraDocs ? '---\n'.repeat(6) : ''));

const LOCATED = /^(\S.*?):(\d+) \(document \d+\): (ERROR|WARNING) |^(\S.*?):(\d+): note: /;

/** Free text as users and imported YAML supply it: hostile characters, YAML 1.1 keywords and indicators. */
const freeText = fc.oneof(text, fc.constantFrom('yes', 'No', 'on', 'OFF', '~', 'null', '0755', '0o17', '0x1F', '1e3', '.inf', '2001-01-01', '1:20', '<<', '=', '*a', '&a', '!a',
  '%x', '@x', '? x', '- x', '--- x', '...', ' lead', 'trail ', '\ufeffbom', '\u00a0', '\ud83d\ude00'), fc.tuple(text, text).map(([a, b]) => `${a}: ${b} #${a}`));

function pyYamlAll(docs: string): unknown[] {
  const program = 'import sys, json, yaml\nprint(json.dumps(list(yaml.safe_load_all(sys.stdin.read()))))';
  return JSON.parse(execFileSync('python3', ['-c', program], { input: docs, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
}

describe('adversarial input', () => {
  test('tags and messages: refused at the call with one line, or synthesised YAML that YAML 1.1, 1.2 and PyYAML read back as written', () => {
    const accepted: Array<{ yaml: string; json: unknown }> = [];
    fc.assert(fc.property(freeText, freeText, (tag, message) => {
      const app = new App();
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      let policy: SecurityPolicy;
      try {
        policy = new SecurityPolicy(chart, 'p', { target: PolicyTarget.namespace(), severity: 5, tags: [tag], message });
        policy.addFilePath('/etc/passwd', { tags: [tag], message });
      } catch (e) {
        const m = (e as Error).message;
        expect(m).toMatch(/^shop\/p: (file\.matchPaths\[\]\.)?(tags\[0\]|message) '[^\n\r\u2028\u2029\u0085]*' [^\n\r\u2028\u2029\u0085]+; /);
        return;
      }
      const yaml = app.synthYaml();
      const json = chart.toJson();
      for (const version of ['1.1', '1.2'] as const) expect(YAML.parseAllDocuments(yaml, { version }).map((d) => d.toJS())).toEqual(json);
      accepted.push({ yaml, json });
    }), { numRuns: 250 });
    // PyYAML once for every accepted case (one process, not one per case)
    expect(pyYamlAll(accepted.map((a) => a.yaml).join('---\n'))).toEqual(accepted.flatMap((a) => a.json));
    expect(accepted.length).toBeGreaterThan(60);
  }, 60_000);

  test('lint: never throws; every finding has a file and a line; text has one line per finding; JSON parses', () => {
    fc.assert(fc.property(fc.array(yamlText, { minLength: 1, maxLength: 3 }), (texts) => {
      const sources = texts.map((t, i) => ({ file: `f${i}.yaml`, text: t }));
      const report = lintSources(sources, LIMITS);
      for (const f of report.findings) {
        expect(f.file).toMatch(/^f\d\.yaml$/);
        expect(Number.isInteger(f.line) && f.line >= 1).toBe(true);
        expect(f.message.length).toBeGreaterThan(0);
      }
      const lines = formatText(report, { showAcknowledged: true }).split('\n');
      expect(lines.pop()).toBe('');
      expect(lines).toHaveLength(report.findings.length + report.skipped.length + 1);
      for (const l of lines.slice(0, -1)) expect(l).toMatch(LOCATED);
      expect(JSON.parse(formatJson(report)).findings).toHaveLength(report.findings.length);
    }), { numRuns: 1200 });
  }, 60_000);

  test('import: generates code that parses without diagnostics, or one error whose every problem has file:line', () => {
    fc.assert(fc.property(yamlText, (t) => {
      let code: string;
      try {
        code = generateCode(t, 'in.yaml', 'build').code;
      } catch (e) {
        const [head, ...problems] = (e as Error).message.split('\n');
        expect(head).toMatch(/^cannot import in\.yaml: \d+ problems? \(nothing was imported\):$/);
        for (const p of problems) expect(p).toMatch(/^ {2}in\.yaml:\d+ \(document \d+\): /);
        return;
      }
      const sf = ts.createSourceFile('gen.ts', code, ts.ScriptTarget.ES2022, true);
      expect((sf as any).parseDiagnostics).toEqual([]);
      expect(sf.statements.map((s) => ts.SyntaxKind[s.kind])).toEqual(['ImportDeclaration', 'ImportDeclaration', 'FunctionDeclaration']);
    }), { numRuns: 500 });
  }, 60_000);

  test('PolicyImport: imports, or throws one error naming the construct with file:line per problem', () => {
    fc.assert(fc.property(yamlText, (t) => {
      const chart = new Chart(new App(), 'imported');
      try {
        PolicyImport.fromYaml(chart, t, { sourceName: 'in.yaml', maxDocuments: 6 });
      } catch (e) {
        const [head, ...problems] = (e as Error).message.split('\n');
        expect(head).toMatch(/^imported: cannot import in\.yaml: \d+ problems? \(nothing was imported\):$/);
        for (const p of problems) expect(p).toMatch(/^ {2}in\.yaml:\d+ \(document \d+\): /);
        expect(chart.node.children).toHaveLength(0);
      }
    }), { numRuns: 400 });
  }, 60_000);
});
