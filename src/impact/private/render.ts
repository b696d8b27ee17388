/** Text, Markdown and JSON renderings of an impact report; findings grouped workload → policy → rule → access. */
import type { ImpactFinding, ImpactKind, ImpactReport } from '../impact-report';

const TITLES: Record<string, string> = {
  NEWLY_DENIED: 'Would be newly denied',
  STILL_DENIED: 'Denied before and after',
  NEWLY_PERMITTED: 'Would be newly permitted',
  ALERT_CHANGED: 'Alert changes',
};
const KINDS = ['NEWLY_DENIED', 'STILL_DENIED', 'NEWLY_PERMITTED', 'ALERT_CHANGED'];

function plural(n: number, word: string): string {
  if (n === 1) return `${n} ${word}`;
  if (word.endsWith('access')) return `${n} ${word}es`;
  if (word.endsWith('policy')) return `${n} ${word.slice(0, -1)}ies`;
  return `${n} ${word}s`;
}

function span(f: ImpactFinding): string {
  if (f.firstSeen === '') return '';
  return f.firstSeen === f.lastSeen ? ` at ${f.firstSeen}` : ` from ${f.firstSeen} to ${f.lastSeen}`;
}

function access(f: ImpactFinding): string {
  return `${f.operation} ${f.target}${f.process ? ` by ${f.process}` : ''}`;
}

function where(x: { policyName: string; constructPath?: string }): string {
  return `${x.policyName || '(no policy)'}${x.constructPath ? ` (construct ${x.constructPath})` : ''}`;
}

function rule(f: { rulePointers: string[]; ruleSource?: string }): string {
  if (f.rulePointers.length === 0) return '(no rule)';
  return `${f.rulePointers.join(', ')}${f.ruleSource ? ` (${f.ruleSource})` : ''}`;
}

function header(r: ImpactReport): string {
  const s = r.settings;
  return `impact: ${plural(r.records, 'record')} read, ${r.replayed} replayed (${plural(r.distinctAccesses, 'distinct access')}), `
    + `${r.skipped.reduce((n, x) => n + x.count, 0)} skipped; ${plural(s.policies, 'policy')}`
    + `${s.asBlock ? ' with Audit replayed as Block' : ''}, enforcer ${s.enforcer}, file posture ${s.filePosture}`;
}

function byKind(r: ImpactReport, kind: string): ImpactFinding[] {
  return r.findings.filter((f) => f.kind === (kind as ImpactKind));
}

