process.env.CDK8S_KUBEARMOR_QUIET = '1';
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import {
  ComplianceControl, FileIntegrityPolicy, FileIntegrityPreset, PolicyAction, PolicyTarget,
} from '../src';
import { expectConformant, kubeArmorObjects } from './conformance/harness';
import { SEED_DIRECTORIES, SEED_MESSAGE, seedPolicy } from './fixtures/seed';
import { modelOf } from '../src/private/policy-model';

function mysqlChart(app: App = Testing.app(), namespace = 'wordpress-mysql'): { chart: Chart; mysql: kplus.Deployment } {
  const chart = new Chart(app, 'wordpress', { namespace });
  const mysql = new kplus.Deployment(chart, 'mysql', { select: false, containers: [{ image: 'mysql:5.6', portNumber: 3306 }] });
  mysql.podMetadata.addLabel('app', 'mysql');
  mysql.select(kplus.LabelSelector.of({ labels: { app: 'mysql' } }));
  return { chart, mysql };
}

function policies(chart: Chart): any[] {
  const objs = kubeArmorObjects(Testing.synth(chart));
  expectConformant(objs);
  return objs;
}

function byName(objs: any[], name: string): any {
  const o = objs.find((x) => x.metadata.name === name);
  if (!o) throw new Error(`no object ${name} in ${objs.map((x) => x.metadata.name).join(', ')}`);
  return o;
}

const sortedDirs = (o: any) => [...o.spec.file.matchDirectories].sort((a: any, b: any) => (a.dir < b.dir ? -1 : 1));

describe('FileIntegrityPolicy defaults', () => {
  test('protects at least the seed directories read-only and recursively with Block', () => {
    const { chart, mysql } = mysqlChart();
    const fim = new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.workload(mysql) });
    const [p] = policies(chart);
    expect(p.kind).toBe('KubeArmorPolicy');
    expect(p.metadata).toEqual({ name: fim.policyName, namespace: 'wordpress-mysql' });
    expect(p.spec.action).toBe('Block');
    expect(p.spec.severity).toBe(5);
    expect(p.spec.message).toBe('Detected an attempt to modify a file-integrity-protected path');
    expect(p.spec.selector).toEqual({ matchLabels: { app: 'mysql' } });
    for (const dir of SEED_DIRECTORIES) expect(p.spec.file.matchDirectories).toContainEqual({ dir, readOnly: true, recursive: true });
    expect(p.spec.file.matchDirectories.every((r: any) => r.readOnly === true && r.recursive === true)).toBe(true);
    expect(fim.action).toBe(PolicyAction.BLOCK);
    expect(fim.presets).toEqual(FileIntegrityPreset.defaults());
  });

  test('the generated name derives from the construct path', () => {
    const { chart, mysql } = mysqlChart();
    const fim = new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.workload(mysql) });
    expect(fim.policyName).toMatch(/^wordpress-fim-[0-9a-f]{8}$/);
    expect(fim.policy.policyName).toBe(fim.policyName);
  });
});

describe('seed reproduction', () => {
  test('the upstream FIM template preset reproduces the seed policy field for field', () => {
    const { chart, mysql } = mysqlChart();
    new FileIntegrityPolicy(chart, 'fim', {
      target: PolicyTarget.workload(mysql),
      presets: [FileIntegrityPreset.KUBEARMOR_FIM_TEMPLATE],
      severity: 1,
      message: SEED_MESSAGE,
      policyName: 'harden-mysql-file-integrity-monitoring',
    });
    const [p] = policies(chart);
    const seed = seedPolicy();
    // The library sorts rule lists (deterministic output) while the seed lists its six directories in
    // upstream order: compare file.matchDirectories order-insensitively, every other field exactly.
    expect(sortedDirs(p)).toEqual(sortedDirs(seed));
    const strip = (o: any) => ({ ...o, spec: { ...o.spec, file: { ...o.spec.file, matchDirectories: undefined } } });
    expect(strip(p)).toEqual(strip(seed));
    // Tags are not a rule list: their order is exact.
    expect(p.spec.tags).toEqual(seed.spec.tags);
  });

  test('the same tags come from controls alone, in any order', () => {
    const { chart, mysql } = mysqlChart();
    new FileIntegrityPolicy(chart, 'fim', {
      target: PolicyTarget.workload(mysql),
      presets: [],
      directories: [...SEED_DIRECTORIES].reverse(),
      controls: [ComplianceControl.MITRE_T1565, ComplianceControl.NIST_SI_4, ComplianceControl.MITRE_T1036, ComplianceControl.NIST_AU_2],
      severity: 1,
      message: SEED_MESSAGE,
      policyName: 'harden-mysql-file-integrity-monitoring',
    });
    const [p] = policies(chart);
    const seed = seedPolicy();
    expect(sortedDirs(p)).toEqual(sortedDirs(seed));
    expect(p.spec.tags).toEqual(seed.spec.tags);
  });
});

