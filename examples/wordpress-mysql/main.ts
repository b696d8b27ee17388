/**
 * The seed scenario as a GitOps app: WordPress and MySQL in namespace `wordpress-mysql`, with the
 * File Integrity Monitoring policy protecting MySQL's system binaries, libraries and boot files.
 *
 * Synthesise with `cdk8s synth` (or `npx projen example` from the repository root).
 */
import { App, Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PolicyAction, PolicyTarget, SecurityPolicy } from 'cdk8s-kubearmor';

export class WordpressMysql extends Chart {
  public readonly mysql: kplus.Deployment;
  public readonly wordpress: kplus.Deployment;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'wordpress-mysql', ...props });

    this.mysql = tier(this, 'mysql', 'mysql:5.6', 3306, ['/var/lib/mysql', '/var/run/mysqld', '/tmp'], 999);
    this.wordpress = tier(this, 'wordpress', 'wordpress:4.8-apache', 80, ['/var/www/html', '/var/run/apache2', '/var/lock/apache2', '/tmp'], 33);

    new SecurityPolicy(this, 'mysql-fim', {
      target: PolicyTarget.workload(this.mysql),
      policyName: 'harden-mysql-file-integrity-monitoring',
      action: PolicyAction.BLOCK,
      severity: 1,
      message: 'Detected and prevented compromise to File integrity',
      tags: ['NIST', 'NIST_800-53_AU-2', 'NIST_800-53_SI-4', 'MITRE', 'MITRE_T1036_masquerading', 'MITRE_T1565_data_manipulation'],
      fileDirectories: ['/sbin/', '/usr/bin/', '/usr/lib/', '/usr/sbin/', '/bin/', '/boot/'].map((dir) => ({ dir, readOnly: true, recursive: true })),
    });
  }
}

/** A Deployment selected by `app: <name>` (stable: independent of construct paths), writable only where it must be. */
function tier(scope: Construct, name: string, image: string, port: number, writable: string[], uid: number): kplus.Deployment {
  const deployment = new kplus.Deployment(scope, name, {
    metadata: { name },
    select: false,
    containers: [{
      name,
      image,
      portNumber: port,
      securityContext: { user: uid, group: uid },
      volumeMounts: writable.map((path, i) => ({
        path,
        volume: kplus.Volume.fromEmptyDir(scope, `${name}-scratch-${i}`, `scratch-${i}`),
      })),
    }],
  });
  deployment.podMetadata.addLabel('app', name);
  deployment.select(kplus.LabelSelector.of({ labels: { app: name } }));
  return deployment;
}

export function buildApp(outdir?: string): App {
  const app = new App({ outdir });
  new WordpressMysql(app, 'wordpress-mysql');
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
