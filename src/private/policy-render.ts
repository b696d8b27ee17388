/**
 * Rendering helpers of SecurityPolicy: the generated L1 class per kind and the hand-over to it. (The
 * conversions between typed options and raw rules are table-driven: typed-rules.ts.)
 */
import { KubeArmorClusterPolicy, KubeArmorHostPolicy, KubeArmorPolicy } from '../imports/kubearmor-security.kubearmor.com';
import { PolicyKind } from '../policy-kind';

export const L1 = {
  [PolicyKind.KUBE_ARMOR_POLICY]: KubeArmorPolicy,
  [PolicyKind.KUBE_ARMOR_CLUSTER_POLICY]: KubeArmorClusterPolicy,
  [PolicyKind.KUBE_ARMOR_HOST_POLICY]: KubeArmorHostPolicy,
};

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