describe('one definition, every scope', () => {
  const define = (chart: Chart, id: string, target: PolicyTarget) => new FileIntegrityPolicy(chart, id, {
    target, presets: [FileIntegrityPreset.SYSTEM_BINARIES, FileIntegrityPreset.CREDENTIALS], controls: [ComplianceControl.PCI_DSS_11_5_2],
  });

  test('workload, namespace, namespaces, all namespaces and nodes all synthesise conformant objects', () => {
    const { chart, mysql } = mysqlChart();
    const fims = [
      define(chart, 'workload', PolicyTarget.workload(mysql)),
      define(chart, 'namespace', PolicyTarget.namespace()),
      define(chart, 'some-namespaces', PolicyTarget.namespaces(['shop', 'wordpress-mysql'])),
      define(chart, 'cluster', PolicyTarget.allNamespaces({ except: ['monitoring'] })),
      define(chart, 'nodes', PolicyTarget.nodes({ 'kubernetes.io/os': 'linux' })),
    ];
    const objs = policies(chart);
    const get = (f: FileIntegrityPolicy) => byName(objs, f.policyName);
    expect(fims.map((f) => get(f).kind)).toEqual(['KubeArmorPolicy', 'KubeArmorPolicy', 'KubeArmorClusterPolicy', 'KubeArmorClusterPolicy', 'KubeArmorHostPolicy']);
    expect(get(fims[0]).spec.selector).toEqual({ matchLabels: { app: 'mysql' } });
    expect(get(fims[1]).metadata.namespace).toBe('wordpress-mysql');
    expect(get(fims[1]).spec.selector).toBeUndefined();
    expect(get(fims[2]).spec.selector).toEqual({ matchExpressions: [{ key: 'namespace', operator: 'In', values: ['shop', 'wordpress-mysql'] }] });
    expect(get(fims[3]).spec.selector).toEqual({ matchExpressions: [{ key: 'namespace', operator: 'NotIn', values: ['monitoring'] }] });
    expect(get(fims[4]).spec.nodeSelector).toEqual({ matchLabels: { 'kubernetes.io/os': 'linux' } });
    for (const f of fims.slice(2)) expect(get(f).metadata.namespace).toBeUndefined();
    // The rules, tags, action, severity and message are identical whatever the scope.
    const body = (o: any) => ({ file: o.spec.file, tags: o.spec.tags, action: o.spec.action, severity: o.spec.severity, message: o.spec.message });
    for (const f of fims.slice(1)) expect(body(get(f))).toEqual(body(get(fims[0])));
  });
});

