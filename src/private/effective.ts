/**
 * The effective policy: what KubeArmor enforces and alerts with, read from one KubeArmor object (the
 * manifest a construct renders, or a decoded YAML document). Every rule carries its action, severity,
 * tags and message after inheritance, resolved once here by KubeArmor's own rules, its JSON pointer, and
 * how each value was decided. The lints, the simulator's compile step and ComplianceReport read this.
 *
 * Also the one place for: "is this a KubeArmor object", the policy identity key and "does this directory
 * rule cover this path".
 */
import { KIND_SPECS, KindName, KINDS, ListSpec } from './schema';

export type EffectiveAction = 'Allow' | 'Audit' | 'Block';

/**
 * Where an effective value came from: the rule itself, its section (`spec.file.severity`), the spec
 * (`spec.severity`), KubeArmor's default (action Block, severity 0, no tags, no message), or the fixed
 * Audit of syscall rules (the CRD has no action there; KubeArmor only audits syscalls).
 */
export type Decision = 'explicit' | 'section' | 'spec' | 'rollout' | 'default' | 'syscall-audit';

/**
 * Where a rule came from: the construct that added it and how (`addFileDirectory`, `fileDirectories[0]`,
 * `preset SYSTEM_BINARIES`, `fromManifest`), and for imported YAML the file, document and line.
 */
export interface RuleOrigin {
  /** Construct path ('' for a manifest read without constructs). */
  readonly construct: string;
  readonly via: string;
  readonly file?: string;
  /** 1-based document index within `file`. */
  readonly document?: number;
  /** 1-based line of the rule within `file`. */
  readonly line?: number;
}

/** An origin in words: `shop/fim (preset SYSTEM_BINARIES)` or `legacy.yaml:12 (document 2)`. */
export function describeOrigin(o: RuleOrigin): string {
  if (o.file !== undefined) return `${o.file}:${o.line ?? 1} (document ${o.document ?? 1})`;
  return o.construct === '' ? o.via : `${o.construct} (${o.via})`;
}

/** How the spec action of a policy was decided by the construct that emits it. */
export interface SpecActionDecision {
  readonly action: string;
  /** `explicit` (a construct prop), `rollout` (a staged rollout switch) or `default` (the construct's default). */
  readonly by: 'explicit' | 'rollout' | 'default';
  /** In words, for the report: `construct action`, `staged rollout set on shop`, `default`. */
  readonly origin: string;
}

/** What only the producer of a manifest knows: where each rule came from and how the spec action was decided. */
export interface Provenance {
  readonly specAction?: SpecActionDecision;
  /** The origin of the rule at a JSON pointer (`/spec/file/matchDirectories/0`). */
  originOf(pointer: string): RuleOrigin | undefined;
}

/** Where a policy read from YAML came from (the lint CLI and the validation plugin). */
export function yamlProvenance(file: string, document: number, lineOf: (pointer: string) => number): Provenance {
  return { originOf: (pointer) => ({ construct: '', via: pointer, file, document, line: lineOf(pointer) }) };
}

export interface EffectiveRule {
  readonly list: ListSpec;
  /** Index of the rule within its list, as written. */
  readonly index: number;
  /** JSON pointer of the rule inside its object, e.g. `/spec/file/matchDirectories/0`. */
  readonly pointer: string;
  /** The rule as written (not copied: do not mutate). */
  readonly rule: Readonly<Record<string, any>>;
  readonly action: EffectiveAction;
  /** 0 = none (alerts then carry Severity "0"). */
  readonly severity: number;
  /** The rule's tags: its own when it has any, else the section's, else the spec's (tags replace, never merge). */
  readonly tags: readonly string[];
  readonly message: string;
  readonly decidedBy: { readonly action: Decision; readonly severity: Decision; readonly tags: Decision; readonly message: Decision };
  /** Where the rule came from (construct path and method, or file, document and line). */
  readonly origin: RuleOrigin;
}

export interface EffectivePolicy {
  readonly kind: KindName;
  readonly name: string;
  readonly namespace?: string;
  /** `kind/namespace/name` ({@link policyKey}). */
  readonly key: string;
  /** The spec action after KubeArmor's normalisation (`''` → Block, lowercase accepted). */
  readonly specAction: EffectiveAction;
  /** How the producing construct decided the spec action, when one did. */
  readonly specActionDecision?: SpecActionDecision;
  readonly rules: readonly EffectiveRule[];
  /** The object it was read from (not copied). */
  readonly manifest: any;
}

const GROUP = 'security.kubearmor.com/';

/**
 * Recognises KubeArmor objects, in two strengths: `strict` = API group `security.kubearmor.com/` and one
 * of the three kinds (what the enforcers and the lints consider); `claimed` = the API group or any
 * spelling of a kind (what import and the lint CLI must check and report on, rather than skip).
 */
export function kubeArmorKind(obj: unknown, strength: 'strict' | 'claimed' = 'strict'): KindName | undefined {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const o = obj as Record<string, unknown>;
  const inGroup = typeof o.apiVersion === 'string' && o.apiVersion.startsWith(GROUP);
  const kind = typeof o.kind === 'string' ? KINDS.find((k) => k === o.kind) : undefined;
  if (strength === 'strict') return inGroup ? kind : undefined;
  if (kind) return kind;
  const loose = typeof o.kind === 'string' ? KINDS.find((k) => k.toLowerCase() === (o.kind as string).toLowerCase()) : undefined;
  return loose ?? (inGroup ? 'KubeArmorPolicy' : undefined);
}

