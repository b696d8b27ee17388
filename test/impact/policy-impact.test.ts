import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { FileIntegrityPolicy, PolicyAction, PolicyTarget, simulator } from '../../src';

const { ImpactKind, PolicyImpact, SimulatedEnforcer, SimulatedPosture } = simulator;
import { expectConformant } from '../conformance/harness';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

const fim = {
  apiVersion: 'security.kubearmor.com/v1',
  kind: 'KubeArmorPolicy',
  metadata: { name: 'web-fim', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    action: 'Audit',
    file: {
      matchDirectories: [{ dir: '/usr/lib/', recursive: true, readOnly: true }],
      matchPaths: [{ path: '/etc/app.conf', readOnly: true }],
    },
    process: { matchPaths: [{ path: '/usr/bin/apt', action: 'Block' }] },
  },
};
const ownerOnly = {
  apiVersion: 'security.kubearmor.com/v1',
  kind: 'KubeArmorPolicy',
  metadata: { name: 'data-owner', namespace: 'shop' },
  spec: { selector: { matchLabels: { app: 'web' } }, action: 'Block', file: { matchDirectories: [{ dir: '/data/', recursive: true, ownerOnly: true }] } },
};
const allowList = {
  apiVersion: 'security.kubearmor.com/v1',
  kind: 'KubeArmorPolicy',
  metadata: { name: 'web-allow', namespace: 'shop' },
  spec: { selector: { matchLabels: { app: 'web' } }, action: 'Allow', file: { matchDirectories: [{ dir: '/app/', recursive: true }] } },
};

const pod = { Type: 'ContainerLog', NamespaceName: 'shop', Labels: 'app=web', ContainerName: 'web', Result: 'Passed', UID: 0, Owner: { Ref: 'Deployment', Namespace: 'shop', Name: 'web' } };
const write = (path: string, extra: Record<string, unknown> = {}) => ({
  ...pod, Operation: 'File', Resource: path, ProcessName: '/usr/bin/python3', ParentProcessName: '/bin/sh', Data: 'syscall=SYS_OPENAT fd=-100 flags=O_WRONLY|O_CREAT', ...extra,
});
const jsonl = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n');

const hostPolicy = {
  apiVersion: 'security.kubearmor.com/v1',
  kind: 'KubeArmorHostPolicy',
  metadata: { name: 'node-fim' },
  spec: { nodeSelector: { matchLabels: { 'kubernetes.io/hostname': 'node-1' } }, action: 'Block', file: { matchPaths: [{ path: '/etc/shadow', readOnly: true }] } },
};
const mixed = {
  apiVersion: 'security.kubearmor.com/v1',
  kind: 'KubeArmorPolicy',
  metadata: { name: 'web-mixed', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    action: 'Block',
    file: { matchPatterns: [{ pattern: '/tmp/*.sh' }] },
    network: { matchProtocols: [{ protocol: 'raw' }] },
    capabilities: { matchCapabilities: [{ capability: 'net_admin' }] },
  },
};

test('the policies of these tests are conformant', () => {
  expectConformant([fim, ownerOnly, allowList, hostPolicy, mixed]);
});

