import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { FileIntegrityPolicy, FileIntegrityPreset, PolicyAction, PolicyLint, PolicyTarget, SecurityPolicy } from '../../src';
import { buildContext, LintInput } from '../../src/private/lint-context';
import { LINT_TABLE } from '../../src/private/lint-rules';
import { lintManifests } from '../../src/private/lints';
import { AccessOperation, PolicySimulator, SimulatedEnforcer } from '../../src/simulator';
import { buildBpfMaps } from '../../src/simulator/private/bpf-maps';
import { compilePolicies } from '../../src/simulator/private/compile';
import { expectConformant, kubeArmorObjects } from '../conformance/harness';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

const KSP = (name: string, spec: any) => ({
  apiVersion: 'security.kubearmor.com/v1',
  kind: 'KubeArmorPolicy',
  metadata: { name, namespace: 'shop' },
  spec: { severity: 5, selector: { matchLabels: { app: 'web' } }, ...spec },
});
const WEB = [{ name: 'Deployment/shop/web', namespace: 'shop', labels: { app: 'web' }, containers: ['web'] }];

function check(id: string, manifests: any[], input: LintInput = {}) {
  expectConformant(manifests);
  return LINT_TABLE.find((r) => r.id === id)!.check(buildContext(manifests, input));
}

function app(): { a: App; chart: Chart; web: kplus.Deployment } {
  const a = Testing.app();
  const chart = new Chart(a, 'shop', { namespace: 'shop' });
  // A writable root filesystem: writes reach the LSM (the simulator's kernel step would refuse them first).
  const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx', portNumber: 80, securityContext: { readOnlyRootFilesystem: false } }] });
  return { a, chart, web };
}

/** The verdict of each enforcer for one access by the web workload (the simulator's, as a cross-check). */
function verdicts(a: App, web: kplus.Deployment, operation: AccessOperation, path: string): [boolean, boolean] {
  const sim = PolicySimulator.fromScope(a);
  const at = (enforcer: SimulatedEnforcer) => sim.evaluate({ workload: web, operation, path, enforcer }).permitted;
  return [at(SimulatedEnforcer.APPARMOR), at(SimulatedEnforcer.BPF_LSM)];
}

