/**
 * Decoding of existing KubeArmor manifests (import and lint): every field is checked against the
 * schema table (unknown fields at every level are errors with a did-you-mean) and every value with
 * the validators the constructs use, so that what imports cleanly also synthesises identically.
 * Import is a migration path: what the CRD accepts decodes (losslessly); what only the library judges
 * wrong (globs in literal paths, non-canonical paths, relative patterns, repeated rules or tags) is left
 * to its lint (Issue.lint, KA041...), which reports it with an ID that can be acknowledged.
 * Pure functions; every issue carries a JSON pointer into the checked object.
 */
import { kubeArmorKind } from './effective';
import { fieldOf, Problem } from './errors';
import { Meta } from './policy-model';
import {
  API_VERSION, CLUSTER_SCOPED, KIND_SPECS, KindName, KINDS, KindSpec, ListSpec, META_FIELDS, SectionName, specFields,
} from './schema';
import {
  fieldIssues, Issue, labelIssues, levenshtein, metaIssues, namespaceIssues, policyNameIssues, ruleIssues,
  UNTRACKED_NAMESPACES, unknownField,
} from './validate';
import { pointerSegment } from './yaml-source';

/** Stable IDs of the import / schema checks (the semantic lints are `KA001`...). Never reuse one. */
export const SCHEMA_RULES = [
  { id: 'KA-YAML', summary: 'The YAML is malformed or ambiguous: a syntax error, a tab used as indentation, or a repeated mapping key (kubectl silently keeps the last one).' },
  { id: 'KA-SCHEMA', summary: 'A field the CRD does not declare (the apiserver silently prunes it), a value the CRD or KubeArmor rejects, an empty rule set, or invalid metadata. What the CRD accepts and only the library judges wrong is a lint instead (KA041-KA045).' },
  { id: 'KA-DUPLICATE', summary: 'Two documents define the same object (kind, namespace, name): the one applied last silently replaces the other. For policies the lints check this is reported as `KA014` instead (one fact, one finding); `KA-DUPLICATE` covers the rest (import, documents failing the schema).' },
] as const;

export type SchemaRuleId = 'KA-YAML' | 'KA-SCHEMA' | 'KA-DUPLICATE';

export interface ManifestIssue {
  /** JSON pointer into the manifest, e.g. `/spec/file/matchDirectories/3/dir`. */
  readonly pointer: string;
  readonly value: unknown;
  readonly problem: string;
  readonly fix: string;
  /** `KA-SCHEMA`, or the ID of the semantic lint that reports the same problem (e.g. `KA003`). */
  readonly id: string;
}

export interface DecodedRule {
  readonly list: ListSpec;
  readonly rule: Record<string, unknown>;
}

/** A manifest that decoded without issues, in the shape the policy model stores. */
export interface DecodedPolicy {
  readonly kind: KindName;
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  /** The selector (`spec.selector`, or `spec.nodeSelector` of host policies), verbatim. */
  readonly selector?: Record<string, unknown>;
  readonly specMeta: Meta;
  readonly apparmor?: string;
  readonly sectionMeta: ReadonlyMap<SectionName, Meta>;
  /** Rules in input order (per list). */
  readonly rules: readonly DecodedRule[];
  readonly presets: ReadonlyArray<Record<string, unknown>>;
}

export interface DecodeResult {
  /** Undefined when there is any issue. */
  readonly decoded?: DecodedPolicy;
  readonly issues: ManifestIssue[];
}

const SERVER_FIELDS = ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];
const METADATA_FIELDS = ['name', 'namespace', 'labels', 'annotations'];

