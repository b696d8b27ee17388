/**
 * A bounded memo of whole decisions (KubeArmor's verdict, alert and the kernel's checks), for callers that
 * evaluate the same accesses again and again (a test loop, a benchmark, a dashboard).
 *
 * The key holds every input the result depends on: the endpoint (the cached endpoint object, which stands for
 * host/node, namespace, labels and container, see endpoint-cache.ts), the pod's audited mode, the enforcer
 * class (AppArmor or not), the three resolved postures, and the request's own primitive fields (operation,
 * path, protocol, capability, process, parentProcess, execsDirectly, containerEntry, uid, ownerUid, fileMode,
 * readOnlyRootFilesystem), compared with `===`. A request that carries an object the result depends on
 * (workload, args, writableMounts), or a field that is not a primitive, is not memoised.
 *
 * Results are never shared: the memo keeps its own copy, and every hit returns a new SimulationResult with
 * new arrays (empty ones too) and a new alert object, as a miss does. (Sharing one frozen result is not an option: the jsii
 * kernel tags every class instance it hands to another language with Object.defineProperty, which throws on
 * a frozen object; and `matchedPolicies`, `caveats` and `aTags` are typed as mutable arrays.)
 *
 * A hit reads one entry: the key, the postures and the memoised result are fields of one object, and the
 * entries of one endpoint and target are chained through `next` (no array in between).
 */
import { AccessRequest } from '../access-request';
import { PredictedAlert } from '../predicted-alert';
import { SimulatedAction, SimulationResult } from '../simulation-result';
import { LsmPostures } from './decide';
import { CachedEndpoint } from './endpoint-cache';

/** Entries per generation: at most two generations are held (the newest, and the one before it). */
export const DECISIONS_PER_GENERATION = 8192;

/** Whether a field can be part of a key: undefined or a primitive that `===` compares by value (not -0, which equals 0). */
export function keyable(x: unknown): boolean {
  if (x === undefined) return true;
  const t = typeof x;
  if (t === 'string' || t === 'boolean') return true;
  // NaN never equals itself, and -0 equals 0 although a result can show the difference.
  return t === 'number' && x === x && !(x === 0 && 1 / (x as number) < 0);
}

/** Whether the memo can key this request (no object the result depends on, every key field a primitive). */
export function memoisable(r: AccessRequest): boolean {
  // Objects the result depends on (and may change between calls) cannot be keyed by identity.
  if (r.workload !== undefined || r.args !== undefined || r.writableMounts !== undefined) return false;
  return keyable(r.operation) && keyable(r.path) && keyable(r.protocol) && keyable(r.capability) && keyable(r.process)
    && keyable(r.parentProcess) && keyable(r.uid) && keyable(r.ownerUid) && keyable(r.fileMode) && keyable(r.readOnlyRootFilesystem);
}

function copyList(l: string[]): string[] {
  return l.length === 0 ? [] : l.length === 1 ? [l[0]] : l.slice();
}

/** A new alert with a new `aTags` list. */
function copyAlert(a: PredictedAlert): PredictedAlert {
  return {
    type: a.type,
    policyName: a.policyName,
    severity: a.severity,
    tags: a.tags,
    aTags: a.aTags.length === 0 ? [] : a.aTags.slice(),
    message: a.message,
    action: a.action,
    result: a.result,
    enforcer: a.enforcer,
    operation: a.operation,
    resource: a.resource,
    namespaceName: a.namespaceName,
    labels: a.labels,
    containerName: a.containerName,
    processName: a.processName,
    parentProcessName: a.parentProcessName,
    hostName: a.hostName,
    uid: a.uid,
  };
}

/**
 * One memoised decision: everything it depends on besides the endpoint and target (compared field by field
 * with `===`), a private copy of its result's fields (shares no mutable object with any result handed out),
 * and the next decision of the same endpoint and target.
 */
class Decision {
  /** The memo's own copy of a result: it lives long, so it is built at other allocation sites than the copies handed to callers. */
  public static of(r: AccessRequest, audited: boolean, appArmor: boolean, postures: LsmPostures, result: SimulationResult): Decision {
    const a = result.alert;
    return new Decision(audited, appArmor, postures.file, postures.network, postures.capabilities,
      r.operation, r.path, r.protocol, r.capability, r.process, r.parentProcess, r.execsDirectly === true, r.containerEntry === true,
      r.uid, r.ownerUid, r.fileMode, r.readOnlyRootFilesystem,
      result.permitted, result.action, result.result,
      a === undefined ? undefined : { ...a, aTags: [...a.aTags] },
      result.decidedBy,
      [...result.matchedPolicies],
      [...result.caveats],
      result.request, undefined);
  }

  constructor(
    readonly audited: boolean,
    readonly appArmor: boolean,
    readonly file: string,
    readonly network: string,
    readonly capabilities: string,
    readonly operation: unknown,
    readonly path: unknown,
    readonly protocol: unknown,
    readonly capability: unknown,
    readonly process: unknown,
    readonly parentProcess: unknown,
    readonly execsDirectly: boolean,
    readonly containerEntry: boolean,
    readonly uid: unknown,
    readonly ownerUid: unknown,
    readonly fileMode: unknown,
    readonly readOnlyRootFilesystem: unknown,
    readonly permitted: boolean,
    readonly action: SimulatedAction,
    readonly result: string,
    readonly alert: PredictedAlert | undefined,
    readonly decidedBy: string | undefined,
    readonly matchedPolicies: string[],
    readonly caveats: string[],
    readonly request: string,
    public next: Decision | undefined,
  ) {}

