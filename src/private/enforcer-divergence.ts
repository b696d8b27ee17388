/**
 * Enforcer divergence decided by simulation: for the effective rules of one pod (a group of policies that
 * select the same pods), every point where rules can interact — each rule's path, a file directly under and
 * one level below each directory, each fromSource binary — is probed with every file operation and exec,
 * as the owner and as another user, from no particular process and from each fromSource binary, under the
 * AppArmor profile and the BPF-LSM rule map that KubeArmor builds (src/simulator: the same compile and
 * decision code as PolicySimulator). Where the two enforcers disagree, the rules that decided on each side
 * are reported as a pair. The probes are derived per rule (linear in the rules of the pod); each decision
 * looks up indexes, never all pairs of rules.
 *
 * Left out on purpose: matchPatterns and spec.apparmor (enforced by AppArmor only: KA007, KA010) and chown
 * (BPF-LSM has no chown hook: every Block rule would differ; the simulator says so in a caveat).
 */
import { FlatRule, LintContext, ruleAt, rulesKeyOf } from './lint-context';
import { AccessOperation } from '../simulator/access-request';
import { PATH_HOOK_OPS } from '../simulator/private/bpf-enforce';
import { CompiledRule, compilePolicies } from '../simulator/private/compile';
import { appArmorDecision, bpfDecision, LsmPostures, ownerFor } from '../simulator/private/decide';
import { EndpointIndex } from '../simulator/private/endpoint';
import { Ctx, Enforcement } from '../simulator/private/enforcement';

const FILE_OPS: readonly AccessOperation[] = [
  AccessOperation.READ, AccessOperation.WRITE, AccessOperation.APPEND, AccessOperation.TRUNCATE, AccessOperation.CREATE,
  AccessOperation.DELETE, AccessOperation.RENAME, AccessOperation.MKDIR, AccessOperation.CHMOD,
];
/** At a file: every operation but mkdir (a file a rule names exists; mkdir of its name fails before the LSM). */
const AT_FILE: readonly AccessOperation[] = [...FILE_OPS.filter((o) => o !== AccessOperation.MKDIR), AccessOperation.EXEC];
/** At a new name in a directory: everything. */
const AT_NEW: readonly AccessOperation[] = [...FILE_OPS, AccessOperation.EXEC];
/** At a directory a rule names: every file operation (a directory is not executed). */
const AT_DIR: readonly AccessOperation[] = FILE_OPS;

/** The file name used for probes under a directory (shown to the user as "a file in DIR"). */
const PROBE = 'kubearmor-probe';

/** One place where the enforcers disagree, between one or two rules. */
export interface Divergence {
  /** The rules involved, earlier first (one when a single rule is enforced differently). */
  readonly rules: readonly FlatRule[];
  /** The first probe where they disagree, as shown to the user. */
  readonly where: string;
  /** Operations (with their circumstances) denied by AppArmor only, at `where`. */
  readonly appArmorOnly: readonly string[];
  /** Operations denied by BPF-LSM only, at `where`. */
  readonly bpfOnly: readonly string[];
  /** Other probes where the same rules disagree. */
  readonly morePlaces: number;
}

interface Probe {
  readonly path: string;
  readonly shown: string;
  /** The rule the probe was derived from. */
  readonly origin: CompiledRule;
  readonly ops: readonly AccessOperation[];
}

/** Without the parts only AppArmor enforces (reported by their own lints). */
function withoutAppArmorOnly(m: any): any {
  const spec = { ...(m.spec ?? {}) };
  delete spec.apparmor;
  for (const section of ['file', 'process']) {
    if (spec[section] !== null && typeof spec[section] === 'object') {
      spec[section] = { ...spec[section] };
      delete spec[section].matchPatterns;
    }
  }
  return { ...m, spec };
}

function probesOf(rules: readonly CompiledRule[]): Probe[] {
  const out = new Map<string, Probe>();
  const add = (path: string, shown: string, origin: CompiledRule, ops: readonly AccessOperation[]) => {
    if (!out.has(path)) out.set(path, { path, shown, origin, ops });
  };
  for (const r of rules) {
    if (r.domain !== 'file' && r.domain !== 'process') continue;
    if (r.kind === 'path') add(r.value, r.value, r, AT_FILE);
    if (r.kind === 'dir') {
      add(r.value + PROBE, `a file in ${r.value}`, r, AT_NEW);
      add(`${r.value}${PROBE}/${PROBE}`, `a file in a subdirectory of ${r.value}`, r, AT_NEW);
      add(r.value.slice(0, -1), `the directory ${r.value}`, r, AT_DIR);
    }
    if (r.source !== '') add(r.source, r.source, r, AT_FILE);
  }
  return [...out.values()];
}

