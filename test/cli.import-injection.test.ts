import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import * as ts from 'typescript';
import * as YAML from 'yaml';
import { escapeForCode, generateCode } from '../src/cli/import';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

const ROOT = path.resolve(__dirname, '..');

/** Payloads that end a `//` comment, a string literal or a block comment if written verbatim. */
const PAYLOADS = [
  'a\nglobalThis.__pwned = 1; //',
  'a\rglobalThis.__pwned = 2; //',
  'a\u2028globalThis.__pwned = 3; //',
  'a\u2029globalThis.__pwned = 4; //',
  "a'; globalThis.__pwned = 5; '",
  'a\\\'; globalThis.__pwned = 6; //',
  'a */ globalThis.__pwned = 7; /*',
  'a`${globalThis.__pwned = 8}`',
  'a\u0085\u0000\u001b\ud800 tail',
];

/**
 * The payloads a tag or message may carry: line terminators and control characters are refused there (YAML 1.1
 * readers would not read them back), so those payloads reach the generated code through kinds, names and
 * annotations only.
 */
const ONE_LINE = PAYLOADS.filter((p) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/.test(p));

function hostileYaml(): string {
  const q = (s: string) => JSON.stringify(s);
  const others = PAYLOADS.map((p) => `apiVersion: v1\nkind: ${q(`ConfigMap${p}`)}\nmetadata:\n  name: ${q(p)}\n`);
  const policy = `apiVersion: security.kubearmor.com/v1
kind: KubeArmorPolicy
metadata:
  name: hostile
  namespace: shop
  annotations:
${PAYLOADS.map((p, i) => `    note${i}: ${q(p)}`).join('\n')}
spec:
  selector:
    matchLabels:
      app: web
  file:
    matchPaths:
      - path: /etc/shadow
        message: ${q(ONE_LINE[0])}
  message: ${q(ONE_LINE.join(' '))}
  action: Block
`;
  // Rules out of the library's order: kept verbatim with fromManifest (the other code path).
  const verbatim = `apiVersion: security.kubearmor.com/v1
kind: KubeArmorPolicy
metadata:
  name: verbatim
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  file:
    matchPaths:
      - path: /etc/b
        message: ${q(PAYLOADS[6])}
      - path: /etc/a
        message: ${q(PAYLOADS[7])}
  action: Block
`;
  return [...others, policy, verbatim].join('---\n');
}

const SOURCE = 'legacy\n*/ globalThis.__pwned = 99; //.yaml';

/** The statements of a module as `kind: first line of text`, and those of the function body. */
function statements(code: string): { top: string[]; body: string[] } {
  const sf = ts.createSourceFile('gen.ts', code, ts.ScriptTarget.ES2022, true);
  const describe = (s: ts.Statement) => `${ts.SyntaxKind[s.kind]}: ${s.getText(sf).split('\n')[0]}`;
  const fn = sf.statements.find(ts.isFunctionDeclaration)!;
  return { top: sf.statements.map(describe), body: fn.body!.statements.map(describe) };
}

test('a message with a line terminator is refused by import (file:line), not escaped into the generated code', () => {
  expect(ONE_LINE.length).toBeGreaterThanOrEqual(4);
  const yaml = hostileYaml().replace(`message: ${JSON.stringify(ONE_LINE[0])}`, `message: ${JSON.stringify(PAYLOADS[2])}`);
  expect(() => generateCode(yaml, 'legacy.yaml', 'build')).toThrow(/^cannot import legacy\.yaml: 1 problem \(nothing was imported\):\n {2}legacy\.yaml:\d+ \(document 10\): ERROR KA-SCHEMA: spec\.file\.matchPaths\[0\]\.message 'a\\u2028globalThis/);
});

describe('cdk8s-kubearmor import: generated code cannot be escaped', () => {
  const text = hostileYaml();
  const generated = generateCode(text, SOURCE, 'build');

  test('the generated file parses to exactly the expected statements (comments carry no code)', () => {
    const sf = ts.createSourceFile('gen.ts', generated.code, ts.ScriptTarget.ES2022, true);
    expect((sf as any).parseDiagnostics).toEqual([]);
    expect(statements(generated.code)).toEqual({
      top: [
        "ImportDeclaration: import { Construct } from 'constructs';",
        "ImportDeclaration: import { PolicyAction, PolicyTarget, SecurityPolicy } from 'cdk8s-kubearmor';",
        'FunctionDeclaration: export function build(scope: Construct): SecurityPolicy[] {',
      ],
      body: [
        "FirstStatement: const hostile = new SecurityPolicy(scope, 'KubeArmorPolicy.shop.hostile', {",
        ...PAYLOADS.map((p, i) => `ExpressionStatement: hostile.apiObject.metadata.addAnnotation('note${i}', '${escapeForCode(p)}');`),
        "FirstStatement: const verbatim = SecurityPolicy.fromManifest(scope, 'KubeArmorPolicy.shop.verbatim', {",
        'ReturnStatement: return [hostile, verbatim];',
      ],
    });
    expect([generated.typed, generated.verbatim]).toEqual([1, 1]);
    // No line of the file holds a raw line terminator other than \n.
    expect(generated.code).not.toMatch(/[\r\u2028\u2029\u0085]/);
  });

  test('running the generated file executes nothing of the input and synthesises the input policies', () => {
    const dir = fs.mkdtempSync(path.join(ROOT, '.tmp-import-'));
    try {
      const f = path.join(dir, 'gen.ts');
      fs.writeFileSync(f, generated.code);
      delete (globalThis as any).__pwned;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(f);
      const chart = new Chart(new App(), 'migrated');
      mod.build(chart);
      expect((globalThis as any).__pwned).toBeUndefined();
      const input = YAML.parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o.apiVersion.startsWith('security.kubearmor.com/'));
      expect(Testing.synth(chart)).toEqual(input);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('escapeForCode: any string, as a literal, evaluates back to itself and stays on one line', () => {
    fc.assert(fc.property(fc.fullUnicodeString({ maxLength: 40 }), fc.string({ maxLength: 10 }), (s, t) => {
      const value = s + t + PAYLOADS[Math.abs(s.length - t.length) % PAYLOADS.length];
      const code = `'${escapeForCode(value)}'`;
      expect(code).not.toMatch(/[\n\r\u2028\u2029]/);
      const sf = ts.createSourceFile('x.ts', `const x = ${code};`, ts.ScriptTarget.ES2022, true);
      expect((sf as any).parseDiagnostics).toEqual([]);
      expect(sf.statements).toHaveLength(1);
      // eslint-disable-next-line no-new-func
      expect(new Function(`return ${code};`)()).toBe(value);
    }), { numRuns: 500 });
  });
});
