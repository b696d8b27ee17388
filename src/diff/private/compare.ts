/**
 * The comparison: per workload, the effective rules of the policies that select it on each side
 * (protection, alerts, posture, selection), lint findings, compliance controls, and the probes that
 * decide equivalence by effect (probes.ts).
 */
import { CONDITIONS, evaluateProbe, outcomeOf, outcomeText, Probe, probesOf, probeText } from './probes';
import { buildSide, controlsOf, DiffWorkload, hostWorkloads, manifestWorkloads, selectorWorkloads, Side, SideLint, SidePolicy } from './side';
import { canonicalJson } from '../../private/canonical';
import { EffectiveRule } from '../../private/effective';
import { AccessDifference, DiffChange, LintDifference, PolicyDiffReportProps, PolicyRename, RuleDifference, WorkloadDifference } from '../diff-report';

const META = new Set(['action', 'severity', 'tags', 'message', 'fromSource']);
const POSTURE_SECTIONS = ['file', 'process', 'network', 'capabilities'];
const POSTURE_ANNOTATIONS = ['kubearmor-file-posture', 'kubearmor-network-posture', 'kubearmor-capabilities-posture'];

function uniqueByKey(ws: readonly DiffWorkload[]): DiffWorkload[] {
  const m = new Map<string, DiffWorkload>();
  for (const w of ws) if (!m.has(w.key)) m.set(w.key, w);
  return [...m.values()];
}

function sourcesText(rule: any): string {
  const s = Array.isArray(rule.fromSource) ? rule.fromSource.map((x: any) => x?.path ?? (x?.dir !== undefined ? `${x.dir}${x.recursive ? ' (recursive)' : ''}` : canonicalJson(x))).sort() : [];
  return s.length > 0 ? ` fromSource [${s.join(', ')}]` : '';
}

/** What a rule applies to: list, target and sources (the identity rules are matched by across sides). */
export function ruleIdentity(r: EffectiveRule): string {
  const target = r.list.key.map((k) => r.rule[k]).filter((v) => v !== undefined).map((v) => (typeof v === 'string' ? v : canonicalJson(v))).join(' ');
  return `${r.list.id} ${target}${sourcesText(r.rule)}`;
}

/** Its effect: the effective action and the flags that are set (false is KubeArmor's default, so it is not shown). */
export function ruleEffect(r: EffectiveRule): string {
  const flags: string[] = [];
  for (const k of Object.keys(r.rule).sort()) {
    if (META.has(k) || r.list.key.includes(k)) continue;
    const v = r.rule[k];
    if (v === false || v === undefined) continue;
    flags.push(v === true ? k : `${k}=${canonicalJson(v)}`);
  }
  return [r.action, ...flags].join(', ');
}

function alertOf(r: EffectiveRule): string {
  return `severity ${r.severity}, tags [${[...r.tags].sort().join(', ')}], message "${r.message}"`;
}

interface RuleGroup {
  effects: string[];
  alerts: string[];
  policies: string[];
}