describe('staged rollout', () => {
  function twoPolicies(app: App = Testing.app()) {
    const { chart, mysql } = mysqlChart(app);
    const a = new FileIntegrityPolicy(chart, 'a', { target: PolicyTarget.workload(mysql) });
    const b = new FileIntegrityPolicy(chart, 'b', { target: PolicyTarget.namespace(), presets: [FileIntegrityPreset.CRON] });
    return { app, chart, mysql, a, b };
  }

  test('one switch, set after the policies exist, flips every FIM policy under a chart to Audit', () => {
    const { chart, a, b } = twoPolicies();
    FileIntegrityPolicy.setRolloutAction(chart, PolicyAction.AUDIT);
    const objs = policies(chart);
    expect([byName(objs, a.policyName).spec.action, byName(objs, b.policyName).spec.action]).toEqual(['Audit', 'Audit']);
    expect(a.action).toBe(PolicyAction.AUDIT);
    expect(modelOf(a.policy)!.specAction()).toEqual({ action: 'Audit', by: 'rollout', origin: 'staged rollout set on wordpress' });
  });

  test('a construct-level action beats the switch', () => {
    const { chart, mysql } = mysqlChart();
    const pinned = new FileIntegrityPolicy(chart, 'pinned', { target: PolicyTarget.workload(mysql), action: PolicyAction.BLOCK });
    const staged = new FileIntegrityPolicy(chart, 'staged', { target: PolicyTarget.workload(mysql), presets: [FileIntegrityPreset.CRON] });
    FileIntegrityPolicy.setRolloutAction(chart, PolicyAction.AUDIT);
    const objs = policies(chart);
    expect(byName(objs, pinned.policyName).spec.action).toBe('Block');
    expect(byName(objs, staged.policyName).spec.action).toBe('Audit');
  });

  test('the nearest scope wins, and only its subtree switches', () => {
    const app = Testing.app();
    const { chart: c1, a } = twoPolicies(app);
    const c2 = new Chart(app, 'other', { namespace: 'other' });
    const other = new FileIntegrityPolicy(c2, 'fim', { target: PolicyTarget.namespace() });
    FileIntegrityPolicy.setRolloutAction(app, PolicyAction.AUDIT);
    FileIntegrityPolicy.setRolloutAction(c1, PolicyAction.BLOCK);
    expect(a.action).toBe(PolicyAction.BLOCK);
    expect(other.action).toBe(PolicyAction.AUDIT);
    expect(byName(policies(c2), other.policyName).spec.action).toBe('Audit');
  });

  test('the cdk8s-kubearmor:fim-action context switches the app; setRolloutAction beats it', () => {
    const app = Testing.app();
    app.node.setContext(FileIntegrityPolicy.ROLLOUT_CONTEXT_KEY, 'audit');
    const { chart, a, b } = twoPolicies(app);
    expect(FileIntegrityPolicy.ROLLOUT_CONTEXT_KEY).toBe('cdk8s-kubearmor:fim-action');
    expect(a.action).toBe(PolicyAction.AUDIT);
    expect(modelOf(a.policy)!.specAction()?.origin).toBe('context cdk8s-kubearmor:fim-action');
    FileIntegrityPolicy.setRolloutAction(b, PolicyAction.BLOCK);
    const objs = policies(chart);
    expect(byName(objs, a.policyName).spec.action).toBe('Audit');
    expect(byName(objs, b.policyName).spec.action).toBe('Block');
  });

  test('fails when the switch is Allow, explaining the allow-list flip and the default posture', () => {
    const { chart } = twoPolicies();
    expect(() => FileIntegrityPolicy.setRolloutAction(chart, PolicyAction.ALLOW)).toThrow(
      "FileIntegrityPolicy.setRolloutAction(wordpress): action 'Allow' is not accepted by a FileIntegrityPolicy: one Allow rule flips every selected pod into allow-list mode, where every access no Allow rule names is decided by the default posture (audit unless the namespace annotation kubearmor-file-posture says block), so the policy would stop protecting and start allow-listing; use PolicyAction.BLOCK to prevent changes or PolicyAction.AUDIT to only alert (for an allow-list, write a SecurityPolicy deliberately)");
  });

  test('fails when the context says Allow (at the construct)', () => {
    const app = Testing.app();
    app.node.setContext('cdk8s-kubearmor:fim-action', 'Allow');
    expect(() => mysqlChart(app).chart && new FileIntegrityPolicy(app.node.findChild('wordpress') as Chart, 'fim', { target: PolicyTarget.namespace() })).toThrow(
      "wordpress/fim: context cdk8s-kubearmor:fim-action 'Allow' is not accepted by a FileIntegrityPolicy: one Allow rule flips every selected pod into allow-list mode, where every access no Allow rule names is decided by the default posture (audit unless the namespace annotation kubearmor-file-posture says block), so the policy would stop protecting and start allow-listing; use PolicyAction.BLOCK to prevent changes or PolicyAction.AUDIT to only alert (for an allow-list, write a SecurityPolicy deliberately)");
  });

  test('fails when the context holds something other than Audit or Block (at the construct)', () => {
    const app = Testing.app();
    app.node.setContext('cdk8s-kubearmor:fim-action', 'enforce');
    expect(() => twoPolicies(app)).toThrow(
      "wordpress/a: context cdk8s-kubearmor:fim-action 'enforce' is not an action; set it to 'Audit' or 'Block'");
  });
});

