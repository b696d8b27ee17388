/**
 * One KubeArmor alert or log record (`karmor logs --json`, the relay's JSON) → one simulator request,
 * or the reason it cannot be replayed. Field names are KubeArmor's (protobuf/kubearmor.proto `Alert`
 * and `Log`). Never throws.
 */
import { LSM_HOOKS, SYSCALLS, capabilityOf, openOperation, parseData, protocolOf } from './syscalls';
import { AccessOperation, AccessRequest } from '../../simulator';

/** What the telemetry says happened. */
export interface ObservedOutcome {
  /** The record is an alert (`Type` MatchedPolicy / MatchedHostPolicy), not a visibility log. */
  readonly alert: boolean;
  /** `PolicyName` ('' for logs). */
  readonly policyName: string;
  /** `Action` ('' for logs). */
  readonly action: string;
  /** `Result`. */
  readonly result: string;
  /** The access failed with `Permission denied` / `Operation not permitted`. */
  readonly denied: boolean;
}

export interface MappedEvent {
  /** Groups identical accesses with the same observed outcome. */
  readonly key: string;
  readonly request: AccessRequest;
  /** `Deployment wordpress-mysql/mysql`, `pods wordpress-mysql {app=mysql}` or `host node-1`. */
  readonly workload: string;
  /** `Owner.Name` when the record names its owner. */
  readonly ownerName: string;
  readonly container: string;
  readonly operation: AccessOperation;
  /** The path, executable, protocol or capability. */
  readonly target: string;
  readonly process: string;
  readonly observed: ObservedOutcome;
  /** `UpdatedTime` as recorded, else `Timestamp` as an ISO time; '' when the record has none. Compare with `earlier`. */
  readonly time: string;
}

export interface UnmappedEvent {
  readonly reason: string;
}

const DENIED_RESULTS = new Set(['Permission denied', 'Operation not permitted']);

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** `app=mysql,tier=db` → { app: 'mysql', tier: 'db' }. */
export function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/** The record's time: `UpdatedTime` kept as written (parsed only when compared or printed), else `Timestamp`. */
export function timeOf(e: any): string {
  const u = e.UpdatedTime;
  if (typeof u === 'string' && u.length > 0 && u.length < 64) return u;
  const t = num(e.Timestamp);
  if (t !== undefined && t < 1e11) return new Date(t * 1000).toISOString();
  return '';
}

const FIXED_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/**
 * Whether time `a` is before `b`. KubeArmor writes UpdatedTime with a fixed number of digits (RFC 3339,
 * microseconds, UTC), so equal-length UTC strings compare as text; anything else is parsed.
 */
export function earlier(a: string, b: string): boolean {
  if (a.length === b.length && a.endsWith('Z') && b.endsWith('Z') && FIXED_ISO.test(a) && FIXED_ISO.test(b)) return a < b;
  const x = Date.parse(a);
  const y = Date.parse(b);
  if (Number.isNaN(x)) return false;
  return Number.isNaN(y) || x < y;
}

/** A time as printed in reports: ISO 8601 in UTC (milliseconds), or the text as recorded when it is not a time. */
export function isoTime(t: string): string {
  const x = Date.parse(t);
  return t === '' || Number.isNaN(x) ? t : new Date(x).toISOString();
}

const RAW_FIELDS = ['Type', 'Operation', 'Data', 'Resource', 'ProcessName', 'ParentProcessName', 'NamespaceName', 'Labels',
  'ContainerName', 'HostName', 'UID', 'OID', 'PolicyName', 'Action', 'Result'];

/**
 * A key of the fields `mapEvent` reads (all but the time): records with the same raw key map to the same
 * access, so only the first of them is mapped. Undefined for values that are not objects.
 */
export function rawKeyOf(e: unknown): string | undefined {
  if (e === null || typeof e !== 'object' || Array.isArray(e)) return undefined;
  const r: any = e;
  let key = '';
  for (const f of RAW_FIELDS) {
    const v = r[f];
    key += (typeof v === 'string' ? v : typeof v === 'number' ? `#${v}` : v === undefined ? '\u0002' : '\u0003') + '\u0000';
  }
  const o = r.Owner;
  if (o !== null && typeof o === 'object') key += `${str(o.Ref)}\u0000${str(o.Namespace)}\u0000${str(o.Name)}`;
  else key += '\u0002';
  return key;
}

function show(v: string): string {
  return v.length > 60 ? `'${v.slice(0, 57)}...'` : `'${v}'`;
}

