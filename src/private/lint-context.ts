/**
 * The shared, precomputed context every lint rule reads: the effective policies of the linted manifests,
 * their rules, which policies apply to the same pods, and the helpers that word findings. Built once per
 * lint pass; the rules themselves are pure functions over it (lint-rules.ts).
 */
import { canonicalJson } from './canonical';
import { effectivePolicy, EffectivePolicy, EffectiveRule, Provenance } from './effective';
import { ContainerFilesystem } from './report-kernel';
import { PodIdentity, PodIndex } from './selection';

/** A workload as the lints see it; `filesystems` (the kernel's view of each container) only where known. */
export type LintWorkload = PodIdentity & { readonly name: string; readonly filesystems?: readonly ContainerFilesystem[] };

export interface LintInput {
  /** The workloads of the app; lints that need them are skipped when undefined. */
  readonly workloads?: ReadonlyArray<LintWorkload>;
  /** Per manifest, what its producer knows (rule origins, how the spec action was decided); findings then name the rule's origin. */
  readonly provenance?: ReadonlyArray<Provenance | undefined>;
}

/** An effective rule of one of the linted manifests. */
export interface FlatRule extends EffectiveRule {
  readonly manifest: number;
}

const rulesKeys = new WeakMap<object, string>();

/**
 * A manifest's kind and spec without its selector, canonical: policies with equal keys have the same rules,
 * hence the same verdicts for the pods they select. Memoised per manifest object (the divergence and BPF
 * capacity lints both key their per-group simulation on it).
 */
export function rulesKeyOf(m: any): string {
  let key = rulesKeys.get(m);
  if (key === undefined) {
    const { selector, nodeSelector, ...rest } = m.spec ?? {};
    key = canonicalJson([m.kind, rest]);
    rulesKeys.set(m, key);
  }
  return key;
}

export const FLAG_FIELDS = ['readOnly', 'ownerOnly', 'recursive', 'pts'];

export interface LintContext {
  readonly manifests: readonly any[];
  /** Indices of the manifests that are KubeArmor policies. */
  readonly policies: readonly number[];
  readonly effective: ReadonlyArray<EffectivePolicy | undefined>;
  /** Effective rules per policy index. */
  readonly rules: ReadonlyMap<number, readonly FlatRule[]>;
  /** Whether workloads were given (KA001 and the per-pod grouping need them). */
  readonly hasWorkloads: boolean;
  /** The workloads given (none when undefined). */
  readonly workloads: ReadonlyArray<PodIdentity & { readonly name: string }>;
  /** Per policy index (non-host policies, with workloads): the workloads it selects. */
  readonly selected: ReadonlyMap<number, ReadonlyArray<LintWorkload>>;
  /**
   * Groups of policies that apply to the same pods: per workload when workloads are known (host policies
   * alone), else per kind + namespace + selector. A policy that selects no known workload forms a group of
   * its own, so that conflicts inside one policy never depend on the workloads given.
   */
  readonly podGroups: ReadonlyArray<readonly number[]>;
}

export function buildContext(manifests: readonly any[], input: LintInput): LintContext {
  const effective = manifests.map((m, i) => effectivePolicy(m, input.provenance?.[i]));
  const policies = effective.map((e, i) => (e ? i : -1)).filter((i) => i >= 0);
  const rules = new Map<number, FlatRule[]>(policies.map((i) => [i, effective[i]!.rules.map((r) => ({ ...r, manifest: i }))]));
  const selected = new Map<number, LintWorkload[]>();
  const groups = new Map<string, number[]>();
  const push = (key: string, i: number) => {
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  };
  if (input.workloads) {
    const index = new PodIndex(input.workloads);
    for (const i of policies) {
      const m = manifests[i];
      if (m.kind === 'KubeArmorHostPolicy') {
        push(`host|${i}`, i);
        continue;
      }
      const hit = index.selectedBy(m);
      selected.set(i, hit);
      for (const w of hit) push(`${w.namespace ?? 'default'}/${w.name}`, i);
      if (hit.length === 0) push(`none|${i}`, i);
    }
  } else {
    // Without workloads, policies apply to the same pods when they have the same kind, namespace and selector.
    for (const i of policies) {
      const m = manifests[i];
      push(`${m.kind}|${m.metadata?.namespace ?? ''}|${canonicalJson(m.spec?.selector ?? m.spec?.nodeSelector ?? {})}`, i);
    }
  }
  return {
    manifests,
    policies,
    effective,
    rules,
    hasWorkloads: input.workloads !== undefined,
    workloads: input.workloads ?? [],
    selected,
    podGroups: [...groups.values()],
  };
}

