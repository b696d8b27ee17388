/** Text, Markdown and JSON renderings of a diff report. */
import type { AccessDifference, LintDifference, PolicyDiffReport, RuleDifference, WorkloadDifference } from '../diff-report';

/** Accesses shown per workload in text and Markdown (JSON lists all). */
export const MAX_ACCESSES = 12;

const SIGN: Record<string, string> = { ADDED: '+', REMOVED: '-', CHANGED: '~', UNCHANGED: '=' };

/** Rule lines, those of one list with the same change, effect and policies on one line. */
function ruleLines(rules: readonly RuleDifference[]): string[] {
  const groups = new Map<string, { first: RuleDifference; targets: string[] }>();
  for (const r of rules) {
    const list = r.rule.split(' ')[0];
    const k = `${r.change}|${list}|${r.before}|${r.after}|${r.policies.join(',')}`;
    const g = groups.get(k);
    if (g) g.targets.push(r.rule.slice(list.length + 1));
    else groups.set(k, { first: r, targets: [r.rule.slice(list.length + 1)] });
  }
  return [...groups.values()].map(({ first: r, targets }) => {
    const effect = r.change === 'CHANGED' ? `${r.before} → ${r.after}` : r.change === 'ADDED' ? r.after : r.before;
    const what = `${r.rule.split(' ')[0]} ${targets.join(', ')}`;
    return `${SIGN[r.change]} ${r.change.toLowerCase()} ${what}: ${effect} (${r.policies.join(', ')})`;
  });
}

/** Lint lines, one per lint ID, change and policy (the count and the first message). */
function lintLines(lints: readonly LintDifference[]): string[] {
  const groups = new Map<string, { first: LintDifference; n: number }>();
  for (const l of lints) {
    const k = `${l.change}|${l.id}|${l.policyName}`;
    const g = groups.get(k);
    if (g) g.n++;
    else groups.set(k, { first: l, n: 1 });
  }
  return [...groups.values()].map(({ first: l, n }) => `${l.change === 'ADDED' ? 'new' : 'resolved'} ${l.id} ${l.severity}${n > 1 ? ` ×${n}` : ''} (${l.policyName}): ${l.message}${n > 1 ? ' (and similar)' : ''}`);
}

function sections(w: WorkloadDifference): Array<[string, string[]]> {
  const acc = w.accesses.slice(0, MAX_ACCESSES).map((a: AccessDifference) => a.description);
  if (w.accesses.length > MAX_ACCESSES) acc.push(`… and ${w.accesses.length - MAX_ACCESSES} more (--format json lists all)`);
  return [
    ['protection', ruleLines(w.protection)],
    ['posture', w.posture],
    ['selection', w.selection],
    ['alerts', w.alerts],
    ['lint findings', lintLines(w.lints)],
    ['compliance', w.compliance],
    [`accesses decided differently (${w.accesses.length})`, acc],
    ['enforcer divergence', w.divergence],
  ];
}

function headline(r: PolicyDiffReport): string {
  const changed = r.changedWorkloads.length;
  const base = `${r.policies[0]} KubeArmor ${r.policies[0] === 1 ? 'policy' : 'policies'} before, ${r.policies[1]} after; `
    + `${r.workloads.length} ${r.workloadsKnown ? 'workload' : 'selector-derived workload'}${r.workloads.length === 1 ? '' : 's'}`;
  return r.hasChanges ? `${base}, ${changed} changed` : `${base}: no enforcement change`;
}

function tail(r: PolicyDiffReport): Array<[string, string[]]> {
  return [
    ['policies now selecting no workload', r.newlySelectingNothing],
    ['lint findings of policies selecting no workload', lintLines(r.otherLints)],
    ['renamed (no enforcement change)', r.renames.map((x) => `${x.before} → ${x.after}`)],
  ];
}

export function renderText(r: PolicyDiffReport): string {
  const lines = [`diff: ${headline(r)}`];
  for (const w of r.workloads) {
    if (w.change === 'UNCHANGED') {
      if (w.notes.length > 0) lines.push(`${w.workload}: ${w.notes.join('; ')}`);
      continue;
    }
    lines.push(`${w.workload}: ${w.change === 'ADDED' ? 'new workload' : w.change === 'REMOVED' ? 'workload removed' : 'changed'}`);
    for (const [title, items] of sections(w)) {
      if (items.length === 0) continue;
      lines.push(`  ${title}:`);
      for (const i of items) lines.push(`    ${i}`);
    }
  }
  for (const [title, items] of tail(r)) {
    if (items.length === 0) continue;
    lines.push(`${title}:`);
    for (const i of items) lines.push(`  ${i}`);
  }
  return `${lines.join('\n')}\n`;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}

export function renderMarkdown(r: PolicyDiffReport): string {
  const out = ['### cdk8s-kubearmor diff', '', `${headline(r)}.`, ''];
  const changed = r.changedWorkloads;
  if (changed.length > 0) {
    out.push('| workload | change | protection | posture | selection | alerts | lints | compliance | accesses |', '|---|---|---|---|---|---|---|---|---|');
    for (const w of changed) {
      const n = (x: readonly unknown[]) => (x.length === 0 ? '' : String(x.length));
      out.push(`| ${cell(code(w.workload))} | ${w.change.toLowerCase()} | ${n(w.protection)} | ${n(w.posture)} | ${n(w.selection)} | ${n(w.alerts)} | ${n(w.lints)} | ${n(w.compliance)} | ${n(w.accesses)}${w.divergence.length ? ` (+${w.divergence.length} divergence)` : ''} |`);
    }
    out.push('');
    for (const w of changed) {
      out.push(`<details><summary>${w.workload.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</summary>`, '');
      for (const [title, items] of sections(w)) {
        if (items.length === 0) continue;
        out.push(`**${title}**`, '', ...items.map((i) => `- ${code(i)}`), '');
      }
      out.push('</details>', '');
    }
  }
  const unchanged = r.workloads.filter((w) => w.change === 'UNCHANGED' && w.notes.length > 0);
  for (const w of unchanged) out.push(`- ${code(w.workload)}: ${w.notes.join('; ')}`);
  if (unchanged.length > 0) out.push('');
  for (const [title, items] of tail(r)) {
    if (items.length === 0) continue;
    out.push(`**${title}**`, '', ...items.map((i) => `- ${code(i)}`), '');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

export function renderJson(r: PolicyDiffReport): any {
  return {
    version: 1,
    hasChanges: r.hasChanges,
    policies: { before: r.policies[0], after: r.policies[1] },
    workloadsKnown: r.workloadsKnown,
    workloads: r.workloads,
    renames: r.renames,
    newlySelectingNothing: r.newlySelectingNothing,
    otherLints: r.otherLints,
  };
}
