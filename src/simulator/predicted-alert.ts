/**
 * The alert KubeArmor is predicted to emit, with the fields that follow from the policies and the
 * request. Field names are the camelCase form of KubeArmor's alert fields
 * (`protobuf/kubearmor.proto` `message Alert`); `SimulationResult.toKubeArmorJson()` gives the
 * KubeArmor-cased record.
 */
export interface PredictedAlert {
  /** `Type`: `MatchedPolicy` (containers) or `MatchedHostPolicy` (hosts). */
  readonly type: string;
  /** `PolicyName`: the policy's `metadata.name`, or `DefaultPosture`. */
  readonly policyName: string;
  /** `Severity`: `"1"`..`"10"`, `"0"` when unset, `""` for DefaultPosture. */
  readonly severity: string;
  /** `Tags`: the effective tags joined with `,` (`""` when there are none). */
  readonly tags: string;
  /** `ATags`: the effective tags. */
  readonly aTags: string[];
  /** `Message`: the effective message (`""` when there is none). */
  readonly message: string;
  /** `Action`: `Block`, `Audit`, `Audit (Block)` or `Audit (Allow)`. */
  readonly action: string;
  /** `Result`: `Permission denied` or `Passed`. */
  readonly result: string;
  /** `Enforcer`: `AppArmor`, `BPFLSM` or `eBPF Monitor`. */
  readonly enforcer: string;
  /** `Operation`: `File`, `Process`, `Network` or `Capabilities`. */
  readonly operation: string;
  /** `Resource`: the accessed path, the executable, the protocol or the capability. */
  readonly resource: string;
  /** `NamespaceName` (`""` for hosts). */
  readonly namespaceName: string;
  /** `Labels`: the pod labels as `k=v` joined with `,` (sorted by key). */
  readonly labels: string;
  /** `ContainerName` (`""` when unknown or for hosts). */
  readonly containerName: string;
  /** `ProcessName`: the process (for EXEC: the executed binary). */
  readonly processName: string;
  /** `ParentProcessName` (`""` when unknown). */
  readonly parentProcessName: string;
  /** `HostName`: the node, for host alerts (`""` otherwise). */
  readonly hostName: string;
  /** `UID`: the caller's uid. */
  readonly uid: number;
}

/**
 * A subset of `PredictedAlert` fields to compare with, for `SimulatorAssertions`.
 * Every given field must equal the predicted value; omitted fields are not compared.
 */
export interface ExpectedAlert {
  /** Expected `Type`. @default - not compared */
  readonly type?: string;
  /** Expected `PolicyName`. @default - not compared */
  readonly policyName?: string;
  /** Expected `Severity`. @default - not compared */
  readonly severity?: string;
  /** Expected `Tags`. @default - not compared */
  readonly tags?: string;
  /** Expected `ATags` (same order). @default - not compared */
  readonly aTags?: string[];
  /** Expected `Message`. @default - not compared */
  readonly message?: string;
  /** Expected `Action`. @default - not compared */
  readonly action?: string;
  /** Expected `Result`. @default - not compared */
  readonly result?: string;
  /** Expected `Enforcer`. @default - not compared */
  readonly enforcer?: string;
  /** Expected `Operation`. @default - not compared */
  readonly operation?: string;
  /** Expected `Resource`. @default - not compared */
  readonly resource?: string;
  /** Expected `NamespaceName`. @default - not compared */
  readonly namespaceName?: string;
  /** Expected `Labels`. @default - not compared */
  readonly labels?: string;
  /** Expected `ContainerName`. @default - not compared */
  readonly containerName?: string;
  /** Expected `ProcessName`. @default - not compared */
  readonly processName?: string;
  /** Expected `ParentProcessName`. @default - not compared */
  readonly parentProcessName?: string;
  /** Expected `HostName`. @default - not compared */
  readonly hostName?: string;
  /** Expected `UID`. @default - not compared */
  readonly uid?: number;
}
