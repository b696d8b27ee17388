import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { PolicyAction, PolicyLint, PolicyTarget, SecurityPolicy } from '../../src';
import { lintSources } from '../../src/private/lint-sources';
import { KubeArmorValidation } from '../../src/validation-plugin';

process.env.CDK8S_KUBEARMOR_QUIET = '1';
const REASON = 'both teams keep their own copy of this rule';

/** Two policies with the same rule for the same pods (KA015, about the second, naming the first). */
function app(ackOn: 'first' | 'second' | 'none'): { app: App; chart: Chart; policies: SecurityPolicy[] } {
  const a = new App();
  const chart = new Chart(a, 'shop', { namespace: 'shop' });
  const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx', portNumber: 80 }] });
  const policies = ['a-fim', 'b-fim'].map((name) => new SecurityPolicy(chart, name, {
    target: PolicyTarget.workload(web), action: PolicyAction.BLOCK, severity: 5, filePaths: [{ path: '/etc/passwd' }],
  }));
  if (ackOn !== 'none') PolicyLint.acknowledge(policies[ackOn === 'first' ? 0 : 1], 'KA015', REASON);
  return { app: a, chart, policies };
}

function synthFile(a: App): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ack-')), 'app.yaml');
  fs.writeFileSync(file, a.synthYaml());
  return file;
}

async function pluginLogs(file: string): Promise<{ logs: string[]; status: string }> {
  const logs: string[] = [];
  let status = '';
  const ctx: any = {
    manifests: [file],
    metadata: {},
    logger: { log: (l: string) => logs.push(l) },
    report: { addViolation: () => undefined, submit: (s: string) => { status = s; } },
  };
  await new KubeArmorValidation({ strict: true }).validate(ctx);
  return { logs, status };
}

describe('acknowledging a pairwise finding on either policy it names', () => {
  test('unacknowledged: KA015 is reported in constructs, CLI and plugin', async () => {
    const { app: a, chart } = app('none');
    const f = PolicyLint.findings(chart).filter((x) => x.ruleId === 'KA015');
    expect(f.map((x) => [x.constructPath, x.relatedPaths, x.acknowledgement])).toEqual([['shop/b-fim', ['shop/a-fim'], undefined]]);
    const file = synthFile(a);
    expect(lintSources([{ file, text: fs.readFileSync(file, 'utf8') }]).findings.filter((x) => x.id === 'KA015').map((x) => x.acknowledged)).toEqual([undefined]);
    const plugin = await pluginLogs(file);
    expect(plugin.status).toBe('failure');
  });

  for (const ackOn of ['first', 'second'] as const) {
    test(`acknowledged on the ${ackOn} policy: silenced in constructs, CLI and plugin`, async () => {
      const { app: a, chart, policies } = app(ackOn);
      const f = PolicyLint.findings(chart).filter((x) => x.ruleId === 'KA015');
      expect(f.map((x) => x.acknowledgement)).toEqual([REASON]);
      const file = synthFile(a);
      // The annotation is written to the policy the user acknowledged, not to the other one.
      const text = fs.readFileSync(file, 'utf8');
      const docs = text.split(/^---$/m);
      const carrying = docs.filter((d) => d.includes('acknowledge.KA015'));
      expect(carrying).toHaveLength(1);
      expect(carrying[0]).toContain(`name: ${policies[ackOn === 'first' ? 0 : 1].policyName}`);
      const cli = lintSources([{ file, text }]).findings.filter((x) => x.id === 'KA015');
      expect(cli.map((x) => x.acknowledged)).toEqual([REASON]);
      const plugin = await pluginLogs(file);
      expect(plugin.logs.filter((l) => l.includes('KA015'))).toEqual([]);
      expect(plugin.status).toBe('success');
    });
  }
});

describe('KA020 (a pair of rules in two files) is acknowledged by the annotation on either policy (CLI)', () => {
  const doc = (name: string, ack: boolean, rules: string) => [
    'apiVersion: security.kubearmor.com/v1', 'kind: KubeArmorPolicy',
    `metadata: {name: ${name}, namespace: shop${ack ? `, annotations: {lint.cdk8s-kubearmor.io/acknowledge.KA020: "${REASON}"}` : ''}}`,
    'spec:', '  severity: 5', '  selector: {matchLabels: {app: web}}', '  file:', rules, '',
  ].join('\n');
  const files = (ackA: boolean, ackB: boolean) => [
    { file: 'a.yaml', text: doc('a', ackA, '    matchDirectories: [{dir: /etc/, recursive: true}]') },
    { file: 'b.yaml', text: doc('b', ackB, '    matchPaths: [{path: /etc/hosts, action: Allow}]') },
  ];
  for (const [ackA, ackB, expected] of [[false, false, undefined], [true, false, REASON], [false, true, REASON]] as const) {
    test(`annotation on ${ackA ? 'a' : ackB ? 'b' : 'neither'}`, () => {
      const f = lintSources(files(ackA, ackB)).findings.filter((x) => x.id === 'KA020');
      expect(f.map((x) => [x.file, x.acknowledged])).toEqual([['b.yaml', expected]]);
    });
  }
});
