/**
 * cdk8s-plus workloads as the simulator sees them: namespace, pod labels, pod annotations and containers,
 * read once per construct.
 */
import { IConstruct } from 'constructs';
import { requireWorkload, WorkloadView } from '../../private/workload';
import { SimulatedWorkload } from '../environment';

export interface ResolvedWorkload {
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly containers: string[];
}

export function simulatedWorkloadOf(w: WorkloadView): SimulatedWorkload {
  return {
    name: w.name,
    namespace: w.namespace ?? 'default',
    labels: w.podLabels(),
    annotations: w.podAnnotations(),
    containers: w.containerNames(),
  };
}

/** Resolves `AccessRequest.workload` constructs, each once. */
export class WorkloadResolver {
  private readonly resolved = new WeakMap<object, ResolvedWorkload>();

  public resolve(w: IConstruct): ResolvedWorkload {
    let r = this.resolved.get(w);
    if (r === undefined) {
      const s = simulatedWorkloadOf(requireWorkload('AccessRequest.workload', w));
      r = { namespace: s.namespace, labels: s.labels ?? {}, annotations: s.annotations ?? {}, containers: s.containers ?? [] };
      this.resolved.set(w, r);
    }
    return r;
  }
}
