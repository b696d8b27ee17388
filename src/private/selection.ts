/**
 * Which pods or nodes a KubeArmor policy selects (docs/kubearmor-semantics.md §5; KubeArmor/common/common.go
 * MatchIdentities / MatchExpIdentities). The one implementation of selection: the simulator, the lints
 * and the per-pod conflict checks all use it.
 */
import { CONTAINER_LABEL, UNTRACKED_NAMESPACES } from './validate';

export type SelectorKind = 'KubeArmorPolicy' | 'KubeArmorClusterPolicy' | 'KubeArmorHostPolicy';

export interface LabelExpressions {
  /** `In` values (k=v); the pod needs at least one. */
  readonly inValues: string[];
  /** `NotIn` values (k=v) kept by the ordering quirk; when non-empty they alone decide. */
  readonly notInValues: string[];
  /** A NotIn dropped because an In came first (§5). */
  readonly droppedNotIn: boolean;
}

/** The selection part of a policy, normalised as the daemon does. */
export interface PolicySelector {
  readonly kind: SelectorKind;
  readonly name: string;
  /** KSP namespace. */
  readonly namespace: string;
  /** KSP matchLabels as k=v (container key excluded); HSP nodeSelector.matchLabels as k=v (hostname keys excluded). */
  readonly identities: string[];
  /** KSP `kubearmor.io/container.name` list; undefined = all containers. */
  readonly containers?: string[];
  readonly labelExpressions: LabelExpressions;
  /** CSP namespace In list (undefined = no In). */
  readonly namespaceIn?: string[];
  /** CSP namespace NotIn list. */
  readonly namespaceNotIn: string[];
  /** HSP special keys. */
  readonly hostname?: string;
  readonly hostnameReg?: string;
  /** HSP: number of nodeSelector.matchLabels entries (0 = matches no node). */
  readonly selectorSize: number;
}

function labelExpressions(exprs: any): LabelExpressions {
  const inValues: string[] = [];
  const notInValues: string[] = [];
  let hasIn = false;
  let droppedNotIn = false;
  for (const e of Array.isArray(exprs) ? exprs : []) {
    if (e?.key !== 'label') continue;
    const values = Array.isArray(e.values) ? e.values.filter((x: any) => typeof x === 'string') : [];
    if (e.operator === 'In') {
      hasIn = true;
      inValues.push(...values);
    } else if (e.operator === 'NotIn') {
      // §5 / common.go: a NotIn is only recorded if no In came earlier (hasInOperator).
      if (hasIn) droppedNotIn = true;
      else notInValues.push(...values);
    }
  }
  return { inValues, notInValues, droppedNotIn };
}

function parseContainers(value: string): string[] | undefined {
  // §5: strip the first and last character, split on commas; "[]" means all containers.
  const names = value.slice(1, -1).split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  return names.length > 0 ? names : undefined;
}

/** The selector of a KubeArmor manifest. */
export function compileSelector(m: any): PolicySelector {
  const spec = m?.spec ?? {};
  const kind = m.kind as SelectorKind;
  const identities: string[] = [];
  let containers: string[] | undefined;
  let hostname: string | undefined;
  let hostnameReg: string | undefined;
  let selectorSize = 0;
  let namespaceIn: string[] | undefined;
  const namespaceNotIn: string[] = [];
  let exprs: any[] = [];
  if (kind === 'KubeArmorHostPolicy') {
    for (const [k, v] of Object.entries(spec.nodeSelector?.matchLabels ?? {})) {
      selectorSize++;
      if (k === 'kubearmor.io/hostname') hostname = String(v);
      else if (k === 'kubearmor.io/hostnamereg' || k === 'kubernetes.io/hostnamereg') hostnameReg = String(v);
      else identities.push(`${k}=${v}`);
    }
  } else {
    for (const [k, v] of Object.entries(spec.selector?.matchLabels ?? {})) {
      if (k === CONTAINER_LABEL) containers = parseContainers(String(v));
      else identities.push(`${k}=${v}`);
    }
    exprs = Array.isArray(spec.selector?.matchExpressions) ? spec.selector.matchExpressions : [];
    if (kind === 'KubeArmorClusterPolicy') {
      for (const e of exprs) {
        if (e?.key !== 'namespace') continue;
        const values = Array.isArray(e.values) ? e.values.map(String) : [];
        if (e.operator === 'In') namespaceIn = [...(namespaceIn ?? []), ...values];
        else if (e.operator === 'NotIn') namespaceNotIn.push(...values);
      }
    }
  }
  const name = typeof m.metadata?.name === 'string' ? m.metadata.name : '';
  const ns = typeof m.metadata?.namespace === 'string' && m.metadata.namespace !== '' ? m.metadata.namespace : 'default';
  return {
    kind,
    name,
    namespace: kind === 'KubeArmorPolicy' ? ns : '',
    identities,
    containers,
    labelExpressions: labelExpressions(exprs),
    namespaceIn,
    namespaceNotIn,
    hostname,
    hostnameReg,
    selectorSize,
  };
}

export interface Endpoint {
  readonly host: boolean;
  /** Pod namespace ('' for hosts). */
  readonly namespace: string;
  /** Pod labels, or node labels for hosts. */
  readonly labels: Record<string, string>;
  /** `k=v` for every label (plus `namespaceName=<ns>` for pods). */
  readonly identities: Set<string>;
  readonly container?: string;
  readonly node?: string;
}

export function makeEndpoint(host: boolean, namespace: string, labels: Record<string, string>, container?: string, node?: string): Endpoint {
  const identities = new Set<string>();
  if (!host) identities.add(`namespaceName=${namespace}`);
  for (const k of Object.keys(labels)) identities.add(`${k}=${labels[k]}`);
  return { host, namespace, labels, identities, container, node };
}

