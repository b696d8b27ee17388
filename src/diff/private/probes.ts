/**
 * Equivalence by effect: the probe points of a workload (every path, a child and a grandchild of every
 * directory, a concrete instance of every pattern, every source, an unlisted path and binary, the
 * protocols and capabilities named) from the rules of either side, evaluated by the simulator under both
 * enforcers and both default postures; two sides are equivalent for the workload when every probe gets
 * the same decision and the same alert (policy name after renames, action, severity, tags, message).
 */

import { DiffWorkload, SidePolicy } from './side';
import { AccessOperation, AccessRequest, PolicySimulator, SimulatedEnforcer, SimulatedPosture, SimulationResult } from '../../simulator';

/** The process of probes without a source of their own. */
export const DEFAULT_PROCESS = '/bin/sh';
/** The process of probes when rules name sources (one that is none of them). */
export const OTHER_PROCESS = '/diff-probe/other-process';
export const UNLISTED_FILE = '/diff-probe/unlisted-file';
export const UNLISTED_EXEC = '/diff-probe/unlisted-binary';
const ALL_PROTOCOLS = ['tcp', 'udp', 'icmp', 'raw'];
const UNLISTED_CAPABILITIES = ['net_raw', 'sys_admin'];
export const CONDITIONS: ReadonlyArray<{ readonly enforcer: SimulatedEnforcer; readonly posture: SimulatedPosture; readonly name: string }> = [
  { enforcer: SimulatedEnforcer.APPARMOR, posture: SimulatedPosture.AUDIT, name: 'AppArmor/audit' },
  { enforcer: SimulatedEnforcer.APPARMOR, posture: SimulatedPosture.BLOCK, name: 'AppArmor/block' },
  { enforcer: SimulatedEnforcer.BPF_LSM, posture: SimulatedPosture.AUDIT, name: 'BPF-LSM/audit' },
  { enforcer: SimulatedEnforcer.BPF_LSM, posture: SimulatedPosture.BLOCK, name: 'BPF-LSM/block' },
];

export interface Probe {
  readonly operation: AccessOperation;
  /** Path, executable, protocol or capability. */
  readonly target: string;
  readonly process: string;
  /** The caller does not own the file (ownerOnly rules). */
  readonly notOwner: boolean;
  readonly container?: string;
}

export function probeText(p: Probe): string {
  return `${p.operation} ${p.target} by ${p.process}${p.notOwner ? ' (not the owner)' : ''}${p.container ? ` in container ${p.container}` : ''}`;
}

/** A concrete path an AppArmor-style glob matches (`*` and `?` → `x`, `[..]` → its first character). */
export function instanceOf(pattern: string): string {
  return pattern.replace(/\*\*/g, 'x/x').replace(/\*/g, 'x').replace(/\?/g, 'x').replace(/\[\^?([^\]])[^\]]*\]/g, '$1').replace(/[{}]/g, '');
}

function children(dir: string): string[] {
  const d = dir.endsWith('/') ? dir : `${dir}/`;
  return [`${d}diff-probe`, `${d}diff-probe.d/diff-probe`];
}

function sourcesOf(rule: any, out: Set<string>): boolean {
  const sources = Array.isArray(rule.fromSource) ? rule.fromSource : [];
  for (const s of sources) {
    if (typeof s?.path === 'string') out.add(s.path);
    if (typeof s?.dir === 'string') out.add(children(s.dir)[0]);
  }
  return sources.length > 0;
}