describe('overlaps collapse', () => {
  test('items covered by a recursive ancestor with the same flags, and duplicates, are not emitted', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'ns' });
    const fim = new FileIntegrityPolicy(chart, 'fim', {
      target: PolicyTarget.namespace(),
      presets: [FileIntegrityPreset.CREDENTIALS, FileIntegrityPreset.TRUST_STORES],
      directories: ['/etc/', '/etc/', '/opt/app/'],
      paths: ['/opt/app/config.yaml', '/srv/data.db', '/srv/data.db'],
    });
    fim.addDirectory('/opt/app/plugins/', { recursive: false });
    fim.addDirectory('/srv/', { recursive: false });
    fim.addPath('/srv/sub/file');
    fim.addDirectory('/opt/app/', { recursive: false });
    expect(fim.protectedDirectories).toEqual([
      { dir: '/etc/', readOnly: true, recursive: true },
      { dir: '/opt/app/', readOnly: true, recursive: true },
      { dir: '/root/.ssh/', readOnly: true, recursive: true },
      { dir: '/srv/', readOnly: true, recursive: false },
      { dir: '/usr/local/share/ca-certificates/', readOnly: true, recursive: true },
      { dir: '/usr/share/ca-certificates/', readOnly: true, recursive: true },
    ]);
    // /srv/data.db is a direct child of the non-recursive /srv/ (covered); /srv/sub/file is not.
    expect(fim.protectedPaths).toEqual([{ path: '/srv/sub/file', readOnly: true }]);
    const [p] = policies(chart);
    expect(p.spec.file.matchDirectories).toEqual([
      { dir: '/etc/', readOnly: true, recursive: true },
      { dir: '/opt/app/', readOnly: true, recursive: true },
      { dir: '/root/.ssh/', readOnly: true, recursive: true },
      { dir: '/srv/', readOnly: true },
      { dir: '/usr/local/share/ca-certificates/', readOnly: true, recursive: true },
      { dir: '/usr/share/ca-certificates/', readOnly: true, recursive: true },
    ]);
    expect(p.spec.file.matchPaths).toEqual([{ path: '/srv/sub/file', readOnly: true }]);
  });

  test('items with different flags do not collapse', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'ns' });
    const fim = new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.namespace(), presets: [FileIntegrityPreset.SYSTEM_CONFIGURATION] });
    fim.addDirectory('/etc/ssl/private/', { readOnly: false });
    fim.addPath('/etc/app/key.pem', { readOnly: false });
    const [p] = policies(chart);
    expect(p.spec.file.matchDirectories).toEqual([{ dir: '/etc/', readOnly: true, recursive: true }, { dir: '/etc/ssl/private/', recursive: true }]);
    expect(p.spec.file.matchPaths).toEqual([{ path: '/etc/app/key.pem' }]);
  });

  test('output is the same whatever order items were added in', () => {
    const render = (order: number[]) => {
      const chart = new Chart(Testing.app(), 'c', { namespace: 'ns' });
      const fim = new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.namespace(), presets: [], policyName: 'p' });
      const steps = [
        () => fim.addPreset(FileIntegrityPreset.CRON),
        () => fim.addDirectory('/etc/'),
        () => fim.addPath('/opt/x'),
        () => fim.addControls([ComplianceControl.NIST_AU_9]),
        () => fim.addPreset(FileIntegrityPreset.BOOT),
      ];
      for (const i of order) steps[i]();
      return Testing.synth(chart);
    };
    expect(render([4, 3, 2, 1, 0])).toEqual(render([0, 1, 2, 3, 4]));
    expect(render([2, 0, 4, 1, 3])).toEqual(render([0, 1, 2, 3, 4]));
  });
});

