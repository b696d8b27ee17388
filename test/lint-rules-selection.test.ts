/**
 * Issue #13's selection-side silent classes (KA030–KA034, the special label values, KA003 acknowledgement,
 * KA001's near-name hint), each through every entry: constructs (PolicyLint / synth), the lint CLI and the cdk8s
 * validation plugin (both lintSources), and import (PolicyImport, then the synth-time lints).
 */
import { App, Chart } from 'cdk8s';
import * as plus27 from 'cdk8s-plus-27';
import { PolicyAction, PolicyImport, PolicyLint, PolicyTarget, SecurityPolicy, Syscall } from '../src';
import { expectConformant } from './conformance/harness';
import { lintSources } from '../src/private/lint-sources';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

const ACK = 'lint.cdk8s-kubearmor.io/acknowledge.';

/** A KubeArmorPolicy document; `spec` and `annotations` are YAML flow mappings. */
function ksp(spec: string, opts: { namespace?: string; annotations?: string } = {}): string {
  return ['apiVersion: security.kubearmor.com/v1', 'kind: KubeArmorPolicy', 'metadata:', '  name: p', `  namespace: ${opts.namespace ?? 'shop'}`,
    ...(opts.annotations ? [`  annotations: ${opts.annotations}`] : []), `spec: ${spec}`, ''].join('\n');
}

/** A Deployment document in namespace shop whose pods carry app=web and the given annotations. */
function deploymentYaml(annotations = '{}'): string {
  return ['apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web, namespace: shop}', 'spec:', '  selector: {matchLabels: {app: web}}', '  template:',
    `    metadata: {labels: {app: web}, annotations: ${annotations}}`, '    spec: {containers: [{name: web, image: nginx}]}', ''].join('\n');
}

/** The lint CLI's (and the plugin's) findings of one file: `ID` or `ID (acknowledged)`, sorted. */
function cli(...docs: string[]): string[] {
  const report = lintSources([{ file: 'in.yaml', text: docs.join('---\n') }]);
  return report.findings.map((f) => `${f.id}${f.acknowledged ? ' (acknowledged)' : ''}`).sort();
}

function cliMessages(...docs: string[]): string[] {
  return lintSources([{ file: 'in.yaml', text: docs.join('---\n') }]).findings.map((f) => `${f.id} ${f.message}`);
}

function setup() {
  const app = new App({ outdir: '/tmp/cdk8s-kubearmor-selection-test' });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const web = new plus27.Deployment(chart, 'web', { containers: [{ name: 'web', image: 'nginx' }] });
  return { app, chart, web };
}

/** The construct findings: `ID` or `ID (acknowledged)`, sorted. */
function ids(chart: Chart): string[] {
  return PolicyLint.findings(chart).map((f) => `${f.ruleId}${f.acknowledgement ? ' (acknowledged)' : ''}`).sort();
}

/** Imports the YAML into a fresh chart (with the Deployment as a construct) and lints it there. */
function imported(yaml: string, annotations: Record<string, string> = {}): string[] {
  const { chart, web } = setup();
  web.podMetadata.addLabel('app', 'web');
  for (const [k, v] of Object.entries(annotations)) web.podMetadata.addAnnotation(k, v);
  PolicyImport.fromYaml(chart, yaml);
  expectConformant(chart.toJson());
  return ids(chart);
}

const FILE = 'file: {matchPaths: [{path: /etc/passwd}]}';