/** The probes of one workload, from the rules of both sides, in a stable order. */
export function probesOf(policies: ReadonlyArray<readonly SidePolicy[]>, w: DiffWorkload): Probe[] {
  const files = new Set<string>([UNLISTED_FILE]);
  const execs = new Set<string>([UNLISTED_EXEC]);
  const protocols = new Set<string>();
  const capabilities = new Set<string>();
  const processes = new Set<string>([DEFAULT_PROCESS]);
  let ownerOnly = false;
  let sourced = false;
  for (const side of policies) {
    for (const p of side) {
      for (const r of p.effective.rules) {
        const rule: any = r.rule;
        if (sourcesOf(rule, processes)) sourced = true;
        if (rule.ownerOnly === true) ownerOnly = true;
        const into = r.list.section === 'file' ? files : r.list.section === 'process' ? execs : undefined;
        if (into) {
          if (typeof rule.path === 'string') into.add(rule.path);
          if (typeof rule.dir === 'string') for (const c of children(rule.dir)) into.add(c);
          if (typeof rule.pattern === 'string') into.add(instanceOf(rule.pattern));
          if (typeof rule.execname === 'string') into.add(`/usr/bin/${rule.execname}`);
        } else if (r.list.section === 'network') {
          for (const x of ALL_PROTOCOLS) protocols.add(x);
          if (typeof rule.protocol === 'string' && rule.protocol.toLowerCase() !== 'all') protocols.add(rule.protocol.toLowerCase());
        } else if (r.list.section === 'capabilities') {
          for (const x of UNLISTED_CAPABILITIES) capabilities.add(x);
          if (typeof rule.capability === 'string') capabilities.add(rule.capability.toLowerCase().replace(/^cap_/, ''));
        }
      }
    }
  }
  if (sourced) processes.add(OTHER_PROCESS);
  const containers: Array<string | undefined> = w.containers.length > 1 ? [...w.containers] : [undefined];
  const sorted = (s: Set<string>) => [...s].sort();
  const procs = sorted(processes);
  const out: Probe[] = [];
  for (const container of containers) {
    for (const process of procs) {
      for (const target of sorted(files)) {
        for (const operation of [AccessOperation.READ, AccessOperation.WRITE]) {
          out.push({ operation, target, process, notOwner: false, container });
          if (ownerOnly) out.push({ operation, target, process, notOwner: true, container });
        }
      }
      for (const target of sorted(execs)) {
        out.push({ operation: AccessOperation.EXEC, target, process, notOwner: false, container });
        if (ownerOnly) out.push({ operation: AccessOperation.EXEC, target, process, notOwner: true, container });
      }
      for (const target of sorted(protocols)) out.push({ operation: AccessOperation.NETWORK, target, process, notOwner: false, container });
      for (const target of sorted(capabilities)) out.push({ operation: AccessOperation.CAPABILITY, target, process, notOwner: false, container });
    }
  }
  return out;
}

/** A decision and its alert, as compared (`key`) and as printed (`text`, `fields`). */
export interface Outcome {
  readonly key: string;
  /** `denied, Block alert harden-x` or `permitted, no alert`. */
  readonly text: string;
  /** The alert's severity, tags (as a set: sorted) and message, printed where they differ from the other side's. */
  readonly fields: readonly string[];
}

export function outcomeOf(r: SimulationResult, rename: (name: string) => string): Outcome {
  const a = r.alert;
  const verdict = r.permitted ? 'permitted' : 'denied';
  if (!a) return { key: `${verdict}|`, text: `${verdict}, no alert`, fields: [] };
  const name = rename(a.policyName);
  const fields = [`severity ${a.severity || '(none)'}`, `tags ${a.tags ? a.tags.split(',').sort().join(',') : '(none)'}`, `message ${a.message ? `"${a.message}"` : '(none)'}`];
  return { key: `${verdict}|${name}|${a.action}|${fields.join('|')}`, text: `${verdict}, ${a.action} alert ${name}`, fields };
}

/** The outcome's text with the alert fields that differ from `other`'s. */
export function outcomeText(o: Outcome, other: Outcome): string {
  if (o.fields.length === 0 || other.fields.length === 0) return o.text;
  const differ = o.fields.filter((f, i) => f !== other.fields[i]);
  return differ.length > 0 ? `${o.text} (${differ.join(', ')})` : o.text;
}

/** Evaluates one probe on one side under one condition. */
export function evaluateProbe(sim: PolicySimulator, w: DiffWorkload, p: Probe, c: typeof CONDITIONS[number]): SimulationResult {
  const req: AccessRequest = {
    operation: p.operation,
    ...(p.operation === AccessOperation.NETWORK ? { protocol: p.target }
      : p.operation === AccessOperation.CAPABILITY ? { capability: p.target } : { path: p.target }),
    process: p.process,
    ...(p.notOwner ? { uid: 1000, ownerUid: 0 } : {}),
    enforcer: c.enforcer,
    defaultFilePosture: c.posture,
    defaultNetworkPosture: c.posture,
    defaultCapabilitiesPosture: c.posture,
    ...(w.host ? { node: 'diff-node', nodeLabels: w.labels } : { namespace: w.namespace, labels: w.labels, podAnnotations: w.annotations, container: p.container ?? w.containers[0] }),
  };
  return sim.evaluate(req);
}
