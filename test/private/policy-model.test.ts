import { Chart, Testing } from 'cdk8s';
import { FileIntegrityPolicy, FileIntegrityPreset, PolicyAction, PolicyImport, PolicyLint, PolicySection, PolicyTarget, SecurityPolicy } from '../../src';
import { effectivePolicy } from '../../src/private/effective';
import { modelOf } from '../../src/private/policy-model';
import { expectConformant } from '../conformance/harness';

function chartOf(): Chart {
  return new Chart(Testing.app(), 'c', { namespace: 'shop' });
}

const target = () => PolicyTarget.podLabels({ app: 'web' });

/** The effective policy of a construct, as the lints and the report read it (model provenance included). */
function effectiveOf(p: SecurityPolicy) {
  const manifest = p.apiObject.toJson();
  expectConformant([manifest]);
  return effectivePolicy(manifest, modelOf(p)!.provenance())!;
}

describe('every construct freezes the same way after synth', () => {
  const late: Array<[string, (p: SecurityPolicy) => void, string]> = [
    ['addFileDirectory', (p) => p.addFileDirectory('/srv/'), 'addFileDirectory {"dir":"/srv/"}'],
    ['addProcessExecname', (p) => p.addProcessExecname('apt'), 'addProcessExecname {"execname":"apt"}'],
    ['addTags', (p) => p.addTags(['LATE']), 'addTags ["LATE"]'],
    ['configureSection', (p) => p.configureSection(PolicySection.FILE, { action: PolicyAction.AUDIT }), "configureSection 'file'"],
  ];
  test.each(late)('SecurityPolicy.%s after synth is refused, naming the construct', (_name, call, echoed) => {
    const chart = chartOf();
    const p = new SecurityPolicy(chart, 'p', { target: target(), filePaths: [{ path: '/etc/passwd', readOnly: true }] });
    const before = Testing.synth(chart);
    expectConformant(before);
    expect(() => call(p)).toThrow(`c/p: ${echoed} came after the policy was synthesised (its rules are already rendered); make every change before synth`);
    expect(Testing.synth(chart)).toEqual(before);
  });

  test('the policy of a FileIntegrityPolicy refuses late rules like the FileIntegrityPolicy refuses late items', () => {
    const chart = chartOf();
    const fim = new FileIntegrityPolicy(chart, 'fim', { target: target() });
    expectConformant(Testing.synth(chart));
    expect(() => fim.policy.addFileDirectory('/srv/')).toThrow('c/fim/Policy: addFileDirectory {"dir":"/srv/"} came after the policy was synthesised');
    expect(() => fim.addDirectory('/srv/')).toThrow("c/fim: addDirectory '/srv/' came after the policy was synthesised");
  });

  test('changes before synth are kept (rendering for a lint pass does not freeze the app early)', () => {
    const chart = chartOf();
    const p = new SecurityPolicy(chart, 'p', { target: target(), filePaths: [{ path: '/etc/passwd' }] });
    p.addFileDirectory('/srv/', { readOnly: true });
    const out = Testing.synth(chart);
    expectConformant(out);
    expect(out[0].spec.file.matchDirectories).toEqual([{ dir: '/srv/', readOnly: true }]);
  });
});

