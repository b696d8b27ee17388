/**
 * Which pods a KubeArmor policy selects (SEMANTICS.md §5), on rendered manifests. Shared by the lints
 * and the merge checks.
 */
import { CONTAINER_LABEL, UNTRACKED_NAMESPACES } from './validate';

export interface PodIdentity {
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly containers?: string[];
}

function labelSet(labels: Record<string, string>): Set<string> {
  return new Set(Object.entries(labels).map(([k, v]) => `${k}=${v}`));
}

/** Whether a KubeArmorPolicy / KubeArmorClusterPolicy manifest selects a pod (any of its containers). */
export function selectsPod(manifest: any, pod: PodIdentity, podLabels?: ReadonlySet<string>): boolean {
  const ns = pod.namespace ?? 'default';
  if (UNTRACKED_NAMESPACES.includes(ns)) return false;
  const selector = manifest?.spec?.selector ?? {};
  const have = podLabels ?? labelSet(pod.labels);
  if (manifest.kind === 'KubeArmorPolicy') {
    if ((manifest.metadata?.namespace ?? 'default') !== ns) return false;
    for (const [k, v] of Object.entries<string>(selector.matchLabels ?? {})) {
      if (k === CONTAINER_LABEL) {
        const wanted = v.slice(1, -1).split(',').filter((s) => s.length > 0);
        if (wanted.length > 0 && pod.containers && !pod.containers.some((c) => wanted.includes(c))) return false;
        continue;
      }
      if (!have.has(`${k}=${v}`)) return false;
    }
  } else if (manifest.kind !== 'KubeArmorClusterPolicy') {
    return false;
  }
  let sawIn = false;
  for (const e of selector.matchExpressions ?? []) {
    const values: string[] = e.values ?? [];
    if (e.key === 'namespace') {
      if (e.operator === 'In' && !values.includes(ns)) return false;
      if (e.operator === 'NotIn' && values.includes(ns)) return false;
      continue;
    }
    if (e.operator === 'In') {
      sawIn = true;
      if (!values.some((v) => have.has(v))) return false;
    } else if (e.operator === 'NotIn' && !sawIn) {
      // A NotIn after an In is dropped by KubeArmor (hasInOperator).
      if (values.some((v) => have.has(v))) return false;
    }
  }
  return true;
}

/**
 * Pods indexed by namespace and by `key=value` label, so that finding the pods a policy selects costs
 * the size of the smallest matching bucket, not the number of pods (synth stays linear in workloads).
 */
export class PodIndex<T extends PodIdentity> {
  private readonly all: Array<{ pod: T; labels: Set<string> }> = [];
  private readonly byNamespaceLabel = new Map<string, Array<{ pod: T; labels: Set<string> }>>();
  private readonly byNamespace = new Map<string, Array<{ pod: T; labels: Set<string> }>>();

  constructor(pods: readonly T[]) {
    for (const pod of pods) {
      const entry = { pod, labels: labelSet(pod.labels) };
      const ns = pod.namespace ?? 'default';
      this.all.push(entry);
      const nsBucket = this.byNamespace.get(ns);
      if (nsBucket) nsBucket.push(entry);
      else this.byNamespace.set(ns, [entry]);
      for (const l of entry.labels) {
        const key = `${ns}|${l}`;
        const bucket = this.byNamespaceLabel.get(key);
        if (bucket) bucket.push(entry);
        else this.byNamespaceLabel.set(key, [entry]);
      }
    }
  }

  /** The pods `manifest` selects, in input order. */
  public selectedBy(manifest: any): T[] {
    let candidates = this.all;
    if (manifest.kind === 'KubeArmorPolicy') {
      const ns = manifest.metadata?.namespace ?? 'default';
      const first = Object.entries<string>(manifest.spec?.selector?.matchLabels ?? {}).find(([k]) => k !== CONTAINER_LABEL);
      candidates = (first ? this.byNamespaceLabel.get(`${ns}|${first[0]}=${first[1]}`) : this.byNamespace.get(ns)) ?? [];
    }
    return candidates.filter((e) => selectsPod(manifest, e.pod, e.labels)).map((e) => e.pod);
  }
}