type Side = 'aa' | 'bpf';

/**
 * What of an operation the AppArmor decision depends on, besides the path, the process and whether it sees the
 * caller as the owner ({@link ownerFor}): exec, or the permission it mediates (read, write, or mkdir as `dir/`).
 * The AppArmor half of the simulator's verdictClass; appArmorFileDecision memoises on the same.
 */
export function appArmorClass(op: AccessOperation): string {
  if (op === AccessOperation.EXEC || op === AccessOperation.CHOWN) return op;
  return op === AccessOperation.READ ? 'r' : op === AccessOperation.MKDIR ? 'd' : 'w';
}

/**
 * The same for BPF-LSM: exec, file_open (read), file_open + file_permission (write, append) or a path hook.
 * The BPF-LSM half of the simulator's verdictClass.
 */
export function bpfClass(op: AccessOperation): string {
  if (op === AccessOperation.EXEC || op === AccessOperation.CHOWN) return op;
  return op === AccessOperation.READ ? 'r' : PATH_HOOK_OPS.has(op) ? 'p' : 'w';
}

/** A divergence with its rules as (position in the group, pointer): the same for every group of the same content. */
interface RawDivergence extends Omit<Divergence, 'rules'> {
  readonly rules: ReadonlyArray<readonly [number, string]>;
}

const memo = new WeakMap<LintContext, Map<string, RawDivergence[]>>();
/** Per lint pass and group content: the keys of the BPF-LSM rule map (audit postures) the simulation built. */
const keyCounts = new WeakMap<LintContext, Map<string, number>>();

const contentKey = (ctx: LintContext, group: readonly number[]): string => group.map((i) => rulesKeyOf(ctx.manifests[i])).join('\n');

/** Whether `m` has a part {@link withoutAppArmorOnly} removes. */
function hasAppArmorOnly(m: any): boolean {
  const spec = m.spec ?? {};
  return 'apparmor' in spec || ['file', 'process'].some((s) => spec[s] !== null && typeof spec[s] === 'object' && 'matchPatterns' in spec[s]);
}

/**
 * The keys of the BPF-LSM rule map (audit postures) of a group's policies, when the divergence simulation of
 * this lint pass already built it from the same policies (none of them had a part only AppArmor enforces, so
 * it compiled them unchanged); undefined otherwise.
 */
export function simulatedBpfKeyCount(ctx: LintContext, group: readonly number[]): number | undefined {
  return keyCounts.get(ctx)?.get(contentKey(ctx, group));
}

/**
 * The divergences among the rules of one group of policies (indices into `ctx.manifests`). Groups whose
 * policies have the same kinds and rules (e.g. one hardened workload each) are simulated once per lint pass.
 */
export function divergencesOf(ctx: LintContext, group: readonly number[]): Divergence[] {
  let byContent = memo.get(ctx);
  if (byContent === undefined) { byContent = new Map(); memo.set(ctx, byContent); }
  const key = contentKey(ctx, group);
  let raw = byContent.get(key);
  if (raw === undefined) {
    const position = new Map<FlatRule, number>();
    group.forEach((i, k) => ctx.rules.get(i)!.forEach((f) => position.set(f, k)));
    raw = simulate(ctx, group, key).map((d) => ({ ...d, rules: d.rules.map((f) => [position.get(f)!, f.pointer] as const) }));
    byContent.set(key, raw);
  }
  return raw.map((d) => ({ ...d, rules: d.rules.map(([k, pointer]) => ruleAt(ctx, group[k], pointer)!) }));
}