describe('KA020 enforcer-divergence', () => {
  test('a readOnly directory inside a Block directory: READ denied by AppArmor, permitted by BPF-LSM (constructs)', () => {
    const { chart, web } = app();
    const fim = new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.workload(web), presets: [] });
    fim.addDirectory('/srv/secrets/', { readOnly: false });
    fim.addDirectory('/srv/secrets/public/');
    PolicyLint.acknowledge(fim, 'KA020', 'shown by this test: the finding is listed');
    const f = PolicyLint.findings(chart).filter((x) => x.ruleId === 'KA020');
    expect(f.map((x) => x.message)).toEqual([expect.stringMatching(/^file\.matchDirectories \/srv\/secrets\/public\/ \(action=Block, readOnly=true, recursive=true\) in KubeArmorPolicy\/shop\/\S+ and file\.matchDirectories \/srv\/secrets\/ \(action=Block, recursive=true\) in KubeArmorPolicy\/shop\/\S+ resolve differently per enforcer: at a file in \/srv\/secrets\/public\/, READ denied by AppArmor but permitted by BPF-LSM/)]);
    expect(f[0].acknowledgement).toBe('shown by this test: the finding is listed');
    expectConformant(kubeArmorObjects(Testing.synth(chart)));
  });

  test('Block /etc/ and Allow /etc/hosts in two policies: one finding, on the later policy, naming the other', () => {
    const manifests = [
      KSP('a', { file: { matchDirectories: [{ dir: '/etc/', recursive: true }] } }),
      KSP('b', { file: { matchPaths: [{ path: '/etc/hosts', action: 'Allow' }] } }),
    ];
    const f = check('KA020', manifests, { workloads: WEB });
    expect(f).toEqual([{
      manifest: 1,
      jsonPath: '/spec/file/matchPaths/0',
      message: 'file.matchPaths /etc/hosts (action=Allow) in KubeArmorPolicy/shop/b and file.matchDirectories /etc/ (action=Block, recursive=true) in KubeArmorPolicy/shop/a resolve differently per enforcer: at /etc/hosts, READ, WRITE, APPEND, TRUNCATE, CREATE, DELETE, RENAME, CHMOD denied by AppArmor but permitted by BPF-LSM',
      related: [0],
    }]);
  });

  test('SYSTEM_CONFIGURATION and an Allow readOnly /etc/shadow: DELETE permitted under BPF-LSM only (constructs, cross-checked by the simulator)', () => {
    const { a, chart, web } = app();
    new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.workload(web), presets: [FileIntegrityPreset.SYSTEM_CONFIGURATION] });
    new SecurityPolicy(chart, 'shadow', { target: PolicyTarget.workload(web), action: PolicyAction.ALLOW, severity: 5, filePaths: [{ path: '/etc/shadow', readOnly: true }] });
    const f = PolicyLint.findings(chart).filter((x) => x.ruleId === 'KA020');
    expect(f).toHaveLength(1);
    expect(f[0].constructPath).toBe('shop/shadow');
    expect(f[0].relatedPaths).toEqual(['shop/fim/Policy']);
    expect(f[0].message).toMatch(/at \/etc\/shadow, [A-Z, ]*DELETE[A-Z, ]* denied by AppArmor but permitted by BPF-LSM/);
    PolicyLint.acknowledge(chart, 'KA020', 'shown by this test: both enforcers compared');
    PolicyLint.acknowledge(chart, 'KA002', 'shown by this test: both enforcers compared');
    expect(verdicts(a, web, AccessOperation.DELETE, '/etc/shadow')).toEqual([false, true]);
  });

  test('rules that agree under both enforcers are not reported', () => {
    expect(check('KA020', [
      KSP('a', { file: { matchDirectories: [{ dir: '/etc/', recursive: true }], matchPaths: [{ path: '/etc/hosts' }] } }),
      KSP('b', { file: { matchDirectories: [{ dir: '/usr/bin/', recursive: true, readOnly: true }, { dir: '/bin/', recursive: true, readOnly: true }] }, process: { matchPaths: [{ path: '/usr/bin/nc' }] } }),
    ], { workloads: WEB })).toEqual([]);
  });

  test('conflicts inside one policy do not depend on workloads (KA020 and KA005)', () => {
    const one = [KSP('a', { file: { matchDirectories: [{ dir: '/srv/', recursive: true }, { dir: '/srv/pub/', recursive: true, readOnly: true }, { dir: '/x/', readOnly: true }, { dir: '/x/', readOnly: true, recursive: true }] } })];
    const other = [{ name: 'Deployment/shop/api', namespace: 'shop', labels: { app: 'api' }, containers: ['api'] }];
    for (const input of [{}, { workloads: WEB }, { workloads: other }, { workloads: [] }]) {
      expect(lintManifests(one, input).filter((f) => f.id === 'KA020' || f.id === 'KA005').map((f) => [f.id, f.jsonPath])).toEqual([
        ['KA005', '/spec/file/matchDirectories/3'],
        ['KA020', '/spec/file/matchDirectories/1'],
      ]);
    }
  });
});

