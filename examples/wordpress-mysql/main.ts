/**
 * The seed scenario as a GitOps app: WordPress and MySQL in namespace `wordpress-mysql`, hardened with
 * KubeArmor File Integrity Monitoring, plus the compliance evidence for the policies.
 *
 * Synthesise with `cdk8s synth` (or `npx projen example` from the repository root): writes
 * `dist/wordpress-mysql.k8s.yaml`, `dist/compliance-report.{md,json,html}` and `dist/coverage-report.{md,json}`
 * (the file coverage of the two images, from their file lists in test/fixtures/images/).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  ComplianceControl, ComplianceReport, FileIntegrityPreset, HardenedWorkload, ImageContents, ImageCoverage, PolicyLint,
} from 'cdk8s-kubearmor';

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

    // Workloads without file-integrity policies, which the compliance report lists as gaps: a one-shot
    // schema migration opted out with its reason, and a metrics agent in kube-system, which KubeArmor
    // does not track (untrackedNs).
    const migrate = new kplus.Job(this, 'db-migrate', {
      metadata: { name: 'db-migrate' },
      containers: [{ name: 'migrate', image: 'mysql:5.6', command: ['mysql', '--host=mysql', '--execute=SELECT 1'], securityContext: { user: 999, group: 999 } }],
    });
    HardenedWorkload.optOut(migrate, 'one-shot schema migration that exits within minutes; its image is the mysql:5.6 image protected in the mysql pods');
    new kplus.Deployment(this, 'metrics-agent', {
      metadata: { name: 'metrics-agent', namespace: 'kube-system' },
      containers: [{ name: 'agent', image: 'prom/node-exporter:v1.8.2', portNumber: 9100, securityContext: { user: 65534, group: 65534 } }],
    });
  }
}

/** Writable scratch space, so the read-only root filesystem cdk8s-plus sets can stay. */
function scratch(scope: Construct, name: string, paths: string[]): kplus.VolumeMount[] {
  return paths.map((mountPath, i) => ({ path: mountPath, volume: kplus.Volume.fromEmptyDir(scope, `${name}-scratch-${i}`, `scratch-${i}`) }));
}

export function buildApp(outdir?: string): App {
  const app = new App({ outdir });
  new WordpressMysql(app, 'wordpress-mysql');
  return app;
}

/**
 * Coverage of the two images by the policies that select them (and, for mysql:5.6, by the default presets
 * the seed template predates). The file lists are built from Debian packages by scripts/image-fixtures.js.
 */
export function coverageReports(app: App, imagesDir: string): ImageCoverage[] {
  const manifests = app.charts.flatMap((c) => c.toJson());
  const image = (name: string, source: string) => ImageContents.fromFile(path.join(imagesDir, `${name}.tvf.gz`), { source });
  const mysql = image('mysql-5.6', 'mysql:5.6 (test/fixtures/images/mysql-5.6.tvf.gz)');
  const wordpress = image('wordpress-apache', 'wordpress:apache (test/fixtures/images/wordpress-apache.tvf.gz)');
  return [
    ImageCoverage.ofManifests(mysql, manifests, { workload: 'mysql' }),
    ImageCoverage.ofPresets(mysql, FileIntegrityPreset.defaults()),
    ImageCoverage.ofManifests(wordpress, manifests, { workload: 'wordpress' }),
  ];
}

function writeCoverage(reports: ImageCoverage[], outdir: string): void {
  const md = ['# Image file coverage', '', 'Generated by examples/wordpress-mysql/main.ts (`npx projen example`). Critical files are',
    'executables, shared libraries and dynamic loader files; the second mysql:5.6 section shows what the default presets',
    'would cover instead of the seed template the example keeps.', '', ...reports.map((r) => r.toMarkdown())].join('\n');
  fs.writeFileSync(path.join(outdir, 'coverage-report.md'), md);
  fs.writeFileSync(path.join(outdir, 'coverage-report.json'), `${JSON.stringify(reports.map((r) => r.toJson()), null, 2)}\n`);
}

if (require.main === module) {
  const app = buildApp();
  app.synth();
  // A fixed date and build id keep the checked-in report byte-identical across runs; a pipeline passes its own.
  ComplianceReport.of(app, { generatedAt: '2026-01-01T00:00:00Z', buildId: 'examples/wordpress-mysql (npx projen example)' }).writeFiles(app.outdir);
  writeCoverage(coverageReports(app, path.join(__dirname, '..', '..', 'test', 'fixtures', 'images')), app.outdir);
}
