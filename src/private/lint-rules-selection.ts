/**
 * Lint rules about what a policy selects and what KubeArmor then does with it, beyond the rules themselves
 * (issue #13's silent classes): whole-namespace selectors, syscall rules under a Block or Allow policy, pods
 * that opt out of enforcement by annotation, patterns the alert matcher drops, near-miss container names.
 * Rows of the one lint table (lint-rules.ts concatenates them); each cites the KubeArmor code it ports.
 */
import { goRegexpError } from './go-syntax';
import { LintContext, policyName } from './lint-context';
import type { Finding, LintRuleRow } from './lint-rules';
import { compileSelector, PodIdentity } from './selection';
import { CONTAINER_LABEL, levenshtein } from './validate';

/** The pod annotation KubeArmor reads per pod (KubeArmor/core/kubeUpdate.go, "== Policy =="). */
export const POLICY_ANNOTATION = 'kubearmor-policy';

type Mode = 'enabled' | 'disabled' | 'audited';

/**
 * What KubeArmor makes of a pod's `kubearmor-policy` annotation: `disabled` and `audited` as written, any
 * other value (or none) `enabled`; pods labelled `io.cilium/app` are forced to `audited` (kube-system too, but
 * it is untracked and never selected).
 */
export function podPolicyMode(pod: PodIdentity): { mode: Mode; why: string } {
  const v = pod.annotations?.[POLICY_ANNOTATION];
  if (v === 'disabled' || v === 'audited') return { mode: v, why: `annotated ${POLICY_ANNOTATION}: ${v}` };
  if (pod.labels['io.cilium/app'] !== undefined) return { mode: 'audited', why: 'labelled io.cilium/app (KubeArmor audits Cilium\'s pods only)' };
  return { mode: 'enabled', why: '' };
}

function at(manifest: number, jsonPath: string, message: string, related: number[] = []): Finding {
  return { manifest, jsonPath, message, related };
}

function perPolicy(f: (ctx: LintContext, i: number, m: any) => Finding[]): (ctx: LintContext) => Finding[] {
  return (ctx) => ctx.policies.flatMap((i) => f(ctx, i, ctx.manifests[i]));
}

function selectedWith(ctx: LintContext, i: number, mode: Mode): Array<{ name: string; why: string }> {
  return (ctx.selected.get(i) ?? []).map((w) => ({ name: w.name, ...podPolicyMode(w) })).filter((w) => w.mode === mode);
}

function names(list: Array<{ name: string; why: string }>): string {
  const shown = list.slice(0, 3).map((w) => `${w.name} (${w.why})`).join(', ');
  return list.length > 3 ? `${shown} and ${list.length - 3} more` : shown;
}

/**
 * KA001's hint when a policy's `kubearmor.io/container.name` list is what makes it miss: the workloads its
 * labels select, and the nearest container name for each unknown one.
 */
export function containerHint(ctx: LintContext, m: any): string {
  const p = compileSelector(m);
  if (m.kind !== 'KubeArmorPolicy' || p.containers === undefined) return '';
  const byLabels = ctx.workloads.filter((w) => (w.namespace ?? 'default') === p.namespace
    && p.identities.every((id) => { const k = id.slice(0, id.indexOf('=')); return w.labels[k] === id.slice(k.length + 1); }));
  const known = [...new Set(byLabels.flatMap((w) => w.containers ?? []))];
  if (known.length === 0) return '';
  const unknown = p.containers.filter((c) => !known.includes(c));
  const guesses = unknown.map((c) => {
    const best = [...known].sort((a, b) => levenshtein(c, a) - levenshtein(c, b))[0];
    return levenshtein(c, best) <= Math.max(2, Math.floor(c.length / 3)) ? `'${c}' (did you mean '${best}'?)` : `'${c}'`;
  });
  return `; its labels select ${byLabels.map((w) => w.name).join(', ')}, whose containers are ${known.join(', ')}, but ${CONTAINER_LABEL} lists ${guesses.join(', ')}`;
}