describe('KA025 rule-enforced-per-enforcer', () => {
  test('ownerOnly: a non-owner may create under AppArmor only', () => {
    const f = check('KA025', [KSP('a', { file: { matchPaths: [{ path: '/data/x', ownerOnly: true }] } })]);
    expect(f.map((x) => [x.jsonPath, x.message])).toEqual([['/spec/file/matchPaths/0', 'file.matchPaths /data/x (action=Block, ownerOnly=true) in KubeArmorPolicy/shop/a is enforced differently by AppArmor and BPF-LSM: at /data/x, CREATE by another user permitted by AppArmor but denied by BPF-LSM']]);
  });

  test('readOnly + ownerOnly: the owner may delete under BPF-LSM only', () => {
    const [f] = check('KA025', [KSP('a', { file: { matchPaths: [{ path: '/data/x', ownerOnly: true, readOnly: true }] } })]);
    expect(f.message).toContain('DELETE by the owner');
    expect(f.message).toContain('denied by AppArmor but permitted by BPF-LSM');
  });

  test('a non-recursive directory: mkdir of a subdirectory is refused by BPF-LSM only', () => {
    const [f] = check('KA025', [KSP('a', { file: { matchDirectories: [{ dir: '/srv/', readOnly: true }] } })]);
    expect(f.message).toBe('file.matchDirectories /srv/ (action=Block, readOnly=true) in KubeArmorPolicy/shop/a is enforced differently by AppArmor and BPF-LSM: at a file in /srv/, MKDIR permitted by AppArmor but denied by BPF-LSM');
  });

  test('a non-recursive directory with a recursive one below it: the outer rule alone, never a pair (HINT keys keep the outer flags)', () => {
    // BPF-LSM's HINT for /etc/ from /etc/x/ keeps the flags of the /etc/ rule (rulesHandling.go:674-677), so /etc/ decides there.
    for (const dirs of [[{ dir: '/etc/', readOnly: true }, { dir: '/etc/x/', readOnly: true, recursive: true }], [{ dir: '/etc/x/', readOnly: true, recursive: true }, { dir: '/etc/', readOnly: true }]]) {
      const manifests = [KSP('a', { file: { matchDirectories: dirs } })];
      expect(check('KA020', manifests)).toEqual([]);
      expect(check('KA025', manifests).map((x) => x.message)).toEqual(['file.matchDirectories /etc/ (action=Block, readOnly=true) in KubeArmorPolicy/shop/a is enforced differently by AppArmor and BPF-LSM: at a file in /etc/, MKDIR permitted by AppArmor but denied by BPF-LSM']);
    }
  });

  test('FileIntegrityPolicy defaults plus a non-recursive / synthesise with KA025 only (found by the property test)', () => {
    const { chart, web } = app();
    const fim = new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.workload(web) });
    fim.addDirectory('/', { recursive: false });
    const ids = PolicyLint.findings(chart).filter((x) => x.ruleId.startsWith('KA02')).map((x) => x.ruleId);
    expect(ids).toEqual(['KA025']);
    expectConformant(kubeArmorObjects(Testing.synth(chart)));
  });

  test('a recursive Block directory is enforced alike', () => {
    expect(check('KA025', [KSP('a', { file: { matchDirectories: [{ dir: '/srv/', recursive: true }, { dir: '/etc/', readOnly: true, recursive: true }] } })])).toEqual([]);
  });
});