describe('builder and getters', () => {
  test('builder methods after construction; getters are copies', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'ns' });
    const fim = new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.namespace(), presets: [], tags: ['team-payments'] });
    fim.addPreset(FileIntegrityPreset.BOOT);
    fim.addPreset(FileIntegrityPreset.BOOT);
    fim.addControls([ComplianceControl.PCI_DSS_11_5_2]);
    fim.addTags(['tier-1', 'team-payments']);
    expect(fim.presets).toEqual([FileIntegrityPreset.BOOT]);
    fim.presets.push(FileIntegrityPreset.CRON);
    fim.protectedDirectories.push({ dir: '/x/' });
    expect(fim.presets).toEqual([FileIntegrityPreset.BOOT]);
    expect(fim.protectedDirectories).toEqual([{ dir: '/boot/', readOnly: true, recursive: true }]);
    expect(fim.tags.slice(-2)).toEqual(['team-payments', 'tier-1']);
    const [p] = policies(chart);
    expect(p.spec.tags).toEqual(fim.tags);
    expect(fim.policy.fileDirectories).toEqual([{ dir: '/boot/', readOnly: true, recursive: true }]);
  });

  test('Audit renders Audit with the same read-only rules', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'ns' });
    new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.namespace(), action: PolicyAction.AUDIT, presets: [FileIntegrityPreset.BOOT] });
    const [p] = policies(chart);
    expect(p.spec.action).toBe('Audit');
    expect(p.spec.file.matchDirectories).toEqual([{ dir: '/boot/', readOnly: true, recursive: true }]);
  });
});