/** MatchExpIdentities: In = at least one; a recorded NotIn alone decides (none present). */
export function matchExpressions(le: LabelExpressions, ids: Set<string>): boolean {
  if (le.inValues.length === 0 && le.notInValues.length === 0) return true;
  let matched = false;
  for (const v of le.inValues) {
    if (ids.has(v)) { matched = true; break; }
  }
  if (le.notInValues.length > 0) {
    matched = true;
    for (const v of le.notInValues) {
      if (ids.has(v)) { matched = false; break; }
    }
  }
  return matched;
}

function hostnameMatches(p: PolicySelector, node: string | undefined): boolean {
  if (p.hostname !== undefined) {
    if (p.hostname !== '*' && !p.hostname.split(',').map((s) => s.trim()).includes(node ?? '')) return false;
  }
  if (p.hostnameReg !== undefined) {
    let re: RegExp;
    try {
      re = new RegExp(`^${p.hostnameReg}$`);
    } catch {
      return false;
    }
    if (!re.test(node ?? '')) return false;
  }
  return true;
}

/**
 * Whether `p` applies to `ep`. `notes` receives explanations for near misses worth a caveat.
 */
export function policyApplies(p: PolicySelector, ep: Endpoint, notes: string[]): boolean {
  if (p.kind === 'KubeArmorHostPolicy') {
    if (!ep.host) return false;
    // §5: an empty nodeSelector.matchLabels matches no node (MatchIdentities returns false).
    if (p.selectorSize === 0) return false;
    for (const id of p.identities) if (!ep.identities.has(id)) return false;
    return hostnameMatches(p, ep.node);
  }
  if (ep.host) return false;
  if (p.kind === 'KubeArmorPolicy') {
    // §5: identities are namespaceName=<ns> plus every matchLabel; all must be present.
    if (p.namespace !== ep.namespace) return false;
    for (const id of p.identities) if (!ep.identities.has(id)) return false;
  } else {
    // CSP: namespace In list, else all namespaces except NotIn.
    if (p.namespaceIn !== undefined && !p.namespaceIn.includes(ep.namespace)) return false;
    if (p.namespaceNotIn.includes(ep.namespace)) return false;
  }
  if (!matchExpressions(p.labelExpressions, ep.identities)) return false;
  if (p.containers !== undefined) {
    if (ep.container === undefined) {
      notes.push(`policy ${p.name} targets containers [${p.containers.join(',')}] (kubearmor.io/container.name) but the request names no container; it is treated as not applying`);
      return false;
    }
    if (!p.containers.includes(ep.container)) return false;
  }
  if (p.labelExpressions.droppedNotIn) {
    notes.push(`policy ${p.name}: a matchExpressions NotIn after an In is ignored by KubeArmor (hasInOperator, §5)`);
  }
  return true;
}

/** A pod as the lints see it: namespace, pod template labels and container names. */
export interface PodIdentity {
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly containers?: string[];
  /** The pod template's annotations (`kubearmor-policy: disabled | audited` changes what policies do). */
  readonly annotations?: Record<string, string>;
}

/** Whether a policy applies to any container of a pod (untracked namespaces never match). */
function appliesToPod(p: PolicySelector, pod: PodIdentity, ep: Endpoint): boolean {
  if (UNTRACKED_NAMESPACES.includes(ep.namespace)) return false;
  if (p.containers === undefined || !pod.containers || pod.containers.length === 0) {
    // Containers unknown: decide on the pod's identity alone.
    return policyApplies(p.containers === undefined ? p : { ...p, containers: undefined }, ep, []);
  }
  return pod.containers.some((c) => policyApplies(p, { ...ep, container: c }, []));
}

/** Whether a KubeArmorPolicy / KubeArmorClusterPolicy manifest selects a pod. */
export function selectsPod(manifest: any, pod: PodIdentity): boolean {
  return appliesToPod(compileSelector(manifest), pod, makeEndpoint(false, pod.namespace ?? 'default', pod.labels));
}

/**
 * Pods indexed by namespace and by `key=value` label, so that finding the pods a policy selects costs
 * the size of the smallest matching bucket, not the number of pods (synth stays linear in workloads).
 */
export class PodIndex<T extends PodIdentity> {
  private readonly all: Array<{ pod: T; ep: Endpoint }> = [];
  private readonly byNamespaceLabel = new Map<string, Array<{ pod: T; ep: Endpoint }>>();
  private readonly byNamespace = new Map<string, Array<{ pod: T; ep: Endpoint }>>();

  constructor(pods: readonly T[]) {
    for (const pod of pods) {
      const ns = pod.namespace ?? 'default';
      const entry = { pod, ep: makeEndpoint(false, ns, pod.labels) };
      this.all.push(entry);
      push(this.byNamespace, ns, entry);
      for (const [k, v] of Object.entries(pod.labels)) push(this.byNamespaceLabel, `${ns}|${k}=${v}`, entry);
    }
  }

  /** The pods `manifest` selects, in input order. */
  public selectedBy(manifest: any): T[] {
    const p = compileSelector(manifest);
    let candidates = this.all;
    if (p.kind === 'KubeArmorPolicy') {
      const first = p.identities[0];
      candidates = (first !== undefined ? this.byNamespaceLabel.get(`${p.namespace}|${first}`) : this.byNamespace.get(p.namespace)) ?? [];
    }
    return candidates.filter((e) => appliesToPod(p, e.pod, e.ep)).map((e) => e.pod);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