describe('KA030 whole-namespace-selector', () => {
  test.each([
    ['no selector', `{severity: 5, ${FILE}}`],
    ['selector: {}', `{severity: 5, selector: {}, ${FILE}}`],
    ['matchLabels: {}', `{severity: 5, selector: {matchLabels: {}}, ${FILE}}`],
    ['only kubearmor.io/container.name', `{severity: 5, selector: {matchLabels: {kubearmor.io/container.name: '[web]'}}, ${FILE}}`],
  ])('%s: CLI and import report it; an acknowledgement annotation silences it', (_what, spec) => {
    expect(cli(ksp(spec))).toEqual(['KA030']);
    expect(cli(ksp(spec, { annotations: `{${ACK}KA030: every pod of shop is meant}` }))).toEqual(['KA030 (acknowledged)']);
    expect(imported(ksp(spec))).toEqual(['KA030']);
  });

  test('constructs: PolicyTarget.namespace() acknowledges it; labels silence it', () => {
    const { chart, web } = setup();
    new SecurityPolicy(chart, 'all', { target: PolicyTarget.namespace(), severity: 5, filePaths: [{ path: '/etc/passwd' }] });
    new SecurityPolicy(chart, 'one', { target: PolicyTarget.workload(web), severity: 5, filePaths: [{ path: '/etc/shadow' }] });
    expectConformant(chart.toJson());
    const f = PolicyLint.findings(chart).filter((x) => x.ruleId === 'KA030');
    expect(f.map((x) => [x.constructPath, x.acknowledgement])).toEqual([['shop/all', 'PolicyTarget.namespace(): every pod of the namespace is meant']]);
    expect(f[0].message).toMatch(/has no selector: it applies to every pod in namespace shop, including pods deployed there later$/);
  });

  test('constructs: pod labels that are only the container key are reported', () => {
    const { chart } = setup();
    new SecurityPolicy(chart, 'p', { target: PolicyTarget.podLabels({ 'kubearmor.io/container.name': '[web]' }), severity: 5, filePaths: [{ path: '/etc/passwd' }] });
    expect(ids(chart)).toEqual(['KA030']);
  });
});

describe('KA031 syscalls-always-audit', () => {
  const spec = (action: string) => `{severity: 5, action: ${action}, selector: {matchLabels: {app: web}}, syscalls: {matchSyscalls: [{syscall: [unlink]}]}}`;

  test('CLI: spec action Block or Allow next to syscall rules; Audit is fine', () => {
    expect(cli(deploymentYaml(), ksp(spec('Block')))).toEqual(['KA031']);
    // No KA002: the syscall rules audit whatever the spec action, so nothing flips to an allow-list.
    expect(cli(deploymentYaml(), ksp(spec('Allow')))).toEqual(['KA031']);
    expect(cli(deploymentYaml(), ksp(spec('Audit')))).toEqual([]);
    expect(imported(ksp(spec('Block')))).toEqual(['KA031']);
  });

  test('constructs: action BLOCK with addSyscalls; acknowledged with PolicyLint.acknowledge', () => {
    const { chart, web } = setup();
    const p = new SecurityPolicy(chart, 'p', { target: PolicyTarget.workload(web), severity: 5, action: PolicyAction.BLOCK });
    p.addSyscalls([Syscall.UNLINK]);
    expectConformant(chart.toJson());
    expect(PolicyLint.findings(chart).map((f) => [f.ruleId, f.message])).toEqual([
      ['KA031', expect.stringMatching(/has action Block, but its 1 syscall rule\(s\) only audit: KubeArmor never blocks a syscall$/)],
    ]);
    PolicyLint.acknowledge(p, 'KA031', 'auditing unlink is what we want');
    expect(ids(chart)).toEqual(['KA031 (acknowledged)']);
  });
});

