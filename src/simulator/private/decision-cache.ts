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
 * new arrays and a new alert object, as a miss does. (Sharing one frozen result is not an option: the jsii
 * kernel tags every class instance it hands to another language with Object.defineProperty, which throws on
 * a frozen object; and `matchedPolicies`, `caveats` and `aTags` are typed as mutable arrays.)
 */
import { AccessRequest } from '../access-request';
import { PredictedAlert } from '../predicted-alert';
import { SimulationResult } from '../simulation-result';
import { LsmPostures } from './decide';
import { CachedEndpoint } from './endpoint-cache';
import { NO_STRINGS } from './verdict';

/** Entries per generation: at most two generations are held (the newest, and the one before it). */
export const DECISIONS_PER_GENERATION = 8192;

/** Whether a field can be part of a key: undefined or a primitive that `===` compares by value (not -0, which equals 0). */
function keyable(x: unknown): boolean {
  if (x === undefined) return true;
  const t = typeof x;
  if (t === 'string' || t === 'boolean') return true;
  // NaN never equals itself, and -0 equals 0 although a result can show the difference.
  return t === 'number' && x === x && !(x === 0 && 1 / (x as number) < 0);
}

/** Everything a decision depends on besides the endpoint: compared field by field with `===`. */
class Decision {
  constructor(
    readonly audited: boolean,
    readonly appArmor: boolean,
    readonly postures: LsmPostures,
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
    readonly result: SimulationResult,
  ) {}

  public matches(r: AccessRequest, audited: boolean, appArmor: boolean, file: string, network: string, capabilities: string): boolean {
    const p = this.postures;
    return this.operation === r.operation && this.path === r.path && this.process === r.process
      && this.parentProcess === r.parentProcess && this.appArmor === appArmor && this.audited === audited
      && p.file === file && p.network === network && p.capabilities === capabilities
      && this.protocol === r.protocol && this.capability === r.capability
      && this.execsDirectly === (r.execsDirectly === true) && this.containerEntry === (r.containerEntry === true)
      && this.uid === r.uid && this.ownerUid === r.ownerUid && this.fileMode === r.fileMode
      && this.readOnlyRootFilesystem === r.readOnlyRootFilesystem;
  }
}

/** The decisions on one endpoint, by target (path, else protocol, else capability). */
type EndpointDecisions = Map<unknown, Decision[]>;

function copyList(l: string[]): string[] {
  if (l === NO_STRINGS) return NO_STRINGS;
  return l.length === 1 ? [l[0]] : l.slice();
}

/**
 * A copy sharing no mutable object with `r` (the shared empty list aside, as results always had it).
 *
 * @param r the result
 * @param keep whether the copy is for the memo: it lives long, so it is built at other allocation sites than
 *   the copies handed to callers, which die young (V8 would otherwise allocate those in the old generation too)
 */
export function copyResult(r: SimulationResult, keep = false): SimulationResult {
  const a = r.alert;
  if (keep) {
    return new SimulationResult({
      permitted: r.permitted,
      action: r.action,
      result: r.result,
      decidedBy: r.decidedBy,
      request: r.request,
      alert: a === undefined ? undefined : { ...a, aTags: [...a.aTags] },
      matchedPolicies: r.matchedPolicies === NO_STRINGS ? NO_STRINGS : [...r.matchedPolicies],
      caveats: r.caveats === NO_STRINGS ? NO_STRINGS : [...r.caveats],
    });
  }
  const alert: PredictedAlert | undefined = a === undefined ? undefined : {
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
  return new SimulationResult({
    permitted: r.permitted,
    action: r.action,
    result: r.result,
    alert,
    decidedBy: r.decidedBy,
    matchedPolicies: copyList(r.matchedPolicies),
    caveats: copyList(r.caveats),
    request: r.request,
  });
}

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
    const list = this.young.get(endpoint)?.get(target);
    if (list !== undefined) {
      for (let i = 0; i < list.length; i++) {
        const d = list[i];
        if (d.matches(r, audited, appArmor, file, network, capabilities)) return copyResult(d.result);
      }
    }
    const older = this.old.get(endpoint)?.get(target);
    if (older !== undefined) {
      for (let i = 0; i < older.length; i++) {
        const d = older[i];
        if (d.matches(r, audited, appArmor, file, network, capabilities)) {
          this.put(endpoint, target, d);
          return copyResult(d.result);
        }
      }
    }
    return undefined;
  }

  /** Memoises a private copy of `result` (the caller may change the one it returns), unless the request cannot be keyed. */
  public set(r: AccessRequest, endpoint: CachedEndpoint, audited: boolean, appArmor: boolean, postures: LsmPostures, result: SimulationResult): void {
    // Objects the result depends on (and may change between calls) cannot be keyed by identity.
    if (r.workload !== undefined || r.args !== undefined || r.writableMounts !== undefined) return;
    if (!keyable(r.operation) || !keyable(r.path) || !keyable(r.protocol) || !keyable(r.capability) || !keyable(r.process)
      || !keyable(r.parentProcess) || !keyable(r.uid) || !keyable(r.ownerUid) || !keyable(r.fileMode) || !keyable(r.readOnlyRootFilesystem)) return;
    const d = new Decision(audited, appArmor, { file: postures.file, network: postures.network, capabilities: postures.capabilities },
      r.operation, r.path, r.protocol, r.capability, r.process, r.parentProcess, r.execsDirectly === true, r.containerEntry === true,
      r.uid, r.ownerUid, r.fileMode, r.readOnlyRootFilesystem, copyResult(result, true));
    this.put(endpoint, r.path ?? r.protocol ?? r.capability, d);
  }

  /** The number of entries in the newest generation. */
  public get size(): number {
    return this.youngSize;
  }

  private put(endpoint: CachedEndpoint, target: unknown, d: Decision): void {
    if (this.youngSize >= this.perGeneration) {
      this.old = this.young;
      this.young = new Map();
      this.youngSize = 0;
    }
    let byTarget = this.young.get(endpoint);
    if (byTarget === undefined) this.young.set(endpoint, byTarget = new Map());
    const list = byTarget.get(target);
    if (list === undefined) byTarget.set(target, [d]);
    else list.push(d);
    this.youngSize++;
  }
}
