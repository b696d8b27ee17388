/**
 * Behaviours of KubeArmor@510cee3 the simulator reproduces, one table per behaviour of issue #14, each
 * case citing the reference code (KubeArmor/ paths of the KubeArmor repository at that commit; see docs/kubearmor-semantics.md).
 * Every manifest is validated against the real CRDs before it is simulated (helpers.simulator).
 */
import { AA, BLOCK, BPF, Op, WEB, hsp, ksp, req, simulator } from './helpers';
import { AccessOperation, AccessRequest, PolicySimulator, SimulatedAction, SimulationResult } from '../../src/simulator';

type Verdict = 'DENIED' | 'PERMITTED';
const D: Verdict = 'DENIED';
const P: Verdict = 'PERMITTED';
function verdict(r: SimulationResult): Verdict {
  return r.permitted ? 'PERMITTED' : 'DENIED';
}

interface Case {
  readonly name: string;
  /** reference file:line */
  readonly ref: string;
  readonly policies: any[];
  readonly request: Partial<AccessRequest> & { operation: AccessOperation; path?: string };
  readonly expected: Verdict;
}

function run(c: Case): SimulationResult {
  return simulator(c.policies).evaluate({ ...WEB, process: '/bin/sh', defaultFilePosture: BLOCK, ...c.request } as AccessRequest);
}

const allowConfigFor = (source: string) => ksp('py', {
  action: 'Allow', file: { matchPaths: [{ path: '/app/config', readOnly: true, fromSource: [{ path: source }] }] },
});

describe('1. AppArmor: a fromSource binary may always be executed (dispatcher px line)', () => {
  test.each<Case>([
    { name: 'allow-list, block posture: the source is exec\'d through its px line', ref: 'enforcer/appArmorTemplate.go:82', policies: [allowConfigFor('/usr/bin/python')], request: { operation: Op.EXEC, path: '/usr/bin/python', enforcer: AA }, expected: P },
    { name: 'another binary has no line and `file,` is off', ref: 'enforcer/appArmorTemplate.go:218', policies: [allowConfigFor('/usr/bin/python')], request: { operation: Op.EXEC, path: '/usr/bin/perl', enforcer: AA }, expected: D },
    { name: 'an explicit deny beats the px line', ref: 'enforcer/appArmorTemplate.go:96-101', policies: [allowConfigFor('/usr/bin/python'), ksp('no-bin', { action: 'Block', process: { matchDirectories: [{ dir: '/usr/bin/' }] } })], request: { operation: Op.EXEC, path: '/usr/bin/python', enforcer: AA }, expected: D },
    { name: 'a main-profile deny on the source path itself is removed (ResolvedProcessWhiteListConflicts)', ref: 'enforcer/appArmorProfile.go:23-31', policies: [allowConfigFor('/usr/bin/python'), ksp('no-py', { action: 'Block', process: { matchPaths: [{ path: '/usr/bin/python' }] } })], request: { operation: Op.EXEC, path: '/usr/bin/python', enforcer: AA }, expected: P },
  ])('$name ($ref)', (c) => {
    expect(verdict(run(c))).toBe(c.expected);
  });
});

