/**
 * The synth-time lint result is reused between synths only while the app's content is the same: a workload's
 * labels edited between two synths of one app re-lint.
 */
import { App, Chart } from 'cdk8s';
import * as plus27 from 'cdk8s-plus-27';
import { PolicyTarget, SecurityPolicy } from '../src';
import { expectConformant } from './conformance/harness';
import * as lints from '../src/private/lints';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

test('editing a workload\'s labels between two synths re-lints (KA005 appears)', () => {
  const app = new App({ outdir: '/tmp/cdk8s-kubearmor-lint-cache-test' });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const web = new plus27.Deployment(chart, 'web', { containers: [{ image: 'nginx' }] });
  new SecurityPolicy(chart, 'mine', { target: PolicyTarget.workload(web), severity: 5, filePaths: [{ path: '/etc/app.conf', readOnly: true }] });
  new SecurityPolicy(chart, 'tier', { target: PolicyTarget.podLabels({ tier: 'web' }), severity: 5, filePaths: [{ path: '/etc/app.conf' }] });
  expect(() => app.synthYaml()).not.toThrow();
  expectConformant(chart.toJson());
  // Now both policies select the Deployment's pods, with different flags for the same path.
  web.podMetadata.addLabel('tier', 'web');
  expect(() => app.synthYaml()).toThrow(/ERROR KA005 conflicting-rules/);
});

test('an unchanged app is linted once for several charts', () => {
  const app = new App({ outdir: '/tmp/cdk8s-kubearmor-lint-cache-test' });
  for (const name of ['a', 'b', 'c']) {
    const chart = new Chart(app, name, { namespace: name });
    const web = new plus27.Deployment(chart, 'web', { containers: [{ image: 'nginx' }] });
    new SecurityPolicy(chart, 'p', { target: PolicyTarget.workload(web), severity: 5, filePaths: [{ path: '/etc/passwd' }] });
  }
  const spy = jest.spyOn(lints, 'lintManifests');
  app.synthYaml();
  expect(spy).toHaveBeenCalledTimes(1);
  spy.mockRestore();
});