describe('PolicyImpact replay', () => {
  test('an Audit rule replayed as is only changes the alert; replayed as Block the write is newly denied, with rule and remedy', () => {
    const text = jsonl([write('/usr/lib/python3/__pycache__/x.pyc', { UpdatedTime: '2026-11-30T10:00:00Z' })]);
    const audit = PolicyImpact.fromManifests([fim]).replayText(text);
    expect(audit.findings.map((f) => [f.kind, f.observed, f.predicted])).toEqual([[ImpactKind.ALERT_CHANGED, 'log/Passed', 'Audit/Passed']]);
    expect(audit.hasNewDenials).toBe(false);

    const block = PolicyImpact.fromManifests([fim], { asBlock: true }).replayText(text);
    expect(block.hasNewDenials).toBe(true);
    expect(block.findings).toEqual([{
      kind: ImpactKind.NEWLY_DENIED,
      workload: 'Deployment shop/web',
      container: 'web',
      policyName: 'web-fim',
      rulePointers: ['/spec/file/matchDirectories/0'],
      ruleSource: undefined,
      constructPath: undefined,
      operation: 'CREATE',
      target: '/usr/lib/python3/__pycache__/x.pyc',
      process: '/usr/bin/python3',
      count: 1,
      firstSeen: '2026-11-30T10:00:00.000Z',
      lastSeen: '2026-11-30T10:00:00.000Z',
      observed: 'log/Passed',
      predicted: 'Block/Permission denied',
      lines: [1],
      remedy: 'Python writes bytecode caches at run time: set PYTHONDONTWRITEBYTECODE=1 in the container, or compile them into the image (python -m compileall) at build time',
    }]);
  });

  test('identical accesses are grouped: count, first and last timestamp, first line numbers', () => {
    const times = ['2026-11-30T10:00:05Z', '2026-11-30T09:00:00Z', '2026-11-30T11:30:00Z', '2026-11-30T10:00:00Z', '2026-11-30T10:00:01Z', '2026-11-30T10:00:02Z'];
    const r = PolicyImpact.fromManifests([fim], { asBlock: true }).replayText(jsonl(times.map((t) => write('/usr/lib/libx.so', { UpdatedTime: t }))));
    expect(r.findings.map((f) => [f.count, f.firstSeen, f.lastSeen, f.lines])).toEqual([[6, '2026-11-30T09:00:00.000Z', '2026-11-30T11:30:00.000Z', [1, 2, 3, 4, 5]]]);
    expect([r.records, r.replayed, r.distinctAccesses]).toEqual([6, 6, 1]);
    expect(r.findings[0].remedy).toBe('/usr/bin/python3 writes under /usr/lib/, inside the protected /usr/lib/: if that is application data, point the application at a writable emptyDir mounted outside the protected directories (kplus.Volume.fromEmptyDir) or protect narrower directories than /usr/lib/');
  });

  test('rules no access matched are listed; exercised ones are not', () => {
    const r = PolicyImpact.fromManifests([fim]).replayText(jsonl([write('/usr/lib/libx.so')]));
    expect(r.unexercisedRules.map((u) => `${u.policyName} ${u.pointer} ${u.value}`)).toEqual([
      'web-fim /spec/file/matchPaths/0 /etc/app.conf',
      'web-fim /spec/process/matchPaths/0 /usr/bin/apt',
    ]);
  });

  test('an observed denial is still denied, or newly permitted when the policies no longer deny it', () => {
    const denied = { ...pod, Type: 'MatchedPolicy', PolicyName: 'web-fim', Action: 'Block', Result: 'Permission denied', Operation: 'Process', ProcessName: '/usr/bin/apt', ParentProcessName: '/bin/sh', Resource: '/usr/bin/apt update', Data: 'syscall=SYS_EXECVE' };
    const still = PolicyImpact.fromManifests([fim]).replayText(jsonl([denied]));
    expect(still.findings.map((f) => [f.kind, f.policyName, f.rulePointers, f.remedy])).toEqual([[ImpactKind.STILL_DENIED, 'web-fim', ['/spec/process/matchPaths/0'],
      '/bin/sh runs /usr/bin/apt: if the workload needs it, remove it from the blocked executables or restrict the rule with fromSource to the callers that must not run it']]);
    const gone = PolicyImpact.fromManifests([ownerOnly]).replayText(jsonl([denied]));
    expect(gone.findings.map((f) => [f.kind, f.policyName, f.predicted])).toEqual([[ImpactKind.NEWLY_PERMITTED, '', 'none/Passed']]);
    expect(gone.hasNewDenials).toBe(false);
  });

  test('the enforcer is chosen: an ownerOnly create by another user is denied under BPF-LSM only (parent directory owner)', () => {
    const text = jsonl([write('/data/new', { UID: 1000, OID: 0 })]);
    const aa = PolicyImpact.fromManifests([ownerOnly], { enforcer: SimulatedEnforcer.APPARMOR }).replayText(text);
    const bpf = PolicyImpact.fromManifests([ownerOnly], { enforcer: SimulatedEnforcer.BPF_LSM }).replayText(text);
    expect(aa.findings.map((f) => f.kind)).toEqual([]);
    expect(bpf.findings.map((f) => [f.kind, f.policyName])).toEqual([[ImpactKind.NEWLY_DENIED, 'data-owner']]);
    expect([aa.settings.enforcer, bpf.settings.enforcer]).toEqual(['APPARMOR', 'BPF_LSM']);
  });

  test('the posture is chosen: outside the allow list, block denies (DefaultPosture, with remedy) and audit only alerts', () => {
    const text = jsonl([write('/var/cache/x')]);
    const block = PolicyImpact.fromManifests([allowList], { defaultFilePosture: SimulatedPosture.BLOCK }).replayText(text);
    expect(block.findings.map((f) => [f.kind, f.policyName, f.rulePointers, f.remedy])).toEqual([[ImpactKind.NEWLY_DENIED, 'DefaultPosture', [],
      'no Allow rule covers /var/cache/x while the workload is in allow-list mode: add an Allow rule for it (or its directory), or keep the default posture at audit until the allow list is complete']]);
    const audit = PolicyImpact.fromManifests([allowList]).replayText(text);
    expect(audit.findings.map((f) => [f.kind, f.predicted])).toEqual([[ImpactKind.ALERT_CHANGED, 'Audit/Passed']]);
  });

  test('a JSON array gives the same report as JSON lines; records can be given parsed', () => {
    const records = [write('/usr/lib/a'), write('/etc/app.conf'), write('/usr/lib/a')];
    const sim = PolicyImpact.fromManifests([fim], { asBlock: true });
    const lines = sim.replayText(jsonl(records)).toJson();
    const array = sim.replayText(JSON.stringify(records, undefined, 2));
    expect(array.findings.map((f) => f.lines)).toEqual([[2, 38], [20]]); // where each element starts in the pretty-printed array
    const withoutLines = (r: any) => JSON.parse(JSON.stringify(r, (k, v) => (k === 'lines' ? undefined : v)));
    expect(withoutLines(array.toJson())).toEqual(withoutLines(lines));
    expect(sim.replayRecords(records).toJson()).toEqual(lines);
  });

  test('malformed, unmappable and unknown-workload records are counted by reason, never fatal', () => {
    const text = ['{"Operation":', JSON.stringify(write('/usr/lib/a', { Data: 'syscall=SYS_PTRACE' })), '[]', JSON.stringify(write('/usr/lib/a', { NamespaceName: '' })),
      JSON.stringify(write('/usr/lib/a', { NamespaceName: 'other', Owner: { Ref: 'Deployment', Namespace: 'other', Name: 'db' } })), '', '{"Operation":'].join('\n');
    const r = PolicyImpact.fromManifests([fim], { workloads: [{ name: 'web', namespace: 'shop', labels: { app: 'web' } }] }).replayText(text);
    expect(r.skipped).toEqual([
      { reason: 'not JSON', count: 2, lines: [1, 7] },
      { reason: 'not a JSON object', count: 1, lines: [3] },
      { reason: "unknown syscall 'syscall=SYS_PTRACE'", count: 1, lines: [2] },
      { reason: 'unknown workload: no NamespaceName (container) and no HostName (host)', count: 1, lines: [4] },
    ]);
    expect([r.records, r.replayed]).toEqual([6, 1]);
    expect(r.unknownWorkloads).toEqual([{ workload: 'Deployment other/db', count: 1 }]);
    expect(r.toText().split('\n')).toContain('Workloads in the telemetry that match no known workload: Deployment other/db (1 record)');
  });

  test('host events are replayed against host policies of the node; patterns, protocols and capabilities are attributed', () => {
    // A host profile attaches only to shell descendants (/{usr/,}bin/*sh), so the record names a shell parent.
    const host = { Type: 'HostLog', HostName: 'node-1', Operation: 'File', Resource: '/etc/shadow', ProcessName: '/usr/bin/passwd', ParentProcessName: '/bin/bash', Data: 'syscall=SYS_OPEN flags=O_WRONLY', Result: 'Passed' };
    const r = PolicyImpact.fromManifests([hostPolicy], { nodes: [{ name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } }] }).replayText(jsonl([host]));
    expect(r.findings.map((f) => [f.kind, f.workload, f.policyName, f.rulePointers])).toEqual([[ImpactKind.NEWLY_DENIED, 'host node-1', 'node-fim', ['/spec/file/matchPaths/0']]]);

    const records = [
      write('/tmp/run.sh'),
      { ...pod, Operation: 'Network', ProcessName: '/bin/ping', Resource: 'domain=AF_INET type=SOCK_RAW protocol=0', Data: 'syscall=SYS_SOCKET' },
      { ...pod, Operation: 'Capabilities', ProcessName: '/sbin/ip', Resource: 'CAP_NET_ADMIN', Data: 'lsm=SECURITY_CAPABLE CAP_NET_ADMIN' },
    ];
    const m = PolicyImpact.fromManifests([mixed]).replayText(jsonl(records));
    expect(m.findings.map((f) => [f.kind, f.operation, f.rulePointers.join(','), f.remedy])).toEqual([
      [ImpactKind.NEWLY_DENIED, 'CAPABILITY', '/spec/capabilities/matchCapabilities/0',
        "/sbin/ip uses CAP_NET_ADMIN: if it must, allow it for that process (fromSource); otherwise drop the capability from the container's securityContext as well"],
      [ImpactKind.NEWLY_DENIED, 'CREATE', '/spec/file/matchPatterns/0', undefined],
      [ImpactKind.NEWLY_DENIED, 'NETWORK', '/spec/network/matchProtocols/0', '/bin/ping opens raw sockets: allow the protocol for that process (fromSource) or remove it from the blocked protocols'],
    ]);
    expect(m.unexercisedRules).toEqual([]);
  });

  test('fails when the telemetry file does not exist: the error names the file and the fix', () => {
    expect(() => PolicyImpact.fromManifests([fim]).replayFile('/nonexistent/logs.jsonl')).toThrow(
      "PolicyImpact.replayFile: cannot read telemetry '/nonexistent/logs.jsonl': ENOENT: no such file or directory, open '/nonexistent/logs.jsonl'; give an existing JSON-lines file");
  });

  test('text output groups workload → policy → rule → access', () => {
    const r = PolicyImpact.fromManifests([fim], { asBlock: true }).replayText(jsonl([write('/usr/lib/a', { UpdatedTime: '2026-11-30T10:00:00Z' }), '{']));
    expect(r.toText()).toBe([
      'impact: 2 records read, 1 replayed (1 distinct access), 1 skipped; 1 policy with Audit replayed as Block, enforcer APPARMOR, file posture AUDIT',
      '',
      'Would be newly denied: 1 access, 1 record',
      '  Deployment shop/web container web',
      '    policy web-fim',
      '      rule /spec/file/matchDirectories/0',
      '        CREATE /usr/lib/a by /usr/bin/python3: 1 record at 2026-11-30T10:00:00.000Z; observed log/Passed, predicted Block/Permission denied (line 1)',
      '          remedy: /usr/bin/python3 writes under /usr/lib/, inside the protected /usr/lib/: if that is application data, point the application at a writable emptyDir mounted outside the protected directories (kplus.Volume.fromEmptyDir) or protect narrower directories than /usr/lib/',
      '',
      'Rules never exercised: 2',
      '  web-fim /spec/file/matchPaths/0 /etc/app.conf',
      '  web-fim /spec/process/matchPaths/0 /usr/bin/apt',
      '',
      'Records not replayed: 1',
      '  not a JSON object: 1 (line 2)',
      '',
    ].join('\n'));
  });

  test('fromScope traces findings to the construct that synthesised the policy', () => {
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const web = new kplus.Deployment(chart, 'web', { metadata: { name: 'web' }, select: false, containers: [{ name: 'web', image: 'web:1' }] });
    web.podMetadata.addLabel('app', 'web');
    web.select(kplus.LabelSelector.of({ labels: { app: 'web' } }));
    new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.workload(web), action: PolicyAction.AUDIT, policyName: 'web-fim' });
    const manifests = chart.toJson();
    expectConformant(manifests.filter((m: any) => m.apiVersion === 'security.kubearmor.com/v1'));
    const impact = PolicyImpact.fromScope(app, { asBlock: true });
    const r = impact.replayText(jsonl([write('/usr/lib/a', { Labels: `app=web,cdk8s.io/metadata.addr=${web.podMetadata.getLabel('cdk8s.io/metadata.addr')}` })]));
    expect(r.findings.map((f) => [f.kind, f.policyName, f.constructPath])).toEqual([[ImpactKind.NEWLY_DENIED, 'web-fim', 'shop/fim/Policy']]);
    expect(r.unknownWorkloads).toEqual([]);
    expect(impact.policyNames).toEqual(['web-fim']);
  });
});
