/**
 * The example app (examples/wordpress-mysql/main.ts) rebuilt with knobs, for the diff tests and the README
 * snippet: with every knob at its default it synthesises exactly the example's dist (a test checks that).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as YAML from 'yaml';
import { ComplianceControl, FileIntegrityPreset, HardenedWorkload, PolicyAction, PolicyLint, PolicyTarget, SecurityPolicy } from '../../src';

export interface Variant {
  /** Appended to every construct id (a rename of every construct). */
  readonly idSuffix?: string;
  /** The mysql hardening without the KubeArmor FIM template preset (the default presets instead). */
  readonly dropMysqlPreset?: boolean;
  /** The staged rollout: every hardening in Audit. */
  readonly audit?: boolean;
  /** An extra policy on mysql with one Allow rule. */
  readonly allowRule?: boolean;
}

export const EXAMPLE_DIST = path.join(__dirname, '..', '..', 'examples', 'wordpress-mysql', 'dist');

/** The example dist as manifests. */
export function exampleDist(): any[] {
  return YAML.parseAllDocuments(fs.readFileSync(path.join(EXAMPLE_DIST, 'wordpress-mysql.k8s.yaml'), 'utf8')).map((d) => d.toJSON());
}

export function variantManifests(v: Variant = {}): any[] {
  const s = v.idSuffix ?? '';
  const app = new App();
  const chart = new Chart(app, `wordpress-mysql${s}`, { namespace: 'wordpress-mysql' });
  const scratch = (name: string, paths: string[]) => paths.map((mountPath, i) => ({
    path: mountPath, volume: kplus.Volume.fromEmptyDir(chart, `${name}-scratch-${i}${s}`, `scratch-${i}`),
  }));
  const mysql = new kplus.Deployment(chart, `mysql${s}`, {
    metadata: { name: 'mysql' },
    select: false,
    containers: [{
      name: 'mysql',
      image: 'mysql:5.6',
      portNumber: 3306,
      securityContext: { user: 999, group: 999 },
      volumeMounts: scratch('mysql', ['/var/lib/mysql', '/var/run/mysqld', '/tmp']),
    }],
  });
  mysql.podMetadata.addLabel('app', 'mysql');
  mysql.select(kplus.LabelSelector.of({ labels: { app: 'mysql' } }));
  const action = v.audit ? PolicyAction.AUDIT : undefined;
  const hardened = HardenedWorkload.harden(chart, `mysql-hardening${s}`, mysql, {
    presets: v.dropMysqlPreset ? undefined : [FileIntegrityPreset.KUBEARMOR_FIM_TEMPLATE],
    severity: 1,
    message: 'Detected and prevented compromise to File integrity',
    action,
  });
  PolicyLint.acknowledge(hardened, 'KA004', 'KubeArmor FIM template kept as published: mysql:5.6 is not a merged-/usr image, /lib/ is a real directory');
  new HardenedWorkload(chart, `wordpress${s}`, {
    metadata: { name: 'wordpress' },
    containers: [{
      name: 'wordpress',
      image: 'wordpress:4.8-apache',
      portNumber: 80,
      securityContext: { user: 33, group: 33 },
      volumeMounts: scratch('wordpress', ['/var/www/html', '/var/run/apache2', '/var/lock/apache2', '/tmp']),
    }],
    protectTrustStores: true,
    blockPackageManagers: true,
    controls: [ComplianceControl.PCI_DSS_11_5_2, ComplianceControl.NIST_SI_7],
    action,
  });
  // As the example: a Job opted out with its reason, and an agent in kube-system (untracked by KubeArmor).
  const migrate = new kplus.Job(chart, `db-migrate${s}`, {
    metadata: { name: 'db-migrate' },
    containers: [{ name: 'migrate', image: 'mysql:5.6', command: ['mysql', '--host=mysql', '--execute=SELECT 1'], securityContext: { user: 999, group: 999 } }],
  });
  HardenedWorkload.optOut(migrate, 'one-shot schema migration that exits within minutes; its image is the mysql:5.6 image protected in the mysql pods');
  new kplus.Deployment(chart, `metrics-agent${s}`, {
    metadata: { name: 'metrics-agent', namespace: 'kube-system' },
    containers: [{ name: 'agent', image: 'prom/node-exporter:v1.8.2', portNumber: 9100, securityContext: { user: 65534, group: 65534 } }],
  });
  if (v.allowRule) {
    const p = new SecurityPolicy(chart, `mysql-allow${s}`, { target: PolicyTarget.podLabels({ app: 'mysql' }), policyName: 'mysql-allow-data', action: PolicyAction.ALLOW });
    p.addFileDirectory('/var/lib/mysql/', { recursive: true });
  }
  return chart.toJson();
}

/** Every rule list of every policy reversed, and the documents in reverse order. */
export function reordered(manifests: readonly any[]): any[] {
  const out = JSON.parse(JSON.stringify(manifests)).reverse();
  for (const m of out) {
    if (!String(m.apiVersion).startsWith('security.kubearmor.com/')) continue;
    for (const body of Object.values<any>(m.spec)) {
      if (body === null || typeof body !== 'object' || Array.isArray(body)) continue;
      for (const list of Object.values<any>(body)) if (Array.isArray(list)) list.reverse();
    }
    if (Array.isArray(m.spec.tags)) m.spec.tags.reverse();
  }
  return out;
}

/** The mysql Deployment's pod label app=mysql changed to app=mysql-db (its policy still selects app=mysql). */
export function mysqlRelabelled(manifests: readonly any[]): any[] {
  const out = JSON.parse(JSON.stringify(manifests));
  for (const m of out) {
    if (m.kind !== 'Deployment' || m.metadata.name !== 'mysql') continue;
    m.spec.template.metadata.labels.app = 'mysql-db';
    m.spec.selector.matchLabels.app = 'mysql-db';
  }
  return out;
}