describe('KA021 merged-usr-twin-rules', () => {
  const ids = (spec: any) => lintManifests([KSP('a', spec)]).filter((f) => f.id === 'KA004' || f.id === 'KA021').map((f) => `${f.id} ${f.jsonPath} ${f.message}`);

  test("addProcessPath('/bin/nc') alone never matches on merged-/usr (constructs)", () => {
    const { chart, web } = app();
    const p = new SecurityPolicy(chart, 'p', { target: PolicyTarget.workload(web), severity: 5 });
    p.addProcessPath('/bin/nc');
    const f = PolicyLint.findings(chart).filter((x) => x.ruleId === 'KA021');
    expect(f.map((x) => x.message)).toEqual([expect.stringMatching(/^process\.matchPaths \/bin\/nc \(action=Block\) in KubeArmorPolicy\/shop\/\S+ has no twin rule for \/usr\/bin\/nc for the same pods: on merged-\/usr images exec resolves \/bin\/nc to \/usr\/bin\/nc, so this rule never matches there; on other images they are different files$/)]);
    // A policy freezes at its first lint pass: the twin goes into a fresh app.
    const second = app();
    const q = new SecurityPolicy(second.chart, 'p', { target: PolicyTarget.workload(second.web), severity: 5 });
    q.addProcessPath('/bin/nc');
    q.addProcessPath('/usr/bin/nc');
    expect(PolicyLint.findings(second.chart).filter((x) => x.ruleId === 'KA021')).toEqual([]);
  });

  test('file paths and every twin, /lib32 and /libx32 included', () => {
    expect(ids({ file: { matchPaths: [{ path: '/bin/bash', readOnly: true }], matchDirectories: [{ dir: '/lib32/', recursive: true, readOnly: true }, { dir: '/usr/libx32/', recursive: true, readOnly: true }] } })).toEqual([
      // One finding per policy and rule (the places grouped); each place is checked through the rule's own check below.
      'KA021 /spec/file/matchDirectories/0 file.matchDirectories /lib32/ (action=Block, readOnly=true, recursive=true) in KubeArmorPolicy/shop/a has no twin rule for /usr/lib32/ for the same pods: on merged-/usr images enforcement sees the resolved path; on other images they are different files (3 places in this policy; also spec.file.matchDirectories[1], spec.file.matchPaths[0])',
    ]);
    expect(check('KA021', [KSP('a', { file: { matchPaths: [{ path: '/bin/bash', readOnly: true }], matchDirectories: [{ dir: '/lib32/', recursive: true, readOnly: true }, { dir: '/usr/libx32/', recursive: true, readOnly: true }] } })]).map((f: any) => f.message)).toEqual([
      'file.matchPaths /bin/bash (action=Block, readOnly=true) in KubeArmorPolicy/shop/a has no twin rule for /usr/bin/bash for the same pods: on merged-/usr images enforcement sees the resolved path; on other images they are different files',
      'file.matchDirectories /lib32/ (action=Block, readOnly=true, recursive=true) in KubeArmorPolicy/shop/a has no twin rule for /usr/lib32/ for the same pods: on merged-/usr images enforcement sees the resolved path; on other images they are different files',
      'file.matchDirectories /usr/libx32/ (action=Block, readOnly=true, recursive=true) in KubeArmorPolicy/shop/a has no twin rule for /libx32/ for the same pods: on merged-/usr images enforcement sees the resolved path; on other images they are different files',
    ]);
  });

  test('twins whose actions or flags differ (/sbin/ Block + /usr/sbin/ Audit), across two policies', () => {
    const f = check('KA021', [
      KSP('a', { file: { matchDirectories: [{ dir: '/sbin/', recursive: true, readOnly: true }] } }),
      KSP('b', { file: { matchDirectories: [{ dir: '/usr/sbin/', recursive: true, readOnly: true, action: 'Audit' }] } }),
    ], { workloads: WEB });
    expect(f).toEqual([{
      manifest: 1,
      jsonPath: '/spec/file/matchDirectories/0',
      message: 'file.matchDirectories /usr/sbin/ (action=Audit, readOnly=true, recursive=true) in KubeArmorPolicy/shop/b and its twin file.matchDirectories /sbin/ (action=Block, readOnly=true, recursive=true) in KubeArmorPolicy/shop/a differ in action or flags: the same files are protected differently depending on whether the image has merged /usr',
      related: [0],
    }]);
  });

  test('fromSource in one spelling only', () => {
    expect(ids({ file: { matchPaths: [{ path: '/etc/app.conf', fromSource: [{ path: '/bin/bash' }] }] } })).toEqual([
      'KA021 /spec/file/matchPaths/0 file.matchPaths /etc/app.conf (action=Block) in KubeArmorPolicy/shop/a names fromSource /bin/bash but not /usr/bin/bash: on merged-/usr images the process runs as /usr/bin/bash, so this rule never applies there; list both spellings in fromSource',
    ]);
    expect(ids({ file: { matchPaths: [{ path: '/etc/app.conf', fromSource: [{ path: '/bin/bash' }, { path: '/usr/bin/bash' }] }] } })).toEqual([]);
  });

  test('a top-level directory without its twin stays KA004 alone; both twins alike give nothing', () => {
    expect(ids({ file: { matchDirectories: [{ dir: '/bin/', recursive: true, readOnly: true }] } }).map((s) => s.slice(0, 5))).toEqual(['KA004']);
    expect(ids({ file: { matchDirectories: [{ dir: '/bin/', recursive: true, readOnly: true }, { dir: '/usr/bin/', recursive: true, readOnly: true }] }, process: { matchPaths: [{ path: '/usr/sbin/nc' }, { path: '/sbin/nc' }] } })).toEqual([]);
  });
});