export const SELECTION_LINTS: readonly LintRuleRow[] = [
  {
    id: 'KA030',
    name: 'whole-namespace-selector',
    severity: 'warning',
    summary: 'A KubeArmorPolicy with no selector, `selector: {}` or no pod labels (only `kubearmor.io/container.name`, no label expressions) selects every pod of its namespace, including pods deployed there later.',
    fix: 'Select the workload\'s pods (PolicyTarget.workload or PolicyTarget.podLabels); when the whole namespace is meant, use PolicyTarget.namespace(), which acknowledges this lint, or acknowledge KA030.',
    check: perPolicy((_ctx, i, m) => {
      if (m.kind !== 'KubeArmorPolicy') return [];
      const p = compileSelector(m);
      if (p.identities.length > 0 || p.labelExpressions.inValues.length > 0 || p.labelExpressions.notInValues.length > 0) return [];
      const how = m.spec?.selector === undefined ? 'has no selector' : Object.keys(m.spec.selector.matchLabels ?? {}).length === 0 ? 'has an empty selector' : `selects by ${CONTAINER_LABEL} only`;
      return [at(i, m.spec?.selector === undefined ? '/spec' : '/spec/selector', `${policyName(m)} ${how}: it applies to every pod in namespace ${p.namespace}${p.containers ? ` (containers ${p.containers.join(', ')})` : ''}, including pods deployed there later`)];
    }),
  },
  {
    id: 'KA031',
    name: 'syscalls-always-audit',
    severity: 'warning',
    summary: 'A policy with spec `action: Block` (or Allow) also has syscall rules: KubeArmor only ever audits syscalls (feeder/policyMatcher.go newMatchPolicy sets Action "Audit"), so nothing is blocked for them.',
    fix: 'Move the syscall rules to a policy with action Audit (or none), and block the behaviour with process or file rules; acknowledge when auditing them is meant.',
    check: perPolicy((ctx, i, m) => {
      const action = ctx.effective[i]!.specAction;
      const explicit = typeof m.spec?.action === 'string' && m.spec.action !== '';
      const syscalls = ctx.rules.get(i)!.filter((r) => r.list.section === 'syscalls');
      if (!explicit || action === 'Audit' || syscalls.length === 0) return [];
      return [at(i, syscalls[0].pointer, `${policyName(m)} has action ${action}, but its ${syscalls.length} syscall rule(s) only audit: KubeArmor never blocks a syscall`)];
    }),
  },
  {
    id: 'KA032',
    name: 'pod-policy-disabled',
    severity: 'error',
    summary: 'The policy selects pods annotated `kubearmor-policy: disabled`: KubeArmor loads an empty profile for them (enforcer/appArmorEnforcer.go) and matches no policy, so the policy neither enforces nor alerts there.',
    fix: 'Remove the annotation from the pod template (or set it to enabled), or stop selecting those pods; acknowledge when they are deliberately unprotected.',
    check: perPolicy((ctx, i, m) => {
      const off = selectedWith(ctx, i, 'disabled');
      return off.length ? [at(i, '/spec/selector', `${policyName(m)} selects ${names(off)}: KubeArmor neither enforces nor alerts on those pods`)] : [];
    }),
  },
  {
    id: 'KA033',
    name: 'pod-policy-audited',
    severity: 'warning',
    summary: 'The policy blocks or allows on pods annotated `kubearmor-policy: audited` (or labelled `io.cilium/app`): KubeArmor enforces nothing there and reports Block and Allow matches as "Audit (Block)" / "Audit (Allow)" (feeder/policyMatcher.go).',
    fix: 'Remove the annotation from the pod template (or set it to enabled) to enforce; acknowledge when audit-only is meant (e.g. a staged rollout).',
    check: perPolicy((ctx, i, m) => {
      const enforcing = ctx.rules.get(i)!.find((r) => r.list.section !== 'syscalls' && r.action !== 'Audit');
      const audited = enforcing ? selectedWith(ctx, i, 'audited') : [];
      return audited.length ? [at(i, enforcing!.pointer, `${policyName(m)} has ${enforcing!.action} rules, but selects ${names(audited)}: KubeArmor only audits there`)] : [];
    }),
  },
  {
    id: 'KA034',
    name: 'pattern-dropped-by-alert-matcher',
    severity: 'warning',
    summary: 'KubeArmor\'s alert matcher compiles each matchPatterns pattern with Go regexp.Compile and skips the rule when that fails (feeder/policyMatcher.go), as it does for any pattern with `**`: AppArmor still enforces it, but its alerts do not name this policy.',
    fix: 'Use matchDirectories with recursive: true (both enforcers, and alerts name the policy), or acknowledge when enforcement without attribution is enough.',
    check: (ctx) => ctx.policies.flatMap((i) => ctx.rules.get(i)!.flatMap((r) => {
      const error = r.list.list === 'matchPatterns' && typeof r.rule.pattern === 'string' ? goRegexpError(r.rule.pattern) : undefined;
      return error ? [at(i, r.pointer, `pattern ${r.rule.pattern} in ${policyName(ctx.manifests[i])} is not a Go regular expression (${error}): the alert matcher skips it`)] : [];
    })),
  },
];
