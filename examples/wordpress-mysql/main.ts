/**
 * The seed scenario as a GitOps app: WordPress and MySQL in namespace `wordpress-mysql`, hardened with
 * KubeArmor File Integrity Monitoring, plus the compliance evidence for the policies.
 *
 * Synthesise with `cdk8s synth` (or `npx projen example` from the repository root): writes
 * `dist/wordpress-mysql.k8s.yaml` and `dist/compliance-report.{md,json}`.
 */
import { App, Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ComplianceControl, ComplianceReport, FileIntegrityPreset, HardenedWorkload, PolicyLint } from 'cdk8s-kubearmor';

export class WordpressMysql extends Chart {
  public readonly mysql: HardenedWorkload;
  public readonly wordpress: HardenedWorkload;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'wordpress-mysql', ...props });

    // MySQL: an existing Deployment selected by `app: mysql`, hardened exactly like KubeArmor's FIM
    // template (the seed policy: harden-mysql-file-integrity-monitoring).
    const mysql = new kplus.Deployment(this, 'mysql', {
      metadata: { name: 'mysql' },
      select: false,
      containers: [{
        name: 'mysql',
        image: 'mysql:5.6',
        portNumber: 3306,
        securityContext: { user: 999, group: 999 },
        volumeMounts: scratch(this, 'mysql', ['/var/lib/mysql', '/var/run/mysqld', '/tmp']),
      }],
    });
    mysql.podMetadata.addLabel('app', 'mysql');
    mysql.select(kplus.LabelSelector.of({ labels: { app: 'mysql' } }));
    this.mysql = HardenedWorkload.harden(this, 'mysql-hardening', mysql, {
      presets: [FileIntegrityPreset.KUBEARMOR_FIM_TEMPLATE],
      severity: 1,
      message: 'Detected and prevented compromise to File integrity',
    });
    PolicyLint.acknowledge(this.mysql, 'KA004',
      'KubeArmor FIM template kept as published: mysql:5.6 is not a merged-/usr image, /lib/ is a real directory');

    // WordPress: a new Deployment with the default presets (binaries, libraries, boot), trust stores,
    // package managers blocked, and PCI DSS 11.5.2 / NIST SI-7 evidence.
    this.wordpress = new HardenedWorkload(this, 'wordpress', {
      metadata: { name: 'wordpress' },
      containers: [{
        name: 'wordpress',
        image: 'wordpress:4.8-apache',
        portNumber: 80,
        securityContext: { user: 33, group: 33 },
        volumeMounts: scratch(this, 'wordpress', ['/var/www/html', '/var/run/apache2', '/var/lock/apache2', '/tmp']),
      }],
      protectTrustStores: true,
      blockPackageManagers: true,
      controls: [ComplianceControl.PCI_DSS_11_5_2, ComplianceControl.NIST_SI_7],
    });
  }
}

/** Writable scratch space, so the read-only root filesystem cdk8s-plus sets can stay. */
function scratch(scope: Construct, name: string, paths: string[]): kplus.VolumeMount[] {
  return paths.map((path, i) => ({ path, volume: kplus.Volume.fromEmptyDir(scope, `${name}-scratch-${i}`, `scratch-${i}`) }));
}

export function buildApp(outdir?: string): App {
  const app = new App({ outdir });
  new WordpressMysql(app, 'wordpress-mysql');
  return app;
}

if (require.main === module) {
  const app = buildApp();
  app.synth();
  ComplianceReport.of(app).writeFiles(app.outdir);
}