describe('2. AppArmor: child profile headers and contents', () => {
  test.each<Case>([
    { name: 'a child with only Block rules keeps `file,`: its binary is outside the file allow-list', ref: 'enforcer/appArmorProfile.go:156-167', policies: [ksp('a', { action: 'Allow', file: { matchDirectories: [{ dir: '/app/', recursive: true }] } }), ksp('b', { action: 'Block', file: { matchPaths: [{ path: '/etc/shadow', fromSource: [{ path: '/bin/cat' }] }] } })], request: { operation: Op.READ, path: '/tmp/x', process: '/bin/cat' }, expected: P },
    { name: 'the main profile under the same policies: `file,` is off', ref: 'enforcer/appArmorProfile.go:135-137', policies: [ksp('a', { action: 'Allow', file: { matchDirectories: [{ dir: '/app/', recursive: true }] } }), ksp('b', { action: 'Block', file: { matchPaths: [{ path: '/etc/shadow', fromSource: [{ path: '/bin/cat' }] }] } })], request: { operation: Op.READ, path: '/tmp/x', process: '/bin/ls' }, expected: D },
    { name: 'global rules are copied into the child (checkIfGlobalRuleToBeAdded)', ref: 'enforcer/appArmorProfile.go:447-451', policies: [ksp('a', { action: 'Block', file: { matchPaths: [{ path: '/etc/shadow' }] } }), ksp('b', { action: 'Block', file: { matchPaths: [{ path: '/etc/passwd', fromSource: [{ path: '/bin/cat' }] }] } })], request: { operation: Op.READ, path: '/etc/shadow', process: '/bin/cat' }, expected: D },
    { name: 'a fromSource-only allow-list also turns `file,` off in the main profile', ref: 'enforcer/appArmorProfile.go:135-137', policies: [allowConfigFor('/usr/bin/python')], request: { operation: Op.READ, path: '/etc/hostname', process: '/bin/ls' }, expected: D },
    { name: 'an Allow matchDirectories process rule is not written into the child', ref: 'enforcer/appArmorTemplate.go:171', policies: [ksp('a', { action: 'Allow', process: { matchDirectories: [{ dir: '/usr/bin/', fromSource: [{ path: '/bin/bash' }] }] } })], request: { operation: Op.EXEC, path: '/usr/bin/ls', process: '/bin/bash' }, expected: D },
    { name: 'an Allow path naming another fromSource points at an undefined profile', ref: 'enforcer/appArmorTemplate.go:172-176', policies: [ksp('a', { action: 'Allow', process: { matchPaths: [{ path: '/usr/bin/python', fromSource: [{ path: '/bin/bash' }] }] } }), ksp('b', { action: 'Block', file: { matchPaths: [{ path: '/etc/shadow', fromSource: [{ path: '/usr/bin/python' }] }] } })], request: { operation: Op.EXEC, path: '/usr/bin/python', process: '/bin/bash' }, expected: D },
    { name: 'an Allow path that is no fromSource gets a cx child profile', ref: 'enforcer/appArmorTemplate.go:181-190', policies: [ksp('a', { action: 'Allow', process: { matchPaths: [{ path: '/usr/bin/ls', fromSource: [{ path: '/bin/bash' }] }] } })], request: { operation: Op.EXEC, path: '/usr/bin/ls', process: '/bin/bash' }, expected: P },
  ])('$name ($ref)', (c) => {
    expect(verdict(run(c))).toBe(c.expected);
  });

  test('the undefined-profile exec says so in a caveat', () => {
    const res = run({ name: '', ref: '', policies: [ksp('a', { action: 'Allow', process: { matchPaths: [{ path: '/usr/bin/python', fromSource: [{ path: '/bin/bash' }] }] } }), ksp('b', { action: 'Block', file: { matchPaths: [{ path: '/etc/shadow', fromSource: [{ path: '/usr/bin/python' }] }] } })], request: { operation: Op.EXEC, path: '/usr/bin/python', process: '/bin/bash' }, expected: D });
    expect(res.caveats).toContain("AppArmor line '/usr/bin/python px' in profile child:/bin/bash transitions to a profile KubeArmor never defines: the exec fails");
  });
});

describe('3. AppArmor: which Allow process lines are comments (the template regex)', () => {
  const allowExec = (m: any) => [ksp('a', { action: 'Allow', process: { matchPaths: [m] } })];
  test.each<Case>([
    { name: 'execname (/**/name) is a comment: allows nothing', ref: 'enforcer/appArmorTemplate.go:70,113', policies: allowExec({ execname: 'python' }), request: { operation: Op.EXEC, path: '/usr/bin/python' }, expected: D },
    { name: '`+` makes a comment (g++)', ref: 'enforcer/appArmorTemplate.go:70', policies: allowExec({ path: '/usr/bin/g++' }), request: { operation: Op.EXEC, path: '/usr/bin/g++' }, expected: D },
    { name: '`$` makes a comment', ref: 'enforcer/appArmorTemplate.go:70', policies: allowExec({ path: '/opt/a$b' }), request: { operation: Op.EXEC, path: '/opt/a$b' }, expected: D },
    { name: '`|` makes a comment', ref: 'enforcer/appArmorTemplate.go:70', policies: allowExec({ path: '/opt/a|b' }), request: { operation: Op.EXEC, path: '/opt/a|b' }, expected: D },
    { name: '`{a,b}` is no glob for the template: written, and AppArmor alternates', ref: 'enforcer/appArmorTemplate.go:104-109', policies: allowExec({ path: '/usr/bin/{cat,ls}' }), request: { operation: Op.EXEC, path: '/usr/bin/ls' }, expected: P },
    { name: 'a literal path is written as `P ix,`', ref: 'enforcer/appArmorTemplate.go:108', policies: allowExec({ path: '/usr/bin/ls' }), request: { operation: Op.EXEC, path: '/usr/bin/ls' }, expected: P },
  ])('$name ($ref)', (c) => {
    expect(verdict(run(c))).toBe(c.expected);
  });
});