/** Maps a parsed JSON record. */
export function mapEvent(e: unknown): MappedEvent | UnmappedEvent {
  if (e === null || typeof e !== 'object' || Array.isArray(e)) return { reason: 'not a JSON object' };
  const r: any = e;
  const type = str(r.Type);
  const opField = str(r.Operation);
  if (opField === '') return { reason: 'no Operation field' };
  if (!['File', 'Process', 'Network', 'Capabilities'].includes(opField)) {
    return { reason: `Operation ${show(opField)} is not replayed (File, Process, Network and Capabilities are)` };
  }
  const data = parseData(str(r.Data));
  const resource = str(r.Resource);
  let operation: AccessOperation | undefined;
  let target = '';
  let process = str(r.ProcessName);
  let parent = str(r.ParentProcessName);
  const hook = data.syscall ?? data.lsm;
  const table = data.syscall !== undefined ? SYSCALLS : LSM_HOOKS;
  const mapping = hook !== undefined ? table[hook] : undefined;
  if (hook !== undefined && mapping === undefined) {
    return { reason: `unknown ${data.syscall !== undefined ? 'syscall' : 'LSM hook'} ${show(str(r.Data).split(/\s+/)[0])}` };
  }

  if (opField === 'File') {
    if (mapping === undefined) return { reason: 'File event without syscall= or lsm= in Data' };
    if (mapping === 'OPEN') {
      if (data.flags === undefined) return { reason: 'open without flags= in Data: the access mode is unknown' };
      operation = openOperation(data.flags);
      if (operation === undefined) return { reason: `open flags ${show(data.flags)} carry no access mode` };
    } else {
      operation = mapping;
    }
    if ([AccessOperation.EXEC, AccessOperation.NETWORK, AccessOperation.CAPABILITY].includes(operation)) {
      return { reason: `Operation File with ${show(hook!)}, which is not a file syscall` };
    }
    target = resource.split(/\s+/)[0] ?? '';
  } else if (opField === 'Process') {
    operation = AccessOperation.EXEC;
    if (mapping !== undefined && mapping !== AccessOperation.EXEC) return { reason: `Operation Process with ${show(hook!)}, which is not an exec` };
    // The executable is the process; the caller is the parent (AccessRequest.process for EXEC).
    target = process.startsWith('/') ? process : (resource.split(/\s+/)[0] ?? '');
    process = parent;
    parent = '';
  } else if (opField === 'Network') {
    operation = AccessOperation.NETWORK;
    const p = protocolOf(resource) ?? protocolOf(str(r.Data));
    if (p === undefined) return { reason: `network Resource ${show(resource)} names no protocol KubeArmor matches` };
    target = p;
  } else {
    operation = AccessOperation.CAPABILITY;
    const c = capabilityOf(resource) ?? capabilityOf(str(r.Data));
    if (c === undefined) return { reason: `capability event without CAP_* in Resource ${show(resource)}` };
    target = c;
  }
  const isPathOp = operation !== AccessOperation.NETWORK && operation !== AccessOperation.CAPABILITY;
  if (isPathOp && !target.startsWith('/')) return { reason: target === '' ? 'no Resource path' : `path ${show(target)} is not absolute` };

  const namespace = str(r.NamespaceName);
  const hostName = str(r.HostName);
  const host = type.includes('Host') || (namespace === '' && hostName !== '');
  if (!host && namespace === '') return { reason: 'unknown workload: no NamespaceName (container) and no HostName (host)' };
  if (host && hostName === '') return { reason: 'unknown workload: host event without HostName' };
  const labels = host ? {} : parseLabels(str(r.Labels));
  const container = host ? '' : str(r.ContainerName);
  const uid = num(r.UID);
  const oid = num(r.OID);
  const request: AccessRequest = {
    operation,
    path: isPathOp ? target : undefined,
    protocol: operation === AccessOperation.NETWORK ? target : undefined,
    capability: operation === AccessOperation.CAPABILITY ? target : undefined,
    process: process || undefined,
    parentProcess: parent || undefined,
    namespace: host ? undefined : namespace,
    labels: host ? undefined : labels,
    container: container || undefined,
    node: host ? hostName : undefined,
    uid,
    ownerUid: oid,
  };
  const owner = r.Owner;
  let workload: string;
  if (host) workload = `host ${hostName}`;
  else if (owner && typeof owner === 'object' && str(owner.Ref) && str(owner.Name)) workload = `${str(owner.Ref)} ${str(owner.Namespace) || namespace}/${str(owner.Name)}`;
  else workload = `pods ${namespace} {${Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',')}}`;

  const alert = type === 'MatchedPolicy' || type === 'MatchedHostPolicy';
  const result = str(r.Result);
  const observed: ObservedOutcome = {
    alert,
    policyName: alert ? str(r.PolicyName) : '',
    action: alert ? str(r.Action) : '',
    result,
    denied: DENIED_RESULTS.has(result),
  };
  const key = [workload, host ? hostName : `${namespace}\u0001${str(r.Labels)}`, container, operation, target, process, parent,
    uid ?? '', oid ?? '', observed.policyName, observed.action, observed.denied ? 'd' : 'p', alert ? 'a' : 'l'].join('\u0000');
  return { key, request, workload, ownerName: owner && typeof owner === 'object' ? str(owner.Name) : '', container, operation, target, process, observed, time: timeOf(r) };
}