  /** The same decision, chained before `next` (for another generation's chain). */
  public relinked(next: Decision | undefined): Decision {
    return new Decision(this.audited, this.appArmor, this.file, this.network, this.capabilities,
      this.operation, this.path, this.protocol, this.capability, this.process, this.parentProcess, this.execsDirectly, this.containerEntry,
      this.uid, this.ownerUid, this.fileMode, this.readOnlyRootFilesystem,
      this.permitted, this.action, this.result, this.alert, this.decidedBy, this.matchedPolicies, this.caveats, this.request, next);
  }

  public matches(r: AccessRequest, audited: boolean, appArmor: boolean, file: string, network: string, capabilities: string): boolean {
    return this.operation === r.operation && this.path === r.path && this.process === r.process
      && this.parentProcess === r.parentProcess && this.appArmor === appArmor && this.audited === audited
      && this.file === file && this.network === network && this.capabilities === capabilities
      && this.protocol === r.protocol && this.capability === r.capability
      && this.execsDirectly === (r.execsDirectly === true) && this.containerEntry === (r.containerEntry === true)
      && this.uid === r.uid && this.ownerUid === r.ownerUid && this.fileMode === r.fileMode
      && this.readOnlyRootFilesystem === r.readOnlyRootFilesystem;
  }

  /** A new result equal to the memoised one, sharing no mutable object with it or any other result. */
  public copy(): SimulationResult {
    const a = this.alert;
    return new SimulationResult({
      permitted: this.permitted,
      action: this.action,
      result: this.result,
      alert: a === undefined ? undefined : copyAlert(a),
      decidedBy: this.decidedBy,
      matchedPolicies: copyList(this.matchedPolicies),
      caveats: copyList(this.caveats),
      request: this.request,
    });
  }
}

/** The decisions on one endpoint: the first of each target's chain (path, else protocol, else capability). */
type EndpointDecisions = Map<unknown, Decision>;

/**
 * Two generations of memoised decisions, by endpoint then target: memory stays bounded (at most twice
 * `perGeneration` entries), the accesses in use stay cached.
 */
export class DecisionCache {
  private young = new Map<CachedEndpoint, EndpointDecisions>();
  private old = new Map<CachedEndpoint, EndpointDecisions>();
  private youngSize = 0;

  /** @param perGeneration entries per generation */
  constructor(private readonly perGeneration: number = DECISIONS_PER_GENERATION) {}

  /**
   * A new result equal to the one memoised for this access, or undefined.
   *
   * @param r the shaped request
   * @param endpoint the endpoint it was resolved to (it stands for host/node, namespace, labels and container)
   * @param audited whether the pod is `kubearmor-policy: audited`
   * @param appArmor whether the enforcer is AppArmor
   * @param file the resolved file posture
   * @param network the resolved network posture
   * @param capabilities the resolved capabilities posture
   */
  public get(r: AccessRequest, endpoint: CachedEndpoint, audited: boolean, appArmor: boolean,
    file: string, network: string, capabilities: string): SimulationResult | undefined {
    const target = r.path ?? r.protocol ?? r.capability;
    const byTarget = this.young.get(endpoint);
    if (byTarget !== undefined) {
      for (let d = byTarget.get(target); d !== undefined; d = d.next) {
        if (d.matches(r, audited, appArmor, file, network, capabilities)) return d.copy();
      }
    }
    const older = this.old.get(endpoint);
    if (older !== undefined) {
      for (let d = older.get(target); d !== undefined; d = d.next) {
        if (d.matches(r, audited, appArmor, file, network, capabilities)) {
          this.put(endpoint, target, d, false);
          return d.copy();
        }
      }
    }
    return undefined;
  }

  /** Memoises a private copy of `result` (the caller may change the one it returns), unless the request cannot be keyed. */
  public set(r: AccessRequest, endpoint: CachedEndpoint, audited: boolean, appArmor: boolean, postures: LsmPostures, result: SimulationResult): void {
    if (!memoisable(r)) return;
    this.put(endpoint, r.path ?? r.protocol ?? r.capability, Decision.of(r, audited, appArmor, postures, result), true);
  }

  /** The number of entries in the newest generation. */
  public get size(): number {
    return this.youngSize;
  }

  /**
   * Chains `d` first in the young generation. A decision already in a chain of the older generation is not
   * changed: a twin is chained instead (unless it ends its chain and is the target's first), so that no young
   * chain reaches into the older generation and memory stays bounded.
   *
   * @param fresh whether `d` is new (in no chain yet)
   */
  private put(endpoint: CachedEndpoint, target: unknown, d: Decision, fresh: boolean): void {
    if (this.youngSize >= this.perGeneration) {
      this.old = this.young;
      this.young = new Map();
      this.youngSize = 0;
    }
    let byTarget = this.young.get(endpoint);
    if (byTarget === undefined) this.young.set(endpoint, byTarget = new Map());
    const first = byTarget.get(target);
    if (fresh) d.next = first;
    byTarget.set(target, fresh || (d.next === undefined && first === undefined) ? d : d.relinked(first));
    this.youngSize++;
  }
}
