/**
 * Workloads among plain manifests (Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs,
 * Pods), recognised the way the lint CLI recognises them (`workloadOf` in src/private/lint-workload.ts), plus the
 * pod template annotations (`kubearmor-policy`).
 */
import { workloadOf } from '../../private/lint-workload';
import { SimulatedWorkload } from '../environment';

function podTemplate(m: any): any {
  if (m.kind === 'Pod') return m;
  if (m.kind === 'CronJob') return m.spec?.jobTemplate?.spec?.template;
  return m.spec?.template;
}

/** The workload a manifest describes, or undefined when it is not one. */
export function manifestWorkload(m: any): SimulatedWorkload | undefined {
  const w = workloadOf(m);
  if (w === undefined) return undefined;
  const ann = podTemplate(m)?.metadata?.annotations;
  return {
    name: typeof m.metadata?.name === 'string' ? m.metadata.name : undefined,
    namespace: w.namespace ?? 'default',
    labels: { ...w.labels },
    annotations: ann !== null && typeof ann === 'object' ? { ...ann } : {},
    containers: [...(w.containers ?? [])],
  };
}
