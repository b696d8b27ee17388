import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import {
  KubeArmorClusterPolicy, KubeArmorHostPolicy, KubeArmorPolicy,
  toJson_KubeArmorClusterPolicyProps, toJson_KubeArmorHostPolicyProps, toJson_KubeArmorPolicyProps,
} from '../../src/imports/kubearmor-security.kubearmor.com';
import { PolicyKind } from '../../src/policy-kind';
import { l1Spec, l1ToJson, POLICY_GVK } from '../../src/private/policy-render';
import { SecurityPolicy } from '../../src/security-policy';
import { expectConformant } from '../conformance/harness';
import { everyFieldProps, everySelectorTarget, newChart, synthOne } from '../util/policies';

const KINDS = ['KubeArmorPolicy', 'KubeArmorClusterPolicy', 'KubeArmorHostPolicy'] as const;
const L1 = { KubeArmorPolicy, KubeArmorClusterPolicy, KubeArmorHostPolicy };

/** What the generated L1 class emits for the same metadata and spec. */
function l1Emit(kind: typeof KINDS[number], emitted: any): any {
  const chart = newChart();
  new L1[kind](chart, 'l1', { metadata: emitted.metadata, spec: l1Spec(emitted.spec) as any });
  return Testing.synth(chart)[0];
}

describe('the emitted policy object', () => {
  test.each(KINDS)('%s: unpatched, byte for byte what the generated L1 class emits, every field', (kind) => {
    const chart = newChart(kind === 'KubeArmorPolicy' ? 'shop' : undefined);
    new SecurityPolicy(chart, 'policy', everyFieldProps(everySelectorTarget(kind)));
    const emitted = synthOne(chart);
    expectConformant(emitted);
    expect(emitted.spec.network?.matchDNSQueries ?? emitted.spec.network).toBeDefined();
    expect(JSON.stringify(emitted)).toBe(JSON.stringify(l1Emit(kind, emitted)));
  });

  test('patched, it behaves as the L1 class: schema fields patch, fields outside the CRD schema are dropped', () => {
    const chart = newChart('shop');
    const policy = new SecurityPolicy(chart, 'policy', everyFieldProps(everySelectorTarget('KubeArmorPolicy')));
    policy.apiObject.addJsonPatch(JsonPatch.replace('/spec/severity', 9), JsonPatch.add('/spec/notInTheSchema', 'x'));
    const emitted = synthOne(chart);
    expectConformant(emitted);
    expect(emitted.spec.severity).toBe(9);
    expect(emitted.spec.notInTheSchema).toBeUndefined();
    expect(emitted.spec.network.matchDNSQueries).toEqual([expect.objectContaining({ domain: 'example.com' })]);
    expect(policy.apiObject).toBeInstanceOf(ApiObject);
  });
});

describe('the group/version/kind constants', () => {
  test.each(KINDS)('%s: the same as the generated L1 class GVK', (kind) => {
    expect(POLICY_GVK[kind as PolicyKind]).toEqual(L1[kind].GVK);
  });

  test.each(KINDS)('%s: the lazily loaded conversion is the L1 conversion of that kind', (kind) => {
    const spec = { selector: { matchLabels: { app: 'x' } }, file: { matchPaths: [{ path: '/a', readOnly: true }] }, action: 'Block' };
    const theirs = {
      KubeArmorPolicy: toJson_KubeArmorPolicyProps,
      KubeArmorClusterPolicy: toJson_KubeArmorClusterPolicyProps,
      KubeArmorHostPolicy: toJson_KubeArmorHostPolicyProps,
    }[kind];
    expect(l1ToJson(kind as PolicyKind)).toBe(theirs);
    expect(l1ToJson(kind as PolicyKind)({ spec } as any)).toEqual(theirs({ spec } as any));
  });
});
