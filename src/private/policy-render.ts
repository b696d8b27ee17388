/**
 * Rendering helpers of SecurityPolicy: the generated L1 class per kind, and the conversions between the
 * typed options and the raw KubeArmor objects the policy model stores.
 */
import { KubeArmorClusterPolicy, KubeArmorHostPolicy, KubeArmorPolicy } from '../imports/kubearmor-security.kubearmor.com';
import { PolicyKind } from '../policy-kind';
import { RuleMetaOptions, SyscallSource } from '../rule-options';
import { unique } from './canonical';

export const L1 = {
  [PolicyKind.KUBE_ARMOR_POLICY]: KubeArmorPolicy,
  [PolicyKind.KUBE_ARMOR_CLUSTER_POLICY]: KubeArmorClusterPolicy,
  [PolicyKind.KUBE_ARMOR_HOST_POLICY]: KubeArmorHostPolicy,
};

export function sources(fromSource?: string[]): Array<{ path: string }> | undefined {
  return fromSource === undefined ? undefined : unique(fromSource).sort().map((path) => ({ path }));
}

export function meta(o: RuleMetaOptions): Record<string, unknown> {
  return { action: o.action, severity: o.severity, tags: o.tags === undefined ? undefined : unique(o.tags), message: o.message };
}

export function syscallSources(fromSource?: SyscallSource[]): Array<Record<string, unknown>> | undefined {
  if (fromSource === undefined) return undefined;
  return fromSource.map((s) => ({ path: s.path, dir: s.dir, recursive: s.recursive }));
}

/**
 * The generated L1 classes re-map the resolved spec from their TypeScript property names to the CRD's
 * JSON names and drop anything else. Their only property whose name differs from the CRD field is
 * `network.matchDnsQueries` (JSON `matchDNSQueries`), so hand that one over under the L1 name.
 */
export function l1Spec(spec: Record<string, unknown>): Record<string, unknown> {
  const network = spec.network as Record<string, unknown> | undefined;
  if (network?.matchDNSQueries === undefined) return spec;
  const { matchDNSQueries, ...rest } = network;
  return { ...spec, network: { ...rest, matchDnsQueries: matchDNSQueries } };
}


export function plainSources(raw: unknown): string[] | undefined {
  return Array.isArray(raw) ? raw.map((s: any) => s.path) : undefined;
}
