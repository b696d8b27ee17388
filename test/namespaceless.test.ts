/**
 * One rule for charts without namespace, everywhere (constructs, lints, CLI, import, plugin): a policy for a
 * workload without namespace is emitted exactly as namespaceless as the workload, and reported once as the
 * acknowledgeable warning KA016 — never an error.
 */
import { Chart, Testing } from 'cdk8s';
import * as plus33 from 'cdk8s-plus-33';
import { FileIntegrityPolicy, HardenedWorkload, PolicyImport, PolicyLint, PolicyTarget, SecurityPolicy } from '../src';
import { expectConformant, kubeArmorObjects } from './conformance/harness';
import { PLUS_VERSIONS } from './util/plus';
import { generateCode } from '../src/cli/import';
import { lintSources } from '../src/private/lint-sources';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

/** The findings other than KA040 (cdk8s-plus's read-only root filesystem; test/private/lint-rules-evidence.test.ts). */
function findings(app: any) {
  return PolicyLint.findings(app).filter((f) => f.ruleId !== 'KA040');
}

const NAMESPACELESS = `apiVersion: security.kubearmor.com/v1
kind: KubeArmorPolicy
metadata:
  name: web-bin
spec:
  severity: 5
  selector:
    matchLabels:
      app: web
  file:
    matchDirectories:
      - dir: /bin/
        readOnly: true
        recursive: true
      - dir: /usr/bin/
        readOnly: true
        recursive: true
`;

describe.each(PLUS_VERSIONS)('a $name workload in a chart without namespace (what cdk8s init generates)', (plus) => {
  test('its policy has no namespace either, and synthesis warns once with KA016', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'app');
    const web = plus.deployment(chart, 'web');
    new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.workload(web), policyName: 'web-fim' });
    const manifests = chart.toJson();
    expectConformant(manifests);
    const [policy] = kubeArmorObjects(manifests);
    expect(policy.metadata).toEqual({ name: 'web-fim' });
    expect(manifests.find((m: any) => m.kind === 'Deployment').metadata.namespace).toBeUndefined();
    expect(findings(app).map((f) => [f.ruleId, f.severity, f.constructPath, f.jsonPath, f.message])).toEqual([[
      'KA016', 'warning', 'app/fim/Policy', '/metadata',
      'KubeArmorPolicy/web-fim has no namespace: it lands in the namespace it is applied to (kubectl\'s current one, or the GitOps destination) and selects pods of that namespace only',
    ]]);
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('the policy stays namespaceless when created in a chart that has a namespace (as the workload does)', () => {
    const app = Testing.app();
    const apps = new Chart(app, 'apps');
    const security = new Chart(app, 'security', { namespace: 'security' });
    const web = plus.deployment(apps, 'web');
    new SecurityPolicy(security, 'policy', { target: PolicyTarget.workload(web), severity: 5, fileDirectories: [{ dir: '/bin/', readOnly: true, recursive: true }, { dir: '/usr/bin/', readOnly: true, recursive: true }] });
    const [policy] = kubeArmorObjects(security.toJson());
    expect(policy.metadata.namespace).toBeUndefined();
    expect(findings(app).map((f) => f.ruleId)).toEqual(['KA016']);
  });

  test('HardenedWorkload.hardenAll: namespaceless policies, one KA016 each, no KA001', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'app');
    plus.all(chart);
    HardenedWorkload.hardenAll(app);
    const manifests = chart.toJson();
    expectConformant(manifests);
    expect(kubeArmorObjects(manifests).map((p) => p.metadata.namespace)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(findings(app).map((f) => f.ruleId)).toEqual(['KA016', 'KA016', 'KA016', 'KA016', 'KA016', 'KA016']);
  });
});

describe('KA016 is acknowledgeable', () => {
  test('PolicyLint.acknowledge on the chart silences it and writes the annotation the CLI and plugin honour', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'app');
    const web = new plus33.Deployment(chart, 'web', { containers: [{ image: 'nginx' }] });
    new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.workload(web), policyName: 'web-fim' });
    PolicyLint.acknowledge(chart, 'KA016', 'Argo CD deploys this app into namespace shop');
    expect(findings(app).map((f) => [f.ruleId, f.acknowledgement])).toEqual([['KA016', 'Argo CD deploys this app into namespace shop']]);
    const [policy] = kubeArmorObjects(chart.toJson());
    expect(policy.metadata.annotations).toEqual({ 'lint.cdk8s-kubearmor.io/acknowledge.KA016': 'Argo CD deploys this app into namespace shop' });
    const report = lintSources([{ file: 'dist/app.k8s.yaml', text: app.synthYaml() }]);
    expect(report.findings.filter((f) => f.id === 'KA016').map((f) => f.acknowledged)).toEqual(['Argo CD deploys this app into namespace shop']);
  });
});

describe('namespaceless manifests: CLI lint, import, fromManifest', () => {
  test('cdk8s-kubearmor lint reports one KA016 warning and no error', () => {
    const report = lintSources([{ file: 'web.yaml', text: NAMESPACELESS }]);
    expect(report.findings.map((f) => [f.id, f.severity, f.line, f.pointer])).toEqual([['KA016', 'warning', 3, '/metadata']]);
  });

  test('SecurityPolicy.fromManifest in a chart with a namespace adopts it, as ApiObject does', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    SecurityPolicy.fromManifest(chart, 'web-bin', PolicyImport.fromYaml(new Chart(Testing.app(), 'scratch'), NAMESPACELESS).policies[0].apiObject.toJson());
    const [policy] = kubeArmorObjects(chart.toJson());
    expect(policy.metadata).toEqual({ name: 'web-bin', namespace: 'shop' });
  });

  test('PolicyImport in a chart with a namespace adopts it; in a chart without, the policy stays namespaceless', () => {
    const shop = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    PolicyImport.fromYaml(shop, NAMESPACELESS);
    expect(kubeArmorObjects(shop.toJson())[0].metadata).toEqual({ name: 'web-bin', namespace: 'shop' });
    const app = Testing.app();
    const plain = new Chart(app, 'plain');
    const { policies } = PolicyImport.fromYaml(plain, NAMESPACELESS);
    expect(policies.map((p) => p.node.id)).toEqual(['KubeArmorPolicy.web-bin']);
    expect(kubeArmorObjects(plain.toJson())[0].metadata).toEqual({ name: 'web-bin' });
    // KA001 too: no workload of this app carries app=web.
    expect(findings(app).map((f) => f.ruleId)).toEqual(['KA001', 'KA016']);
  });

  test('cdk8s-kubearmor import writes a target without namespace (the chart\'s applies)', () => {
    const { code, typed } = generateCode(NAMESPACELESS, 'web.yaml');
    expect(typed).toBe(1);
    expect(code).toContain("    target: PolicyTarget.podLabels({ app: 'web' }),\n");
  });
});
