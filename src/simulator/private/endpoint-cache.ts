/**
 * The policies that apply to an endpoint (a container or a node), looked up once per distinct endpoint:
 * KubeArmor's selection (src/private/selection.ts) over the policies indexed by kind and namespace,
 * cached by endpoint key and, faster still, by the caller's labels object while it is unchanged.
 */
import { CompiledPolicy, CompiledRule } from './compile';
import { EndpointIndex } from './endpoint';
import { Endpoint, makeEndpoint, policyApplies } from '../../private/selection';

const MAX_CACHED_ENDPOINTS = 20000;
const EMPTY_POLICIES: CompiledPolicy[] = [];

export interface CachedEndpoint {
  /** A number for this endpoint, unique in its cache (decision-admission.ts hashes it). */
  readonly id: number;
  readonly index: EndpointIndex;
  readonly notes: string[];
  readonly labels: string;
  /** network / capability rule lists as the alert matcher sees them under AppArmor (§7: capabilities map to Network/raw). */
  aaNetwork?: CompiledRule[];
  aaNetworkPos?: Map<CompiledRule, number>;
}

interface LabelsMemo {
  readonly host: boolean;
  readonly namespace: string;
  readonly container: string | undefined;
  readonly node: string | undefined;
  /** The labels' own pairs when the endpoint was resolved, flat: key, value, key, value, ... (Object.entries order). */
  readonly snapshot: string[];
  readonly cached: CachedEndpoint;
}

/** Whether `labels` still holds exactly the snapshot's pairs (read in one flat list: no array per pair to load). */
function sameLabels(labels: Record<string, string>, snapshot: string[]): boolean {
  let n = 0;
  for (const k in labels) {
    if (n >= snapshot.length || snapshot[n] !== k || snapshot[n + 1] !== labels[k]) return false;
    n += 2;
  }
  return n === snapshot.length;
}

/** `Object.entries(labels)`, flat. */
function snapshotOf(labels: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(labels)) out.push(k, v);
  return out;
}

function labelString(labels: Record<string, string>): string {
  return Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(',');
}

export class EndpointCache {
  private readonly kspByNamespace = new Map<string, CompiledPolicy[]>();
  private readonly clusterPolicies: CompiledPolicy[] = [];
  private readonly hostPolicies: CompiledPolicy[] = [];
  private readonly endpoints = new Map<string, CachedEndpoint>();
  private readonly byLabelsObject = new WeakMap<object, LabelsMemo>();
  private nextId = 0;

  /** @param policies the compiled policies, in application order */
  constructor(policies: CompiledPolicy[]) {
    for (const p of policies) {
      if (p.kind === 'KubeArmorPolicy') {
        const l = this.kspByNamespace.get(p.namespace);
        if (l) l.push(p);
        else this.kspByNamespace.set(p.namespace, [p]);
      } else if (p.kind === 'KubeArmorClusterPolicy') {
        this.clusterPolicies.push(p);
      } else {
        this.hostPolicies.push(p);
      }
    }
  }

  public endpoint(host: boolean, namespace: string, labels: Record<string, string>,
    container: string | undefined, node: string | undefined): CachedEndpoint {
    // Fast path: the same labels object as a recent request, unchanged since (checked against a snapshot).
    const byLabels = this.byLabelsObject.get(labels);
    if (byLabels !== undefined && byLabels.host === host && byLabels.namespace === namespace
      && byLabels.container === container && byLabels.node === node && sameLabels(labels, byLabels.snapshot)) {
      return byLabels.cached;
    }
    const cached = this.endpointByKey(host, namespace, labels, container, node);
    this.byLabelsObject.set(labels, { host, namespace, container, node, snapshot: snapshotOf(labels), cached });
    return cached;
  }

  private endpointByKey(host: boolean, namespace: string, labels: Record<string, string>,
    container: string | undefined, node: string | undefined): CachedEndpoint {
    let key = host ? `h\u0000${node}\u0000` : `c\u0000${namespace}\u0000${container ?? '\u0001'}\u0000`;
    for (const k in labels) key += k + '=' + labels[k] + '\u0000';
    let cached = this.endpoints.get(key);
    if (cached !== undefined) return cached;
    const ep: Endpoint = makeEndpoint(host, namespace, labels, container, node);
    let candidates: CompiledPolicy[];
    if (host) {
      candidates = this.hostPolicies;
    } else {
      candidates = [...(this.kspByNamespace.get(namespace) ?? EMPTY_POLICIES), ...this.clusterPolicies];
      if (this.clusterPolicies.length > 0) candidates.sort((a, b) => a.index - b.index);
    }
    const notes: string[] = [];
    const applying = candidates.filter((p) => policyApplies(p, ep, notes));
    cached = {
      id: this.nextId++, index: new EndpointIndex(applying), notes, labels: labelString(labels), aaNetwork: undefined, aaNetworkPos: undefined,
    };
    if (this.endpoints.size >= MAX_CACHED_ENDPOINTS) this.endpoints.clear();
    this.endpoints.set(key, cached);
    return cached;
  }
}

/** Under AppArmor the matcher turns `net_raw` capability rules into Network rules on `raw` (newMatchPolicy). */
export function appArmorNetworkView(cached: CachedEndpoint): void {
  if (cached.aaNetwork !== undefined) return;
  const ep = cached.index;
  const rules: CompiledRule[] = [...ep.network];
  const pos = new Map(ep.feederPos);
  for (const r of ep.capability) {
    if (r.value !== 'net_raw') continue;
    const copy: CompiledRule = { ...r, domain: 'network', kind: 'protocol', value: 'raw' };
    pos.set(copy, ep.feederPos.get(r) ?? 0);
    rules.push(copy);
  }
  rules.sort((a, b) => a.order - b.order);
  cached.aaNetwork = rules;
  cached.aaNetworkPos = pos;
}
