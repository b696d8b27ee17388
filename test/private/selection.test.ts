import { PodIndex, selectsPod } from '../../src/private/selection';

/** The lints, the conflict checks and the simulator share this selection (docs/kubearmor-semantics.md §5). */
const ksp = (selector: any, namespace = 'shop') => ({
  apiVersion: 'security.kubearmor.com/v1', kind: 'KubeArmorPolicy', metadata: { name: 'p', namespace }, spec: { selector },
});
const csp = (selector: any) => ({ apiVersion: 'security.kubearmor.com/v1', kind: 'KubeArmorClusterPolicy', metadata: { name: 'c' }, spec: { selector } });
const pod = (labels: Record<string, string>, namespace = 'shop', containers?: string[]) => ({ namespace, labels, containers });

describe('policy selection', () => {
  test('matchLabels are ANDed and scoped to the policy namespace', () => {
    expect(selectsPod(ksp({ matchLabels: { app: 'web', tier: 'fe' } }), pod({ app: 'web', tier: 'fe', x: 'y' }))).toBe(true);
    expect(selectsPod(ksp({ matchLabels: { app: 'web', tier: 'fe' } }), pod({ app: 'web' }))).toBe(false);
    expect(selectsPod(ksp({ matchLabels: { app: 'web' } }), pod({ app: 'web' }, 'other'))).toBe(false);
  });

  test('an empty selector selects every pod of the namespace; untracked namespaces never match', () => {
    expect(selectsPod(ksp(undefined), pod({}))).toBe(true);
    expect(selectsPod(ksp(undefined, 'kube-system'), pod({}, 'kube-system'))).toBe(false);
  });

  test('a NotIn after an In is dropped; a leading NotIn decides alone (the In is ignored)', () => {
    const inThenNotIn = ksp({ matchExpressions: [{ key: 'label', operator: 'In', values: ['app=a'] }, { key: 'label', operator: 'NotIn', values: ['tier=b'] }] });
    expect(selectsPod(inThenNotIn, pod({ app: 'a', tier: 'b' }))).toBe(true);
    const notInThenIn = ksp({ matchExpressions: [{ key: 'label', operator: 'NotIn', values: ['tier=b'] }, { key: 'label', operator: 'In', values: ['app=a'] }] });
    expect(selectsPod(notInThenIn, pod({ app: 'x' }))).toBe(true);
    expect(selectsPod(notInThenIn, pod({ app: 'a', tier: 'b' }))).toBe(false);
  });

  test('container targeting selects a pod when any of its containers is listed', () => {
    const p = ksp({ matchLabels: { 'app': 'web', 'kubearmor.io/container.name': '[nginx]' } });
    expect(selectsPod(p, pod({ app: 'web' }, 'shop', ['nginx', 'sidecar']))).toBe(true);
    expect(selectsPod(p, pod({ app: 'web' }, 'shop', ['sidecar']))).toBe(false);
  });

  test('cluster policies select by namespace In / NotIn', () => {
    expect(selectsPod(csp({ matchExpressions: [{ key: 'namespace', operator: 'In', values: ['shop'] }] }), pod({}))).toBe(true);
    expect(selectsPod(csp({ matchExpressions: [{ key: 'namespace', operator: 'NotIn', values: ['shop'] }] }), pod({}))).toBe(false);
    expect(selectsPod(csp(undefined), pod({}, 'anything'))).toBe(true);
  });

  test('the pod index finds the same pods as a full scan', () => {
    const pods = [pod({ app: 'a' }), pod({ app: 'b' }), pod({ app: 'a' }, 'other'), pod({ app: 'a', tier: 'x' })];
    const index = new PodIndex(pods);
    for (const m of [ksp({ matchLabels: { app: 'a' } }), ksp(undefined), csp(undefined), ksp({ matchLabels: { app: 'a', tier: 'x' } })]) {
      expect(index.selectedBy(m)).toEqual(pods.filter((p) => selectsPod(m, p)));
    }
  });
});
