/**
 * A port of KubeArmor's alert matcher (`KubeArmor/feeder/policyMatcher.go` `UpdateMatchedPolicy`,
 * `matchResources`, `setLogFields`; docs/kubearmor-semantics.md §6.4, §6.5, §7). It names the first matching
 * Audit/Block rule, applies the allow-list/default-posture logic, and drops Allow+Passed.
 */
import { CompiledRule } from './compile';

export interface LogCtx {
  /** 'File' | 'Process' | 'Network' | 'Capabilities' */
  readonly operation: string;
  readonly resource: string;
  readonly processName: string;
  readonly parentProcessName: string;
  /** Data contains O_RDONLY. */
  readonly rdonly: boolean;
  readonly uid: number;
  readonly oid: number;
  readonly passed: boolean;
  readonly audited: boolean;
  /** 'audit' | 'block' */
  readonly posture: string;
  /** 'AppArmor' | 'BPFLSM' */
  readonly enforcer: string;
}

export interface MatchedLog {
  policyName: string;
  rule?: CompiledRule;
  severity: string;
  tags: string;
  aTags: string[];
  message: string;
  enforcer: string;
  action: string;
}

let lastPath = '';
let lastDir = '';
let lastDepth = 0;

/** filepath.Dir(path) + "/" for absolute paths (memoised for the last path: one decision asks many times). */
export function directoryPart(path: string): string {
  if (path === lastPath && path !== '') return lastDir;
  let dir: string;
  if (path.indexOf('//') === -1 && path.charCodeAt(path.length - 1) !== 47) {
    const i = path.lastIndexOf('/');
    dir = i < 0 ? '__not_absolute_path__' : path.slice(0, i + 1);
  } else {
    let p = path.replace(/\/{2,}/g, '/');
    if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
    const i = p.lastIndexOf('/');
    dir = i < 0 ? '__not_absolute_path__' : (i === 0 ? '/' : p.slice(0, i)) + '/';
  }
  lastPath = path;
  lastDir = dir;
  lastDepth = countSlash(dir);
  return dir;
}

function depthOf(dir: string): number {
  return dir === lastDir ? lastDepth : countSlash(dir);
}

function countSlash(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 47) n++;
  return n;
}

export function sourceMatches(r: CompiledRule, log: LogCtx): boolean {
  return r.source === '' || r.source === log.parentProcessName || r.source === log.processName;
}

/** matchResources plus the Glob / ExecName cases of UpdateMatchedPolicy. */
export function feederMatches(r: CompiledRule, log: LogCtx): boolean {
  if (r.kind === 'pattern') {
    if (r.feederSkip || !r.goGlob) return false;
    return r.goGlob.test(log.resource) || r.goGlob.test(log.processName);
  }
  if (r.kind === 'execname') return log.processName.endsWith('/' + r.value);
  const v = r.value;
  if (log.operation === 'File') {
    const sp = log.resource.indexOf(' ');
    const first = sp < 0 ? log.resource : log.resource.slice(0, sp);
    if (r.kind === 'path') return v === first;
    if (r.kind === 'dir') {
      const dir = directoryPart(first);
      const depth = depthOf(dir);
      const vd = countSlash(v);
      return (dir.startsWith(v) && ((!r.recursive && depth === vd) || (r.recursive && depth >= vd)))
        || v === log.resource + '/'
        || (v === '/' && r.recursive);
    }
    return false;
  }
  if (log.operation === 'Process') {
    if (r.kind === 'path') return v === log.processName;
    if (r.kind === 'dir') {
      const dir = directoryPart(log.processName);
      const depth = depthOf(dir);
      const vd = countSlash(v);
      return dir.startsWith(v) && ((!r.recursive && depth === vd) || (r.recursive && depth >= vd));
    }
  }
  return false;
}

function actionOf(r: CompiledRule, audited: boolean): string {
  if (audited && (r.action === 'Allow' || r.action === 'Block')) return `Audit (${r.action})`;
  return r.action;
}

function fromRule(r: CompiledRule, enforcer: string, action: string, withATags = true): MatchedLog {
  return {
    policyName: r.policy.name,
    rule: r,
    severity: r.severity,
    tags: r.tagsJoined,
    aTags: withATags ? r.tags : [],
    message: r.message,
    enforcer,
    action,
  };
}

function defaultPosture(action: string): MatchedLog {
  return { policyName: 'DefaultPosture', rule: undefined, severity: '', tags: '', aTags: [], message: '', enforcer: 'eBPF Monitor', action };
}

export interface MatchOutcome {
  /** The alert fields; undefined when KubeArmor raises no alert. */
  readonly alert?: MatchedLog;
  /** Network/capability rules whose resource matched (file and process rules are collected by the caller). */
  readonly matched: CompiledRule[];
  /** DefaultPosture was set by an earlier non-matching Allow rule although a later Allow rule matched. */
  readonly orderQuirk: boolean;
}