describe('4. AppArmor: native spec.apparmor lines are enforced', () => {
  const native = (text: string) => [ksp('native', { apparmor: text })];
  test.each<Case>([
    { name: 'deny PATH r, denies the read', ref: 'enforcer/appArmorProfile.go:323-329, appArmorTemplate.go:294-302', policies: native('deny /etc/secret r,'), request: { operation: Op.READ, path: '/etc/secret', enforcer: AA }, expected: D },
    { name: 'the same line does not stop a write it does not name', ref: 'enforcer/appArmorTemplate.go:294-302', policies: native('deny /etc/secret r,'), request: { operation: Op.WRITE, path: '/etc/secret', enforcer: AA }, expected: P },
    { name: 'AppArmor globs: {,**}', ref: 'enforcer/appArmorProfile.go:327', policies: native('deny /data/{,**} w,'), request: { operation: Op.WRITE, path: '/data/a/b', enforcer: AA }, expected: D },
    { name: 'AppArmor globs: {a,b}', ref: 'enforcer/appArmorProfile.go:327', policies: native('deny /etc/{shadow,gshadow} rw,'), request: { operation: Op.READ, path: '/etc/gshadow', enforcer: AA }, expected: D },
    { name: 'exec lines: deny PATH x,', ref: 'enforcer/appArmorProfile.go:327', policies: native('deny /usr/bin/curl x,'), request: { operation: Op.EXEC, path: '/usr/bin/curl', enforcer: AA }, expected: D },
    { name: 'BPF-LSM does not read spec.apparmor', ref: 'enforcer/bpflsm/rulesHandling.go:122-410', policies: native('deny /etc/secret r,'), request: { operation: Op.READ, path: '/etc/secret', enforcer: BPF }, expected: P },
  ])('$name ($ref)', (c) => {
    expect(verdict(run(c))).toBe(c.expected);
  });

  test('with no Allow rule a native denial is a ContainerLog, not an alert (the matcher skips the policy)', () => {
    const res = simulator(native('deny /etc/secret r,')).evaluate(req(Op.READ, '/etc/secret'));
    expect([verdict(res), res.alert, res.decidedBy]).toEqual([D, undefined, 'native']);
    expect(res.caveats.join('\n')).toContain('logged as ContainerLog/HostLog, not as an alert');
  });

  test('a native line that is not a file or exec rule is refused as unsimulated, in a caveat', () => {
    const res = simulator(native('deny network raw,')).evaluate(req(Op.READ, '/etc/x'));
    expect(res.caveats).toContain("policy native spec.apparmor line 'deny network raw,' is written into the profile but not simulated (only file and exec lines '[deny] [owner|other] /PATH PERMS,' are)");
  });
});

describe('5. AppArmor host policies', () => {
  const host = [hsp('h', { nodeSelector: { matchLabels: { 'kubernetes.io/hostname': 'n1' } }, action: 'Block', file: { matchPaths: [{ path: '/etc/shadow' }] } })];
  const hostReq = (extra: Partial<AccessRequest>): AccessRequest => ({ node: 'n1', nodeLabels: { 'kubernetes.io/hostname': 'n1' }, operation: Op.READ, path: '/etc/shadow', ...extra });
  test.each<[string, string, Partial<AccessRequest>, Verdict]>([
    ['a shell is confined', 'enforcer/appArmorEnforcer.go:383,634', { process: '/bin/bash' }, D],
    ['/usr/bin/*sh is confined', 'enforcer/appArmorEnforcer.go:383', { process: '/usr/bin/zsh' }, D],
    ['a shell\'s child inherits the profile', 'enforcer/appArmorEnforcer.go:383', { process: '/usr/bin/cat', parentProcess: '/bin/sh' }, D],
    ['a daemon that does not descend from a shell is unconfined', 'enforcer/appArmorEnforcer.go:383', { process: '/usr/sbin/sshd', parentProcess: '/sbin/init' }, P],
    ['BPF-LSM enforces host policies on every process', 'enforcer/bpflsm/hostRulesHandling.go', { process: '/usr/sbin/sshd', enforcer: BPF }, D],
  ])('%s (%s)', (_n, _ref, extra, expected) => {
    expect(verdict(simulator(host).evaluate(hostReq(extra)))).toBe(expected);
  });
});