export function renderText(r: ImpactReport, options: { readonly explain?: boolean } = {}): string {
  const out: string[] = [header(r)];
  for (const kind of KINDS) {
    const fs = byKind(r, kind);
    if (fs.length === 0) continue;
    out.push('', `${TITLES[kind]}: ${plural(fs.length, 'access')}, ${plural(fs.reduce((n, f) => n + f.count, 0), 'record')}`);
    let w = '';
    let p = '';
    let ru = '';
    for (const f of fs) {
      const wk = `${f.workload}${f.container ? ` container ${f.container}` : ''}`;
      if (wk !== w) {
        out.push(`  ${wk}`);
        w = wk;
        p = '';
      }
      if (where(f) !== p) {
        out.push(`    policy ${where(f)}`);
        p = where(f);
        ru = '';
      }
      if (rule(f) !== ru) {
        out.push(`      rule ${rule(f)}`);
        ru = rule(f);
      }
      out.push(`        ${access(f)}: ${plural(f.count, 'record')}${span(f)}; observed ${f.observed}, predicted ${f.predicted} (line ${f.lines.join(', ')})`);
      if (f.remedy) out.push(`          remedy: ${f.remedy}`);
    }
  }
  if (r.findings.length === 0) out.push('', 'No observed access changes its outcome.');
  if (r.unexercisedRules.length > 0) {
    out.push('', `Rules never exercised: ${r.unexercisedRules.length}`);
    for (const u of r.unexercisedRules) out.push(`  ${u.policyName} ${u.pointer} ${u.value}${u.source ? ` (${u.source})` : ''}`);
  }
  if (r.skipped.length > 0) {
    out.push('', `Records not replayed: ${r.skipped.reduce((n, x) => n + x.count, 0)}`);
    for (const s of r.skipped) out.push(`  ${s.reason}: ${s.count} (line ${s.lines.join(', ')}${s.count > s.lines.length ? ', ...' : ''})`);
  }
  if (r.unknownWorkloads.length > 0) {
    out.push('', `Workloads in the telemetry that match no known workload: ${r.unknownWorkloads.map((u) => `${u.workload} (${plural(u.count, 'record')})`).join('; ')}`);
  }
  if (options.explain) {
    out.push('', `Observed alerts traced back: ${r.explanations.length}`);
    for (const e of r.explanations) {
      const rs = e.rulePointers.length > 0 ? `rule ${e.rulePointers.join(', ')}${e.source ? ` (${e.source})` : ''}` : e.found ? 'no rule matches the access now' : 'policy not among the replayed policies';
      out.push(`  line ${e.lines.join(', ')}: ${e.action} ${e.operation} ${e.target}${e.process ? ` by ${e.process}` : ''} in ${e.workload} (${plural(e.count, 'record')})`);
      out.push(`    policy ${e.policyName}, ${rs}${e.constructPath ? `, construct ${e.constructPath}` : ''}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderMarkdown(r: ImpactReport, options: { readonly explain?: boolean } = {}): string {
  const out: string[] = ['## KubeArmor impact analysis', '', header(r).replace(/^impact: /, ''), ''];
  const denied = byKind(r, 'NEWLY_DENIED');
  out.push(denied.length > 0
    ? `**${plural(denied.length, 'observed access')} (${plural(denied.reduce((n, f) => n + f.count, 0), 'record')}) would be newly denied.**`
    : '**No observed access would be newly denied.**', '');
  for (const kind of KINDS) {
    const fs = byKind(r, kind);
    if (fs.length === 0) continue;
    out.push(`### ${TITLES[kind]}`, '', '| Workload | Policy | Rule | Access | Records | Seen | Observed → predicted | Remedy |', '|---|---|---|---|---|---|---|---|');
    for (const f of fs) {
      out.push(`| ${[
        `${f.workload}${f.container ? ` (${f.container})` : ''}`, where(f), rule(f), access(f), String(f.count),
        f.firstSeen === f.lastSeen ? f.firstSeen : `${f.firstSeen} – ${f.lastSeen}`, `${f.observed} → ${f.predicted}`, f.remedy ?? '',
      ].map(cell).join(' | ')} |`);
    }
    out.push('');
  }
  if (r.unexercisedRules.length > 0) {
    out.push(`<details><summary>Rules never exercised (${r.unexercisedRules.length})</summary>`, '', '| Policy | Rule | Value | Source |', '|---|---|---|---|');
    for (const u of r.unexercisedRules) out.push(`| ${[u.policyName, u.pointer, u.value, u.source ?? ''].map(cell).join(' | ')} |`);
    out.push('', '</details>', '');
  }
  if (r.skipped.length > 0) {
    out.push('### Records not replayed', '', '| Reason | Records | Lines |', '|---|---|---|');
    for (const s of r.skipped) out.push(`| ${[s.reason, String(s.count), s.lines.join(', ')].map(cell).join(' | ')} |`);
    out.push('');
  }
  if (options.explain && r.explanations.length > 0) {
    out.push('### Observed alerts traced back', '', '| Lines | Alert | Policy | Rule | Construct |', '|---|---|---|---|---|');
    for (const e of r.explanations) {
      out.push(`| ${[e.lines.join(', '), `${e.action} ${e.operation} ${e.target} in ${e.workload}`, e.policyName,
        e.rulePointers.length > 0 ? `${e.rulePointers.join(', ')}${e.source ? ` (${e.source})` : ''}` : e.found ? 'no rule matches now' : 'not replayed',
        e.constructPath ?? ''].map(cell).join(' | ')} |`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

export function renderJson(r: ImpactReport): any {
  const workloads: any[] = [];
  for (const f of r.findings) {
    const wname = `${f.workload}\u0000${f.container}`;
    let w = workloads.find((x) => x.key === wname);
    if (!w) workloads.push(w = { key: wname, workload: f.workload, container: f.container, policies: [] });
    let p = w.policies.find((x: any) => x.policyName === f.policyName);
    if (!p) w.policies.push(p = { policyName: f.policyName, constructPath: f.constructPath, rules: [] });
    const rk = f.rulePointers.join(',');
    let ru = p.rules.find((x: any) => x.key === rk);
    if (!ru) p.rules.push(ru = { key: rk, pointers: f.rulePointers, source: f.ruleSource, accesses: [] });
    ru.accesses.push({
      kind: f.kind,
      operation: f.operation,
      target: f.target,
      process: f.process,
      count: f.count,
      firstSeen: f.firstSeen,
      lastSeen: f.lastSeen,
      observed: f.observed,
      predicted: f.predicted,
      lines: f.lines,
      remedy: f.remedy,
    });
  }
  const strip = (o: any): any => JSON.parse(JSON.stringify(o, (k, v) => (k === 'key' ? undefined : v)));
  return strip({
    version: 1,
    settings: r.settings,
    summary: {
      records: r.records,
      replayed: r.replayed,
      distinctAccesses: r.distinctAccesses,
      unchanged: r.unchanged,
      skipped: r.skipped.reduce((n, x) => n + x.count, 0),
      ...Object.fromEntries(KINDS.map((k) => [k, byKind(r, k).reduce((n, f) => n + f.count, 0)])),
    },
    workloads,
    unexercisedRules: r.unexercisedRules,
    skipped: r.skipped,
    explanations: r.explanations,
    unknownWorkloads: r.unknownWorkloads,
  });
}
