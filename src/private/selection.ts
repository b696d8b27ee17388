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
export function selectsPod(manifest: any, pod: PodIdentity): boolean {
  const ns = pod.namespace ?? 'default';
  if (UNTRACKED_NAMESPACES.includes(ns)) return false;
  const selector = manifest?.spec?.selector ?? {};
  const have = labelSet(pod.labels);
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