describe('KA032 / KA033: pods annotated kubearmor-policy', () => {
  const spec = `{severity: 5, selector: {matchLabels: {app: web}}, ${FILE}}`;

  test('CLI: disabled is an error, audited a warning, enabled or another value nothing', () => {
    expect(cli(deploymentYaml('{kubearmor-policy: disabled}'), ksp(spec))).toEqual(['KA032']);
    expect(cli(deploymentYaml('{kubearmor-policy: audited}'), ksp(spec))).toEqual(['KA033']);
    expect(cli(deploymentYaml('{kubearmor-policy: enabled}'), ksp(spec))).toEqual([]);
    // KubeArmor treats any other value as enabled (kubeUpdate.go).
    expect(cli(deploymentYaml('{kubearmor-policy: "off"}'), ksp(spec))).toEqual([]);
    expect(lintSources([{ file: 'in.yaml', text: `${deploymentYaml('{kubearmor-policy: disabled}')}---\n${ksp(spec)}` }]).findings[0]).toMatchObject({ severity: 'error', line: 8 + 7 });
    expect(cliMessages(deploymentYaml('{kubearmor-policy: disabled}'), ksp(spec))).toEqual([
      'KA032 KubeArmorPolicy/shop/p selects Deployment/shop/web (annotated kubearmor-policy: disabled): KubeArmor neither enforces nor alerts on those pods',
    ]);
  });

  test('CLI: an audit-only policy on audited pods is not reported; Cilium pods are audited', () => {
    expect(cli(deploymentYaml('{kubearmor-policy: audited}'), ksp(`{severity: 5, action: Audit, selector: {matchLabels: {app: web}}, ${FILE}}`))).toEqual([]);
    const cilium = deploymentYaml().replace('labels: {app: web}', 'labels: {app: web, io.cilium/app: operator}');
    expect(cli(cilium, ksp(spec))).toEqual(['KA033']);
  });

  test('constructs: read from the pod template; synth fails on KA032 until acknowledged', () => {
    const { app, chart, web } = setup();
    web.podMetadata.addAnnotation('kubearmor-policy', 'disabled');
    const p = new SecurityPolicy(chart, 'p', { target: PolicyTarget.workload(web), severity: 5, filePaths: [{ path: '/etc/passwd' }] });
    expect(() => app.synthYaml()).toThrow(/ERROR KA032 pod-policy-disabled: KubeArmorPolicy\/shop\/\S+ selects shop\/web \(annotated kubearmor-policy: disabled\)/);
    PolicyLint.acknowledge(p, 'KA032', 'the pod is debugged without KubeArmor this week');
    expect(ids(chart)).toEqual(['KA032 (acknowledged)']);
    expectConformant(chart.toJson());
  });

  test('import: the app\'s workloads decide', () => {
    expect(imported(ksp(spec), { 'kubearmor-policy': 'audited' })).toEqual(['KA033']);
  });
});

describe('KA034 pattern-dropped-by-alert-matcher', () => {
  test('CLI and import: \'**\' fails Go\'s regexp.Compile; \'*\' does not', () => {
    const spec = (p: string) => `{severity: 5, selector: {matchLabels: {app: web}}, file: {matchPatterns: [{pattern: '${p}'}]}}`;
    expect(cli(deploymentYaml(), ksp(spec('/tmp/**')))).toEqual(['KA007', 'KA034']);
    expect(cli(deploymentYaml(), ksp(spec('/tmp/*.sh')))).toEqual(['KA007']);
    expect(imported(ksp(spec('/var/**/*.log')))).toEqual(['KA007', 'KA034']);
  });
});

describe('special label values are refused at the call, in the CLI and in import', () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ['kubearmor.io/container.name', { 'app': 'web', 'kubearmor.io/container.name': 'not-a-list' }, "is not a bracketed list such as '[web,sidecar]': KubeArmor strips its first and last character whatever they are; use '[not-a-list]'"],
    ['kubearmor.io/container.name', { 'app': 'web', 'kubearmor.io/container.name': '[web,,web]' }, "has an empty container name; use '[web]'"],
    ['kubearmor.io/container.name', { 'app': 'web', 'kubearmor.io/container.name': '[Web]' }, "lists 'Web', which is repeated or not a container name (DNS-1123 label)"],
  ];
  test.each(cases)('%s %j', (_key, labels, message) => {
    expect(() => PolicyTarget.podLabels(labels)).toThrow(message);
    const spec = `{severity: 5, selector: {matchLabels: ${JSON.stringify(labels)}}, ${FILE}}`;
    expect(cliMessages(ksp(spec)).join('\n')).toContain(message.split(';')[0]);
    expect(() => PolicyImport.fromYaml(setup().chart, ksp(spec))).toThrow(message.split(';')[0]);
  });

  const hsp = (labels: Record<string, string>) => ['apiVersion: security.kubearmor.com/v1', 'kind: KubeArmorHostPolicy', 'metadata: {name: h}',
    `spec: {severity: 5, nodeSelector: {matchLabels: ${JSON.stringify(labels)}}, ${FILE}}`, ''].join('\n');
  test.each([
    [{ 'kubearmor.io/hostname': '' }, 'is empty: it matches no node'],
    [{ 'kubearmor.io/hostname': 'node-1,,node-2' }, 'has an empty host name: it matches no node'],
    [{ 'kubearmor.io/hostnamereg': '((' }, 'is not a Go regular expression (missing closing ): `((`): KubeArmor cannot match any node with it'],
    [{ 'kubernetes.io/hostnamereg': 'node-(?=1)' }, 'is not a Go regular expression (invalid or unsupported Perl syntax: `(?=`)'],
    [{ 'kubearmor.io/hostnamereg': '' }, 'is empty: it matches no node'],
  ])('nodes(%j)', (labels, message) => {
    expect(() => PolicyTarget.nodes(labels)).toThrow(message);
    expect(cliMessages(hsp(labels)).join('\n')).toContain(message);
    expect(() => PolicyImport.fromYaml(setup().chart, hsp(labels))).toThrow(message);
  });

  test('valid special values pass', () => {
    expect(() => PolicyTarget.nodes({ 'kubearmor.io/hostname': '*' })).not.toThrow();
    expect(() => PolicyTarget.nodes({ 'kubearmor.io/hostnamereg': 'worker-[0-9]+' })).not.toThrow();
    expect(() => PolicyTarget.podLabels({ 'app': 'web', 'kubearmor.io/container.name': '[web, sidecar]' })).not.toThrow();
    // '[]' means every container, as KubeArmor reads it (and as no key does).
    expect(() => PolicyTarget.podLabels({ 'app': 'web', 'kubearmor.io/container.name': '[]' })).not.toThrow();
  });
});