function groups(policies: readonly SidePolicy[], rename: (n: string) => string): Map<string, RuleGroup> {
  const out = new Map<string, RuleGroup>();
  const add = (id: string, effect: string, alert: string, policy: string) => {
    let g = out.get(id);
    if (!g) out.set(id, (g = { effects: [], alerts: [], policies: [] }));
    g.effects.push(effect);
    g.alerts.push(alert);
    g.policies.push(policy);
  };
  for (const p of policies) {
    const name = rename(p.effective.name);
    for (const r of p.effective.rules) add(ruleIdentity(r), ruleEffect(r), alertOf(r), name);
    const presets = p.effective.manifest.spec?.presets;
    for (const x of Array.isArray(presets) ? presets : []) add(`presets ${canonicalJson({ ...x, action: undefined })}`, String(x?.action ?? p.effective.specAction), '', name);
  }
  for (const g of out.values()) {
    g.effects.sort();
    g.alerts.sort();
    g.policies.sort();
  }
  return out;
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function allowSections(policies: readonly SidePolicy[]): Set<string> {
  const s = new Set<string>();
  for (const p of policies) for (const r of p.effective.rules) if (r.action === 'Allow' && POSTURE_SECTIONS.includes(r.list.section)) s.add(r.list.section);
  return s;
}

function lintKey(l: SideLint, rename: (n: string) => string): string {
  return `${l.id}|${rename(l.policy)}|${l.subject}`;
}

export function lintDiff(before: readonly SideLint[], after: readonly SideLint[], rename: (n: string) => string): LintDifference[] {
  const b = new Map(before.map((l) => [lintKey(l, rename), l]));
  const a = new Map(after.map((l) => [lintKey(l, (n) => n), l]));
  const out: LintDifference[] = [];
  const of = (change: DiffChange, l: SideLint): LintDifference => ({
    change, id: l.id, severity: l.severity, policyName: l.policy, message: l.message,
  });
  for (const [k, l] of a) if (!b.has(k)) out.push(of(DiffChange.ADDED, l));
  for (const [k, l] of b) if (!a.has(k)) out.push(of(DiffChange.REMOVED, l));
  return out.sort((x, y) => x.id.localeCompare(y.id) || x.policyName.localeCompare(y.policyName) || x.message.localeCompare(y.message));
}

/** Same kind, namespace, rules (any order) and selected workloads, another name. */
function renames(before: Side, after: Side): PolicyRename[] {
  const gone = before.policies.filter((p) => !after.byName.has(p.effective.key));
  const fresh = after.policies.filter((p) => !before.byName.has(p.effective.key));
  const out: PolicyRename[] = [];
  const used = new Set<SidePolicy>();
  for (const g of gone) {
    const sel = [...g.selects].sort().join('|');
    const m = fresh.find((f) => !used.has(f) && f.content() === g.content() && [...f.selects].sort().join('|') === sel);
    if (!m) continue;
    used.add(m);
    out.push({ before: g.effective.key, after: m.effective.key });
  }
  return out;
}

/** Equal signatures: nothing that decides a probe differs (JSON.stringify: a false "different" only costs a probe run). */
function signature(policies: readonly SidePolicy[] | undefined, w: DiffWorkload | undefined, side: Side): string {
  return JSON.stringify({
    p: (policies ?? []).map((p) => `${p.effective.name}|${p.shape}`),
    a: w?.annotations ?? {},
    c: w?.containers ?? [],
    n: w ? side.namespaces.get(w.namespace) ?? {} : {},
  });
}

interface AccessGroup {
  readonly probe: Probe;
  readonly before: string;
  readonly after: string;
  readonly conditions: string[];
}

function conditionsText(c: readonly string[]): string {
  return c.length === CONDITIONS.length ? 'both enforcers, both postures' : c.join(', ');
}

interface Differences {
  readonly accesses: AccessDifference[];
  readonly divergence: string[];
}

function accessDifferences(
  before: Side, after: Side, wb: DiffWorkload, wa: DiffWorkload, probes: readonly Probe[], nameB: (n: string) => string, nameA: (n: string) => string,
): Differences {
  const grouped = new Map<string, AccessGroup>();
  const divergence: string[] = [];
  for (const p of probes) {
    const keys: Array<{ b: string; a: string }> = [];
    for (const c of CONDITIONS) {
      const ob = outcomeOf(evaluateProbe(before.simulator, wb, p, c), nameB);
      const oa = outcomeOf(evaluateProbe(after.simulator, wa, p, c), nameA);
      keys.push({ b: ob.key, a: oa.key });
      if (ob.key === oa.key) continue;
      const bt = outcomeText(ob, oa);
      const at = outcomeText(oa, ob);
      const k = `${probeText(p)}|${bt}|${at}`;
      const g = grouped.get(k);
      if (g) g.conditions.push(c.name);
      else grouped.set(k, { probe: p, before: bt, after: at, conditions: [c.name] });
    }
    // CONDITIONS: [AppArmor/audit, AppArmor/block, BPF-LSM/audit, BPF-LSM/block]
    for (const [i, posture] of [[0, 'audit'], [1, 'block']] as const) {
      const divB = keys[i].b !== keys[i + 2].b;
      const divA = keys[i].a !== keys[i + 2].a;
      if (divB !== divA) divergence.push(`${probeText(p)} (${posture} posture): AppArmor and BPF-LSM ${divA ? 'now disagree' : 'no longer disagree'}`);
    }
  }
  const accesses = [...grouped.values()].map((g): AccessDifference => ({
    operation: g.probe.operation,
    target: g.probe.target,
    process: g.probe.process,
    notOwner: g.probe.notOwner,
    container: g.probe.container,
    before: g.before,
    after: g.after,
    conditions: g.conditions,
    description: `${probeText(g.probe)}: ${g.before} before, ${g.after} after [${conditionsText(g.conditions)}]`,
  }));
  return { accesses, divergence };
}

const TOKEN = /\u0001([ab])(\d+)\u0001/g;

function token(side: 'a' | 'b', i: number): string {
  return `\u0001${side}${i}\u0001`;
}

function compareWorkload(key: string, before: Side, after: Side, rename: (n: string) => string, cache: Map<string, Differences>): WorkloadDifference {
  const wb = before.workloads.get(key);
  const wa = after.workloads.get(key);
  const w = (wa ?? wb)!;
  const pb = wb ? before.applying.get(key) ?? [] : [];
  const pa = wa ? after.applying.get(key) ?? [] : [];

  const protection: RuleDifference[] = [];
  const alerts: string[] = [];
  const gb = groups(pb, rename);
  const ga = groups(pa, (n) => n);
  for (const id of [...new Set([...gb.keys(), ...ga.keys()])].sort()) {
    const b = gb.get(id);
    const a = ga.get(id);
    if (!a) protection.push({ change: DiffChange.REMOVED, rule: id, before: b!.effects.join(' + '), policies: b!.policies });
    else if (!b) protection.push({ change: DiffChange.ADDED, rule: id, after: a.effects.join(' + '), policies: a.policies });
    else if (!same(a.effects, b.effects)) protection.push({ change: DiffChange.CHANGED, rule: id, before: b.effects.join(' + '), after: a.effects.join(' + '), policies: a.policies });
    else if (!same(a.alerts, b.alerts)) alerts.push(`${id}: alerts carry ${a.alerts.join(' + ')} (before: ${b.alerts.join(' + ')})`);
    else if (!same(a.policies, b.policies)) alerts.push(`${id}: alerts name ${a.policies.join(', ')} (before: ${b.policies.join(', ')})`);
  }

  const posture: string[] = [];
  if (wb && wa) {
    const sb = allowSections(pb);
    const sa = allowSections(pa);
    for (const s of POSTURE_SECTIONS) {
      if (sa.has(s) && !sb.has(s)) posture.push(`${s}: enters allow-list mode (an Allow rule; unlisted access now follows the default posture)`);
      if (sb.has(s) && !sa.has(s)) posture.push(`${s}: leaves allow-list mode (no Allow rule any more)`);
    }
    const nb = before.namespaces.get(wb.namespace) ?? {};
    const na = after.namespaces.get(wa.namespace) ?? {};
    for (const k of POSTURE_ANNOTATIONS) {
      if (nb[k] !== na[k]) posture.push(`namespace ${w.namespace} ${k}: ${nb[k] ?? '(default)'} → ${na[k] ?? '(default)'}`);
    }
    const mb = wb.annotations['kubearmor-policy'];
    const ma = wa.annotations['kubearmor-policy'];
    if (mb !== ma) posture.push(`pod annotation kubearmor-policy: ${mb ?? '(none)'} → ${ma ?? '(none)'}`);
  }

  const selection: string[] = [];
  const nb = new Set(pb.map((p) => rename(p.effective.name)));
  const na = new Set(pa.map((p) => p.effective.name));
  for (const n of [...na].sort()) if (!nb.has(n)) selection.push(`newly selected by ${n}`);
  for (const n of [...nb].sort()) if (!na.has(n)) selection.push(`no longer selected by ${n}`);

  const lints = lintDiff(wb ? before.lints.get(key) ?? [] : [], wa ? after.lints.get(key) ?? [] : [], rename);

  const compliance: string[] = [];
  const cb = controlsOf(pb);
  const ca = controlsOf(pa);
  for (const tag of [...new Set([...cb.keys(), ...ca.keys()])].sort()) {
    const b = cb.get(tag);
    const a = ca.get(tag);
    if (b === a) continue;
    compliance.push(!b ? `gains ${tag} (${a})` : !a ? `loses ${tag} (was ${b})` : `${tag}: ${b} → ${a}`);
  }

  let accesses: AccessDifference[] = [];
  let divergence: string[] = [];
  let probes = 0;
  const notes: string[] = [];
  const sigB = signature(wb ? pb : undefined, wb, before);
  const sigA = signature(wa ? pa : undefined, wa, after);
  if (wb && wa && sigB !== sigA) {
    const ps = probesOf([pb, pa], w);
    probes = ps.length * CONDITIONS.length * 2;
    // Policy names become tokens, so that workloads of the same shape share one evaluation.
    const indexA = new Map(pa.map((p, j) => [p.effective.name, j]));
    const tokB = new Map(pb.map((p, i) => {
      const j = indexA.get(rename(p.effective.name));
      return [p.effective.name, j === undefined ? token('b', i) : token('a', j)] as [string, string];
    }));
    const tokA = new Map(pa.map((p, j) => [p.effective.name, token('a', j)] as [string, string]));
    const shape = JSON.stringify({
      b: pb.map((p) => [p.shape, indexA.get(rename(p.effective.name)) ?? -1]),
      a: pa.map((p) => p.shape),
      wb: [wb.host, wb.namespace, wb.annotations, wb.containers, before.namespaces.get(wb.namespace) ?? {}],
      wa: [wa.host, wa.namespace, wa.annotations, wa.containers, after.namespaces.get(wa.namespace) ?? {}],
    });
    let shared = cache.get(shape);
    if (!shared) {
      shared = accessDifferences(before, after, wb, wa, ps, (n) => tokB.get(n) ?? n, (n) => tokA.get(n) ?? n);
      cache.set(shape, shared);
    }
    const names = (t: string) => t.replace(TOKEN, (_m, side: string, i: string) => (side === 'a' ? pa : pb)[Number(i)].effective.name);
    accesses = shared.accesses.map((a) => ({ ...a, before: names(a.before), after: names(a.after), description: names(a.description) }));
    divergence = shared.divergence.map(names);
  }
  const found = [protection, posture, selection, alerts, lints, compliance, accesses, divergence].some((x) => x.length > 0);
  const changed = !wb || !wa || found;
  if (!changed && sigB !== sigA) notes.push('no enforcement change (policies renamed or rules reordered; every probe decides and alerts the same)');
  return {
    workload: w.label,
    key,
    change: !wb ? DiffChange.ADDED : !wa ? DiffChange.REMOVED : changed ? DiffChange.CHANGED : DiffChange.UNCHANGED,
    protection,
    posture,
    selection,
    alerts,
    lints,
    compliance,
    accesses,
    divergence,
    notes,
    probes,
  };
}

/** Compares two sets of manifests (each in application order). */
export function compareManifests(beforeManifests: readonly any[], afterManifests: readonly any[]): PolicyDiffReportProps {
  const realB = manifestWorkloads(beforeManifests);
  const realA = manifestWorkloads(afterManifests);
  const known = realB.length + realA.length > 0;
  const hosts = uniqueByKey([...hostWorkloads(beforeManifests), ...hostWorkloads(afterManifests)]);
  let wb: DiffWorkload[];
  let wa: DiffWorkload[];
  if (known) {
    wb = [...uniqueByKey(realB), ...hosts];
    wa = [...uniqueByKey(realA), ...hosts];
  } else {
    wb = wa = uniqueByKey([...selectorWorkloads(beforeManifests), ...selectorWorkloads(afterManifests)]);
  }
  const before = buildSide(beforeManifests, wb);
  const after = buildSide(afterManifests, wa);
  const renamed = renames(before, after);
  const nameMap = new Map<string, string>();
  for (const r of renamed) nameMap.set(before.byName.get(r.before)!.effective.name, after.byName.get(r.after)!.effective.name);
  const rename = (n: string) => nameMap.get(n) ?? n;

  const keys = [...new Set([...before.workloads.keys(), ...after.workloads.keys()])].sort();
  const cache = new Map<string, Differences>();
  const workloads = keys.map((k) => compareWorkload(k, before, after, rename, cache));

  const newlySelectingNothing: string[] = [];
  if (known) {
    const renamedTo = new Map(renamed.map((r) => [r.after, r.before]));
    for (const p of after.policies) {
      if (p.selects.length > 0 || p.effective.kind === 'KubeArmorHostPolicy') continue;
      const prev = before.byName.get(renamedTo.get(p.effective.key) ?? p.effective.key);
      if (!prev || prev.selects.length > 0) newlySelectingNothing.push(`${p.effective.key}${prev ? ` (selected ${prev.selects.length} before)` : ' (new)'}`);
    }
  }
  return {
    workloads,
    renames: renamed,
    newlySelectingNothing,
    otherLints: lintDiff(before.unattachedLints, after.unattachedLints, rename),
    policies: [before.policies.length, after.policies.length],
    workloadsKnown: known,
  };
}
