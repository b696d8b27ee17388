/**
 * The seed app every language binding builds: the mysql Deployment of examples/wordpress-mysql/main.ts plus
 * KubeArmor's FIM template as a FileIntegrityPolicy (severity 1, the seed message). The Python program
 * (test/bindings/python/seed_app.py) builds the same app through the jsii wheel; `npx projen bindings`
 * compares both outputs byte for byte (scripts/bindings.sh).
 *
 * Run directly it prints `app.synthYaml()` to stdout.
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { FileIntegrityPolicy, FileIntegrityPreset, PolicyTarget } from '../../src';

export function buildSeedApp(): App {
  const app = new App();
  const chart = new Chart(app, 'wordpress-mysql', { namespace: 'wordpress-mysql' });
  const mysql = new kplus.Deployment(chart, 'mysql', {
    metadata: { name: 'mysql' },
    select: false,
    containers: [{ name: 'mysql', image: 'mysql:5.6', portNumber: 3306, securityContext: { user: 999, group: 999 } }],
  });
  mysql.podMetadata.addLabel('app', 'mysql');
  mysql.select(kplus.LabelSelector.of({ labels: { app: 'mysql' } }));
  new FileIntegrityPolicy(chart, 'fim', {
    target: PolicyTarget.workload(mysql),
    presets: [FileIntegrityPreset.KUBEARMOR_FIM_TEMPLATE],
    severity: 1,
    message: 'Detected and prevented compromise to File integrity',
    policyName: 'harden-mysql-file-integrity-monitoring',
  });
  return app;
}

if (require.main === module) {
  process.stdout.write(buildSeedApp().synthYaml());
}
