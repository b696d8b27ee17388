import { lazy } from '../private/lazy';

// Loaded on first use, not when the library is loaded (cold require cost).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazyRender = lazy((): typeof import('./private/render') => require('./private/render'));
/* eslint-enable @typescript-eslint/no-require-imports */

/** How something differs between BEFORE and AFTER. */
export enum DiffChange {
  /** Only in AFTER (a rule or workload added, a lint finding new). */
  ADDED = 'ADDED',
  /** Only in BEFORE (removed, or a lint finding resolved). */
  REMOVED = 'REMOVED',
  /** In both, different. */
  CHANGED = 'CHANGED',
  /** In both, with the same effect (renamed or reordered at most). */
  UNCHANGED = 'UNCHANGED',
}

/** An effective rule that protects a workload differently. */
export interface RuleDifference {
  /** ADDED, REMOVED or CHANGED. */
  readonly change: DiffChange;
  /** What the rule applies to: list, target and sources, e.g. `file.matchDirectories /bin/ fromSource [/bin/sh]`. */
  readonly rule: string;
  /** Its effect before (action and flags, e.g. `Block, readOnly, recursive`). @default - none (added) */
  readonly before?: string;
  /** Its effect after. @default - none (removed) */
  readonly after?: string;
  /** The policies that carry it (after, else before). */
  readonly policies: string[];
}

/** A concrete access the simulator decides or alerts on differently. */
export interface AccessDifference {
  /** The operation (an `AccessOperation` value). */
  readonly operation: string;
  /** The path, executable, protocol or capability. */
  readonly target: string;
  /** The process performing the access. */
  readonly process: string;
  /** The caller is not the file's owner (probes of ownerOnly rules). */
  readonly notOwner: boolean;
  /** The container, when the workload has several. @default - the workload's only container */
  readonly container?: string;
  /** Decision and alert before, e.g. `denied, alert harden-x (Block, severity 1)`; `no workload` when absent. */
  readonly before: string;
  /** Decision and alert after. */
  readonly after: string;
  /** Enforcer and default posture combinations where this holds, e.g. `AppArmor/audit`, `BPF-LSM/block`. */
  readonly conditions: string[];
  /** One line: `WRITE /bin/diff-probe by /bin/sh: denied (...) before, permitted (...) after [all enforcers and postures]`. */
  readonly description: string;
}

/** A lint finding that is new or resolved. */
export interface LintDifference {
  /** ADDED (new) or REMOVED (resolved). */
  readonly change: DiffChange;
  /** The lint ID, e.g. `KA002`. */
  readonly id: string;
  /** `error` or `warning`. */
  readonly severity: string;
  /** The policy the finding is about. */
  readonly policyName: string;
  /** The finding's message. */
  readonly message: string;
}

/** How one workload's enforcement differs. */
export interface WorkloadDifference {
  /** The workload, e.g. `Deployment wordpress-mysql/mysql {app=mysql}`, `pods ns {labels}` or `host {labels}`. */
  readonly workload: string;
  /** Its identity across both sides (`Deployment/ns/name`, `pods/ns/{labels}`, `host/{labels}`). */
  readonly key: string;
  /** ADDED / REMOVED (the workload exists on one side only), CHANGED, or UNCHANGED (no enforcement change). */
  readonly change: DiffChange;
  /** Effective rules added, removed or changed. */
  readonly protection: RuleDifference[];
  /** Allow-list mode entered or left per section, default posture and pod annotation changes. */
  readonly posture: string[];
  /** Policies that newly select or no longer select the workload. */
  readonly selection: string[];
  /** Severity, tags, message or policy name that alerts will carry, changed. */
  readonly alerts: string[];
  /** Lint findings new or resolved. */
  readonly lints: LintDifference[];
  /** Compliance controls gained, lost or changed in strength. */
  readonly compliance: string[];
  /** Concrete accesses decided or alerted differently (the equivalence check). */
  readonly accesses: AccessDifference[];
  /** Accesses on which AppArmor and BPF-LSM disagree on one side and not on the other. */
  readonly divergence: string[];
  /** Changes without effect: renames, reorders. */
  readonly notes: string[];
  /** Probes evaluated (per side, enforcer and posture). */
  readonly probes: number;
}

/** A policy renamed (same kind, namespace, rules and selected workloads; another name). */
export interface PolicyRename {
  /** `kind/namespace/name` before. */
  readonly before: string;
  /** `kind/namespace/name` after. */
  readonly after: string;
}

/** The fields of a `PolicyDiffReport`. */
export interface PolicyDiffReportProps {
  /** Per workload, by key. */
  readonly workloads: WorkloadDifference[];
  /** Policies renamed. */
  readonly renames: PolicyRename[];
  /** Policies that select no known workload after, and did before (or are new). */
  readonly newlySelectingNothing: string[];
  /** Lint findings of policies that select no workload, new or resolved. */
  readonly otherLints: LintDifference[];
  /** The number of policies before and after. */
  readonly policies: number[];
  /** Whether workloads were known (from the manifests) rather than derived from the policies' selectors. */
  readonly workloadsKnown: boolean;
}

/**
 * What a change does to enforcement, per workload: the outcome of `PolicyDiff`.
 */
export class PolicyDiffReport {
  /** Per workload (every workload on either side), sorted by key. */
  public readonly workloads: WorkloadDifference[];
  /** Policies renamed (no enforcement change). */
  public readonly renames: PolicyRename[];
  /** Policies that now select no known workload. */
  public readonly newlySelectingNothing: string[];
  /** New or resolved lint findings of policies that select no workload. */
  public readonly otherLints: LintDifference[];
  /** Policies before and after (`[before, after]`). */
  public readonly policies: number[];
  /** Whether workloads came from the manifests (otherwise from the policies' selectors). */
  public readonly workloadsKnown: boolean;

  /** Reports are created by `PolicyDiff`. */
  constructor(props: PolicyDiffReportProps) {
    this.workloads = props.workloads;
    this.renames = props.renames;
    this.newlySelectingNothing = props.newlySelectingNothing;
    this.otherLints = props.otherLints;
    this.policies = props.policies;
    this.workloadsKnown = props.workloadsKnown;
  }

  /** The workloads whose enforcement, alerts, lints or compliance differ. */
  public get changedWorkloads(): WorkloadDifference[] {
    return this.workloads.filter((w) => w.change !== DiffChange.UNCHANGED);
  }

  /** Whether anything but renames and reorders differs (the CLI exits 1). */
  public get hasChanges(): boolean {
    return this.changedWorkloads.length > 0 || this.newlySelectingNothing.length > 0 || this.otherLints.length > 0;
  }

  /** Plain text: one block per changed workload. */
  public toText(): string {
    return lazyRender().renderText(this);
  }

  /** Markdown for a pull-request comment: a summary table per workload, the details collapsed. */
  public toMarkdown(): string {
    return lazyRender().renderMarkdown(this);
  }

  /** The report as a JSON-serialisable object. */
  public toJson(): any {
    return lazyRender().renderJson(this);
  }
}