/** The "Process", "File" case of UpdateMatchedPolicy, over the rules of that operation in list order. */
export function matchFileOrProcess(rules: CompiledRule[], log: LogCtx, existAllow: boolean): MatchOutcome {
  let cur: MatchedLog | undefined;
  let skip = false;
  let orderQuirk = false;
  for (const r of rules) {
    if (skip) break;
    const act = actionOf(r, log.audited);
    const isAllow = act === 'Allow' || act === 'Audit (Allow)';
    if (sourceMatches(r, log)) {
      if (feederMatches(r, log)) {
        let mf: boolean;
        const allowish = act.includes('Allow');
        if (r.readOnly && log.resource !== '' && r.ownerOnly) {
          mf = (log.rdonly && log.uid === log.oid && allowish) || (log.rdonly && log.uid !== log.oid) || !log.rdonly;
        } else if (r.readOnly && log.resource !== '') {
          mf = (log.rdonly && allowish) || !log.rdonly;
        } else if (r.ownerOnly) {
          mf = (log.uid === log.oid && allowish) || log.uid !== log.oid;
        } else {
          mf = true;
        }
        if (mf && isAllow && log.passed) {
          if (cur?.action === 'Audit') {
            if (cur.policyName === 'DefaultPosture') orderQuirk = true;
            continue; // could be a case of lenient whitelist policy
          }
          cur = fromRule(r, log.audited ? 'eBPF Monitor' : log.enforcer, 'Allow');
          continue;
        }
        if (mf && act === 'Audit' && log.passed) {
          cur = fromRule(r, 'eBPF Monitor', 'Audit');
          skip = true;
          continue;
        }
        if ((act === 'Block' && !log.passed)
          || (mf && !r.ownerOnly && !r.readOnly && act === 'Audit (Block)' && log.passed)
          || (!mf && (r.ownerOnly || r.readOnly) && act === 'Audit (Block)' && log.passed)) {
          cur = fromRule(r, log.audited ? 'eBPF Monitor' : log.enforcer, act);
          skip = true;
          continue;
        }
        if (mf && act === 'Allow' && !log.passed) continue;
      }
      if (act === 'Allow' && !log.passed) {
        cur = defaultPosture('Block');
        continue;
      }
      if (act === 'Audit (Allow)' && log.passed) {
        cur = defaultPosture(log.posture === 'block' ? 'Audit (Block)' : 'Audit');
        continue;
      }
    }
    if (log.posture === 'block' && act === 'Audit (Allow)' && log.passed && cur === undefined) {
      cur = defaultPosture('Audit (Block)');
    }
    if (log.posture === 'audit' && isAllow && log.passed && cur === undefined) {
      cur = defaultPosture('Audit');
    }
  }
  return { alert: finish(cur, log, existAllow), matched: [], orderQuirk };
}

/** The "Network" case (protocols). `pos` gives each rule's index in the endpoint's whole list. */
export function matchNetwork(rules: CompiledRule[], pos: Map<CompiledRule, number>, total: number,
  log: LogCtx, protocol: string, existAllow: boolean): MatchOutcome {
  let cur: MatchedLog | undefined;
  let skip = false;
  const matched: CompiledRule[] = [];
  for (const r of rules) {
    if (skip) break;
    const act = actionOf(r, log.audited);
    if (r.source === '' || r.source === log.processName) {
      const mf = protocol === r.value || r.value === 'all';
      if (mf) {
        matched.push(r);
        if ((act === 'Allow' || act === 'Audit (Allow)') && log.passed) {
          cur = fromRule(r, log.audited ? 'eBPF Monitor' : log.enforcer, 'Allow');
          skip = true;
          continue;
        }
        if (act === 'Audit' && log.passed) {
          cur = fromRule(r, 'eBPF Monitor', 'Audit');
          skip = true;
          continue;
        }
        if ((act === 'Block' && !log.passed) || (act === 'Audit (Block)' && log.passed)) {
          // the Network Block branch sets Tags but not ATags
          cur = fromRule(r, log.audited ? 'eBPF Monitor' : log.enforcer, act, false);
          skip = true;
          continue;
        }
      }
      if (!mf && (pos.get(r) ?? 0) < total - 1) continue;
      if (act === 'Allow' && !log.passed) { cur = defaultPosture('Block'); continue; }
      if (act === 'Audit (Allow)' && log.passed) { cur = defaultPosture(log.posture === 'block' ? 'Audit (Block)' : 'Audit'); continue; }
    }
    if (log.posture === 'block' && act === 'Audit (Allow)' && log.passed) cur = defaultPosture('Audit (Block)');
    if (log.posture === 'audit' && (act === 'Allow' || act === 'Audit (Allow)') && log.passed) cur = defaultPosture('Audit');
  }
  return { alert: finish(cur, log, existAllow), matched, orderQuirk: false };
}

