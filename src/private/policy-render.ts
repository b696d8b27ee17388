/**
 * Rendering helpers of SecurityPolicy: the generated L1 class per kind and the hand-over to it. (The
 * conversions between typed options and raw rules are table-driven: typed-rules.ts.)
 */
import { ApiObject, GroupVersionKind, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { PolicyKind } from '../policy-kind';

/**
 * Per kind: the group/version/kind, the same as the generated L1 class's `GVK` (a test compares them). They
 * are written out here so that loading the library does not load the generated L1 module (about 860 KB,
 * 15-25 ms of a cold require); it is loaded on first use by `l1ToJson`, i.e. only once a policy is patched.
 */
export const POLICY_GVK: Readonly<Record<PolicyKind, GroupVersionKind>> = {
  [PolicyKind.KUBE_ARMOR_POLICY]: { apiVersion: 'security.kubearmor.com/v1', kind: 'KubeArmorPolicy' },
  [PolicyKind.KUBE_ARMOR_CLUSTER_POLICY]: { apiVersion: 'security.kubearmor.com/v1', kind: 'KubeArmorClusterPolicy' },
  [PolicyKind.KUBE_ARMOR_HOST_POLICY]: { apiVersion: 'security.kubearmor.com/v1', kind: 'KubeArmorHostPolicy' },
};

/** The generated L1 conversion of `kind` (CRD-named JSON, anything else dropped), loaded on first use. */
export function l1ToJson(kind: PolicyKind): (props: any) => any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const l1 = require('../imports/kubearmor-security.kubearmor.com') as typeof import('../imports/kubearmor-security.kubearmor.com');
  switch (kind) {
    case PolicyKind.KUBE_ARMOR_POLICY: return l1.toJson_KubeArmorPolicyProps;
    case PolicyKind.KUBE_ARMOR_CLUSTER_POLICY: return l1.toJson_KubeArmorClusterPolicyProps;
    case PolicyKind.KUBE_ARMOR_HOST_POLICY: return l1.toJson_KubeArmorHostPolicyProps;
  }
  throw new Error(`unknown policy kind ${kind}`);
}

/**
 * The object a SecurityPolicy emits. Unpatched, it emits the rendered spec as it is: the renderer writes
 * CRD fields only (every test validates against the CRDs), and cdk8s sorts keys, so this is byte for byte
 * what the generated L1 class emits, without re-mapping every field of every policy at synthesis. Once an
 * escape-hatch JSON patch exists, it behaves exactly as the L1 class: the patches apply to the L1-named
 * object and the L1 conversion drops whatever is outside the CRD schema, as the apiserver would.
 */
class PolicyObject extends ApiObject {
  constructor(scope: Construct, id: string, private readonly policyKind: PolicyKind, metadata: Record<string, unknown>,
    spec: () => Record<string, unknown>) {
    super(scope, id, {
      ...POLICY_GVK[policyKind],
      metadata,
      spec: Lazy.any({ produce: () => (this.patched() ? l1Spec(spec()) : spec()) }),
    } as any);
  }

  public toJson(): any {
    const resolved = super.toJson();
    return this.patched() ? { ...POLICY_GVK[this.policyKind], ...l1ToJson(this.policyKind)(resolved) } : resolved;
  }

  private patched(): boolean {
    const patches = (this as any).patches;
    return !Array.isArray(patches) || patches.length > 0;
  }
}

/** The emitted object of a policy of `kind`, whose spec is `spec()` (KubeArmor JSON names) at synthesis. */
export function policyObject(scope: Construct, id: string, kind: PolicyKind, metadata: Record<string, unknown>,
  spec: () => Record<string, unknown>): ApiObject {
  return new PolicyObject(scope, id, kind, metadata, spec);
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