describe('FileIntegrityPolicy is a provider: its rules live only in the policy it fills', () => {
  test('the policy lists the provided rules before synth, merged with rules added to it directly', () => {
    const chart = chartOf();
    const fim = new FileIntegrityPolicy(chart, 'fim', { target: target(), presets: [FileIntegrityPreset.BOOT] });
    fim.policy.addFileDirectory('/srv/', { readOnly: true, recursive: true });
    fim.addPath('/etc/hosts');
    expect(fim.policy.fileDirectories.map((d) => d.dir)).toEqual(['/boot/', '/srv/']);
    expect(fim.policy.filePaths).toEqual([{ path: '/etc/hosts', readOnly: true }]);
    expect(fim.policy.tags).toEqual(fim.tags);
    expect(fim.policy.action).toBe(PolicyAction.BLOCK);
  });

  test('each effective rule names where it came from and how its action was decided', () => {
    const chart = chartOf();
    const fim = new FileIntegrityPolicy(chart, 'fim', { target: target(), presets: [FileIntegrityPreset.BOOT] });
    fim.addDirectory('/opt/app/');
    fim.policy.addFileDirectory('/srv/', { readOnly: true, recursive: true });
    FileIntegrityPolicy.setRolloutAction(chart, PolicyAction.AUDIT);
    const e = effectiveOf(fim.policy);
    expect(e.rules.map((r) => [r.pointer, r.rule.dir, r.origin, r.action, r.decidedBy.action])).toEqual([
      ['/spec/file/matchDirectories/0', '/boot/', { construct: 'c/fim', via: 'preset BOOT' }, 'Audit', 'rollout'],
      ['/spec/file/matchDirectories/1', '/opt/app/', { construct: 'c/fim', via: "dir '/opt/app/'" }, 'Audit', 'rollout'],
      ['/spec/file/matchDirectories/2', '/srv/', { construct: 'c/fim/Policy', via: 'addFileDirectory' }, 'Audit', 'rollout'],
    ]);
    expect(e.specActionDecision).toEqual({ action: 'Audit', by: 'rollout', origin: 'staged rollout set on c' });
  });

  test('the default action of the construct is a default decision, a construct action is explicit', () => {
    const chart = chartOf();
    const a = new FileIntegrityPolicy(chart, 'a', { target: target(), presets: [FileIntegrityPreset.BOOT] });
    const b = new SecurityPolicy(chart, 'b', { target: target(), action: PolicyAction.AUDIT, filePaths: [{ path: '/etc/passwd' }] });
    const c = new SecurityPolicy(chart, 'd', { target: target(), filePaths: [{ path: '/etc/passwd' }] });
    expect(effectiveOf(a.policy).rules[0].decidedBy.action).toBe('default');
    expect(effectiveOf(a.policy).specActionDecision?.origin).toBe('default');
    expect(effectiveOf(b).rules[0].decidedBy.action).toBe('spec');
    expect(effectiveOf(c).rules[0].decidedBy.action).toBe('default');
    expect(effectiveOf(c).specActionDecision).toBeUndefined();
  });
});

describe('imported rules carry file, document and line', () => {
  test('PolicyImport locates every rule in its YAML source', () => {
    const chart = chartOf();
    const yaml = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: { name: x }',
      '---',
      'apiVersion: security.kubearmor.com/v1',
      'kind: KubeArmorPolicy',
      'metadata: { name: p, namespace: shop }',
      'spec:',
      '  selector: { matchLabels: { app: web } }',
      '  file:',
      '    matchPaths:',
      '      - path: /etc/shadow',
      '      - path: /etc/passwd',
      '        readOnly: true',
    ].join('\n');
    const [p] = PolicyImport.fromYaml(chart, yaml, { sourceName: 'legacy.yaml' }).policies;
    expect(effectiveOf(p).rules.map((r) => r.origin)).toEqual([
      { construct: 'c/KubeArmorPolicy.shop.p', via: 'fromManifest', file: 'legacy.yaml', document: 2, line: 12 },
      { construct: 'c/KubeArmorPolicy.shop.p', via: 'fromManifest', file: 'legacy.yaml', document: 2, line: 13 },
    ]);
  });
});

describe('lint findings name the origin of the rule they are about', () => {
  test('a construct rule and an imported rule', () => {
    const chart = chartOf();
    new SecurityPolicy(chart, 'p', { target: target(), filePaths: [{ path: '/etc/passwd' }] });
    PolicyImport.fromYaml(chart, [
      'apiVersion: security.kubearmor.com/v1',
      'kind: KubeArmorPolicy',
      'metadata: { name: legacy, namespace: shop }',
      'spec:',
      '  selector: { matchLabels: { app: web } }',
      '  file:',
      '    matchPaths:',
      '      - path: /etc/shadow',
    ].join('\n'), { sourceName: 'legacy.yaml' });
    const missingSeverity = PolicyLint.findings(chart).filter((f) => f.ruleId === 'KA009').map((f) => [f.constructPath, f.jsonPath, f.origin]);
    expect(missingSeverity).toEqual([
      ['c/p', '/spec/file/matchPaths/0', 'c/p (filePaths[0])'],
      ['c/KubeArmorPolicy.shop.legacy', '/spec/file/matchPaths/0', 'legacy.yaml:8 (document 1)'],
    ]);
  });
});