/** The "Capabilities" case: `skip` is per rule there, so a later matching rule overwrites an earlier one. */
export function matchCapabilities(rules: CompiledRule[], log: LogCtx, existAllow: boolean): MatchOutcome {
  let cur: MatchedLog | undefined;
  const matched: CompiledRule[] = [];
  for (const r of rules) {
    const act = actionOf(r, log.audited);
    if (r.source === '' || r.source === log.processName) {
      let hit = false;
      if (log.resource.includes(r.value.toUpperCase())) {
        matched.push(r);
        if ((act === 'Allow' || act === 'Audit (Allow)') && log.passed) {
          cur = fromRule(r, log.audited ? 'eBPF Monitor' : log.enforcer, 'Allow'); hit = true;
        } else if (act === 'Audit' && log.passed) {
          cur = fromRule(r, 'eBPF Monitor', 'Audit'); hit = true;
        } else if ((act === 'Block' && !log.passed) || (act === 'Audit (Block)' && log.passed)) {
          // the Capabilities Block branch sets Tags but not ATags
          cur = fromRule(r, log.audited ? 'eBPF Monitor' : log.enforcer, act, false); hit = true;
        }
      }
      if (hit) continue;
      if (act === 'Allow' && !log.passed) { cur = defaultPosture('Block'); continue; }
      if (act === 'Audit (Allow)' && log.passed) { cur = defaultPosture(log.posture === 'block' ? 'Audit (Block)' : 'Audit'); continue; }
    }
    if (log.posture === 'block' && act === 'Audit (Allow)' && log.passed) cur = defaultPosture('Audit (Block)');
    if (log.posture === 'audit' && (act === 'Allow' || act === 'Audit (Allow)') && log.passed) cur = defaultPosture('Audit');
  }
  return { alert: finish(cur, log, existAllow), matched, orderQuirk: false };
}

/** setLogFields and the final MatchedPolicy filter (Allow + Passed is dropped). */
function finish(cur: MatchedLog | undefined, log: LogCtx, existAllow: boolean): MatchedLog | undefined {
  if (cur === undefined) {
    if (existAllow && log.posture === 'audit' && log.passed) return defaultPosture('Audit');
    if (existAllow && log.posture === 'block' && !log.passed) return defaultPosture('Block');
    return undefined;
  }
  if (cur.action === 'Allow' && log.passed) return undefined;
  return cur;
}

/** fetchProtocol: the protocol the matcher reads from a network log's Resource. */
export function fetchProtocol(resource: string): string {
  if (resource.includes('protocol=TCP') || (resource.includes('SOCK_STREAM') && resource.includes('protocol=HOPOPT'))) return 'tcp';
  if (resource.includes('protocol=UDP') || (resource.includes('SOCK_DGRAM') && resource.includes('protocol=HOPOPT'))) return 'udp';
  if (resource.includes('protocol=ICMP')) return 'icmp';
  if (resource.includes('SOCK_RAW')) return 'raw';
  if (resource.includes('protocol=ICMPv6')) return 'icmpv6';
  if (resource.includes('protocol=SCTP')) return 'sctp';
  if (resource.includes('SOCK_STREAM')) return 'stream';
  if (resource.includes('SOCK_DGRAM')) return 'dgram';
  if (resource.includes('SOCK_RDM')) return 'rdm';
  if (resource.includes('SOCK_SEQPACKET')) return 'seqpacket';
  if (resource.includes('SOCK_DCCP')) return 'dccp';
  if (resource.includes('SOCK_PACKET')) return 'packet';
  return resource;
}

const NETWORK_RESOURCES: Record<string, string> = {
  tcp: 'domain=AF_INET type=SOCK_STREAM protocol=TCP',
  udp: 'domain=AF_INET type=SOCK_DGRAM protocol=UDP',
  icmp: 'domain=AF_INET type=SOCK_RAW protocol=ICMP',
  icmpv6: 'domain=AF_INET6 type=SOCK_RAW protocol=ICMPv6',
  raw: 'domain=AF_INET type=SOCK_RAW protocol=0',
  sctp: 'domain=AF_INET type=SOCK_STREAM protocol=SCTP',
  stream: 'domain=AF_UNIX type=SOCK_STREAM protocol=0',
  dgram: 'domain=AF_UNIX type=SOCK_DGRAM protocol=0',
  rdm: 'domain=AF_INET type=SOCK_RDM protocol=0',
  seqpacket: 'domain=AF_UNIX type=SOCK_SEQPACKET protocol=0',
  dccp: 'domain=AF_INET type=SOCK_DCCP protocol=0',
  packet: 'domain=AF_PACKET type=SOCK_PACKET protocol=0',
};

/** An approximation of the Resource of a network log for a protocol. */
export function networkResource(protocol: string): string {
  return NETWORK_RESOURCES[protocol] ?? `protocol=${protocol.toUpperCase()}`;
}