describe('validation', () => {
  const chartOf = () => new Chart(Testing.app(), 'c', { namespace: 'ns' });
  const make = (props: any, chart = chartOf()) => new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.namespace(), ...props });

  test('fails when target is missing', () => {
    expect(() => make({ target: undefined })).toThrow(
      'c/fim: target undefined is required; use PolicyTarget.workload(deployment), .namespace(), .allNamespaces() or .nodes({...})');
  });

  test('fails when action is Allow, explaining the allow-list flip and the default posture', () => {
    expect(() => make({ action: PolicyAction.ALLOW })).toThrow(
      "c/fim: action 'Allow' is not accepted by a FileIntegrityPolicy: one Allow rule flips every selected pod into allow-list mode, where every access no Allow rule names is decided by the default posture (audit unless the namespace annotation kubearmor-file-posture says block), so the policy would stop protecting and start allow-listing; use PolicyAction.BLOCK to prevent changes or PolicyAction.AUDIT to only alert (for an allow-list, write a SecurityPolicy deliberately)");
  });

  test('fails when action is not a PolicyAction', () => {
    expect(() => make({ action: 'block' })).toThrow("c/fim: action 'block' is not a KubeArmor action; use 'Block' (the CRD is case-sensitive)");
  });

  test('fails when severity is out of range', () => {
    expect(() => make({ severity: 11 })).toThrow('c/fim: severity 11 must be an integer from 1 to 10; use 10 (the most severe)');
    expect(() => make({ severity: 0 })).toThrow('c/fim: severity 0 must be an integer from 1 to 10; use 1 (least) to 10 (most severe)');
  });

  test('fails when message is empty', () => {
    expect(() => make({ message: ' ' })).toThrow("c/fim: message ' ' must be a non-empty string; describe what the alert means");
  });

  test('fails when a tag contains a comma', () => {
    expect(() => make({ tags: ['a,b'] })).toThrow("c/fim: tags[0] 'a,b' contains a comma (KubeArmor joins tags with commas in alerts); split it into 'a', 'b'");
  });

  test('fails when policyName is not a DNS-1123 name', () => {
    expect(() => make({ policyName: 'Harden_MySQL' })).toThrow(
      "c/fim: policyName 'Harden_MySQL' is not a DNS-1123 name (lowercase letters, digits, '-' and '.', starting and ending alphanumeric, at most 253 characters); use 'harden-mysql'");
  });

  test('fails when a directory is relative', () => {
    expect(() => make({ directories: ['var/lib/app'] })).toThrow("c/fim: directories[] 'var/lib/app' must be absolute and end in '/'; use '/var/lib/app/'");
  });

  test('fails when a directory does not end in /', () => {
    const fim = make({});
    expect(() => fim.addDirectory('/opt/app')).toThrow("c/fim: dir '/opt/app' must end in '/' (a directory); use '/opt/app/', or a file rule (matchPaths) for a single file");
  });

  test('fails when a path ends in /', () => {
    expect(() => make({ paths: ['/etc/app/'] })).toThrow(
      "c/fim: paths[] '/etc/app/' must not end in '/' (a file path); use a directory rule (matchDirectories) with dir '/etc/app/', or the file path '/etc/app'");
  });

  test('fails when a path contains glob characters', () => {
    const fim = make({});
    expect(() => fim.addPath('/home/*/.ssh/authorized_keys')).toThrow(
      "c/fim: path '/home/*/.ssh/authorized_keys' contains glob characters (BPF-LSM matches them literally, AppArmor expands them: the enforcers disagree); use a pattern rule (matchPatterns, AppArmor only) or list the concrete paths / a recursive directory");
  });

  test('fails when a directory is longer than 200 characters', () => {
    const dir = `/${'a'.repeat(200)}/`;
    expect(() => make({ directories: [dir] })).toThrow(
      `c/fim: directories[] '${dir.slice(0, 60)}…' (202 characters) is 202 characters long (KubeArmor's limit is 200: BPF-LSM map keys are 200 bytes); protect a shorter ancestor directory instead`);
  });

  test('fails when the same item is protected with different readOnly flags', () => {
    const fim = make({ presets: [FileIntegrityPreset.SYSTEM_CONFIGURATION] });
    expect(() => fim.addDirectory('/etc/', { readOnly: false })).toThrow(
      "c/fim: dir '/etc/' with readOnly false conflicts with the same item protected with readOnly true (preset SYSTEM_CONFIGURATION); AppArmor keeps the first of two rules for one path and BPF-LSM the last, so the enforcers would disagree; protect it with one readOnly setting, or put the other in a second policy");
    fim.addPath('/srv/key', { readOnly: false });
    expect(() => fim.addPath('/srv/key')).toThrow(
      "c/fim: path '/srv/key' with readOnly true conflicts with the same item protected with readOnly false (path '/srv/key')");
  });

  test('fails when the namespace is untracked by KubeArmor', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'kube-system' });
    expect(() => new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.namespace() })).toThrow(
      "c/fim: target 'kube-system' is untracked by KubeArmor: policies there are never enforced (\"Policy cannot be enforced in untracked namespace\"); protect workloads in another namespace, or remove the namespace from KubeArmor's untrackedNs setting first");
  });

  test('fails when a preset is not a FileIntegrityPreset', () => {
    expect(() => make({ presets: ['SYSTEM_BINARIES'] })).toThrow(
      "c/fim: presets[] 'SYSTEM_BINARIES' is not a FileIntegrityPreset; use a constant such as FileIntegrityPreset.SYSTEM_BINARIES or FileIntegrityPreset.custom({...})");
  });

  test('fails when a control is not a ComplianceControl', () => {
    expect(() => make({ controls: ['NIST_800-53_SI-4'] })).toThrow(
      "c/fim: controls[] 'NIST_800-53_SI-4' is not a ComplianceControl; use a constant such as ComplianceControl.NIST_SI_7 or ComplianceControl.custom(...)");
  });

  test('fails at synth when it protects nothing', () => {
    const chart = chartOf();
    make({ presets: [] }, chart);
    expect(() => Testing.synth(chart)).toThrow('[c/fim] protects nothing (presets [] and no directories or paths); add a preset such as FileIntegrityPreset.SYSTEM_BINARIES, or addDirectory()/addPath()');
  });

  test('fails when items are added after synthesis', () => {
    const chart = chartOf();
    const fim = make({}, chart);
    Testing.synth(chart);
    expect(() => fim.addPath('/etc/late')).toThrow(
      "c/fim: addPath '/etc/late' came after the policy was synthesised (its rules are already rendered); make every change before synth");
    expect(Testing.synth(chart)).toEqual(Testing.synth(chart));
  });
});