describe('matchPatterns AppArmor or Go\'s filepath.Match cannot parse are refused', () => {
  test.each([
    ['/etc/{a,b', 'has an unclosed alternation \'{\': apparmor_parser refuses it and the container\'s whole AppArmor profile fails to load'],
    ['/etc/[a-z', 'has an unclosed character class \'[\''],
    ['/etc/[]x]', 'is refused by Go\'s filepath.Match'],
    ['/etc/[a-]', 'is refused by Go\'s filepath.Match'],
  ])('%s', (pattern, message) => {
    const { chart, web } = setup();
    const p = new SecurityPolicy(chart, 'p', { target: PolicyTarget.workload(web), severity: 5 });
    expect(() => p.addFilePattern(pattern)).toThrow(message);
    expect(cliMessages(ksp(`{severity: 5, selector: {matchLabels: {app: web}}, file: {matchPatterns: [{pattern: '${pattern}'}]}}`)).join('\n')).toContain(message);
  });
});

describe('KA003 untracked-namespace is acknowledgeable in the CLI, the plugin and import', () => {
  const spec = `{severity: 5, selector: {matchLabels: {app: web}}, ${FILE}}`;
  test('CLI: a lint error, not a schema refusal; the annotation acknowledges it', () => {
    expect(cli(ksp(spec, { namespace: 'kube-system' }))).toEqual(['KA003']);
    expect(cli(ksp(spec, { namespace: 'kube-system', annotations: `{${ACK}KA003: our KubeArmor tracks kube-system (untrackedNs changed)}` }))).toEqual(['KA003 (acknowledged)']);
  });

  test('import: imported with its acknowledgement; the fix names APIs that exist', () => {
    const app = new App();
    const chart = new Chart(app, 'sys');
    PolicyImport.fromYaml(chart, ksp(spec, { namespace: 'kube-system', annotations: `{${ACK}KA003: our KubeArmor tracks kube-system}` }));
    const f = PolicyLint.findings(chart).find((x) => x.ruleId === 'KA003')!;
    expect(f.acknowledgement).toBe('our KubeArmor tracks kube-system');
    expect(f.fix).toContain('PolicyLint.acknowledge');
    expect(typeof PolicyLint.acknowledge).toBe('function');
  });
});

describe('KA001 names the near container name', () => {
  test('constructs: inContainers([\'wbe\'])', () => {
    const { chart, web } = setup();
    new SecurityPolicy(chart, 'p', { target: PolicyTarget.workload(web).inContainers(['wbe']), severity: 5, filePaths: [{ path: '/etc/passwd' }] });
    const [f] = PolicyLint.findings(chart);
    expect(f.ruleId).toBe('KA001');
    expect(f.message).toContain("its labels select shop/web, whose containers are web, but kubearmor.io/container.name lists 'wbe' (did you mean 'web'?)");
  });

  test('CLI', () => {
    const spec = `{severity: 5, selector: {matchLabels: {app: web, kubearmor.io/container.name: '[wbe]'}}, ${FILE}}`;
    expect(cliMessages(deploymentYaml(), ksp(spec))[0]).toContain("whose containers are web, but kubearmor.io/container.name lists 'wbe' (did you mean 'web'?)");
  });
});