test('5. host postures: enforcement and the alert matcher read different settings, said in a caveat (feeder/policyMatcher.go:2328-2332)', () => {
  const res = simulator([hsp('h', { nodeSelector: { matchLabels: { a: 'b' } }, action: 'Block', file: { matchPaths: [{ path: '/etc/shadow' }] } })])
    .evaluate({ node: 'n', nodeLabels: { a: 'b' }, operation: Op.READ, path: '/etc/shadow', process: '/bin/sh' });
  expect(res.caveats.join('\n')).toContain("host enforcement follows KubeArmor's hostDefault*Posture settings");
});

describe('6. AppArmor: the container entry process runs in the main profile', () => {
  const pols = [ksp('cat', { action: 'Block', file: { matchPaths: [{ path: '/etc/shadow', fromSource: [{ path: '/bin/cat' }] }] } })];
  test('exec\'d inside the container, /bin/cat runs in its child profile', () => {
    expect(verdict(simulator(pols).evaluate(req(Op.READ, '/etc/shadow', { process: '/bin/cat' })))).toBe(D);
  });
  test('started by kubectl exec (containerEntry), /bin/cat runs in the main profile: not denied, with a caveat', () => {
    const res = simulator(pols).evaluate(req(Op.READ, '/etc/shadow', { process: '/bin/cat', containerEntry: true }));
    expect(verdict(res)).toBe(P);
    expect(res.caveats.join('\n')).toContain('the entry process /bin/cat runs in the container\'s main profile');
  });
});

describe('7. BPF-LSM: execname is enforced for rules without fromSource', () => {
  test.each<Case>([
    { name: 'execname without fromSource: base name lookup', ref: 'BPF/enforcer.bpf.c:205-217', policies: [ksp('nc', { action: 'Block', process: { matchPaths: [{ execname: 'nc' }] } })], request: { operation: Op.EXEC, path: '/usr/bin/nc', enforcer: BPF }, expected: D },
    { name: 'execname with fromSource: the (path, source) lookup never sees it', ref: 'enforcer/bpflsm/rulesHandling.go:161-168, BPF/enforcer.bpf.c:115-124', policies: [ksp('nc', { action: 'Block', process: { matchPaths: [{ execname: 'nc', fromSource: [{ path: '/bin/sh' }] }] } })], request: { operation: Op.EXEC, path: '/usr/bin/nc', enforcer: BPF }, expected: P },
    { name: 'matchPatterns are not written into the map', ref: 'enforcer/bpflsm/rulesHandling.go:122-220', policies: [ksp('pat', { action: 'Block', process: { matchPatterns: [{ pattern: '/usr/bin/n*' }] } })], request: { operation: Op.EXEC, path: '/usr/bin/nc', enforcer: BPF }, expected: P },
  ])('$name ($ref)', (c) => {
    expect(verdict(run(c))).toBe(c.expected);
  });
});

describe('8. BPF-LSM: ownerOnly + Block lets the owner through, refuses others', () => {
  const proc = [ksp('o', { action: 'Block', process: { matchPaths: [{ path: '/app/tool', ownerOnly: true }] } })];
  const file = [ksp('o', { action: 'Block', file: { matchPaths: [{ path: '/app/data', ownerOnly: true }] } })];
  test.each<[string, string, any[], AccessOperation, boolean, Verdict]>([
    ['exec, owner', 'BPF/enforcer.bpf.c:309-336', proc, Op.EXEC, true, P],
    ['exec, non-owner', 'BPF/enforcer.bpf.c:311-314', proc, Op.EXEC, false, D],
    ['file_open, owner', 'BPF/shared.h:1013-1022', file, Op.READ, true, P],
    ['file_open, non-owner', 'BPF/shared.h:1015-1018', file, Op.READ, false, D],
    ['path hook (unlink), owner', 'BPF/shared.h:941-959', file, Op.DELETE, true, P],
    ['path hook (unlink), non-owner', 'BPF/shared.h:952-955', file, Op.DELETE, false, D],
  ])('%s (%s)', (_n, _ref, pols, op, owner, expected) => {
    const path = op === Op.EXEC ? '/app/tool' : '/app/data';
    expect(verdict(simulator(pols).evaluate(req(op, path, { enforcer: BPF, uid: 1000, ownerUid: owner ? 1000 : 0 })))).toBe(expected);
  });
});

