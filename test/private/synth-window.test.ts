/**
 * The synthesis window: inside one `app.synth()` / `app.synthYaml()` the per-chart revalidations reuse a result
 * computed in the same window while the change counter has not moved; a new synthesis, a library change, or a
 * validation outside any window recomputes. Each test makes only one of those inputs differ.
 */
import { App, Chart } from 'cdk8s';
import * as plus27 from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PolicyTarget, SecurityPolicy } from '../../src';
import * as lints from '../../src/private/lints';
import { synthInProgress, touch, validateOncePerSynth } from '../../src/private/synth-window';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

const outdir = '/tmp/cdk8s-kubearmor-synth-window-test';

/** An app of `charts` charts, each with one Deployment and one policy selecting it. */
function appOf(charts: number): { app: App; webs: plus27.Deployment[]; policies: SecurityPolicy[] } {
  const app = new App({ outdir });
  const webs: plus27.Deployment[] = [];
  const policies: SecurityPolicy[] = [];
  for (let i = 0; i < charts; i++) {
    const chart = new Chart(app, `c${i}`, { namespace: 'shop' });
    const web = new plus27.Deployment(chart, 'web', { containers: [{ image: 'nginx' }] });
    webs.push(web);
    policies.push(new SecurityPolicy(chart, 'p', { target: PolicyTarget.workload(web), severity: 5, filePaths: [{ path: '/etc/app.conf', readOnly: true }] }));
  }
  return { app, webs, policies };
}

/** A construct whose validation runs `validate` (through validateOncePerSynth when `memo`). */
function probe(scope: Construct, id: string, validate: () => string[], memo: boolean): Construct {
  const c = new Construct(scope, id);
  c.node.addValidation({ validate: () => (memo ? validateOncePerSynth(c, validate) : validate()) });
  return c;
}

test('a validation runs once per app.synth() of several charts, and again in the next synth', () => {
  const { app } = appOf(3);
  let calls = 0;
  probe(app.node.findChild('c0') as Construct, 'probe', () => { calls++; return []; }, true);
  app.synth();
  // cdk8s validated the app 1 + 3 times (once, then once per chart).
  expect(calls).toBe(1);
  app.synth();
  expect(calls).toBe(2);
  app.synthYaml();
  expect(calls).toBe(3);
});

test('outside a synthesis window every validation recomputes (Chart.toJson)', () => {
  const { app } = appOf(2);
  const chart = app.node.findChild('c0') as Chart;
  let errors: string[] = [];
  probe(chart, 'probe', () => errors, true);
  expect(synthInProgress(app)).toBeUndefined();
  expect(() => chart.toJson()).not.toThrow();
  errors = ['broken'];
  expect(() => chart.toJson()).toThrow(/broken/);
});

test('a new synthesis does not reuse the previous one\'s validation (only the window differs)', () => {
  const { app } = appOf(2);
  let errors: string[] = [];
  probe(app.node.findChild('c1') as Construct, 'probe', () => errors, true);
  expect(() => app.synth()).not.toThrow();
  errors = ['broken'];
  expect(() => app.synth()).toThrow(/broken/);
});

test('a library change inside the window recomputes (only the change counter differs)', () => {
  const { app } = appOf(3);
  let calls = 0;
  // Validated before the memoised probe in every pass (pre-order): each pass bumps the counter first.
  probe(app.node.findChild('c0') as Construct, 'a-toucher', () => { touch(); return []; }, false);
  probe(app.node.findChild('c0') as Construct, 'b-probe', () => { calls++; return []; }, true);
  app.synth();
  expect(calls).toBe(4);
});

test('the root hook lints once per app.synth() of several charts', () => {
  const { app } = appOf(3);
  const spy = jest.spyOn(lints, 'lintManifests');
  try {
    app.synth();
    expect(spy).toHaveBeenCalledTimes(1);
  } finally {
    spy.mockRestore();
  }
});

test('the root hook re-lints inside the window after a library change', () => {
  const { app } = appOf(3);
  probe(app.node.findChild('c0') as Construct, 'toucher', () => { touch(); return []; }, false);
  const spy = jest.spyOn(lints, 'lintManifests');
  try {
    app.synth();
    // Without the counter in the window's check, the first validation's result would serve every chart (1 call).
    expect(spy.mock.calls.length).toBeGreaterThanOrEqual(4);
  } finally {
    spy.mockRestore();
  }
});

test('editing a workload\'s labels between two app.synth() calls re-lints (KA005 appears)', () => {
  const app = new App({ outdir });
  for (const name of ['a', 'shop']) {
    const chart = new Chart(app, name, { namespace: 'shop' });
    const web = new plus27.Deployment(chart, 'web', { containers: [{ image: 'nginx' }] });
    new SecurityPolicy(chart, 'mine', { target: PolicyTarget.workload(web), severity: 5, filePaths: [{ path: '/etc/app.conf', readOnly: true }] });
    new SecurityPolicy(chart, 'tier', { target: PolicyTarget.podLabels({ tier: `web-${name}` }, 'shop'), severity: 5, filePaths: [{ path: '/etc/app.conf' }] });
  }
  expect(() => app.synth()).not.toThrow();
  const web = (app.node.findChild('shop') as Chart).node.findChild('web') as plus27.Deployment;
  web.podMetadata.addLabel('tier', 'web-shop');
  expect(() => app.synth()).toThrow(/ERROR KA005 conflicting-rules/);
});

test('a policy\'s own validation sees a workload edit between two app.synth() calls', () => {
  const { app, webs } = appOf(2);
  expect(() => app.synth()).not.toThrow();
  // The Deployment now selects pods by a label its template does not carry: the policy's target check fails.
  webs[1].select(plus27.LabelSelector.of({ labels: { only: 'here' } }));
  expect(() => app.synth()).toThrow(/selects pods by only=here/);
});

test('synth and synthYaml keep their results and errors through the wrapper', () => {
  const { app } = appOf(1);
  expect(app.synthYaml()).toContain('kind: KubeArmorPolicy');
  expect(synthInProgress(app)).toBeUndefined();
  probe(app, 'bad', () => ['always'], true);
  expect(() => app.synth()).toThrow(/always/);
  expect(synthInProgress(app)).toBeUndefined();
});
