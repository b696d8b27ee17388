/**
 * Every ```ts block of README.md and docs/*.md is compiled against src/ (TypeScript compiler API, strict) and
 * executed, so that documentation cannot rot. A snippet continues the README's example app: the names it uses
 * without defining them (`app`, `chart`, `mysql`, ...) come from test/util/readme-context.ts, the library's
 * exports and cdk8s / cdk8s-plus / yaml are in scope, and files it reads (`temurin.tvf`, `legacy/policies.yaml`,
 * `logs.jsonl`) exist in its working directory.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import * as ts from 'typescript';
import * as lib from '../src';
import { readmeContext } from './util/readme-context';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

const ROOT = path.resolve(__dirname, '..');
const DOCS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const CONTEXT = ['app', 'chart', 'mysql', 'web', 'existingStatefulSet', 'debugPod', 'target', 'manifest', 'text', 'MyChart', 'test'];
const MODULES: Array<[string, string[] | string]> = [
  ['cdk8s', ['App', 'Chart', 'Testing', 'Include', 'ApiObject']],
  ['cdk8s-plus-27', 'kplus'],
  ['yaml', 'YAML'],
  ['cdk8s-kubearmor', Object.keys(lib).sort()],
];

interface Snippet {
  readonly where: string;
  readonly code: string;
  readonly file: string;
  /** Lines added before the snippet (imports and context). */
  readonly preludeLines: number;
  readonly source: string;
}

/** The names a snippet defines at top level (imports, variables, functions, classes). */
function declaredNames(code: string): Set<string> {
  const names = new Set<string>();
  const bind = (n: ts.BindingName) => {
    if (ts.isIdentifier(n)) names.add(n.text);
    else for (const e of n.elements) if (!ts.isOmittedExpression(e)) bind(e.name);
  };
  for (const s of ts.createSourceFile('s.ts', code, ts.ScriptTarget.ES2022).statements) {
    if (ts.isImportDeclaration(s) && s.importClause) {
      if (s.importClause.name) names.add(s.importClause.name.text);
      const b = s.importClause.namedBindings;
      if (b && ts.isNamespaceImport(b)) names.add(b.name.text);
      if (b && ts.isNamedImports(b)) for (const e of b.elements) names.add(e.name.text);
    } else if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) bind(d.name);
    } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name) {
      names.add(s.name.text);
    }
  }
  return names;
}

function snippets(): Snippet[] {
  const out: Snippet[] = [];
  for (const doc of DOCS) {
    const lines = fs.readFileSync(path.join(ROOT, doc), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].trim() !== '```ts') continue;
      const start = i + 1;
      let end = start;
      while (end < lines.length && lines[end].trim() !== '```') end++;
      const code = lines.slice(start, end).join('\n');
      const declared = declaredNames(code);
      const prelude: string[] = [];
      for (const [mod, names] of MODULES) {
        if (typeof names === 'string') {
          if (!declared.has(names)) prelude.push(`import * as ${names} from '${mod}';`);
          continue;
        }
        const free = names.filter((n) => !declared.has(n));
        if (free.length > 0) prelude.push(`import { ${free.join(', ')} } from '${mod}';`);
      }
      prelude.push(`import type { ReadmeContext } from '${path.join(ROOT, 'test/util/readme-context')}';`, 'declare const __readme: ReadmeContext;');
      const context = CONTEXT.filter((n) => !declared.has(n));
      prelude.push(`const { ${context.join(', ')} } = __readme;`, `void [${context.join(', ')}];`);
      const file = path.join(ROOT, '.readme-snippets', `${doc.replace(/\W/g, '_')}_${start + 1}.ts`);
      out.push({ where: `${doc}:${start + 1}`, code, file, preludeLines: prelude.length, source: `${prelude.join('\n')}\n${code}\n` });
      i = end;
    }
  }
  return out;
}

const SNIPPETS = snippets();

/** Type errors of every snippet, compiled together in one program, as `doc:line: message`. */
function typeErrors(): Map<string, string[]> {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2020,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: false,
    types: ['jest', 'node'],
    baseUrl: ROOT,
    paths: { 'cdk8s-kubearmor': ['src/index.ts'] },
    lib: ['lib.es2020.d.ts'],
  };
  const byFile = new Map(SNIPPETS.map((s) => [s.file, s]));
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (f, v, ...rest) => {
    const snippet = byFile.get(f);
    return snippet ? ts.createSourceFile(f, snippet.source, v) : getSourceFile.call(host, f, v, ...rest);
  };
  host.fileExists = (f) => byFile.has(f) || fileExists.call(host, f);
  host.readFile = (f) => byFile.get(f)?.source ?? readFile.call(host, f);
  const program = ts.createProgram(SNIPPETS.map((s) => s.file), options, host);
  const errors = new Map<string, string[]>(SNIPPETS.map((s) => [s.where, []]));
  for (const s of SNIPPETS) {
    const sf = program.getSourceFile(s.file)!;
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      const line = d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line - s.preludeLines;
      const [doc, first] = s.where.split(':');
      errors.get(s.where)!.push(`${doc}:${Number(first) + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
  }
  return errors;
}

/** A working directory with the files snippets read. */
function workdir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  fs.writeFileSync(path.join(dir, 'temurin.tvf'), zlib.gunzipSync(fs.readFileSync(path.join(ROOT, 'test/fixtures/images/eclipse-temurin-17.tvf.gz'))));
  fs.mkdirSync(path.join(dir, 'legacy'));
  fs.copyFileSync(path.join(ROOT, 'test/fixtures/fim-use-case/policy.yaml'), path.join(dir, 'legacy/policies.yaml'));
  fs.copyFileSync(path.join(ROOT, 'examples/wordpress-mysql/telemetry/karmor-logs.jsonl'), path.join(dir, 'logs.jsonl'));
  return dir;
}

function run(s: Snippet): void {
  const dir = workdir();
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const js = ts.transpileModule(s.source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
    const context = readmeContext(path.join(dir, 'dist'), fs.readFileSync('legacy/policies.yaml', 'utf8'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const load = (m: string) => (m === 'cdk8s-kubearmor' ? lib : require(m));
    const module = { exports: {} };
    new Function('require', 'exports', 'module', '__readme', js)(load, module.exports, module, context);
  } finally {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('README and docs snippets', () => {
  let errors: Map<string, string[]>;
  beforeAll(() => {
    errors = typeErrors();
  }, 120_000);

  test('there are snippets to check', () => {
    expect(SNIPPETS.filter((s) => s.where.startsWith('README.md:')).length).toBeGreaterThanOrEqual(8);
  });

  describe.each(SNIPPETS.map((s) => [s.where, s] as const))('%s', (_where, s) => {
    test('compiles against src/ (strict)', () => {
      expect(errors.get(s.where)).toEqual([]);
    });
    test('runs without throwing', () => {
      expect(() => run(s)).not.toThrow();
    });
  });
});