function isObject(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Whether a parsed document claims to be a KubeArmor policy (by API group or by any spelling of a kind). */
export function isKubeArmorManifest(obj: unknown): boolean {
  return kubeArmorKind(obj, 'claimed') !== undefined;
}

/** A manifest issue as a {@link Problem} located at `where`: `spec.file.matchPaths[3].dir '/etc' must end in '/' (a directory); use '/etc/', ...`. */
export function manifestProblem(i: ManifestIssue, where: string): Problem {
  return { where, field: fieldOf(i.pointer), value: i.value, problem: i.problem, fix: i.fix };
}

function join(at: string, field: string): string {
  return field === '' ? at : `${at}/${field}`;
}

/** Where a misplaced key belongs, for a better fix than the plain did-you-mean. */
function misplaced(kind: KindSpec, key: string, where: string): string | undefined {
  const spec = specFields(kind);
  if (where !== '/spec' && spec.includes(key)) return `'${key}' belongs directly under spec (check its indentation)`;
  const lists = [...kind.lists.values()].filter((l) => l.list === key);
  if (lists.length > 0 && where === '/spec') return `rule lists belong under a section: ${lists.map((l) => `spec.${l.section}.${l.list}`).join(' or ')} (check the indentation)`;
  if (where === '/spec' && key === 'nodeSelector' && kind.selectorField === 'selector') return `${kind.kind} selects pods with spec.selector; nodeSelector is for KubeArmorHostPolicy`;
  if (where === '/spec' && key === 'selector' && kind.selectorField === 'nodeSelector') return 'KubeArmorHostPolicy selects nodes with spec.nodeSelector.matchLabels';
  if (where === '/spec' && key === 'presets') return 'KubeArmorHostPolicy does not accept presets; remove them';
  if (where === '/spec' && key === 'device') return 'device rules exist only in KubeArmorHostPolicy; remove the section';
  if (where === '' && key === 'status') return 'status is written by the cluster (KubeArmor never writes it); remove it';
  if (where === '/metadata' && SERVER_FIELDS.includes(key)) return 'written by the apiserver (an exported object); remove it';
  return undefined;
}

class Collector {
  public readonly issues: ManifestIssue[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly kind: KindSpec | undefined) {}

  public add(at: string, list: Issue[], id = 'KA-SCHEMA'): void {
    for (const i of list) {
      if (i.lint !== undefined) continue; // stricter than the CRD: its lint reports it
      const pointer = join(at, i.field);
      if (this.seen.has(pointer)) continue; // one issue per location: the first is the cause
      this.seen.add(pointer);
      this.issues.push({ pointer, value: i.value, problem: i.problem, fix: i.fix, id });
    }
  }

  public one(pointer: string, value: unknown, problem: string, fix: string, id = 'KA-SCHEMA'): void {
    this.add(pointer, [{ field: '', value, problem, fix }], id);
  }

  /** Reports keys of `obj` outside `allowed`; returns false when there were any. */
  public keys(at: string, obj: Record<string, unknown>, allowed: readonly string[]): boolean {
    let ok = true;
    for (const k of Object.keys(obj)) {
      if (allowed.includes(k)) continue;
      ok = false;
      const base = unknownField('', k, allowed);
      const hint = this.kind ? misplaced(this.kind, k, at) : undefined;
      this.add(`${at}/${pointerSegment(k)}`, [{ ...base, fix: hint ?? base.fix }]);
    }
    return ok;
  }

  /** Reports a null (an empty YAML value, which the apiserver drops); returns true when null. */
  public isNull(at: string, v: unknown): boolean {
    if (v !== null) return false;
    this.one(at, null, 'is empty (null); the apiserver drops null fields silently', 'give it a value or remove the key');
    return true;
  }
}

/** An empty tag list (repeated tags are accepted by the CRD: lint KA044 reports them). */
function emptyTags(c: Collector, at: string, tags: unknown): void {
  if (Array.isArray(tags) && tags.length === 0) c.one(at, tags, 'is empty', 'remove tags, or list at least one tag');
}

function readMeta(c: Collector, at: string, obj: Record<string, unknown>, fields: Readonly<Record<string, string>>): Meta {
  const meta: Record<string, unknown> = {};
  for (const k of META_FIELDS) if (obj[k] !== undefined && !c.isNull(`${at}/${k}`, obj[k])) meta[k] = obj[k];
  c.add(at, metaIssues(fields as any, meta));
  emptyTags(c, `${at}/tags`, meta.tags);
  return meta as Meta;
}

function nulls(c: Collector, at: string, v: unknown): void {
  if (c.isNull(at, v)) return;
  if (Array.isArray(v)) v.forEach((x, i) => nulls(c, `${at}/${i}`, x));
  else if (isObject(v)) for (const [k, x] of Object.entries(v)) nulls(c, `${at}/${pointerSegment(k)}`, x);
}

/** Label checks with one JSON-pointer segment per key (keys often contain '/'). */
function labelMap(c: Collector, at: string, labels: unknown): void {
  if (!isObject(labels)) return c.add(at, labelIssues('', labels));
  for (const [k, v] of Object.entries(labels)) {
    c.add(`${at}/${pointerSegment(k)}`, labelIssues('', { [k]: v }).map((i) => ({ ...i, field: '' })));
  }
}

function stringMap(c: Collector, at: string, v: unknown, what: string): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) {
    c.one(at, v, `must be a map of ${what}`, `write ${what} as key: value lines`);
    return undefined;
  }
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') c.one(`${at}/${pointerSegment(k)}`, x, 'must be a string', `quote it: '${String(x)}'`);
  }
  return v as Record<string, string>;
}

