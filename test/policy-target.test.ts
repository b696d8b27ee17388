import { App, Chart, Cron, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import { expectConformant } from './conformance/harness';
import { PolicyKind, PolicyTarget, SecurityPolicy, SelectorOperator } from './util/model';
import { PLUS_27, PLUS_MODULES } from './util/plus';
import { newChart, synthKubeArmor, synthOne } from './util/policies';

const RULES = { fileDirectories: [{ dir: '/usr/bin/', readOnly: true, recursive: true }] };
const CONTAINERS = { containers: [{ image: 'nginx', portNumber: 80 }] };

function policyFor(target: PolicyTarget, namespace?: string): any {
  const chart = newChart(namespace);
  new SecurityPolicy(chart, 'policy', { target, ...RULES });
  const obj = synthOne(chart);
  expectConformant(obj);
  return obj;
}

function synthError(chart: Chart): string {
  try {
    Testing.synth(chart);
  } catch (e: any) {
    return e.message;
  }
  throw new Error('synth did not fail');
}

describe.each(PLUS_MODULES)('PolicyTarget.workload ($name)', ({ kplus }) => {
  const workloads: Array<[string, (c: Chart) => IConstruct & { readonly name: string }]> = [
    ['Deployment', (c) => new kplus.Deployment(c, 'web', CONTAINERS)],
    ['StatefulSet', (c) => new kplus.StatefulSet(c, 'web', CONTAINERS)],
    ['DaemonSet', (c) => new kplus.DaemonSet(c, 'web', CONTAINERS)],
    ['Job', (c) => new kplus.Job(c, 'web', CONTAINERS)],
    ['CronJob', (c) => new kplus.CronJob(c, 'web', { ...CONTAINERS, schedule: Cron.daily() })],
    ['Pod', (c) => new kplus.Pod(c, 'web', CONTAINERS)],
  ];

  test.each(workloads)('a %s gives a KubeArmorPolicy in its namespace selecting the labels of its pods', (_name, make) => {
    const chart = newChart('shop');
    const w = make(chart);
    new SecurityPolicy(chart, 'policy', { target: PolicyTarget.workload(w), ...RULES });
    const manifests = Testing.synth(chart);
    const policy = manifests.find((o) => o.kind === 'KubeArmorPolicy');
    const workload = manifests.find((o) => o.metadata?.name === w.name && o.kind !== 'Service');
    const podLabels = workload.kind === 'Pod' ? workload.metadata.labels
      : workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template.metadata.labels : workload.spec.template.metadata.labels;
    expect(policy.metadata.namespace).toBe('shop');
    expect(Object.keys(policy.spec.selector.matchLabels)).toEqual(['cdk8s.io/metadata.addr']);
    // Every selected label is on the pods.
    for (const [k, v] of Object.entries(policy.spec.selector.matchLabels)) expect(podLabels[k]).toBe(v);
    expectConformant(policy);
  });

  test('the workload namespace wins over the chart default', () => {
    const chart = newChart();
    const d = new kplus.Deployment(chart, 'web', { ...CONTAINERS, metadata: { namespace: 'payments' } });
    new SecurityPolicy(chart, 'policy', { target: PolicyTarget.workload(d), ...RULES });
    expect(synthOne(chart).metadata.namespace).toBe('payments');
  });

  test('a workload in another chart keeps its own namespace', () => {
    const app = new App();
    const apps = new Chart(app, 'apps', { namespace: 'payments' });
    const security = new Chart(app, 'security', { namespace: 'security' });
    const d = new kplus.Deployment(apps, 'web', CONTAINERS);
    new SecurityPolicy(security, 'policy', { target: PolicyTarget.workload(d), ...RULES });
    expect(synthOne(security).metadata.namespace).toBe('payments');
  });

  test('selector labels are read at synth: later select() and podMetadata.addLabel() are honoured', () => {
    const chart = newChart('shop');
    const d = new kplus.Deployment(chart, 'web', { ...CONTAINERS, select: false });
    new SecurityPolicy(chart, 'policy', { target: PolicyTarget.workload(d), ...RULES });
    d.podMetadata.addLabel('app', 'web');
    d.podMetadata.addLabel('tier', 'frontend');
    d.select(kplus.LabelSelector.of({ labels: { app: 'web' } }));
    d.select(kplus.LabelSelector.of({ labels: { tier: 'frontend' } }));
    expect(synthOne(chart).spec.selector).toEqual({ matchLabels: { app: 'web', tier: 'frontend' } });
  });

  test('a bare Pod is selected by all its labels, including ones added later', () => {
    const chart = newChart('shop');
    const pod = new kplus.Pod(chart, 'debug', CONTAINERS);
    new SecurityPolicy(chart, 'policy', { target: PolicyTarget.workload(pod), ...RULES });
    pod.metadata.addLabel('role', 'debug');
    expect(synthOne(chart).spec.selector.matchLabels).toEqual({ 'cdk8s.io/metadata.addr': pod.metadata.getLabel('cdk8s.io/metadata.addr'), 'role': 'debug' });
  });

  test('fails when a selector label is not on the pod template', () => {
    const chart = newChart('shop');
    const d = new kplus.Deployment(chart, 'web', { ...CONTAINERS, select: false });
    d.select(kplus.LabelSelector.of({ labels: { app: 'web', tier: 'frontend' } }));
    d.podMetadata.addLabel('app', 'web');
    new SecurityPolicy(chart, 'policy', { target: PolicyTarget.workload(d), ...RULES });
    expect(synthError(chart)).toBe('Validation failed with the following errors:\n  [test/policy] workload test/web selects pods by tier=frontend '
      + 'but its pod template does not carry it (Kubernetes rejects such a workload); add podMetadata.addLabel(\'tier\', \'frontend\') next to select()');
  });

  test('fails when the workload selects nothing', () => {
    const chart = newChart('shop');
    const d = new kplus.Deployment(chart, 'web', { ...CONTAINERS, select: false });
    new SecurityPolicy(chart, 'policy', { target: PolicyTarget.workload(d), ...RULES });
    expect(synthError(chart)).toBe('Validation failed with the following errors:\n  [test/policy] workload test/web has no selector labels, so a policy '
      + 'cannot select its pods (an empty selector would select the whole namespace); keep cdk8s-plus\'s default select: true, or call '
      + `select(LabelSelector.of({ labels: { app: '${d.name}' } })) and podMetadata.addLabel('app', '${d.name}')`);
  });

  test('fails through app.synth() as well', () => {
    const app = new App();
    const chart = new Chart(app, 'test', { namespace: 'shop' });
    const d = new kplus.Deployment(chart, 'web', { ...CONTAINERS, select: false });
    new SecurityPolicy(chart, 'policy', { target: PolicyTarget.workload(d), ...RULES });
    expect(() => app.synth()).toThrow('[test/policy] workload test/web has no selector labels');
  });

  test('fails when the workload is in an untracked namespace', () => {
    const chart = newChart('kube-system');
    const d = new kplus.Deployment(chart, 'web', CONTAINERS);
    expect(() => PolicyTarget.workload(d)).toThrow(new Error('PolicyTarget.workload(test/web): namespace \'kube-system\' is untracked by KubeArmor: '
      + 'policies there are never enforced ("Policy cannot be enforced in untracked namespace"); protect workloads in another namespace, '
      + 'or remove the namespace from KubeArmor\'s untrackedNs setting first'));
  });

  test('a workload without namespace gets a policy without namespace, even from a chart with one', () => {
    const app = new App();
    const apps = new Chart(app, 'apps');
    const security = new Chart(app, 'security', { namespace: 'security' });
    const d = new kplus.Deployment(apps, 'web', CONTAINERS);
    const policy = new SecurityPolicy(security, 'policy', { target: PolicyTarget.workload(d), ...RULES });
    expect(policy.namespace).toBeUndefined();
    expect(security.toJson().find((m: any) => m.kind === 'KubeArmorPolicy').metadata.namespace).toBeUndefined();
  });
});

describe('PolicyTarget.podLabels and namespace', () => {
  test('podLabels selects by matchLabels in the given namespace', () => {
    const obj = policyFor(PolicyTarget.podLabels({ app: 'web', tier: 'frontend' }, 'payments'), 'shop');
    expect(obj.kind).toBe('KubeArmorPolicy');
    expect(obj.metadata.namespace).toBe('payments');
    expect(obj.spec.selector).toEqual({ matchLabels: { app: 'web', tier: 'frontend' } });
  });

  test('podLabels defaults to the chart namespace, and to none outside a namespaced chart', () => {
    expect(policyFor(PolicyTarget.podLabels({ app: 'web' }), 'shop').metadata.namespace).toBe('shop');
    expect(policyFor(PolicyTarget.podLabels({ app: 'web' })).metadata.namespace).toBeUndefined();
  });

  test('namespace() is the one target without selector', () => {
    const obj = policyFor(PolicyTarget.namespace('payments'));
    expect(obj.kind).toBe('KubeArmorPolicy');
    expect(obj.metadata.namespace).toBe('payments');
    expect(obj.spec.selector).toBeUndefined();
    expect(policyFor(PolicyTarget.namespace(), 'shop').metadata.namespace).toBe('shop');
  });

  test('every other pod target renders a non-empty selector', () => {
    const chart = newChart('shop');
    const d = PLUS_27.deployment(chart, 'web');
    const targets = [
      PolicyTarget.workload(d), PolicyTarget.podLabels({ app: 'web' }), PolicyTarget.namespace().inContainers(['main']),
      PolicyTarget.namespace().withLabelExpression(SelectorOperator.IN, ['app=web']),
    ];
    targets.forEach((target, i) => new SecurityPolicy(chart, `p${i}`, { target, ...RULES }));
    for (const obj of synthKubeArmor(chart)) {
      expect(Object.keys(obj.spec.selector).length).toBeGreaterThan(0);
    }
  });

  test('fails when podLabels is empty', () => {
    expect(() => PolicyTarget.podLabels({})).toThrow(new Error('PolicyTarget.podLabels: labels {} is empty; an empty selector would select every pod '
      + 'of the namespace: give at least one label, or use PolicyTarget.namespace() to mean the whole namespace'));
  });

  test('fails when a label key or value is invalid', () => {
    expect(() => PolicyTarget.podLabels({ 'bad key': 'x' })).toThrow(new Error(
      'PolicyTarget.podLabels: labels["bad key"] \'bad key\' is not a valid label key; use a key such as \'app\' or \'example.com/tier\''));
    expect(() => PolicyTarget.podLabels({ app: 'not ok' })).toThrow(new Error(
      'PolicyTarget.podLabels: labels.app \'not ok\' is not a valid label value; use at most 63 alphanumerics, \'-\', \'_\' or \'.\''));
  });

  test.each(['kube-system', 'kubearmor'])('fails when the namespace is the untracked %s', (ns) => {
    const why = `namespace '${ns}' is untracked by KubeArmor: policies there are never enforced ("Policy cannot be enforced in untracked namespace"); `
      + 'protect workloads in another namespace, or remove the namespace from KubeArmor\'s untrackedNs setting first';
    expect(() => PolicyTarget.podLabels({ app: 'web' }, ns)).toThrow(new Error(`PolicyTarget.podLabels: ${why}`));
    expect(() => PolicyTarget.namespace(ns)).toThrow(new Error(`PolicyTarget.namespace: ${why}`));
    expect(() => PolicyTarget.namespaces(['shop', ns])).toThrow(new Error(`PolicyTarget.namespaces: ${why}`));
  });

  test.each(['kube-system', 'kubearmor'])('fails when the policy chart is the untracked %s', (ns) => {
    const chart = newChart(ns);
    expect(() => new SecurityPolicy(chart, 'policy', { target: PolicyTarget.podLabels({ app: 'web' }), ...RULES })).toThrow(new Error(
      `test/policy: namespace '${ns}' is untracked by KubeArmor: policies there are never enforced ("Policy cannot be enforced in untracked namespace"); `
      + 'protect workloads in another namespace, or remove the namespace from KubeArmor\'s untrackedNs setting first'));
  });

  test('fails when a namespace is not a DNS-1123 label', () => {
    expect(() => PolicyTarget.namespace('Shop')).toThrow(new Error(
      'PolicyTarget.namespace: namespace \'Shop\' is not a valid namespace name (DNS-1123 label); use lowercase letters, digits and \'-\', at most 63 characters'));
  });
});

describe('cluster and host targets', () => {
  test('namespaces() gives a KubeArmorClusterPolicy with namespace In, sorted and de-duplicated, without metadata.namespace', () => {
    const obj = policyFor(PolicyTarget.namespaces(['shop', 'payments', 'shop']), 'security');
    expect(obj.kind).toBe('KubeArmorClusterPolicy');
    expect(Object.keys(obj.metadata)).toEqual(['name']);
    expect(obj.spec.selector).toEqual({ matchExpressions: [{ key: 'namespace', operator: 'In', values: ['payments', 'shop'] }] });
  });

  test('allNamespaces() has no selector; except gives namespace NotIn', () => {
    const all = policyFor(PolicyTarget.allNamespaces(), 'security');
    expect(all.kind).toBe('KubeArmorClusterPolicy');
    expect(all.metadata.namespace).toBeUndefined();
    expect(all.spec.selector).toBeUndefined();
    const except = policyFor(PolicyTarget.allNamespaces({ except: ['dev', 'ci'] }));
    expect(except.spec.selector).toEqual({ matchExpressions: [{ key: 'namespace', operator: 'NotIn', values: ['ci', 'dev'] }] });
  });

  test('nodes() gives a KubeArmorHostPolicy with nodeSelector, without metadata.namespace', () => {
    const obj = policyFor(PolicyTarget.nodes({ 'kubernetes.io/os': 'linux' }), 'security');
    expect(obj.kind).toBe('KubeArmorHostPolicy');
    expect(obj.metadata.namespace).toBeUndefined();
    expect(obj.spec.nodeSelector).toEqual({ matchLabels: { 'kubernetes.io/os': 'linux' } });
    expect(obj.spec.selector).toBeUndefined();
  });

  test('fails when nodes() is empty', () => {
    expect(() => PolicyTarget.nodes({})).toThrow(new Error('PolicyTarget.nodes: nodeLabels {} is empty; an empty nodeSelector matches no node: '
      + 'give at least one node label, e.g. { \'kubernetes.io/os\': \'linux\' }'));
  });

  test('fails when namespaces() is empty', () => {
    expect(() => PolicyTarget.namespaces([])).toThrow(new Error(
      'PolicyTarget.namespaces: names [] is empty; list at least one namespace, or use PolicyTarget.allNamespaces()'));
  });

  test('fails when an excepted namespace is invalid', () => {
    expect(() => PolicyTarget.allNamespaces({ except: ['Dev'] })).toThrow(new Error(
      'PolicyTarget.allNamespaces: except \'Dev\' is not a valid namespace name; use a DNS-1123 label'));
  });
});

describe('one SecurityPolicy, three kinds by changing only the target', () => {
  test.each([
    [PolicyTarget.podLabels({ app: 'web' }), PolicyKind.KUBE_ARMOR_POLICY, 'shop'],
    [PolicyTarget.namespaces(['shop']), PolicyKind.KUBE_ARMOR_CLUSTER_POLICY, undefined],
    [PolicyTarget.nodes({ role: 'worker' }), PolicyKind.KUBE_ARMOR_HOST_POLICY, undefined],
  ])('%#: the target decides the kind and scope', (target, kind, namespace) => {
    const chart = newChart('shop');
    const p = new SecurityPolicy(chart, 'policy', { target, ...RULES });
    expect(p.kind).toBe(kind);
    expect(p.namespace).toBe(namespace);
    const obj = synthOne(chart);
    expect(obj.kind).toBe(kind);
    expect(obj.metadata.namespace).toBe(namespace);
    expect(obj.spec.file).toEqual({ matchDirectories: [{ dir: '/usr/bin/', readOnly: true, recursive: true }] });
    expectConformant(obj);
  });
});

describe('inContainers and withLabelExpression', () => {
  test('inContainers adds the container label, sorted and merged', () => {
    const target = PolicyTarget.podLabels({ app: 'web' }).inContainers(['sidecar', 'main']).inContainers(['main', 'init']);
    expect(policyFor(target, 'shop').spec.selector.matchLabels).toEqual({ 'app': 'web', 'kubearmor.io/container.name': '[init,main,sidecar]' });
    expect(target.description).toBe('pods labelled app=web in the chart namespace (containers init, main, sidecar)');
  });

  test('inContainers returns a new target', () => {
    const base = PolicyTarget.podLabels({ app: 'web' });
    base.inContainers(['main']);
    expect(policyFor(base, 'shop').spec.selector.matchLabels).toEqual({ app: 'web' });
  });

  test('withLabelExpression merges values of one operator and works on cluster policies', () => {
    const target = PolicyTarget.allNamespaces({ except: ['dev'] })
      .withLabelExpression(SelectorOperator.IN, ['app=web'])
      .withLabelExpression(SelectorOperator.IN, ['app=api', 'app=web']);
    expect(policyFor(target).spec.selector).toEqual({
      matchExpressions: [
        { key: 'namespace', operator: 'NotIn', values: ['dev'] },
        { key: 'label', operator: 'In', values: ['app=api', 'app=web'] },
      ],
    });
  });

  test.each([PolicyTarget.namespaces(['shop']), PolicyTarget.allNamespaces(), PolicyTarget.nodes({ role: 'worker' })])(
    'fails when inContainers is used on a cluster-scoped target (%#)', (target) => {
      expect(() => target.inContainers(['main'])).toThrow(new Error(`PolicyTarget.inContainers: containers ["main"] cannot restrict a ${target.kind}; `
        + 'KubeArmor supports container targeting only in KubeArmorPolicy selectors (matchLabels)'));
    });

  test('fails when inContainers gets no or invalid names', () => {
    const t = PolicyTarget.namespace();
    expect(() => t.inContainers([])).toThrow(new Error('PolicyTarget.inContainers: names [] is empty; list at least one container name'));
    expect(() => t.inContainers(['Main'])).toThrow(new Error(
      'PolicyTarget.inContainers: container name \'Main\' is not a DNS-1123 label; use the container\'s name from the pod spec'));
  });

  test('fails when In and NotIn label expressions are mixed', () => {
    const t = PolicyTarget.namespace().withLabelExpression(SelectorOperator.IN, ['app=web']);
    expect(() => t.withLabelExpression(SelectorOperator.NOT_IN, ['app=api'])).toThrow(new Error(
      'PolicyTarget.withLabelExpression: operator \'NotIn\' cannot be combined with In on labels in one selector (KubeArmor ignores a NotIn after an In, '
      + 'and a leading NotIn decides alone); use two policies'));
  });

  test('fails when a label expression is not key=value, empty, or on a host target', () => {
    const t = PolicyTarget.namespace();
    expect(() => t.withLabelExpression(SelectorOperator.IN, ['app'])).toThrow(new Error(
      'PolicyTarget.withLabelExpression: label \'app\' must be \'key=value\'; e.g. \'app=web\''));
    expect(() => t.withLabelExpression(SelectorOperator.IN, [])).toThrow(new Error(
      'PolicyTarget.withLabelExpression: labels [] is empty; list at least one \'key=value\' label'));
    expect(() => PolicyTarget.nodes({ role: 'worker' }).withLabelExpression(SelectorOperator.IN, ['app=web'])).toThrow(new Error(
      'PolicyTarget.withLabelExpression: a KubeArmorHostPolicy selects nodes by nodeSelector.matchLabels only; use PolicyTarget.nodes({...})'));
  });
});
