/**
 * `cdk8s-kubearmor import <file>`: prints TypeScript that builds the same policies with this library —
 * typed `SecurityPolicy` props when they synthesise exactly the same object (checked here, by building
 * them), `SecurityPolicy.fromManifest` otherwise (e.g. rules not in the library's sorted order, whose
 * order decides which rule an alert names).
 */
import { App, Chart } from 'cdk8s';
import { Capability } from '../capability';
import { DeviceClass } from '../device-class';
import { NetworkProtocol } from '../network-protocol';
import { PolicyAction } from '../policy-action';
import { PolicyPreset } from '../policy-preset';
import { PolicySection } from '../policy-section';
import { PolicyTarget, SelectorOperator } from '../policy-target';
import { Io, readSources } from './lint';
import { canonicalJson } from '../private/canonical';
import { ACK_ANNOTATION_PREFIX } from '../private/lints';
import { DecodedPolicy } from '../private/manifest';
import { oneLine } from '../private/one-line';
import { checkSource, duplicateObjectIssues, formatLocatedIssues } from '../private/policy-source';
import { FieldType, ListSpec } from '../private/schema';
import { TYPED_LISTS, typedName } from '../private/typed-rules';
import { CONTAINER_LABEL } from '../private/validate';
import { YAML_LIMITS } from '../private/yaml-source';
import { SecurityPolicy } from '../security-policy';
import { Syscall } from '../syscall';

/** A value in generated code: its TypeScript text and the value it evaluates to. */
class Code {
  constructor(public readonly text: string, public readonly value: unknown, public readonly uses: string[]) {}
}

type Tree = Code | string | number | boolean | undefined | Tree[] | { [k: string]: Tree };

function evaluate(t: Tree): any {
  if (t instanceof Code) return t.value;
  if (Array.isArray(t)) return t.map(evaluate);
  if (t !== null && typeof t === 'object') return Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined).map(([k, v]) => [k, evaluate(v)]));
  return t;
}

/**
 * The one escaping function for text that reaches generated code: the body of a single-quoted
 * TypeScript string literal. Backslashes, quotes, every line terminator (\n, \r, U+2028, U+2029), all
 * other C0/C1 control characters and lone surrogates become escapes, so the text can neither end the
 * literal nor the line (and thus a `//` comment) it is on.
 */