/** The identity of the rule's target and sources: two rules with the same key apply to the same thing. */
export function ruleKey(r: FlatRule): string {
  // Several rules group by key: computed once per rule of a lint pass (FlatRules are built per pass).
  let key = RULE_KEYS.get(r);
  if (key === undefined) {
    key = `${r.list.id}|${r.list.key.map((k) => canonicalJson(r.rule[k] ?? null)).join('|')}|${sourcesKey(r)}`;
    RULE_KEYS.set(r, key);
  }
  return key;
}
const RULE_KEYS = new WeakMap<FlatRule, string>();

/**
 * The {@link ruleKey} of `r` with its `field` set to `value` (e.g. the other merged-/usr spelling of its
 * path), without building that rule.
 */
export function ruleKeyWith(r: FlatRule, field: string, value: string): string {
  return `${r.list.id}|${r.list.key.map((k) => canonicalJson((k === field ? value : r.rule[k]) ?? null)).join('|')}|${sourcesKey(r)}`;
}

/** The sources part of a rule key (fromSource, order-insensitive), memoised per rule. */
function sourcesKey(r: FlatRule): string {
  let src = SOURCE_KEYS.get(r);
  if (src === undefined) {
    const sources = r.rule.fromSource ?? [];
    src = Array.isArray(sources) && sources.length === 0 ? '[]' : canonicalJson([...sources].map((s: any) => canonicalJson(s)).sort());
    SOURCE_KEYS.set(r, src);
  }
  return src;
}
const SOURCE_KEYS = new WeakMap<FlatRule, string>();

const RULES_BY_POINTER = new WeakMap<readonly FlatRule[], Map<string, FlatRule>>();

/**
 * The rule of policy `manifest` at JSON pointer `pointer` (the first one, as `rules.find` would return), looked
 * up in a pointer index built once per policy's rule list of a lint pass; undefined when none.
 */
export function ruleAt(ctx: LintContext, manifest: number, pointer: string): FlatRule | undefined {
  const rules = ctx.rules.get(manifest);
  if (rules === undefined) return undefined;
  let index = RULES_BY_POINTER.get(rules);
  if (index === undefined) {
    index = new Map();
    for (const f of rules) if (!index.has(f.pointer)) index.set(f.pointer, f);
    RULES_BY_POINTER.set(rules, index);
  }
  return index.get(pointer);
}

const RULES_BY_KEY = new WeakMap<LintContext['rules'], WeakMap<readonly number[], Map<string, FlatRule[]>>>();

/**
 * Whether a rule of `group` other than `r` has the same {@link ruleKey} as `r`; the group's rules are indexed by
 * key once per group of a lint pass (each list keeps its first two rules, enough to tell another one apart).
 */
export function hasSameKeyRule(ctx: LintContext, group: readonly number[], r: FlatRule): boolean {
  let byGroup = RULES_BY_KEY.get(ctx.rules);
  if (byGroup === undefined) { byGroup = new WeakMap(); RULES_BY_KEY.set(ctx.rules, byGroup); }
  let index = byGroup.get(group);
  if (index === undefined) {
    index = new Map();
    for (const i of group) {
      for (const o of ctx.rules.get(i)!) {
        const k = ruleKey(o);
        const list = index.get(k);
        if (list === undefined) index.set(k, [o]);
        else if (list.length < 2 && list[0] !== o) list.push(o);
      }
    }
    byGroup.set(group, index);
  }
  return (index.get(ruleKey(r)) ?? []).some((o) => o !== r);
}

/** Whether two rules differ in action or flags. */
export function differs(a: FlatRule, b: FlatRule): boolean {
  return a.action !== b.action || FLAG_FIELDS.some((f) => (a.rule[f] ?? false) !== (b.rule[f] ?? false));
}

export function describeRule(r: FlatRule): string {
  const what = r.list.key.map((k) => r.rule[k]).filter((v) => v !== undefined).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ');
  const flags = FLAG_FIELDS.filter((f) => r.rule[f] !== undefined).map((f) => `${f}=${r.rule[f]}`);
  return `${r.list.id} ${what} (${[`action=${r.action}`, ...flags].join(', ')})`;
}

export function policyName(m: any): string {
  return `${m.kind}/${m.metadata?.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata?.name}`;
}