describe('9. BPF-LSM: a refusal caused by an Allow rule is a DefaultPosture decision', () => {
  test.each<[string, string, any, Partial<AccessRequest>]>([
    ['Allow + readOnly, write', 'BPF/shared.h:1090-1094; feeder/policyMatcher.go (Allow + !passed: continue, then DefaultPosture)', { path: '/app/config', readOnly: true }, { operation: Op.WRITE }],
    ['Allow + ownerOnly, non-owner read', 'BPF/shared.h:1015-1018', { path: '/app/config', ownerOnly: true }, { operation: Op.READ, uid: 1000, ownerUid: 0 }],
  ])('%s (%s)', (_n, _ref, rule, extra) => {
    const sim = simulator([ksp('allow', { action: 'Allow', file: { matchPaths: [rule] } })]);
    const res = sim.evaluate({ ...req(Op.READ, '/app/config', { enforcer: BPF, defaultFilePosture: BLOCK }), ...extra });
    expect([verdict(res), res.action, res.decidedBy, res.alert?.policyName, res.alert?.action]).toEqual([D, SimulatedAction.ALLOW_LIST_DEFAULT, undefined, 'DefaultPosture', 'Block']);
  });
});

describe('10. BPF-LSM: exec fromSource is the parent of the exec\'ing task', () => {
  const pols = [ksp('curl', { action: 'Block', process: { matchPaths: [{ path: '/usr/bin/curl', fromSource: [{ path: '/bin/bash' }] }] } })];
  test.each<[string, string, Partial<AccessRequest>, Verdict]>([
    ['bash forks, the child execs: the parent is bash', 'BPF/enforcer.bpf.c:79-124', { process: '/bin/bash' }, D],
    ['bash -c "curl": bash execs directly, its parent (python) is seen', 'BPF/enforcer.bpf.c:79', { process: '/bin/bash', execsDirectly: true, parentProcess: '/usr/bin/python' }, P],
    ['python execs directly from a bash parent: bash is seen', 'BPF/enforcer.bpf.c:79', { process: '/usr/bin/python', execsDirectly: true, parentProcess: '/bin/bash' }, D],
  ])('%s (%s)', (_n, _ref, extra, expected) => {
    expect(verdict(simulator(pols).evaluate(req(Op.EXEC, '/usr/bin/curl', { enforcer: BPF, ...extra })))).toBe(expected);
  });

  test('execsDirectly without parentProcess: only global rules, with a caveat', () => {
    const res = simulator(pols).evaluate(req(Op.EXEC, '/usr/bin/curl', { enforcer: BPF, process: '/bin/bash', execsDirectly: true }));
    expect(verdict(res)).toBe(P);
    expect(res.caveats.join('\n')).toContain('execsDirectly without parentProcess leaves it unknown');
  });
});

describe('11. BPF-LSM: allowedArgs', () => {
  const pols = [ksp('curl', { action: 'Block', process: { matchPaths: [{ path: '/usr/bin/curl', allowedArgs: ['localhost'] }] } })];
  test.each<[string, string, string[] | undefined, Verdict]>([
    ['matching arguments are let through', 'BPF/enforcer.bpf.c:293-300, BPF/shared.h:1189-1214', ['localhost'], P],
    ['another argument: denied', 'BPF/shared.h:1207-1211', ['evil.example'], D],
    ['no arguments: argv[0] alone does not match', 'BPF/shared.h:1189-1214', undefined, D],
    ['more than 20 arguments never match', 'BPF/shared.h:1184-1187', Array(21).fill('localhost'), D],
  ])('%s (%s)', (_n, _ref, args, expected) => {
    expect(verdict(simulator(pols).evaluate(req(Op.EXEC, '/usr/bin/curl', { enforcer: BPF, args })))).toBe(expected);
  });

  test('AppArmor ignores allowedArgs', () => {
    expect(verdict(simulator(pols).evaluate(req(Op.EXEC, '/usr/bin/curl', { enforcer: AA, args: ['localhost'] })))).toBe(D);
  });
});

