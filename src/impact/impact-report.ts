import { lazy } from '../private/lazy';

// Loaded on first use, not when the library is loaded (cold require cost).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazyRender = lazy((): typeof import('./private/render') => require('./private/render'));
/* eslint-enable @typescript-eslint/no-require-imports */

/** How replaying an observed access against the policies changes its outcome. */
export enum ImpactKind {
  /** Observed as permitted; the policies would deny it. */
  NEWLY_DENIED = 'NEWLY_DENIED',
  /** Observed as denied; the policies would still deny it. */
  STILL_DENIED = 'STILL_DENIED',
  /** Observed as denied; the policies would permit it. */
  NEWLY_PERMITTED = 'NEWLY_PERMITTED',
  /** Permitted before and after, but the alert changes (another policy or action, a new alert, or none). */
  ALERT_CHANGED = 'ALERT_CHANGED',
}

/** One observed access (workload, policy, rule, operation, path, process) and how the policies treat it. */
export interface ImpactFinding {
  /** How the outcome changes. */
  readonly kind: ImpactKind;
  /** The workload: `Deployment wordpress-mysql/mysql`, `pods <ns> {labels}` or `host <name>`. */
  readonly workload: string;
  /** The container name ('' for hosts or when unknown). */
  readonly container: string;
  /** The policy that decides (or, when nothing denies, names the predicted alert); `DefaultPosture` or '' when none. */
  readonly policyName: string;
  /** JSON pointers of the policy's rules that match the access, e.g. `/spec/file/matchDirectories/2`. */
  readonly rulePointers: string[];
  /** `file:line` of the first matching rule, when the policy came from a file. @default - unknown */
  readonly ruleSource?: string;
  /** The construct path that synthesised the policy. @default - not synthesised by this library, or unknown */
  readonly constructPath?: string;
  /** The operation (an `AccessOperation` value). */
  readonly operation: string;
  /** The path, executable, protocol or capability. */
  readonly target: string;
  /** The process (for EXEC: the caller). */
  readonly process: string;
  /** Number of telemetry records of this access. */
  readonly count: number;
  /** Earliest timestamp (ISO 8601), '' when the records have none. */
  readonly firstSeen: string;
  /** Latest timestamp (ISO 8601), '' when the records have none. */
  readonly lastSeen: string;
  /** What the telemetry recorded: `Action/Result` of the alert (`Audit/Passed`) or `log/Passed`. */
  readonly observed: string;
  /** What the policies would do: `Block/Permission denied`, `Audit/Passed`, `none/Passed`. */
  readonly predicted: string;
  /** 1-based line numbers of the first records (at most 5). */
  readonly lines: number[];
  /** A suggested remedy, when the library knows one. @default - none */
  readonly remedy?: string;
}

/** A rule no replayed access matched. */
export interface UnexercisedRule {
  /** The policy's name. */
  readonly policyName: string;
  /** `KubeArmorPolicy`, `KubeArmorClusterPolicy` or `KubeArmorHostPolicy`. */
  readonly kind: string;
  /** The rule's JSON pointer. */
  readonly pointer: string;
  /** The rule's value (path, dir, pattern, protocol or capability). */
  readonly value: string;
  /** `file:line`, when the policy came from a file. @default - unknown */
  readonly source?: string;
  /** The construct path that synthesised the policy. @default - unknown */
  readonly constructPath?: string;
}

/** Telemetry records that could not be replayed, by reason. */
export interface SkippedTelemetry {
  /** Why, e.g. `unknown syscall 'syscall=SYS_PTRACE'`. */
  readonly reason: string;
  /** How many records. */
  readonly count: number;
  /** 1-based line numbers of the first records (at most 5). */
  readonly lines: number[];
}

/** A workload seen in the telemetry that none of the known workloads matches. */
export interface UnknownWorkload {
  /** The workload as the telemetry names it (`Deployment default/nginx`, `pods <ns> {labels}`). */
  readonly workload: string;
  /** Its records (they are replayed all the same). */
  readonly count: number;
}

