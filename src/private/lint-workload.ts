/**
 * The pod identity of a workload manifest as the lints see it (namespace, pod template labels, containers,
 * filesystems, annotations): shared by the lint CLI, the validation plugin, the simulator and the report.
 */
import type { LintWorkload } from './lint-context';
import { filesystemsOf } from './report-kernel';

const POD_TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** The pod identity of a workload manifest (namespace, pod template labels, containers), if it is one. */
export function workloadOf(m: any): LintWorkload | undefined {
  if (m === null || typeof m !== 'object' || typeof m.kind !== 'string') return undefined;
  let template: any;
  if (m.kind === 'Pod') template = { metadata: m.metadata, spec: m.spec };
  else if (POD_TEMPLATE_KINDS.has(m.kind)) template = m.spec?.template;
  else if (m.kind === 'CronJob') template = m.spec?.jobTemplate?.spec?.template;
  else return undefined;
  const labels = template?.metadata?.labels;
  const annotations = template?.metadata?.annotations;
  const containers = Array.isArray(template?.spec?.containers) ? template.spec.containers.map((c: any) => c?.name).filter((n: unknown) => typeof n === 'string') : [];
  return {
    name: `${m.kind}/${m.metadata?.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata?.name ?? '<unnamed>'}`,
    namespace: typeof m.metadata?.namespace === 'string' ? m.metadata.namespace : undefined,
    labels: labels !== null && typeof labels === 'object' ? labels : {},
    containers,
    filesystems: filesystemsOf(template),
    annotations: annotations !== null && typeof annotations === 'object' ? annotations : {},
  };
}
