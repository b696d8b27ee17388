import { buildApp } from '../../examples/wordpress-mysql/main';
import { expectConformant, kubeArmorObjects } from '../conformance/harness';
import { seedPolicy } from '../fixtures/seed';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

describe('example GitOps app examples/wordpress-mysql', () => {
  const manifests = buildApp().charts.flatMap((c) => c.toJson());
  const policies = kubeArmorObjects(manifests);

  test('holds the mysql and wordpress Deployments in namespace wordpress-mysql', () => {
    const deployments = manifests.filter((m) => m.kind === 'Deployment');
    expect(deployments.map((d) => `${d.metadata.namespace}/${d.metadata.name}`).sort()).toEqual(['wordpress-mysql/mysql', 'wordpress-mysql/wordpress']);
  });

  test('every KubeArmor object passes the conformance harness', () => {
    expect(policies.map((p) => p.metadata.name).sort()).toEqual([
      'harden-mysql-file-integrity-monitoring', 'harden-wordpress-file-integrity-monitoring', 'harden-wordpress-package-managers',
    ]);
    expectConformant(manifests);
  });

  test('mysql is protected by the seed policy, field for field (plus the documented lint acknowledgement)', () => {
    const fim = policies.find((m) => m.metadata.name === 'harden-mysql-file-integrity-monitoring');
    const seed = seedPolicy();
    const { annotations, ...metadata } = fim.metadata;
    expect(metadata).toEqual(seed.metadata);
    expect(Object.keys(annotations)).toEqual(['lint.cdk8s-kubearmor.io/acknowledge.KA004']);
    // the library sorts rules; the seed lists them in another order
    const byDir = (a: any, b: any) => a.dir.localeCompare(b.dir);
    const sortDirs = (s: any) => ({ ...s, file: { matchDirectories: [...s.file.matchDirectories].sort(byDir) } });
    expect(sortDirs(fim.spec)).toEqual(sortDirs(seed.spec));
  });

  test('each policy selects exactly the pods of its Deployment', () => {
    for (const name of ['mysql', 'wordpress']) {
      const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === name);
      for (const policy of policies.filter((p) => p.metadata.name.startsWith(`harden-${name}-`))) {
        for (const [k, v] of Object.entries(policy.spec.selector.matchLabels)) expect(deployment.spec.template.metadata.labels[k]).toBe(v);
      }
    }
  });
});