/** The trace-back of an observed alert to the policy, rule and construct that raised it. */
export interface AlertExplanation {
  /** The alert's `PolicyName`. */
  readonly policyName: string;
  /** Whether a policy of that name is among the replayed policies. */
  readonly found: boolean;
  /** The matching rules' JSON pointers (empty when none matches now). */
  readonly rulePointers: string[];
  /** `file:line` of the first matching rule (or of the policy). @default - unknown */
  readonly source?: string;
  /** The construct path that synthesised the policy. @default - unknown */
  readonly constructPath?: string;
  /** The workload. */
  readonly workload: string;
  /** The operation. */
  readonly operation: string;
  /** The path, executable, protocol or capability. */
  readonly target: string;
  /** The process. */
  readonly process: string;
  /** The alert's `Action`. */
  readonly action: string;
  /** Number of alert records. */
  readonly count: number;
  /** 1-based line numbers of the first records (at most 5). */
  readonly lines: number[];
}

/** The settings a report was produced with. */
export interface ImpactSettings {
  /** Audit rules were replayed as Block. */
  readonly asBlock: boolean;
  /** The enforcer (`APPARMOR` or `BPF_LSM`). */
  readonly enforcer: string;
  /** The default file posture (`AUDIT` or `BLOCK`). */
  readonly filePosture: string;
  /** The number of policies replayed. */
  readonly policies: number;
}

/** The fields of an `ImpactReport`. */
export interface ImpactReportProps {
  /** The settings. */
  readonly settings: ImpactSettings;
  /** Records read (replayed or skipped). */
  readonly records: number;
  /** Records replayed. */
  readonly replayed: number;
  /** Distinct accesses evaluated. */
  readonly distinctAccesses: number;
  /** Records whose outcome does not change. */
  readonly unchanged: number;
  /** The changed outcomes. */
  readonly findings: ImpactFinding[];
  /** Rules never exercised. */
  readonly unexercisedRules: UnexercisedRule[];
  /** Records not replayed. */
  readonly skipped: SkippedTelemetry[];
  /** Observed alerts traced back. */
  readonly explanations: AlertExplanation[];
  /** Workloads in the telemetry that none of the known workloads match (only when workloads are known). */
  readonly unknownWorkloads: UnknownWorkload[];
}

/** The outcome of `PolicyImpact.replayFile` and friends. */
export class ImpactReport {
  /** The settings. */
  public readonly settings: ImpactSettings;
  /** Records read (replayed or skipped). */
  public readonly records: number;
  /** Records replayed. */
  public readonly replayed: number;
  /** Distinct accesses evaluated (records are grouped before evaluation). */
  public readonly distinctAccesses: number;
  /** Replayed records whose outcome does not change. */
  public readonly unchanged: number;
  /** Changed outcomes, sorted by workload, policy, rule, operation, target and process. */
  public readonly findings: ImpactFinding[];
  /** Rules no replayed access matched, in policy order. */
  public readonly unexercisedRules: UnexercisedRule[];
  /** Records not replayed, by reason. */
  public readonly skipped: SkippedTelemetry[];
  /** Every observed alert (grouped like the findings), traced back to policy, rule and construct. */
  public readonly explanations: AlertExplanation[];
  /** Telemetry workloads that no known workload matches (empty when the policies came without workloads). */
  public readonly unknownWorkloads: UnknownWorkload[];

  /** Reports are created by `PolicyImpact`. */
  constructor(props: ImpactReportProps) {
    this.settings = props.settings;
    this.records = props.records;
    this.replayed = props.replayed;
    this.distinctAccesses = props.distinctAccesses;
    this.unchanged = props.unchanged;
    this.findings = props.findings;
    this.unexercisedRules = props.unexercisedRules;
    this.skipped = props.skipped;
    this.explanations = props.explanations;
    this.unknownWorkloads = props.unknownWorkloads;
  }

  /** Whether an observed access would be newly denied (the CLI exits 1). */
  public get hasNewDenials(): boolean {
    return this.findings.some((f) => f.kind === ImpactKind.NEWLY_DENIED);
  }

  /**
   * Plain text, grouped workload → policy → rule → access.
   *
   * @param explain also trace every observed alert back to its policy, rule and construct
   */
  public toText(explain?: boolean): string {
    return lazyRender().renderText(this, { explain });
  }

  /**
   * Markdown for a pull-request review.
   *
   * @param explain also trace every observed alert back to its policy, rule and construct
   */
  public toMarkdown(explain?: boolean): string {
    return lazyRender().renderMarkdown(this, { explain });
  }

  /** The report as a JSON document (findings nested workload → policy → rule → access). */
  public toJson(): any {
    return lazyRender().renderJson(this);
  }
}
