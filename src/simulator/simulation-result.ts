import { PredictedAlert } from './predicted-alert';

/** How the simulated access was decided. */
export enum SimulatedAction {
  /** Denied by a Block rule (or by an Allow rule's readOnly/ownerOnly flag). */
  BLOCK = 'BLOCK',
  /** Permitted, and an Audit rule raises an alert. */
  AUDIT = 'AUDIT',
  /** Permitted by an Allow rule while the workload is in allow-list mode; no alert. */
  ALLOW = 'ALLOW',
  /**
   * Decided by the default posture: the workload is in allow-list mode and no Allow rule covers
   * the access (denied under a `block` posture, permitted with a `DefaultPosture` alert under `audit`).
   */
  ALLOW_LIST_DEFAULT = 'ALLOW_LIST_DEFAULT',
  /** The pod is `kubearmor-policy: audited`: a Block rule matched, nothing is enforced, the alert says `Audit (Block)`. */
  AUDITED_BLOCK = 'AUDITED_BLOCK',
  /** No policy decides anything: permitted, no alert. */
  NONE = 'NONE',
  /**
   * The kernel refused the access before KubeArmor's LSM hook ran (EROFS on a read-only root filesystem, or a DAC
   * check the kernel makes first): denied, no KubeArmor alert. See docs/kernel-before-lsm.md.
   */
  KERNEL = 'KERNEL',
}

/** The fields of a `SimulationResult`. */
export interface SimulationResultProps {
  /** Whether the access succeeds. */
  readonly permitted: boolean;
  /** How the access was decided. */
  readonly action: SimulatedAction;
  /** `Permission denied` or `Passed` (or the kernel's error, e.g. `Read-only file system`). */
  readonly result: string;
  /** The predicted alert. @default - no alert */
  readonly alert?: PredictedAlert;
  /** The policy whose rule decided enforcement. @default - none */
  readonly decidedBy?: string;
  /** Policies with a rule matching the access. */
  readonly matchedPolicies: string[];
  /** Caveats. */
  readonly caveats: string[];
  /** A one-line description of the request. */
  readonly request: string;
}

/** The outcome of `PolicySimulator.evaluate`. */
export class SimulationResult {
  /** Whether the access succeeds. */
  public readonly permitted: boolean;
  /** How the access was decided. */
  public readonly action: SimulatedAction;
  /** KubeArmor's `Result` string: `Permission denied` or `Passed`. */
  public readonly result: string;
  /** The alert KubeArmor would raise; undefined when it raises none. */
  public readonly alert?: PredictedAlert;
  /**
   * The policy whose rule decided enforcement (undefined when none did). It can differ from
   * `alert.policyName`: KubeArmor names the first matching rule in its list, not the deciding one.
   */
  public readonly decidedBy?: string;
  /** Names of the policies with at least one rule matching the access, in application order. */
  public readonly matchedPolicies: string[];
  /**
   * Where KubeArmor's behaviour is unknown, version-dependent or not simulated for this access.
   * Empty when the prediction relies only on documented semantics.
   */
  public readonly caveats: string[];
  /** A one-line description of the request, for messages. */
  public readonly request: string;

  /** Results are created by `PolicySimulator.evaluate`. */
  constructor(props: SimulationResultProps) {
    this.permitted = props.permitted;
    this.action = props.action;
    this.result = props.result;
    this.alert = props.alert;
    this.decidedBy = props.decidedBy;
    this.matchedPolicies = props.matchedPolicies;
    this.caveats = props.caveats;
    this.request = props.request;
  }

  /** Whether the access is denied. */
  public get denied(): boolean {
    return !this.permitted;
  }

  /** A one-line summary: request, verdict, action and alert. */
  public get summary(): string {
    const a = this.alert;
    const alert = a ? `alert ${a.policyName} (Action ${a.action}, Severity "${a.severity}", Enforcer ${a.enforcer})` : 'no alert';
    return `${this.request}: ${this.permitted ? 'PERMITTED' : 'DENIED'} (${this.action}, ${this.result}), ${alert}`;
  }

  /**
   * The predicted alert as KubeArmor's JSON record (`Type`, `PolicyName`, `Severity`, `Tags`, `ATags`, ...),
   * with `Tags`, `ATags` and `Message` left out when empty as KubeArmor does; undefined when no alert is raised.
   * Compare it with a subset of a real alert; cluster-specific fields (`PodName`, `PID`, `Timestamp`, ...) are absent.
   */
  public toKubeArmorJson(): any {
    const a = this.alert;
    if (!a) return undefined;
    const out: Record<string, any> = {};
    out.Type = a.type;
    out.PolicyName = a.policyName;
    out.Severity = a.severity;
    if (a.tags) out.Tags = a.tags;
    if (a.aTags.length > 0) out.ATags = [...a.aTags];
    if (a.message) out.Message = a.message;
    out.Action = a.action;
    out.Result = a.result;
    out.Enforcer = a.enforcer;
    out.Operation = a.operation;
    out.Resource = a.resource;
    if (a.namespaceName) out.NamespaceName = a.namespaceName;
    if (a.labels) out.Labels = a.labels;
    if (a.containerName) out.ContainerName = a.containerName;
    out.ProcessName = a.processName;
    if (a.parentProcessName) out.ParentProcessName = a.parentProcessName;
    if (a.hostName) out.HostName = a.hostName;
    out.UID = a.uid;
    return out;
  }
}
