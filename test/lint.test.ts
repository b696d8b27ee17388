import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { FileIntegrityPolicy, LintSeverity, PolicyAction, PolicyLint, PolicySection, PolicyTarget, SecurityPolicy, SelectorOperator } from '../src';
import { lintManifests } from '../src/private/lints';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

function setup() {
  const app = new App({ outdir: '/tmp/cdk8s-kubearmor-lint-test' });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  // A writable root filesystem, so that KA040 (detection-cannot-fire) stays out of the other rules' cases.
  const web = new kplus.Deployment(chart, 'web', { select: false, containers: [{ image: 'nginx', name: 'web', securityContext: { readOnlyRootFilesystem: false } }] });
  web.podMetadata.addLabel('app', 'web');
  web.select(kplus.LabelSelector.of({ labels: { app: 'web' } }));
  return { app, chart, web };
}

const BOTH_BIN = [{ dir: '/bin/', readOnly: true, recursive: true }, { dir: '/usr/bin/', readOnly: true, recursive: true }];

function ids(scope: any): string[] {
  return PolicyLint.findings(scope).map((f) => f.ruleId);
}

describe('PolicyLint', () => {
  test('a clean FIM policy has no findings', () => {
    const { app, web, chart } = setup();
    new SecurityPolicy(chart, 'fim', { target: PolicyTarget.workload(web), severity: 5, fileDirectories: BOTH_BIN });
    expect(PolicyLint.findings(app)).toEqual([]);
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('the catalogue has stable, unique IDs with a fix each', () => {
    const rules = PolicyLint.rules();
    expect(rules.map((r) => r.id)).toEqual(['KA001', 'KA002', 'KA003', 'KA004', 'KA005', 'KA006', 'KA007', 'KA008', 'KA009', 'KA010', 'KA011', 'KA012', 'KA013', 'KA014', 'KA015', 'KA016', 'KA020', 'KA021', 'KA022', 'KA023', 'KA024', 'KA025', 'KA030', 'KA031', 'KA032', 'KA033', 'KA034', 'KA040', 'KA041', 'KA042', 'KA043', 'KA044', 'KA045']);
    for (const r of rules) {
      expect(r.fix.length).toBeGreaterThan(10);
      expect(r.summary.length).toBeGreaterThan(10);
    }
  });

  test('KA001 warns when a selector matches no workload of the app', () => {
    const { chart } = setup();
    new SecurityPolicy(chart, 'orphan', { policyName: 'orphan', target: PolicyTarget.podLabels({ app: 'db' }), severity: 5, fileDirectories: BOTH_BIN });
    const [f] = PolicyLint.findings(chart);
    expect(f).toMatchObject({ ruleId: 'KA001', ruleName: 'selector-matches-no-workload', severity: LintSeverity.WARNING, constructPath: 'shop/orphan', jsonPath: '/spec/selector' });
    expect(f.message).toBe('KubeArmorPolicy/shop/orphan selects no workload defined in this app (namespace shop, labels {"app":"db"}); the workload may live elsewhere');
  });

  test('KA002 warns on an Allow rule (allow-list flip)', () => {
    const { chart, web } = setup();
    new SecurityPolicy(chart, 'allow', { policyName: 'allow', target: PolicyTarget.workload(web), severity: 5, action: PolicyAction.ALLOW, filePaths: [{ path: '/app/config.yaml', readOnly: true }] });
    const f = PolicyLint.findings(chart).find((x) => x.ruleId === 'KA002')!;
    expect(f.message).toBe('file.matchPaths /app/config.yaml (action=Allow, readOnly=true) makes every pod selected by KubeArmorPolicy/shop/allow allow-list only for files and processes; everything not allowed follows the default posture');
    expect(f.jsonPath).toBe('/spec/file/matchPaths/0');
  });

  test('KA003 fails on a cluster policy selecting an untracked namespace', () => {
    const m = {
      apiVersion: 'security.kubearmor.com/v1',
      kind: 'KubeArmorClusterPolicy',
      metadata: { name: 'sys' },
      spec: { severity: 5, selector: { matchExpressions: [{ key: 'namespace', operator: 'In', values: ['kube-system', 'shop'] }] }, file: { matchDirectories: BOTH_BIN } },
    };
    // PolicyTarget.namespaces refuses kube-system at the call; imported or hand-built manifests are linted.
    expect(() => PolicyTarget.namespaces(['kube-system'])).toThrow(/untracked by KubeArmor/);
    const [f] = lintManifests([m]);
    expect(f).toMatchObject({ id: 'KA003', severity: 'error', jsonPath: '/spec/selector/matchExpressions/0' });
    expect(f.message).toBe('KubeArmorClusterPolicy/sys selects untracked namespace(s) kube-system: KubeArmor will not enforce it there');
  });

  test('KA004 warns when /bin/ is protected but not /usr/bin/', () => {
    const { chart, web } = setup();
    new SecurityPolicy(chart, 'bin', { policyName: 'bin', target: PolicyTarget.workload(web), severity: 5, fileDirectories: [{ dir: '/bin/', readOnly: true, recursive: true }] });
    const [f] = PolicyLint.findings(chart);
    expect(f.ruleId).toBe('KA004');
    expect(f.message).toBe('KubeArmorPolicy/shop/bin protects /bin/ but not /usr/bin/ (file rules); on merged-/usr images one of them is a symlink and enforcement sees the resolved path');
  });

  test('KA005 fails synth on conflicting rules for the same pod, naming both constructs', () => {
    const { app, chart, web } = setup();
    new SecurityPolicy(chart, 'fim', { policyName: 'fim', target: PolicyTarget.workload(web), severity: 5, fileDirectories: BOTH_BIN });
    new SecurityPolicy(chart, 'audit', { policyName: 'audit', target: PolicyTarget.podLabels({ app: 'web' }), severity: 5, action: PolicyAction.AUDIT, fileDirectories: [{ dir: '/usr/bin/', recursive: true }, { dir: '/bin/', readOnly: true, recursive: true }] });
    const conflicts = PolicyLint.findings(app).filter((f) => f.ruleId === 'KA005');
    // one finding per pair of policies and rule, with every place
    expect(conflicts.map((f) => [f.constructPath, f.relatedPaths, f.count, f.jsonPaths])).toEqual([
      ['shop/audit', ['shop/fim'], 2, ['/spec/file/matchDirectories/0', '/spec/file/matchDirectories/1']],
    ]);
    expect(conflicts[0].message).toBe('file.matchDirectories /bin/ (action=Audit, readOnly=true, recursive=true) in KubeArmorPolicy/shop/audit conflicts with '
      + 'file.matchDirectories /bin/ (action=Block, readOnly=true, recursive=true) in KubeArmorPolicy/shop/fim (2 places in this policy; also spec.file.matchDirectories[1])');
    expect(() => app.synthYaml()).toThrow(new Error('Validation failed with the following errors:\n'
      + `  [shop/audit] ERROR KA005 conflicting-rules: ${conflicts[0].message} (also: shop/fim); Make the rules agree, or keep one of them.`));
  });

  test('KA005 every error is listed at once', () => {
    const { app, chart, web } = setup();
    new SecurityPolicy(chart, 'a', { target: PolicyTarget.workload(web), severity: 5, fileDirectories: BOTH_BIN });
    new SecurityPolicy(chart, 'b', { target: PolicyTarget.workload(web), severity: 5, action: PolicyAction.AUDIT, fileDirectories: BOTH_BIN });
    new SecurityPolicy(chart, 'c', { target: PolicyTarget.workload(web), severity: 5, action: PolicyAction.AUDIT, fileDirectories: [{ dir: '/etc/', readOnly: true }] });
    new SecurityPolicy(chart, 'd', { target: PolicyTarget.workload(web), severity: 5, fileDirectories: [{ dir: '/etc/', readOnly: true }] });
    let message = '';
    try {
      app.synthYaml();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.match(/ERROR KA005/g)).toHaveLength(2);
  });

  test('KA015 exact duplicates across policies are not conflicts, but are reported', () => {
    const { app, chart, web } = setup();
    new SecurityPolicy(chart, 'a', { policyName: 'a', target: PolicyTarget.workload(web), severity: 5, fileDirectories: BOTH_BIN });
    new SecurityPolicy(chart, 'b', { policyName: 'b', target: PolicyTarget.workload(web), severity: 7, fileDirectories: BOTH_BIN });
    const findings = PolicyLint.findings(app);
    // one finding per pair of policies, not per path
    expect(findings.map((f) => [f.ruleId, f.severity, f.constructPath, f.relatedPaths, f.count])).toEqual([
      ['KA015', LintSeverity.WARNING, 'shop/b', ['shop/a'], 2],
    ]);
    expect(findings[0].message).toBe('file.matchDirectories /bin/ (action=Block, readOnly=true, recursive=true) in KubeArmorPolicy/shop/b repeats KubeArmorPolicy/shop/a for the same pods '
      + '(2 places in this policy; also spec.file.matchDirectories[1])');
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('the staged rollout (Audit + readOnly) is one KA006 for the policy, with the count and the first places', () => {
    const { chart, web } = setup();
    FileIntegrityPolicy.setRolloutAction(chart, PolicyAction.AUDIT);
    new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.workload(web), severity: 5 });
    const ka006 = PolicyLint.findings(chart).filter((f) => f.ruleId === 'KA006');
    expect(ka006).toHaveLength(1);
    const [f] = ka006;
    expect(f.count).toBeGreaterThan(10);
    expect(f.jsonPaths).toHaveLength(f.count);
    expect(f.jsonPaths[0]).toBe(f.jsonPath);
    expect(new Set(f.jsonPaths).size).toBe(f.count);
    expect(f.jsonPaths.slice(0, 3)).toEqual(['/spec/file/matchDirectories/0', '/spec/file/matchDirectories/1', '/spec/file/matchDirectories/2']); // rule order
    expect(f.message).toMatch(new RegExp(`reads never alert \\(${f.count} places in this policy; also spec\\.file\\.\\w+\\[\\d+\\], spec\\.file\\.\\w+\\[\\d+\\], `
      + `spec\\.file\\.\\w+\\[\\d+\\] and ${f.count - 4} more\\)$`));
  });

  test('KA006 warns on Audit + readOnly (no read alerts)', () => {
    const { chart, web } = setup();
    new SecurityPolicy(chart, 'audit', { policyName: 'audit', target: PolicyTarget.workload(web), severity: 5, action: PolicyAction.AUDIT, filePaths: [{ path: '/etc/passwd', readOnly: true }] });
    const [f] = PolicyLint.findings(chart);
    expect(f.ruleId).toBe('KA006');
    expect(f.message).toBe('file.matchPaths /etc/passwd (action=Audit, readOnly=true) in KubeArmorPolicy/shop/audit alerts on writes, creates and deletes only; reads never alert');
  });

  test('KA007 warns on patterns (not enforced by BPF-LSM)', () => {
    const { chart, web } = setup();
    new SecurityPolicy(chart, 'p', { policyName: 'p', target: PolicyTarget.workload(web), severity: 5, filePatterns: [{ pattern: '/tmp/**' }] });
    // KA034 too: Go's regexp.Compile rejects '**', so KubeArmor's alert matcher skips the pattern.
    expect(ids(chart)).toEqual(['KA007', 'KA034']);
  });

  test('KA008 fails on mixed In/NotIn label expressions (imported YAML)', () => {
    const m = {
      apiVersion: 'security.kubearmor.com/v1',
      kind: 'KubeArmorPolicy',
      metadata: { name: 'x', namespace: 'shop' },
      spec: { severity: 5, selector: { matchExpressions: [{ key: 'label', operator: 'In', values: ['app=a'] }, { key: 'label', operator: 'NotIn', values: ['tier=b'] }] }, process: { matchPaths: [{ path: '/opt/app/run' }] } },
    };
    expect(lintManifests([m]).map((f: any) => f.id)).toEqual(['KA008']);
    // The builder prevents the trap at the call.
    expect(() => PolicyTarget.podLabels({ app: 'a' }).withLabelExpression(SelectorOperator.IN, ['x=y']).withLabelExpression(SelectorOperator.NOT_IN, ['z=w']))
      .toThrow("PolicyTarget.withLabelExpression: operator 'NotIn' cannot be combined with In on labels in one selector (KubeArmor ignores a NotIn after an In, and a leading NotIn decides alone); use two policies");
  });

  test('KA009 warns when no severity is set anywhere', () => {
    const { chart, web } = setup();
    new SecurityPolicy(chart, 's', { policyName: 's', target: PolicyTarget.workload(web), fileDirectories: BOTH_BIN });
    const [f] = PolicyLint.findings(chart);
    expect(f.ruleId).toBe('KA009');
    expect(f.message).toBe('file.matchDirectories /bin/ (action=Block, readOnly=true, recursive=true) in KubeArmorPolicy/shop/s has no severity; its alerts carry Severity "0"');
  });

  test('KA009 honours section severity', () => {
    const { chart, web } = setup();
    new SecurityPolicy(chart, 's', { target: PolicyTarget.workload(web), sections: [{ section: PolicySection.FILE, severity: 4 }], fileDirectories: BOTH_BIN });
    expect(ids(chart)).toEqual([]);
  });

  test('KA010 warns on spec.apparmor', () => {
    const { chart, web } = setup();
    new SecurityPolicy(chart, 'aa', { target: PolicyTarget.workload(web), severity: 5, appArmor: 'deny /etc/shadow r,' });
    expect(ids(chart)).toEqual(['KA010']);
  });

  test('KA011 fails when a cluster policy shares a name with a namespaced policy', () => {
    const { app, chart, web } = setup();
    new SecurityPolicy(chart, 'a', { policyName: 'same', target: PolicyTarget.workload(web), severity: 5, fileDirectories: BOTH_BIN });
    new SecurityPolicy(new Chart(app, 'cluster'), 'b', { policyName: 'same', target: PolicyTarget.namespaces(['shop']), severity: 5, filePaths: [{ path: '/etc/shadow' }] });
    const f = PolicyLint.findings(app).find((x) => x.ruleId === 'KA011')!;
    expect(f.message).toBe('KubeArmorClusterPolicy/same has the same name as KubeArmorPolicy/shop/same');
    expect(f.relatedPaths).toEqual(['shop/a']);
  });

  test('KA012 warns on a non-recursive readOnly directory', () => {
    const { chart, web } = setup();
    new SecurityPolicy(chart, 'n', { policyName: 'n', target: PolicyTarget.workload(web), severity: 5, fileDirectories: [{ dir: '/etc/', readOnly: true }] });
    // KA025 too: AppArmor lets mkdir create a subdirectory of a non-recursive directory, BPF-LSM does not.
    expect(ids(chart)).toEqual(['KA012', 'KA025']);
  });

  test('KA013 fails on "read-only except for writer X" (fromSource Allow under a Block)', () => {
    const { app, chart, web } = setup();
    new SecurityPolicy(chart, 'fim', { policyName: 'fim', target: PolicyTarget.workload(web), severity: 5, fileDirectories: [{ dir: '/usr/lib/', readOnly: true, recursive: true }, { dir: '/lib/', readOnly: true, recursive: true }] });
    new SecurityPolicy(chart, 'dpkg', { policyName: 'dpkg', target: PolicyTarget.workload(web), severity: 5, action: PolicyAction.ALLOW, fileDirectories: [{ dir: '/usr/lib/x86_64-linux-gnu/', recursive: true, fromSource: ['/usr/bin/dpkg'] }] });
    const f = PolicyLint.findings(app).find((x) => x.ruleId === 'KA013')!;
    expect(f.message).toBe('file.matchDirectories /usr/lib/x86_64-linux-gnu/ (action=Allow, recursive=true) from /usr/bin/dpkg in KubeArmorPolicy/shop/dpkg tries to except a source from file.matchDirectories /usr/lib/ (action=Block, readOnly=true, recursive=true) in KubeArmorPolicy/shop/fim; the enforcers disagree and neither does what it says');
    expect(f.fix).toMatch(/own Job or pod/);
    expect(() => app.synthYaml()).toThrow(/KA013/);
  });

  test('KA014 fails when two policies share kind, namespace and name', () => {
    const { app, chart, web } = setup();
    new SecurityPolicy(chart, 'a', { policyName: 'fim', target: PolicyTarget.workload(web), severity: 5, fileDirectories: BOTH_BIN });
    new SecurityPolicy(chart, 'b', { policyName: 'fim', target: PolicyTarget.workload(web), severity: 5, processPaths: [{ execname: 'apt' }] });
    const f = PolicyLint.findings(app).find((x) => x.ruleId === 'KA014')!;
    expect([f.constructPath, f.message, f.relatedPaths]).toEqual(['shop/b', 'KubeArmorPolicy/shop/fim is defined twice', ['shop/a']]);
  });

  test('KA016 warns on a KubeArmorPolicy without namespace (pure function, as the CLI and plugin run it)', () => {
    const [f] = lintManifests([{
      apiVersion: 'security.kubearmor.com/v1',
      kind: 'KubeArmorPolicy',
      metadata: { name: 'web' },
      spec: { severity: 5, selector: { matchLabels: { app: 'web' } }, file: { matchDirectories: BOTH_BIN } },
    }]);
    expect([f.id, f.severity, f.jsonPath]).toEqual(['KA016', 'warning', '/metadata']);
    expect(f.message).toBe('KubeArmorPolicy/web has no namespace: it lands in the namespace it is applied to (kubectl\'s current one, or the GitOps destination) and selects pods of that namespace only');
  });

  test('acknowledging a warning records the reason and emits the annotation', () => {
    const { app, chart, web } = setup();
    const p = new SecurityPolicy(chart, 'n', { policyName: 'n', target: PolicyTarget.workload(web), severity: 5, fileDirectories: [{ dir: '/etc/', readOnly: true }] });
    PolicyLint.acknowledge(p, 'KA012', 'only the top level of /etc is static in this image');
    const [f] = PolicyLint.findings(chart);
    expect(f.acknowledgement).toBe('only the top level of /etc is static in this image');
    const obj = app.charts[0].toJson().find((o: any) => o.kind === 'KubeArmorPolicy');
    expect(obj.metadata.annotations).toEqual({ 'lint.cdk8s-kubearmor.io/acknowledge.KA012': 'only the top level of /etc is static in this image' });
  });

  test('unacknowledged lists what is left: findings minus the acknowledged ones', () => {
    const { chart, web } = setup();
    const p = new SecurityPolicy(chart, 'n', { policyName: 'n', target: PolicyTarget.workload(web), fileDirectories: [{ dir: '/etc/', readOnly: true }] });
    // KA025: the non-recursive readOnly directory lets AppArmor create a subdirectory that BPF-LSM refuses.
    expect(PolicyLint.unacknowledged(chart).map((f) => f.ruleId)).toEqual(['KA009', 'KA012', 'KA025']);
    PolicyLint.acknowledge(p, 'KA012', 'only the top level of /etc is static in this image');
    expect(PolicyLint.findings(chart).map((f) => f.ruleId)).toEqual(['KA009', 'KA012', 'KA025']);
    expect(PolicyLint.unacknowledged(chart).map((f) => [f.ruleId, f.acknowledgement])).toEqual([['KA009', undefined], ['KA025', undefined]]);
  });

  test('acknowledging an error at chart level lets synth pass', () => {
    const { app, chart, web } = setup();
    new SecurityPolicy(chart, 'a', { target: PolicyTarget.workload(web), severity: 5, fileDirectories: BOTH_BIN });
    new SecurityPolicy(chart, 'b', { target: PolicyTarget.workload(web), severity: 5, action: PolicyAction.AUDIT, fileDirectories: BOTH_BIN });
    PolicyLint.acknowledge(chart, 'KA005', 'audit copy kept during the rollout window');
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('fails when an acknowledgement has no reason or an unknown ID', () => {
    const { chart } = setup();
    expect(() => PolicyLint.acknowledge(chart, 'KA012', '')).toThrow("shop: reason '' for acknowledging KA012 is too short; say why the finding is acceptable here (at least 10 characters)");
    expect(() => PolicyLint.acknowledge(chart, 'KA999', 'a good reason')).toThrow("shop: ruleId 'KA999' is not a lint rule; use one of KA001, KA002");
  });
});
