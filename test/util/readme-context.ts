/**
 * The app a README or docs snippet continues (test/readme-snippets.test.ts): the names snippets use without
 * defining them (`app`, `chart`, `mysql`, `web`, ...), as in the README's first example, plus a policy for
 * pods deployed by another repository (the situation the PolicyLint snippet acknowledges).
 */
import { App, Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { FileIntegrityPolicy, FileIntegrityPreset, PolicyAction, PolicyTarget, SecurityPolicy } from '../../src';

/** Stands for a user's chart class (`new MyChart(app, 'my-app')`). */
export class MyChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    new kplus.Deployment(this, 'api', { containers: [{ image: 'api:1' }] });
  }
}

export interface ReadmeContext {
  readonly app: App;
  readonly chart: Chart;
  readonly mysql: kplus.Deployment;
  readonly web: kplus.Deployment;
  readonly existingStatefulSet: kplus.StatefulSet;
  readonly debugPod: kplus.Pod;
  readonly target: PolicyTarget;
  /** A parsed KubeArmorPolicy (test/fixtures/fim-use-case/policy.yaml) and its text. */
  readonly manifest: any;
  readonly text: string;
  readonly MyChart: typeof MyChart;
  /** jest's `test`, run at once (a snippet's test body runs inside the snippet's test). */
  readonly test: (name: string, body: () => void) => void;
}

export function readmeContext(outdir: string, policyText: string): ReadmeContext {
  const app = new App({ outdir });
  const chart = new Chart(app, 'wordpress-mysql', { namespace: 'wordpress-mysql' });
  const mysql = new kplus.Deployment(chart, 'mysql', {
    select: false,
    containers: [{ name: 'mysql', image: 'mysql:5.6', securityContext: { readOnlyRootFilesystem: false, ensureNonRoot: false, user: 0 } }],
  });
  mysql.podMetadata.addLabel('app', 'mysql');
  mysql.select(kplus.LabelSelector.of({ labels: { app: 'mysql' } }));
  new FileIntegrityPolicy(chart, 'mysql-fim', {
    target: PolicyTarget.workload(mysql),
    presets: [FileIntegrityPreset.KUBEARMOR_FIM_TEMPLATE],
    severity: 1,
    message: 'Detected and prevented compromise to File integrity',
    policyName: 'harden-mysql-file-integrity-monitoring',
  });
  const web = new kplus.Deployment(chart, 'web-deployment', { containers: [{ name: 'web', image: 'nginx', portNumber: 80 }] });
  new kplus.Deployment(chart, 'api', { metadata: { name: 'api' }, containers: [{ image: 'eclipse-temurin:17' }] });
  const existingStatefulSet = new kplus.StatefulSet(chart, 'db', {
    containers: [{ image: 'postgres:16' }],
    service: new kplus.Service(chart, 'db-service', { ports: [{ port: 5432 }] }),
  });
  const debugPod = new kplus.Pod(chart, 'debug', { containers: [{ image: 'busybox' }] });
  // Selects pods deployed by another repository: KA001 unless acknowledged.
  new SecurityPolicy(chart, 'payments', { target: PolicyTarget.podLabels({ app: 'payments' }), action: PolicyAction.BLOCK, severity: 5, filePaths: [{ path: '/etc/shadow' }] });
  return {
    app,
    chart,
    mysql,
    web,
    existingStatefulSet,
    debugPod,
    target: PolicyTarget.workload(web),
    manifest: YAML.parse(policyText),
    text: policyText,
    MyChart,
    test: (_name, body) => body(),
  };
}
