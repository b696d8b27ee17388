/**
 * Compliance evidence read from what is emitted: the effective policy of each policy's manifest (tags
 * after inheritance — rule tags replace the section's and the spec's — and each rule's effective action
 * and how it was decided). A control is evidenced by the rules that carry its tag, nothing else.
 */
import { ComplianceControl } from '../compliance';
import { Decision, describeOrigin, EffectivePolicy, EffectiveRule } from './effective';

export interface RuleEvidence {
  /** JSON pointer of the rule in its policy, e.g. `/spec/file/matchDirectories/0`. */
  readonly pointer: string;
  /** The rule list, e.g. `file.matchDirectories`. */
  readonly list: string;
  /** What it protects: the dir, path, pattern, execname, ... as written. */
  readonly target: string;
  readonly action: string;
  /** How the action was decided: `rule action`, `spec.file.action`, the spec's origin, or KubeArmor's default. */
  readonly actionOrigin: string;
  /** Where the rule came from: construct and call or item, or YAML file, line and document. */
  readonly origin: string;
  readonly readOnly: boolean;
  readonly recursive: boolean;
  readonly controls: ComplianceControl[];
}

function actionOrigin(r: EffectiveRule, specOrigin: string | undefined): string {
  const by: Decision = r.decidedBy.action;
  if (by === 'explicit') return 'rule action';
  if (by === 'section') return `spec.${r.list.section}.action`;
  if (by === 'syscall-audit') return 'syscall rules always audit';
  if (by === 'spec' || by === 'rollout') return specOrigin ?? 'construct action';
  return specOrigin ?? 'KubeArmor default (spec.action not set)';
}

function targetOf(r: EffectiveRule): string {
  const v = r.list.key.map((k) => r.rule[k]).find((x) => x !== undefined);
  return typeof v === 'string' ? v : JSON.stringify(v ?? null);
}

/** Every rule of `policy` that carries at least one compliance control after inheritance. */
export function ruleEvidence(policy: EffectivePolicy): RuleEvidence[] {
  const specOrigin = policy.specActionDecision?.origin;
  const out: RuleEvidence[] = [];
  for (const r of policy.rules) {
    const claimed = r.tags.map((t) => ComplianceControl._fromTag(t)).filter((c): c is ComplianceControl => c !== undefined);
    const controls = ComplianceControl._canonical(claimed);
    if (controls.length === 0) continue;
    out.push({
      pointer: r.pointer,
      list: r.list.id,
      target: targetOf(r),
      action: r.action,
      actionOrigin: actionOrigin(r, specOrigin),
      origin: describeOrigin(r.origin),
      readOnly: r.rule.readOnly === true,
      recursive: r.rule.recursive === true,
      controls,
    });
  }
  return out;
}

/** `prevention` when any rule blocks, `detection` when they only audit, `allow-list` otherwise. */
export function protectionOf(rules: readonly RuleEvidence[]): string {
  if (rules.some((r) => r.action === 'Block')) return 'prevention';
  if (rules.some((r) => r.action === 'Audit')) return 'detection';
  return 'allow-list';
}

/** One policy of a report: what the manifest says (rules after inheritance), described by the construct that emitted it. */
export interface PolicyEvidence {
  readonly name: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly constructPath: string;
  readonly construct: string;
  readonly target: string;
  readonly severity?: number;
  /** The rules that carry a control, after inheritance. */
  readonly rules: RuleEvidence[];
  readonly controls: ComplianceControl[];
  /** The effective policy of the emitted manifest. */
  readonly effective: EffectivePolicy;
}

/** The evidence of one policy, for all its controls or for one. */
export function policyJson(e: PolicyEvidence, control?: ComplianceControl): any {
  const rules = control ? e.rules.filter((r) => r.controls.some((c) => c.key === control.key)) : e.rules;
  return {
    name: e.name,
    kind: e.kind,
    ...(e.namespace !== undefined ? { namespace: e.namespace } : {}),
    construct: e.construct,
    constructPath: e.constructPath,
    target: e.target,
    action: distinct(rules, (r) => r.action, '/'),
    actionOrigin: distinct(rules, (r) => r.actionOrigin, '; '),
    protection: protectionOf(rules),
    ...(e.severity !== undefined ? { severity: e.severity } : {}),
    directories: rules.filter((r) => r.list === 'file.matchDirectories').map((r) => ({ dir: r.target, recursive: r.recursive, readOnly: r.readOnly })),
    paths: rules.filter((r) => r.list === 'file.matchPaths').map((r) => ({ path: r.target, readOnly: r.readOnly })),
    rules: rules.map((r) => ({
      pointer: r.pointer,
      list: r.list,
      target: r.target,
      action: r.action,
      actionOrigin: r.actionOrigin,
      origin: r.origin,
      controls: r.controls.map((c) => c.tag),
    })),
  };
}

/** The distinct values of `f` over `rules`, sorted, joined. */
export function distinct(rules: readonly RuleEvidence[], f: (r: RuleEvidence) => string, sep: string): string {
  return [...new Set(rules.map(f))].sort().join(sep);
}