/**
 * The identity of a policy object as the cluster (and KubeArmor) sees it: kind, namespace (only for the
 * namespaced KubeArmorPolicy; `default` when unset, as kubectl applies it) and name.
 */
export function policyKey(kind: string, namespace: string | undefined, name: string | undefined): string {
  return `${kind}/${kind === 'KubeArmorPolicy' ? namespace ?? 'default' : ''}/${name ?? ''}`;
}

/**
 * Whether a directory rule covers a path (file or directory, absolute): recursive = everything below
 * `dir`; otherwise only its direct children (KubeArmor: `dir*` vs `dir**` in AppArmor, the BPF-LSM
 * directory key without / with the recursive flag).
 */
export function dirCovers(dir: string, recursive: boolean, path: string): boolean {
  if (!path.startsWith(dir)) return false;
  if (recursive) return true;
  const rest = path.slice(dir.length).replace(/\/$/, '');
  return !rest.includes('/');
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function sev(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0;
}

function tagsOf(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : [];
}

/** KubeArmor normalises only the spec action (kubeUpdate.go: "allow"/"audit"/"block" and "" → Block). */
export function normaliseSpecAction(v: unknown): EffectiveAction {
  const s = str(v);
  if (s === '') return 'Block';
  const known = (['Allow', 'Audit', 'Block'] as const).find((a) => a.toLowerCase() === s.toLowerCase());
  return known ?? (s as EffectiveAction);
}

function pick<T>(rule: T, section: T, spec: T, set: (v: T) => boolean): { value: T; by: Decision } {
  if (set(rule)) return { value: rule, by: 'explicit' };
  if (set(section)) return { value: section, by: 'section' };
  return { value: spec, by: set(spec) ? 'spec' : 'default' };
}

/**
 * Rule → section → spec, as KubeArmor's `UpdateSecurityPolicies` resolves it (KubeArmor/core/kubeUpdate.go,
 * "add severities, tags, messages, and actions"): a zero value (severity 0, empty tags, empty message,
 * empty action) inherits, anything else wins whole — tags replace, never merge.
 */
export function inherit(rule: any, section: any, spec: any, syscalls: boolean, specDecision?: SpecActionDecision):
Omit<EffectiveRule, 'list' | 'index' | 'pointer' | 'rule' | 'origin'> {
  const severity = pick(sev(rule?.severity), sev(section?.severity), sev(spec?.severity), (v) => v !== 0);
  const tags = pick(tagsOf(rule?.tags), tagsOf(section?.tags), tagsOf(spec?.tags), (v) => v.length > 0);
  const message = pick(str(rule?.message), str(section?.message), str(spec?.message), (v) => v.length > 0);
  const specAction = str(spec?.action);
  const action = syscalls ? { value: 'Audit', by: 'syscall-audit' as Decision }
    : pick(str(rule?.action), str(section?.action), specAction, (v) => v.length > 0);
  const actionBy: Decision = action.by !== 'spec' || !specDecision ? action.by
    : specDecision.by === 'rollout' ? 'rollout' : specDecision.by === 'default' ? 'default' : 'spec';
  return {
    action: (action.by === 'spec' || action.by === 'default' ? normaliseSpecAction(specAction) : action.value) as EffectiveAction,
    severity: severity.value,
    tags: tags.value,
    message: message.value,
    decidedBy: { action: actionBy, severity: severity.by, tags: tags.by, message: message.by },
  };
}

/**
 * The effective policy of one KubeArmor object; undefined for anything else. Never throws. `provenance`
 * (from the construct's model, or {@link yamlProvenance}) gives each rule its origin.
 */
export function effectivePolicy(manifest: any, provenance?: Provenance): EffectivePolicy | undefined {
  const kind = kubeArmorKind(manifest);
  if (!kind) return undefined;
  const spec = manifest.spec !== null && typeof manifest.spec === 'object' ? manifest.spec : {};
  const rules: EffectiveRule[] = [];
  for (const list of KIND_SPECS.get(kind)!.lists.values()) {
    const section = spec[list.section] !== null && typeof spec[list.section] === 'object' ? spec[list.section] : {};
    const items = Array.isArray(section[list.list]) ? section[list.list] : [];
    items.forEach((rule: any, index: number) => {
      const pointer = `/spec/${list.section}/${list.list}/${index}`;
      rules.push({
        list,
        index,
        pointer,
        rule: rule !== null && typeof rule === 'object' ? rule : {},
        ...inherit(rule, section, spec, list.section === 'syscalls', provenance?.specAction),
        origin: provenance?.originOf(pointer) ?? { construct: '', via: pointer },
      });
    });
  }
  const name = typeof manifest.metadata?.name === 'string' ? manifest.metadata.name : '';
  const namespace = typeof manifest.metadata?.namespace === 'string' ? manifest.metadata.namespace : undefined;
  return {
    kind,
    name,
    namespace,
    key: policyKey(kind, namespace, name),
    specAction: normaliseSpecAction(spec.action),
    specActionDecision: provenance?.specAction,
    rules,
    manifest,
  };
}