describe('13. BPF-LSM: map capacity', () => {
  test('more than 256 keys: a caveat with the exact count', () => {
    const paths = Array.from({ length: 300 }, (_, i) => ({ path: `/data/f${i}` }));
    const res = simulator([ksp('big', { action: 'Block', file: { matchPaths: paths } })]).evaluate(req(Op.READ, '/data/f1', { enforcer: BPF }));
    expect(res.caveats.join('\n')).toContain('needs 300 keys but holds 256');
  });
  test('256 keys fit: no caveat', () => {
    const paths = Array.from({ length: 256 }, (_, i) => ({ path: `/data/f${i}` }));
    const res = simulator([ksp('big', { action: 'Block', file: { matchPaths: paths } })]).evaluate(req(Op.READ, '/data/f1', { enforcer: BPF }));
    expect(res.caveats.join('\n')).not.toContain('keys but holds');
  });
});

describe('requests', () => {
  const sim = () => simulator([ksp('net', { action: 'Block', network: { matchProtocols: [{ protocol: 'tcp' }] } })]);
  test('fails when the protocol is unknown (a typo must not pass an assertion)', () => {
    expect(() => sim().evaluate({ ...WEB, operation: Op.NETWORK, protocol: 'tpc' })).toThrow(
      "PolicySimulator.evaluate: protocol 'tpc' is not a protocol KubeArmor knows; use one of tcp, udp, raw, icmp, icmpv6, sctp, stream, dgram, rdm, seqpacket, dccp, packet");
  });
  test('fails when the capability is unknown', () => {
    expect(() => sim().evaluate({ ...WEB, operation: Op.CAPABILITY, capability: 'net_rae' })).toThrow(
      "PolicySimulator.evaluate: capability 'net_rae' is not a Linux capability KubeArmor knows (e.g. 'net_raw', 'sys_admin'; a 'cap_' prefix and upper case are accepted)");
  });
  test('a known protocol in upper case and a CAP_ capability are accepted', () => {
    expect(verdict(sim().evaluate({ ...WEB, operation: Op.NETWORK, protocol: 'TCP' }))).toBe(D);
    expect(verdict(sim().evaluate({ ...WEB, operation: Op.CAPABILITY, capability: 'CAP_NET_RAW' }))).toBe(P);
  });
  test('fromManifests takes the workloads among the manifests', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { template: { metadata: { labels: { app: 'web' }, annotations: { 'kubearmor-policy': 'audited' } }, spec: { containers: [{ name: 'web' }] } } },
    };
    const policy = ksp('fim', { action: 'Block', file: { matchPaths: [{ path: '/etc/shadow' }] } });
    const s = PolicySimulator.fromManifests([policy, deployment]);
    expect(s.workloads).toEqual([{ name: 'web', namespace: 'shop', labels: { app: 'web' }, annotations: { 'kubearmor-policy': 'audited' }, containers: ['web'] }]);
    expect(s.workloadsSelectedBy('fim').map((w) => w.name)).toEqual(['web']);
  });
});

describe('end-to-end: a command with its preceding execs', () => {
  // `bash -c 'touch /etc/app.conf'` typed into a shell: bash forks and execs touch, then touch creates the file.
  const pols = [ksp('no-shell-writes', { action: 'Block', severity: 5, file: { matchPaths: [{ path: '/etc/app.conf', fromSource: [{ path: '/bin/bash' }] }] } })];
  const steps = (enforcer: any) => {
    const sim = simulator(pols);
    return [
      sim.evaluate(req(Op.EXEC, '/usr/bin/touch', { enforcer, process: '/bin/bash' })),
      sim.evaluate(req(Op.CREATE, '/etc/app.conf', { enforcer, process: '/usr/bin/touch', parentProcess: '/bin/bash' })),
    ];
  };
  test('AppArmor: touch inherits bash\'s child profile (`file,` gives ix), so the rule stops the create', () => {
    const [exec, create] = steps(AA);
    expect([verdict(exec), verdict(create), create.alert?.policyName, create.alert?.parentProcessName]).toEqual([P, D, 'no-shell-writes', '/bin/bash']);
  });
  test('BPF-LSM: the file hooks compare fromSource with the task itself (touch): the create passes', () => {
    const [exec, create] = steps(BPF);
    expect([verdict(exec), verdict(create)]).toEqual([P, P]);
  });
});
