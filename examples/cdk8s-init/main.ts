// A `cdk8s init typescript-app` project (cdk8s-plus-33, a chart without namespace) with cdk8s-kubearmor added,
// as a user would write it. scripts/smoke-cdk8s-init.sh installs the packed library into a copy of this folder
// and runs `cdk8s synth` with the validation plugin; test/examples/cdk8s-init.test.ts builds the same chart.
import { App, Chart, ChartProps, Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { FileIntegrityPolicy, HardenedWorkload, PolicyTarget } from 'cdk8s-kubearmor';
import { Construct } from 'constructs';

export class MyChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = { }) {
    super(scope, id, props);

    // define resources here
    const web = new kplus.Deployment(this, 'web', { containers: [{ image: 'nginx', portNumber: 80 }] });
    new FileIntegrityPolicy(this, 'web-fim', { target: PolicyTarget.workload(web), policyName: 'web-file-integrity' });
    new kplus.StatefulSet(this, 'db', { containers: [{ image: 'postgres:16', portNumber: 5432 }] });
    new kplus.CronJob(this, 'backup', { schedule: Cron.daily(), containers: [{ image: 'restic/restic' }] });
    // Every other workload of the chart gets a file-integrity policy at synth.
    HardenedWorkload.hardenAll(this);
  }
}

export function buildApp(): App {
  const app = new App();
  // The staged rollout, switched from the command line: `FIM_ACTION=Audit npx cdk8s synth`.
  // cdk8s has no context in cdk8s.yaml: the context key is set in code, before the first chart.
  if (process.env.FIM_ACTION) app.node.setContext(FileIntegrityPolicy.ROLLOUT_CONTEXT_KEY, process.env.FIM_ACTION);
  new MyChart(app, 'cdk8s-init');
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