interface DecodedMetadata {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

function decodeMetadata(c: Collector, kind: KindSpec | undefined, md: unknown): DecodedMetadata {
  if (md === undefined || c.isNull('/metadata', md)) {
    if (md === undefined) c.one('/metadata', undefined, 'is required', 'add metadata with a name');
    return {};
  }
  if (!isObject(md)) {
    c.one('/metadata', md, 'must be a mapping', 'add metadata.name (and metadata.namespace for KubeArmorPolicy)');
    return {};
  }
  c.keys('/metadata', md, METADATA_FIELDS);
  nulls(c, '/metadata', md);
  c.add('/metadata', policyNameIssues(md.name));
  if (kind && CLUSTER_SCOPED.has(kind.kind)) {
    if (md.namespace !== undefined) {
      c.one('/metadata/namespace', md.namespace, `must not be set: ${kind.kind} is cluster-scoped (kubectl ignores the namespace silently)`, 'remove metadata.namespace');
    }
  } else if (kind && md.namespace !== undefined) {
    // No namespace is valid: the policy lands in the namespace it is applied to, like the workloads applied
    // with it. The lints warn about it (KA016); importing into a chart with a namespace adopts that one.
    // An untracked namespace is the lint KA003 (acknowledgeable: KubeArmor's untrackedNs is configurable).
    if (!(typeof md.namespace === 'string' && UNTRACKED_NAMESPACES.includes(md.namespace))) c.add('/metadata', namespaceIssues(md.namespace), 'KA-SCHEMA');
  }
  const labels = stringMap(c, '/metadata/labels', md.labels, 'labels');
  if (labels) labelMap(c, '/metadata/labels', labels);
  const annotations = stringMap(c, '/metadata/annotations', md.annotations, 'annotations');
  return { name: md.name, namespace: md.namespace, labels, annotations };
}

function decodeSelector(c: Collector, kind: KindSpec, spec: Record<string, unknown>): Record<string, unknown> | undefined {
  const field = kind.selectorField;
  const at = `/spec/${field}`;
  const sel = spec[field];
  if (sel === undefined) {
    if (field === 'nodeSelector') c.one(at, undefined, 'is required', 'add nodeSelector.matchLabels, e.g. { kubernetes.io/os: linux }');
    return undefined;
  }
  if (!isObject(sel)) {
    c.one(at, sel, 'must be a mapping', field === 'nodeSelector' ? 'use matchLabels: { kubernetes.io/os: linux }' : 'use matchLabels and/or matchExpressions');
    return undefined;
  }
  const allowed = field === 'nodeSelector' ? ['matchLabels'] : kind.matchLabels ? ['matchLabels', 'matchExpressions'] : ['matchExpressions'];
  c.keys(at, sel, allowed);
  if (sel.matchLabels !== undefined && allowed.includes('matchLabels')) {
    labelMap(c, `${at}/matchLabels`, sel.matchLabels);
    if (isObject(sel.matchLabels) && Object.keys(sel.matchLabels).length === 0 && field === 'nodeSelector') {
      c.one(`${at}/matchLabels`, {}, 'is empty: a host policy with no node labels matches no node', 'add a node label, e.g. kubernetes.io/os: linux');
    }
  }
  if (field === 'nodeSelector' && sel.matchLabels === undefined) {
    c.one(`${at}/matchLabels`, undefined, 'is required (without it the host policy matches no node)', 'add a node label, e.g. kubernetes.io/os: linux');
  }
  if (sel.matchExpressions !== undefined && allowed.includes('matchExpressions')) {
    const exprs = sel.matchExpressions;
    if (!Array.isArray(exprs)) {
      c.one(`${at}/matchExpressions`, exprs, 'must be a list', 'use [{ key: label, operator: In, values: [app=web] }]');
    } else {
      exprs.forEach((e, i) => {
        const ep = `${at}/matchExpressions/${i}`;
        if (!isObject(e)) return c.one(ep, e, 'must be a mapping', 'use { key: label, operator: In, values: [app=web] }');
        c.keys(ep, e, ['key', 'operator', 'values']);
        if (!kind.expressionKeys.includes(e.key)) {
          c.one(`${ep}/key`, e.key, `is not a ${kind.kind} expression key`, `use ${kind.expressionKeys.map((k) => `'${k}'`).join(' or ')}`);
        }
        if (e.operator !== 'In' && e.operator !== 'NotIn') {
          const fixed = typeof e.operator === 'string' ? ['In', 'NotIn'].find((o) => o.toLowerCase() === e.operator.toLowerCase()) : undefined;
          c.one(`${ep}/operator`, e.operator, 'is not In or NotIn', fixed ? `use '${fixed}' (the CRD is case-sensitive)` : 'use In or NotIn');
        }
        if (!Array.isArray(e.values) || e.values.length === 0) {
          c.one(`${ep}/values`, e.values, 'must list at least one value', e.key === 'namespace' ? 'list namespace names' : 'list labels as key=value');
          return;
        }
        e.values.forEach((v: unknown, j: number) => {
          const vp = `${ep}/values/${j}`;
          if (typeof v !== 'string') return c.one(vp, v, 'must be a string', 'quote it');
          if (e.key === 'namespace') {
            const issues = namespaceIssues(v);
            if (issues.length && !UNTRACKED_NAMESPACES.includes(v)) c.one(vp, v, issues[0].problem, issues[0].fix);
          } else if (e.key === 'label') {
            const [k, ...rest] = v.split('=');
            if (rest.length === 0 || k.length === 0) c.one(vp, v, 'must be \'key=value\' (KubeArmor matches labels as k=v strings)', `use '${v}=<value>'`);
            else c.add(vp, labelIssues('', { [k]: rest.join('=') }).map((x) => ({ ...x, field: '' })));
          }
          return undefined;
        });
      });
    }
  }
  return sel;
}

/**
 * Decodes one parsed KubeArmor manifest. `decoded` is set only when there is no issue, and then the
 * policy it describes synthesises back to an object equal to `obj`.
 */
export function decodeManifest(obj: unknown): DecodeResult {
  if (!isObject(obj)) {
    return { issues: [{ pointer: '', value: obj, problem: 'is not a mapping', fix: 'write the policy as apiVersion/kind/metadata/spec', id: 'KA-SCHEMA' }] };
  }
  const kind = typeof obj.kind === 'string' ? KIND_SPECS.get(obj.kind) : undefined;
  const c = new Collector(kind);
  c.keys('', obj, ['apiVersion', 'kind', 'metadata', 'spec']);
  if (obj.apiVersion !== API_VERSION) {
    c.one('/apiVersion', obj.apiVersion, obj.apiVersion === undefined ? 'is required' : 'is not served by the KubeArmor CRDs', `use '${API_VERSION}'`);
  }
  if (!kind) {
    const guess = typeof obj.kind === 'string' ? [...KINDS].sort((a, b) => levenshtein(obj.kind.toLowerCase(), a.toLowerCase()) - levenshtein(obj.kind.toLowerCase(), b.toLowerCase()))[0] : undefined;
    c.one('/kind', obj.kind, obj.kind === undefined ? 'is required' : 'is not a KubeArmor kind', guess ? `use '${guess}' (kinds are case-sensitive)` : `use one of ${KINDS.join(', ')}`);
  }
  const md = decodeMetadata(c, kind, obj.metadata);
  if (!kind) return { issues: c.issues };

  const spec = obj.spec;
  if (spec === undefined || spec === null || (isObject(spec) && Object.keys(spec).length === 0)) {
    c.one('/spec', spec, 'has no rules (the policy would do nothing)', 'add rules, e.g. file.matchDirectories: [{ dir: /usr/bin/, readOnly: true, recursive: true }], or drop the document');
    return { issues: c.issues };
  }
  if (!isObject(spec)) {
    c.one('/spec', spec, 'must be a mapping', 'write spec as a mapping of sections');
    return { issues: c.issues };
  }
  c.keys('/spec', spec, specFields(kind));
  nulls(c, '/spec', spec);
  const specMeta = readMeta(c, '/spec', spec, kind.sections.get('file')!);
  if (spec.apparmor !== undefined && (typeof spec.apparmor !== 'string' || spec.apparmor.trim().length === 0)) {
    c.one('/spec/apparmor', spec.apparmor, 'must be non-empty AppArmor rules', 'remove apparmor, or write AppArmor rule lines');
  }
  const selector = decodeSelector(c, kind, spec);

  const presets: Record<string, unknown>[] = [];
  if (kind.presets && spec.presets !== undefined) {
    if (!Array.isArray(spec.presets) || spec.presets.length === 0) {
      c.one('/spec/presets', spec.presets, Array.isArray(spec.presets) ? 'is empty' : 'must be a list', 'list presets as [{ name: filelessExec, action: Block }], or remove presets');
    } else {
      spec.presets.forEach((p: unknown, i: number) => {
        const at = `/spec/presets/${i}`;
        if (!isObject(p)) return c.one(at, p, 'must be a mapping', 'use { name: filelessExec, action: Block }');
        c.keys(at, p, ['name', 'action']);
        c.add(at, [...fieldIssues('name', 'presetName', p.name), ...(p.action !== undefined ? fieldIssues('action', 'action', p.action) : [])]);
        presets.push(p); // a repeated preset is accepted by the CRD: lint KA043 reports it
        return undefined;
      });
    }
  }

  const sectionMeta = new Map<SectionName, Meta>();
  const rules: DecodedRule[] = [];
  for (const [section, fields] of kind.sections) {
    const body = spec[section];
    const at = `/spec/${section}`;
    if (body === undefined || body === null) continue;
    if (!isObject(body)) {
      c.one(at, body, 'must be a mapping', `write ${section} as a mapping of rule lists`);
      continue;
    }
    const lists = [...kind.lists.values()].filter((l) => l.section === section);
    c.keys(at, body, [...Object.keys(fields), ...lists.map((l) => l.list)]);
    const meta = readMeta(c, at, body, fields);
    if (Object.keys(meta).length > 0) sectionMeta.set(section, meta);
    let count = 0;
    for (const list of lists) {
      const raw = body[list.list];
      const lp = `${at}/${list.list}`;
      if (raw === undefined || raw === null) continue;
      if (!Array.isArray(raw) || raw.length === 0) {
        c.one(lp, raw, Array.isArray(raw) ? 'is an empty rule set' : 'must be a list of rules', `add at least one rule, or remove ${list.list}`);
        continue;
      }
      raw.forEach((rule: unknown, i: number) => {
        const rp = `${lp}/${i}`;
        c.add(rp, ruleIssues(kind, list, rule));
        if (isObject(rule)) {
          emptyTags(c, `${rp}/tags`, rule.tags);
          // A repeated rule is accepted by the CRD: it is kept (lossless) and lint KA043 reports it.
          rules.push({ list, rule });
          count++;
        }
      });
    }
    if (count === 0 && !c.issues.some((i) => i.pointer.startsWith(`${at}/`))) {
      c.one(at, body, 'has no rules (an empty rule set)', `add a rule list (${lists.map((l) => l.list).join(', ')}) or remove ${section}`);
    }
  }
  if (rules.length === 0 && presets.length === 0 && spec.apparmor === undefined && !c.issues.some((i) => i.pointer.startsWith('/spec/'))) {
    c.one('/spec', spec, 'has no rules (the policy would do nothing)', 'add rules, e.g. file.matchDirectories: [{ dir: /usr/bin/, readOnly: true, recursive: true }], or drop the document');
  }
  if (c.issues.length > 0) return { issues: c.issues };
  return {
    decoded: {
      kind: kind.kind,
      name: md.name!,
      namespace: md.namespace,
      labels: md.labels,
      annotations: md.annotations,
      selector,
      specMeta,
      apparmor: spec.apparmor,
      sectionMeta,
      rules,
      presets,
    },
    issues: [],
  };
}