describe('property: every configuration throws a library error at the call or synthesises a conformant object', () => {
  const segment = fc.constantFrom('etc', 'usr', 'bin', 'opt', 'app', 'var', 'lib', 'x y', 'a*b', '', 'ü', 'lib64');
  const rawPath = fc.tuple(fc.boolean(), fc.array(segment, { minLength: 0, maxLength: 4 }), fc.boolean())
    .map(([abs, segs, slash]) => `${abs ? '/' : ''}${segs.join('/')}${slash ? '/' : ''}`);
  const action = fc.constantFrom<PolicyAction | undefined>(undefined, PolicyAction.AUDIT, PolicyAction.BLOCK, PolicyAction.ALLOW);
  const targetKind = fc.constantFrom<'workload' | 'labels' | 'namespace' | 'namespaces' | 'all' | 'nodes'>('workload', 'labels', 'namespace', 'namespaces', 'all', 'nodes');
  const presetPick = fc.option(fc.subarray(FileIntegrityPreset.all()), { nil: undefined });
  const rollout = fc.constantFrom<PolicyAction | undefined>(undefined, PolicyAction.AUDIT, PolicyAction.BLOCK);

  test('random presets, directories, paths, actions, targets and rollout switches', () => {
    fc.assert(fc.property(presetPick, fc.array(rawPath, { maxLength: 4 }), fc.array(rawPath, { maxLength: 4 }), action, targetKind,
      fc.option(fc.integer({ min: -1, max: 12 }), { nil: undefined }), rollout, fc.array(fc.boolean(), { maxLength: 4 }),
      (presets, dirs, paths, act, kind, severity, stage, recursiveFlags) => {
        const { chart, mysql } = mysqlChart();
        const target = {
          workload: () => PolicyTarget.workload(mysql),
          labels: () => PolicyTarget.podLabels({ app: 'mysql' }),
          namespace: () => PolicyTarget.namespace(),
          namespaces: () => PolicyTarget.namespaces(['a', 'b']),
          all: () => PolicyTarget.allNamespaces(),
          nodes: () => PolicyTarget.nodes({ role: 'db' }),
        }[kind]();
        let fim: FileIntegrityPolicy;
        try {
          fim = new FileIntegrityPolicy(chart, 'fim', { target, presets, action: act, severity });
          dirs.forEach((d, i) => fim.addDirectory(d, { recursive: recursiveFlags[i] ?? true }));
          paths.forEach((p) => fim.addPath(p));
        } catch (e) {
          // A library error: thrown at the call, naming the construct path, never a TypeError.
          expect(e).not.toBeInstanceOf(TypeError);
          expect((e as Error).message).toMatch(/^wordpress\/fim: \S+ /);
          return;
        }
        if (stage) FileIntegrityPolicy.setRolloutAction(chart, stage);
        const empty = fim.protectedDirectories.length + fim.protectedPaths.length === 0;
        if (empty) {
          expect(() => Testing.synth(chart)).toThrow('[wordpress/fim] protects nothing');
          return;
        }
        const objs = policies(chart);
        expect(objs).toHaveLength(1);
        expect(objs[0].spec.action).toBe(act ?? stage ?? 'Block');
        const expected = fim.protectedDirectories.map((d) => ({ dir: d.dir, readOnly: true, ...(d.recursive ? { recursive: true } : {}) }));
        expect(objs[0].spec.file.matchDirectories ?? []).toEqual(expected);
      }), { numRuns: 150 });
  });
});

describe('controls and tags read before a change', () => {
  test('every change after a read shows in the next read and in the emitted tags (nothing stale)', () => {
    const { chart, mysql } = mysqlChart();
    const fim = new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.workload(mysql), presets: [] });
    fim.addPath('/etc/app.conf');
    expect(fim.controls).toEqual([]);
    expect(fim.tags).toEqual([]);
    fim.addControls([ComplianceControl.NIST_SI_7]);
    expect(fim.controls).toEqual([ComplianceControl.NIST_SI_7]);
    const afterControl = fim.tags;
    expect(afterControl).toContain(ComplianceControl.NIST_SI_7.tag);
    fim.addTags(['free']);
    expect(fim.tags).toEqual([...afterControl, 'free']);
    fim.addPreset(FileIntegrityPreset.SYSTEM_BINARIES);
    expect(fim.controls).toEqual(ComplianceControl._canonical([...FileIntegrityPreset.SYSTEM_BINARIES.controls, ComplianceControl.NIST_SI_7]));
    const tags = fim.tags;
    // the getters hand out copies: mutating one changes nothing
    fim.tags.push('mutated');
    fim.controls.pop();
    expect(fim.tags).toEqual(tags);
    expect(byName(policies(chart), fim.policyName).spec.tags).toEqual(tags);
  });
});