describe('KA022 bpf-rule-map-full', () => {
  const paths = (n: number) => Array.from({ length: n }, (_, k) => ({ path: `/data/f${k}` }));

  test('counts keys as dirtoMap writes them: 100 directory rules need more than 256 keys', () => {
    const dirs = Array.from({ length: 100 }, (_, k) => ({ dir: `/d/x${k}/y/`, recursive: true }));
    const manifests = [KSP('a', { file: { matchDirectories: dirs } })];
    const keys = buildBpfMaps(compilePolicies(manifests).flatMap((p) => p.rules), { file: 'audit', network: 'audit', capabilities: 'audit' }).keyCount;
    expect(keys).toBeGreaterThan(256);
    const f = check('KA022', manifests);
    expect(f.map((x) => [x.manifest, x.jsonPath, x.related])).toEqual([[0, '/spec', []]]);
    expect(f[0].message).toBe(`the pods selected by KubeArmorPolicy/shop/a need ${keys} BPF-LSM rule keys per container (KubeArmorPolicy/shop/a: ${keys}; a directory rule takes the directory, the directory with '/' and one key per ancestor), but KubeArmor's rule map holds 256: the inserts beyond it fail (only logged) and Go's map order decides which rules are missing`);
  });

  test('the effective rules of a pod are counted across policies; one policy alone within the limit is fine', () => {
    expect(check('KA022', [KSP('a', { file: { matchPaths: paths(200) } })], { workloads: WEB })).toEqual([]);
    const two = [KSP('a', { file: { matchPaths: paths(200) } }), KSP('b', { process: { matchPaths: Array.from({ length: 100 }, (_, k) => ({ path: `/opt/b${k}` })) } })];
    const f = check('KA022', two, { workloads: WEB });
    expect(f.map((x) => [x.manifest, x.related])).toEqual([[1, [0]]]);
    expect(f[0].message).toContain('need 300 BPF-LSM rule keys per container (KubeArmorPolicy/shop/a: 200, KubeArmorPolicy/shop/b: 100;');
  });
});

describe('KA023 bpf-prefix-scan-64-bytes and KA024 bpf-path-depth-20', () => {
  const dirOf = (bytes: number) => `/${'a'.repeat(bytes - 2)}/`;

  test('a directory of 65 bytes is beyond the scan, 64 is not; multi-byte characters count as bytes', () => {
    expect(dirOf(64)).toHaveLength(64);
    const f = check('KA023', [KSP('a', { file: { matchDirectories: [{ dir: dirOf(64), recursive: true }, { dir: dirOf(65), recursive: true }, { dir: `/${'é'.repeat(32)}/`, recursive: true }] } })]);
    expect(f.map((x) => x.jsonPath)).toEqual(['/spec/file/matchDirectories/1', '/spec/file/matchDirectories/2']);
    expect(f[0].message).toBe(`file.matchDirectories ${dirOf(65)} (action=Block, recursive=true) in KubeArmorPolicy/shop/a: ${dirOf(65)} is 65 bytes long, and BPF-LSM looks for directory rules only among the prefixes ending within the first 64 bytes of a path: nothing in it is matched by this rule under BPF-LSM (AppArmor does match)`);
  });

  test('the simulator agrees: a file in the 65-byte directory is read-protected by AppArmor only', () => {
    const { a, chart, web } = app();
    new SecurityPolicy(chart, 'p', { target: PolicyTarget.workload(web), severity: 5, fileDirectories: [{ dir: dirOf(65), recursive: true }, { dir: dirOf(64), recursive: true }] });
    PolicyLint.acknowledge(chart, 'KA023', 'shown by this test: the scan limit');
    expect(verdicts(a, web, AccessOperation.READ, `${dirOf(65)}f`)).toEqual([false, true]);
    expect(verdicts(a, web, AccessOperation.READ, `${dirOf(64)}f`)).toEqual([false, false]);
  });

  test('more than 20 components: paths, fromSource and directory entries', () => {
    const deep = (n: number) => Array.from({ length: n }, (_, k) => `/c${k}`).join('');
    const f = check('KA024', [KSP('a', {
      file: {
        matchPaths: [{ path: deep(20) }, { path: deep(21) }, { path: '/etc/x', fromSource: [{ path: deep(21) }] }],
        matchDirectories: [{ dir: `${deep(19)}/`, recursive: true }, { dir: `${deep(20)}/`, recursive: true }],
      },
    })]);
    expect(f.map((x) => x.jsonPath)).toEqual(['/spec/file/matchPaths/1', '/spec/file/matchPaths/2', '/spec/file/matchDirectories/1']);
    expect(f[0].message).toBe(`file.matchPaths ${deep(21)} (action=Block) in KubeArmorPolicy/shop/a: the path ${deep(21)} has 21 components, and BPF-LSM builds at most 20 (prepend_path; one fewer per mount point crossed): the path it sees is cut and never equals the rule's, so the rule never matches under BPF-LSM (AppArmor does match)`);
    expect(f[2].message).toContain('has 20 components (its entries one more)');
  });
});