export function escapeForCode(s: string): string {
  return s.replace(/[\\'`]|[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => {
    if (c === '\\' || c === '\'' || c === '`') return `\\${c}`;
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** A string literal of generated code. */
function literal(s: string): string {
  return `'${escapeForCode(s)}'`;
}

/** Input shown in a generated comment: escaped as in a literal, and never able to close a block comment. */
function commentText(s: string): string {
  return escapeForCode(s).replace(/\*\//g, '*\\/');
}

function render(t: Tree, indent: string, uses: Set<string>): string {
  if (t instanceof Code) {
    t.uses.forEach((u) => uses.add(u));
    return t.text;
  }
  if (typeof t === 'string') return literal(t);
  if (typeof t === 'number' || typeof t === 'boolean') return String(t);
  if (t === null) return 'null';
  const inner = `${indent}  `;
  if (Array.isArray(t)) {
    const items = t.map((x) => render(x, inner, uses));
    const flat = `[${items.join(', ')}]`;
    return flat.length <= 100 && !flat.includes('\n') ? flat : `[\n${items.map((x) => `${inner}${x},`).join('\n')}\n${indent}]`;
  }
  if (t === undefined) return 'undefined';
  const entries = Object.entries(t).filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${propertyName(k)}: ${render(v, inner, uses)}`);
  if (entries.length === 0) return '{}';
  const flat = `{ ${entries.join(', ')} }`;
  return flat.length <= 100 && !flat.includes('\n') ? flat : `{\n${entries.map((x) => `${inner}${x},`).join('\n')}\n${indent}}`;
}

/** An object-literal key; `__proto__` is computed, so that it stays a plain key instead of setting the prototype. */
function propertyName(k: string): string {
  if (k === '__proto__') return `[${literal(k)}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : literal(k);
}

function enumCode(enumName: string, e: Record<string, string>, value: string): Code {
  const member = Object.entries(e).find(([, v]) => v === value);
  if (!member) throw new Error(`'${value}' is not a ${enumName} member`);
  return new Code(`${enumName}.${member[0]}`, value, [enumName]);
}

function constantCode(className: string, cls: any, name: string, make: (n: string) => unknown, factory: string): Code {
  const member = Object.entries(cls).find(([, v]: [string, any]) => v && typeof v === 'object' && v.name === name);
  if (member) return new Code(`${className}.${member[0]}`, member[1], [className]);
  return new Code(`${className}.${factory}(${literal(name)})`, make(name), [className]);
}

function action(v: unknown): Code | undefined {
  return v === undefined ? undefined : enumCode('PolicyAction', PolicyAction as any, v as string);
}

function meta(r: any): Record<string, Tree> {
  return { action: action(r.action), severity: r.severity, tags: r.tags, message: r.message };
}

function paths(fromSource: any): string[] | undefined {
  if (fromSource === undefined) return undefined;
  return fromSource.map((s: any) => {
    if (Object.keys(s).length !== 1 || typeof s.path !== 'string') throw new Error('fromSource entries other than { path } are not expressible');
    return s.path;
  });
}

function syscallCodes(names: unknown): Code[] | undefined {
  if (names === undefined) return undefined;
  return (names as string[]).map((n) => new Code(`Syscall.of(${literal(n)})`, Syscall.of(n), ['Syscall']));
}

function syscallSources(fromSource: any): Tree {
  return fromSource?.map((s: any) => ({ path: s.path, dir: s.dir, recursive: s.recursive }));
}

/** Code for a rule field's value, by its CRD type (other types are written as they are). */
const FIELD_CODE: Partial<Record<FieldType, (v: any) => Tree>> = {
  action,
  protocol: (v) => enumCode('NetworkProtocol', NetworkProtocol as any, v),
  capability: (v) => enumCode('Capability', Capability as any, v),
  fromSource: paths,
  syscallFromSource: syscallSources,
  syscalls: syscallCodes,
  deviceClass: (v) => constantCode('DeviceClass', DeviceClass, v, (n) => DeviceClass.custom(n), 'custom'),
};

/** The typed options (as a code tree) of one raw rule, driven by the CRD table. */
function ruleTree(list: ListSpec, rule: Record<string, unknown>): Record<string, Tree> {
  const out: Record<string, Tree> = {};
  for (const [field, type] of Object.entries(list.fields)) {
    // A syscall rule without syscalls is written with an empty list (the typed prop is required).
    const v = rule[field] ?? (list.id === 'syscalls.matchSyscalls' && field === 'syscall' ? [] : undefined);
    if (v !== undefined) out[typedName(field)] = (FIELD_CODE[type] ?? ((x: any) => x))(v);
  }
  return out;
}

/** The typed props (as a code tree) of a decoded policy; throws when something has no typed form. */
function propsTree(d: DecodedPolicy): Record<string, Tree> {
  const nonEmpty = <T>(xs: T[]): T[] | undefined => (xs.length > 0 ? xs : undefined);
  return {
    target: targetCode(d),
    policyName: d.name,
    action: action(d.specMeta.action),
    severity: d.specMeta.severity,
    tags: d.specMeta.tags,
    message: d.specMeta.message,
    appArmor: d.apparmor,
    sections: nonEmpty([...d.sectionMeta].map(([section, m]) => ({ section: enumCode('PolicySection', PolicySection as any, section), ...meta(m) }))),
    ...Object.fromEntries(TYPED_LISTS.map(({ listId, prop }) => [
      prop,
      nonEmpty(d.rules.filter((r) => r.list.id === listId).map((r) => ruleTree(r.list, r.rule))),
    ])),
    presets: nonEmpty(d.presets.map((p: any) => ({
      preset: constantCode('PolicyPreset', PolicyPreset, p.name, (n) => PolicyPreset.custom(n), 'custom'), action: action(p.action),
    }))),
  };
}

function targetCode(d: DecodedPolicy): Code {
  const sel: any = d.selector;
  const uses = ['PolicyTarget'];
  let text: string;
  let target: PolicyTarget;
  const exprs: any[] = sel?.matchExpressions ?? [];
  if (d.kind === 'KubeArmorHostPolicy') {
    text = `PolicyTarget.nodes(${render(sel.matchLabels, '  ', new Set())})`;
    target = PolicyTarget.nodes(sel.matchLabels);
  } else if (d.kind === 'KubeArmorPolicy') {
    if (sel !== undefined && Object.keys(sel).length === 0) throw new Error('an explicit empty selector has no typed form');
    const labels: Record<string, string> = { ...(sel?.matchLabels ?? {}) };
    const containers = labels[CONTAINER_LABEL];
    delete labels[CONTAINER_LABEL];
    // A manifest without namespace imports without one: the policy takes its chart's namespace, as ApiObject does.
    const ns = d.namespace === undefined ? '' : literal(d.namespace);
    if (Object.keys(labels).length > 0) {
      text = `PolicyTarget.podLabels(${render(labels, '  ', new Set())}${ns ? `, ${ns}` : ''})`;
      target = PolicyTarget.podLabels(labels, d.namespace);
    } else {
      text = `PolicyTarget.namespace(${ns})`;
      target = PolicyTarget.namespace(d.namespace);
    }
    if (containers !== undefined) {
      const names = containers.slice(1, -1).split(',').filter((s) => s.length > 0);
      text += `.inContainers(${render(names, '  ', new Set())})`;
      target = target.inContainers(names);
    }
  } else {
    const ns = exprs.filter((e) => e.key === 'namespace');
    if (ns.length > 1) throw new Error('several namespace expressions have no typed form');
    if (ns.length === 1 && ns[0].operator === 'In') {
      text = `PolicyTarget.namespaces(${render(ns[0].values, '  ', new Set())})`;
      target = PolicyTarget.namespaces(ns[0].values);
    } else if (ns.length === 1) {
      text = `PolicyTarget.allNamespaces({ except: ${render(ns[0].values, '  ', new Set())} })`;
      target = PolicyTarget.allNamespaces({ except: ns[0].values });
    } else {
      text = 'PolicyTarget.allNamespaces()';
      target = PolicyTarget.allNamespaces();
    }
  }
  for (const e of exprs.filter((x) => x.key === 'label')) {
    const op = e.operator === 'In' ? 'IN' : 'NOT_IN';
    text += `.withLabelExpression(SelectorOperator.${op}, ${render(e.values, '  ', new Set())})`;
    target = target.withLabelExpression(SelectorOperator[op], e.values);
    uses.push('SelectorOperator');
  }
  return new Code(text, target, uses);
}

/** Builds the policy from typed props in a scratch app and returns its manifest. */
function synthesiseProps(props: any, d: DecodedPolicy): unknown {
  const chart = new Chart(new App(), 'scratch');
  const policy = new SecurityPolicy(chart, 'p', props);
  for (const [k, v] of Object.entries(d.labels ?? {})) policy.apiObject.metadata.addLabel(k, v);
  for (const [k, v] of Object.entries(d.annotations ?? {})) policy.apiObject.metadata.addAnnotation(k, v);
  return policy.apiObject.toJson();
}

function variableName(name: string, taken: Set<string>): string {
  let base = name.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^[0-9]/, (c) => `p${c}`);
  if (base.length === 0 || ['new', 'function', 'class', 'const', 'let', 'var', 'return', 'scope', 'this'].includes(base)) base = `${base}Policy`;
  let v = base;
  for (let i = 2; taken.has(v); i++) v = `${base}${i}`;
  taken.add(v);
  return v;
}

export interface GeneratedCode {
  readonly code: string;
  /** Policies emitted with typed props / with fromManifest. */
  readonly typed: number;
  readonly verbatim: number;
}

/**
 * TypeScript (a module exporting `functionName(scope)`) that builds the KubeArmor policies of a YAML
 * text. Throws one error listing every problem when the text does not import cleanly.
 */
export function generateCode(text: string, source: string, functionName = 'addImportedPolicies'): GeneratedCode {
  const checked = checkSource(text, source);
  const issues = [];
  for (const d of checked.documents) for (const i of d.issues) issues.push(i);
  for (const i of duplicateObjectIssues(checked.documents)) issues.push(i);
  issues.sort((a, b) => a.line - b.line || a.document - b.document);
  if (issues.length > 0) throw new Error(formatLocatedIssues(`cannot import ${source}`, issues));
  const uses = new Set<string>(['SecurityPolicy']);
  const taken = new Set<string>();
  const body: string[] = [];
  const names: string[] = [];
  let typed = 0;
  let verbatim = 0;
  for (const doc of checked.documents) {
    if (!doc.kubeArmor) {
      const kind = typeof doc.value?.kind === 'string' ? doc.value.kind : undefined;
      const name = typeof doc.value?.metadata?.name === 'string' ? doc.value.metadata.name : undefined;
      body.push(`  // ${commentText(source)} document ${doc.doc.index} (line ${doc.doc.line}) is not a KubeArmor policy (${kind === undefined ? 'no kind' : commentText(kind)}${name ? ` ${commentText(name)}` : ''}): skipped`);
      continue;
    }
    const d = doc.decoded!;
    const id = [d.kind, d.namespace, d.name].filter((s) => s !== undefined).join('.');
    const v = variableName(d.name, taken);
    names.push(v);
    body.push(`  // ${commentText(source)} document ${doc.doc.index} (line ${doc.doc.line}): ${d.kind} ${commentText(d.namespace ? `${d.namespace}/` : '')}${commentText(d.name)}`);
    let why: string | undefined;
    let tree: Record<string, Tree> | undefined;
    try {
      tree = propsTree(d);
      if (canonicalJson(synthesiseProps(evaluate(tree), d)) !== canonicalJson(doc.value)) {
        why = 'typed props would synthesise a different object (the library sorts rules and sources; here the order is kept, as it decides which rule an alert names)';
      }
    } catch (e) {
      why = `no typed form: ${(e as Error).message}`;
    }
    if (why === undefined && tree) {
      typed++;
      body.push(`  const ${v} = new SecurityPolicy(scope, ${literal(id)}, ${render(tree, '  ', uses)});`);
      for (const [k, val] of Object.entries(d.labels ?? {})) body.push(`  ${v}.apiObject.metadata.addLabel(${literal(k)}, ${literal(val)});`);
      for (const [k, val] of Object.entries(d.annotations ?? {})) {
        body.push(`  ${v}.apiObject.metadata.addAnnotation(${literal(k)}, ${literal(val)});`);
        if (k.startsWith(ACK_ANNOTATION_PREFIX)) {
          uses.add('PolicyLint');
          body.push(`  PolicyLint.acknowledge(${v}, ${literal(k.slice(ACK_ANNOTATION_PREFIX.length))}, ${literal(val)});`);
        }
      }
    } else {
      verbatim++;
      body.push(`  // Kept verbatim with fromManifest: ${commentText(why ?? '')}`);
      body.push(`  const ${v} = SecurityPolicy.fromManifest(scope, ${literal(id)}, ${render(doc.value, '  ', uses)});`);
    }
  }
  const lines = [
    `// Generated by \`cdk8s-kubearmor import ${commentText(source)}\`: ${typed + verbatim} polic${typed + verbatim === 1 ? 'y' : 'ies'} (${typed} typed, ${verbatim} verbatim).`,
    '// Synthesising them gives back the same objects as the YAML.',
    'import { Construct } from \'constructs\';',
    `import { ${[...uses].sort().join(', ')} } from 'cdk8s-kubearmor';`,
    '',
    `/** Builds the policies of ${commentText(source)} under \`scope\`. */`,
    `export function ${functionName}(scope: Construct): SecurityPolicy[] {`,
    ...body,
    `  return [${names.join(', ')}];`,
    '}',
    '',
  ];
  return { code: lines.join('\n'), typed, verbatim };
}

export const IMPORT_USAGE = `Usage: cdk8s-kubearmor import [--function <name>] <file>

Prints TypeScript that builds the KubeArmor policies of <file> with cdk8s-kubearmor: typed
SecurityPolicy props where they synthesise exactly the same object, SecurityPolicy.fromManifest
(verbatim, rule order kept) otherwise. Nothing is printed when the file has problems: they are listed
on stderr like the lint command does.

Exit status: 0 code printed, 1 the file has problems (or is refused by a limit, see lint --help),
2 usage error, 3 the file cannot be read (or is larger than ${YAML_LIMITS.maxBytes} bytes).
`;

export function runImport(args: readonly string[], io: Io): number {
  let functionName = 'addImportedPolicies';
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--function') {functionName = args[++i] ?? '';} else if (a.startsWith('--function=')) {functionName = a.slice('--function='.length);} else if (a === '--help' || a === '-h') {
      io.out(IMPORT_USAGE);
      return 0;
    } else if (a.startsWith('-')) {
      io.err(`cdk8s-kubearmor import: unknown option '${a}'\n${IMPORT_USAGE}`);
      return 2;
    } else {files.push(a);}
  }
  if (files.length !== 1 || !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(functionName)) {
    io.err(`cdk8s-kubearmor import: ${files.length !== 1 ? 'give exactly one file' : `'${functionName}' is not a function name`}\n${IMPORT_USAGE}`);
    return 2;
  }
  // A directory gives the files under it: import takes one file.
  const read = readSources(files, YAML_LIMITS.maxBytes).find((r) => r.file === files[0]);
  const text = read?.text;
  if (text === undefined) {
    const why = read?.unreadable ?? { problem: 'is a directory', fix: 'give one YAML file' };
    io.err(`${oneLine(`cdk8s-kubearmor import: ${files[0]}: ${why.problem} (${why.fix})`)}\n`);
    return 3;
  }
  try {
    io.out(generateCode(text, files[0], functionName).code);
    return 0;
  } catch (e) {
    io.err(`cdk8s-kubearmor import: ${(e as Error).message}\n`);
    return 1;
  }
}
