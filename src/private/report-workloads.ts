/**
 * The workloads a compliance report accounts for, read from the synthesised manifests (Deployments,
 * StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs, Pods): identity as the lints see it, the pod's
 * `kubearmor-policy` annotation, whether KubeArmor tracks the namespace, and each container's filesystem as
 * the kernel sees it (readOnlyRootFilesystem, writable volume mounts, uid). Only the opt-out reason comes
 * from the construct tree (HardenedWorkload.optOut records no manifest field).
 */
import { workloadOf } from './lint-workload';
import { ContainerFilesystem, filesystemsOf } from './report-kernel';
import { UNTRACKED_NAMESPACES } from './validate';

/** Why a workload (or one of its cells) has no evidence, or `COVERED`. */
export type WorkloadStatus = 'COVERED' | 'NOT_COVERED' | 'OPTED_OUT' | 'UNTRACKED_NAMESPACE' | 'POLICY_AUDITED' | 'POLICY_DISABLED';

export interface ReportWorkload {
  /** `Deployment/wordpress-mysql/mysql`, as the lint CLI names workloads. */
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly containers: string[];
  readonly annotations: Record<string, string>;
  readonly filesystems: ContainerFilesystem[];
  /** `kubearmor-policy` of the pod template: `enabled` (default), `audited` or `disabled`. */
  readonly kubearmorPolicy: string;
  readonly untracked: boolean;
  readonly optOutReason?: string;
}

function podTemplate(m: any): any {
  if (m.kind === 'Pod') return m;
  if (m.kind === 'CronJob') return m.spec?.jobTemplate?.spec?.template;
  return m.spec?.template;
}

/**
 * The workload a manifest describes, or undefined.
 * @param optOut the opt-out reason of the workload's construct, looked up by `kind/namespace/name`
 */
export function reportWorkload(m: any, optOut: (key: string) => string | undefined): ReportWorkload | undefined {
  const w = workloadOf(m);
  if (w === undefined) return undefined;
  const template = podTemplate(m);
  const ann = template?.metadata?.annotations;
  const annotations: Record<string, string> = ann !== null && typeof ann === 'object' ? { ...ann } : {};
  const namespace = w.namespace ?? 'default';
  const name = typeof m.metadata?.name === 'string' ? m.metadata.name : '<unnamed>';
  return {
    id: w.name,
    kind: m.kind,
    name,
    namespace,
    labels: { ...w.labels },
    containers: [...(w.containers ?? [])],
    annotations,
    filesystems: filesystemsOf(template),
    kubearmorPolicy: typeof annotations['kubearmor-policy'] === 'string' ? annotations['kubearmor-policy'] : 'enabled',
    untracked: UNTRACKED_NAMESPACES.includes(namespace),
    optOutReason: optOut(`${m.kind}/${namespace}/${name}`),
  };
}

/** The workload's own status (before looking at controls): untracked, disabled, audited, or enabled. */
export function workloadMode(w: ReportWorkload): WorkloadStatus | undefined {
  if (w.untracked) return 'UNTRACKED_NAMESPACE';
  if (w.kubearmorPolicy === 'disabled') return 'POLICY_DISABLED';
  if (w.kubearmorPolicy === 'audited') return 'POLICY_AUDITED';
  return undefined;
}

/** `kubectl exec` target of a workload kind, or undefined for a CronJob (no pod until it runs). */
export function execTarget(w: ReportWorkload): string | undefined {
  const prefix: Record<string, string> = { Deployment: 'deploy/', StatefulSet: 'sts/', DaemonSet: 'ds/', ReplicaSet: 'rs/', Job: 'job/', Pod: '' };
  const p = prefix[w.kind];
  return p === undefined ? undefined : `${p}${w.name}`;
}
