import { buildApp } from '../../examples/wordpress-mysql/main';
import { expectConformant, kubeArmorObjects } from '../conformance/harness';

describe('example GitOps app examples/wordpress-mysql', () => {
  const manifests = buildApp().charts.flatMap((c) => c.toJson());

  test('holds the mysql and wordpress Deployments in namespace wordpress-mysql', () => {
    const deployments = manifests.filter((m) => m.kind === 'Deployment');
    expect(deployments.map((d) => `${d.metadata.namespace}/${d.metadata.name}`).sort()).toEqual(['wordpress-mysql/mysql', 'wordpress-mysql/wordpress']);
  });

  test('every KubeArmor object passes the conformance harness', () => {
    expect(kubeArmorObjects(manifests).length).toBeGreaterThan(0);
    expectConformant(manifests);
  });

  test('the mysql FIM policy selects exactly the mysql pods', () => {
    const mysql = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'mysql');
    const fim = kubeArmorObjects(manifests).find((m) => m.metadata.name === 'harden-mysql-file-integrity-monitoring');
    expect(fim.metadata.namespace).toBe('wordpress-mysql');
    expect(fim.spec.selector.matchLabels).toEqual({ app: 'mysql' });
    for (const [k, v] of Object.entries(fim.spec.selector.matchLabels)) expect(mysql.spec.template.metadata.labels[k]).toBe(v);
  });
});