function simulate(ctx: LintContext, group: readonly number[], groupKey: string): Divergence[] {
  const manifests = group.map((i) => withoutAppArmorOnly(ctx.manifests[i]));
  const compiled = compilePolicies(manifests);
  if (compiled.length !== group.length) return [];
  const ep = new EndpointIndex(compiled);
  const all = compiled.flatMap((p) => p.rules).filter((r) => r.domain === 'file' || r.domain === 'process');
  if (all.length === 0) return [];
  const host = manifests.every((m) => m.kind === 'KubeArmorHostPolicy');
  const sources = [...new Set(all.map((r) => r.source).filter((s) => s !== ''))].sort();
  const allowList = all.some((r) => r.action === 'Allow');
  // Ownership only matters to ownerOnly rules (AppArmor's owner/other lines, BPF-LSM's OWNER flag).
  const owners = all.some((r) => r.ownerOnly) ? [true, false] : [true];
  const postures: LsmPostures[] = [{ file: 'audit', network: 'audit', capabilities: 'audit' }];
  if (allowList) postures.push({ file: 'block', network: 'audit', capabilities: 'audit' });

  const flatOf = (r: CompiledRule): FlatRule | undefined => ruleAt(ctx, group[r.policy.index], r.pointer);
  const orderOf = new Map<FlatRule, number>();
  group.forEach((i) => ctx.rules.get(i)!.forEach((f) => orderOf.set(f, orderOf.size)));

  const found = new Map<string, { rules: FlatRule[]; where: string; aa: string[]; bpf: string[]; places: Set<string> }>();
  const decide = (appArmor: boolean, op: AccessOperation, path: string, process: string, isOwner: boolean, posture: LsmPostures): Enforcement => {
    const c: Ctx = {
      op,
      path,
      process,
      parent: host ? '/bin/sh' : '',
      isOwner,
      entry: false,
      execSource: process === '' ? undefined : process,
      args: undefined,
      caveats: undefined,
    };
    const exec = op === AccessOperation.EXEC;
    return appArmor ? appArmorDecision(ep, host, c, exec, posture) : bpfDecision(ep, c, exec, posture);
  };

  type Event = { side: Side; owner: boolean; pair: FlatRule[] };
  // The decisions at one probe from one process, per enforcer: each is made once per what it depends on
  // (the posture, the enforcer's class of the operation and whether it sees the caller as the owner).
  let aaMemo = new Map<string, Enforcement>();
  let bpfMemo = new Map<string, Enforcement>();
  const decided = (appArmor: boolean, op: AccessOperation, path: string, process: string, owner: boolean, k: number): Enforcement => {
    const isOwner = ownerFor(appArmor, op, owner ? 0 : 1000, 0);
    const decisions = appArmor ? aaMemo : bpfMemo;
    const key = `${k}${appArmor ? appArmorClass(op) : bpfClass(op)}${isOwner ? 1 : 0}`;
    let e = decisions.get(key);
    if (e === undefined) {
      e = decide(appArmor, op, path, process, isOwner, postures[k]);
      decisions.set(key, e);
    }
    return e;
  };
  const eventsOf = (probe: Probe, op: AccessOperation, process: string, k: number): Event[] | undefined => {
    let events: Event[] | undefined;
    for (const owner of owners) {
      const aa = decided(true, op, probe.path, process, owner, k);
      const bpf = decided(false, op, probe.path, process, owner, k);
      // A difference no rule decides on either side is the allow-list posture's, not these rules' (KA002).
      if (aa.denied === bpf.denied || (aa.rule === undefined && bpf.rule === undefined)) continue;
      const rules = [aa.rule ?? probe.origin, bpf.rule ?? probe.origin].map(flatOf).filter((f): f is FlatRule => f !== undefined);
      const pair = [...new Set(rules)].sort((x, y) => orderOf.get(x)! - orderOf.get(y)!);
      if (pair.length === 0) continue;
      (events ??= []).push({ side: aa.denied ? 'aa' : 'bpf', owner, pair });
    }
    return events;
  };

  for (const probe of probesOf(all)) {
    for (const process of ['', ...sources]) {
      aaMemo = new Map();
      bpfMemo = new Map();
      for (const op of probe.ops) {
        for (let k = 0; k < postures.length; k++) {
          const posture = postures[k];
          const events = eventsOf(probe, op, process, k);
          if (events === undefined) continue;
          const both = owners.length === 1 || (events.length === 2 && events[0].side === events[1].side);
          for (const e of both ? [events[0]] : events) {
            const who = both ? '' : e.owner ? ' by the owner' : ' by another user';
            const label = `${op}${process === '' ? '' : ` from ${process}`}${who}${posture.file === 'block' ? ' (file posture block)' : ''}`;
            const key = e.pair.map((f) => `${f.manifest}${f.pointer}`).join('|');
            let entry = found.get(key);
            if (entry === undefined) {
              entry = { rules: e.pair, where: probe.shown, aa: [], bpf: [], places: new Set() };
              found.set(key, entry);
            }
            entry.places.add(probe.shown);
            if (entry.where !== probe.shown) continue;
            const list = e.side === 'aa' ? entry.aa : entry.bpf;
            // An operation that differs under the audit posture is not repeated for the block posture.
            if (!list.includes(label) && !list.includes(label.replace(' (file posture block)', ''))) list.push(label);
          }
        }
      }
    }
  }
  if (!group.some((i) => hasAppArmorOnly(ctx.manifests[i]))) {
    let counts = keyCounts.get(ctx);
    if (counts === undefined) { counts = new Map(); keyCounts.set(ctx, counts); }
    counts.set(groupKey, ep.bpfMaps(postures[0]).keyCount);
  }
  return [...found.values()].map((e) => ({ rules: e.rules, where: e.where, appArmorOnly: e.aa, bpfOnly: e.bpf, morePlaces: e.places.size - 1 }));
}
