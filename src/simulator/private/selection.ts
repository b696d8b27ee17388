/**
 * Which policies apply to an endpoint (SEMANTICS.md §5, KubeArmor/common/common.go
 * MatchIdentities / MatchExpIdentities).
 */
import { CompiledPolicy, LabelExpressions } from './compile';

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

function hostnameMatches(p: CompiledPolicy, node: string | undefined): boolean {
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
export function policyApplies(p: CompiledPolicy, ep: Endpoint, notes: string[]): boolean {
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
