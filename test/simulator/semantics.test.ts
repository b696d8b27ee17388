/**
 * Table-driven checks of the simulator against docs/kubearmor-semantics.md, one case per rule.
 * Every manifest is validated against the real CRDs before it is simulated.
 */
import { AA, AUDIT, BLOCK, BPF, Op, WEB, csp, hsp, ksp, req, simulator } from './helpers';
import { AccessRequest, SimulatedAction, SimulationResult } from '../../src/simulator';

type Verdict = 'DENIED' | 'PERMITTED';
function verdict(r: SimulationResult): Verdict {
  return r.permitted ? 'PERMITTED' : 'DENIED';
}

describe('§5 selection', () => {
  const fim = { file: { matchDirectories: [{ dir: '/etc/', recursive: true, readOnly: true }] }, severity: 3 };
  const write = (extra: Partial<AccessRequest> = {}) => req(Op.WRITE, '/etc/passwd', extra);

  test.each<[string, any, Partial<AccessRequest>, Verdict]>([
    ['matchLabels: all pairs present', { matchLabels: { app: 'web', tier: 'fe' } }, { labels: { app: 'web', tier: 'fe', x: 'y' } }, 'DENIED'],
    ['matchLabels: one pair missing (AND)', { matchLabels: { app: 'web', tier: 'fe' } }, { labels: { app: 'web' } }, 'PERMITTED'],
    ['matchLabels: value differs', { matchLabels: { app: 'web' } }, { labels: { app: 'api' } }, 'PERMITTED'],
    ['empty selector: whole namespace', {}, { labels: { anything: 'x' } }, 'DENIED'],
    ['matchExpressions In: one of the values', { matchExpressions: [{ key: 'label', operator: 'In', values: ['app=api', 'app=web'] }] }, {}, 'DENIED'],
    ['matchExpressions In: none of the values', { matchExpressions: [{ key: 'label', operator: 'In', values: ['app=api'] }] }, {}, 'PERMITTED'],
    ['matchExpressions NotIn: label present', { matchExpressions: [{ key: 'label', operator: 'NotIn', values: ['app=web'] }] }, {}, 'PERMITTED'],
    ['matchExpressions NotIn: label absent', { matchExpressions: [{ key: 'label', operator: 'NotIn', values: ['app=api'] }] }, {}, 'DENIED'],
    ['[In, NotIn]: the NotIn is ignored', { matchExpressions: [{ key: 'label', operator: 'In', values: ['app=web'] }, { key: 'label', operator: 'NotIn', values: ['app=web'] }] }, {}, 'DENIED'],
    ['[NotIn, In]: decided by the NotIn', { matchExpressions: [{ key: 'label', operator: 'NotIn', values: ['app=api'] }, { key: 'label', operator: 'In', values: ['app=nope'] }] }, {}, 'DENIED'],
    ['[NotIn, In]: NotIn label present', { matchExpressions: [{ key: 'label', operator: 'NotIn', values: ['app=web'] }, { key: 'label', operator: 'In', values: ['app=web'] }] }, {}, 'PERMITTED'],
    ['matchLabels AND matchExpressions', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'label', operator: 'In', values: ['tier=fe'] }] }, {}, 'PERMITTED'],
    ['container.name lists the container', { matchLabels: { 'app': 'web', 'kubearmor.io/container.name': '[web,sidecar]' } }, {}, 'DENIED'],
    ['container.name excludes the container', { matchLabels: { 'app': 'web', 'kubearmor.io/container.name': '[sidecar]' } }, {}, 'PERMITTED'],
    ['container.name "[]" = all containers', { matchLabels: { 'app': 'web', 'kubearmor.io/container.name': '[]' } }, {}, 'DENIED'],
    ['container.name malformed "[web,,]" still selects web', { matchLabels: { 'app': 'web', 'kubearmor.io/container.name': '[web,,]' } }, {}, 'DENIED'],
  ])('KSP %s', (_name, selector, extra, expected) => {
    const sim = simulator([{ ...ksp('p', fim), spec: { ...fim, selector } }]);
    expect(verdict(sim.evaluate(write(extra)))).toBe(expected);
  });

  test('KSP applies only in its own namespace', () => {
    const sim = simulator([ksp('p', fim, 'other')]);
    expect(verdict(sim.evaluate(write()))).toBe('PERMITTED');
    expect(verdict(sim.evaluate(write({ namespace: 'other' })))).toBe('DENIED');
  });

  test('fails to select when the policy targets containers and the request names none (caveat)', () => {
    const sim = simulator([{ ...ksp('p', fim), spec: { ...fim, selector: { matchLabels: { 'kubearmor.io/container.name': '[web]' } } } }]);
    const res = sim.evaluate(write({ container: undefined }));
    expect(verdict(res)).toBe('PERMITTED');
    expect(res.caveats.join('\n')).toContain('targets containers [web] (kubearmor.io/container.name) but the request names no container');
  });

  test('[In, NotIn] is reported as a caveat', () => {
    const sim = simulator([{ ...ksp('p', fim), spec: { ...fim, selector: { matchExpressions: [{ key: 'label', operator: 'In', values: ['app=web'] }, { key: 'label', operator: 'NotIn', values: ['app=web'] }] } } }]);
    expect(sim.evaluate(write()).caveats.join('\n')).toContain('NotIn after an In is ignored');
  });

  test.each<[string, any, string, Verdict]>([
    ['namespace In lists it', [{ key: 'namespace', operator: 'In', values: ['shop'] }], 'shop', 'DENIED'],
    ['namespace In does not list it', [{ key: 'namespace', operator: 'In', values: ['bank'] }], 'shop', 'PERMITTED'],
    ['namespace NotIn lists it', [{ key: 'namespace', operator: 'NotIn', values: ['shop'] }], 'shop', 'PERMITTED'],
    ['namespace NotIn does not list it', [{ key: 'namespace', operator: 'NotIn', values: ['bank'] }], 'shop', 'DENIED'],
    ['no namespace expression: every namespace', [], 'anywhere', 'DENIED'],
    ['label In', [{ key: 'label', operator: 'In', values: ['app=web'] }], 'shop', 'DENIED'],
    ['label In, other label', [{ key: 'label', operator: 'In', values: ['app=api'] }], 'shop', 'PERMITTED'],
  ])('CSP %s', (_name, matchExpressions, namespace, expected) => {
    const sim = simulator([csp('c', { ...fim, selector: { matchExpressions } })]);
    expect(verdict(sim.evaluate(write({ namespace })))).toBe(expected);
  });

  test.each(['kube-system', 'kubearmor'])('untracked namespace %s is not enforced', (ns) => {
    const sim = simulator([ksp('p', fim, ns), csp('c', { ...fim, selector: {} })]);
    const res = sim.evaluate(write({ namespace: ns }));
    expect([verdict(res), res.action, res.alert]).toEqual(['PERMITTED', SimulatedAction.NONE, undefined]);
    expect(res.caveats[0]).toContain(`namespace ${ns} is untracked`);
  });

  describe('HSP', () => {
    const host = { file: { matchPaths: [{ path: '/etc/shadow' }] }, action: 'Block', severity: 7 };
    test('nodeSelector matches the node labels; the alert is MatchedHostPolicy', () => {
      const sim = simulator([hsp('h', { ...host, nodeSelector: { matchLabels: { 'kubernetes.io/hostname': 'node-1' } } })],
        { nodes: [{ name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } }, { name: 'node-2', labels: { 'kubernetes.io/hostname': 'node-2' } }] });
      const res = sim.evaluate({ node: 'node-1', operation: Op.READ, path: '/etc/shadow', process: '/usr/bin/cat', parentProcess: '/bin/bash' });
      expect(verdict(res)).toBe('DENIED');
      expect(res.toKubeArmorJson()).toEqual({
        Type: 'MatchedHostPolicy',
        PolicyName: 'h',
        Severity: '7',
        Action: 'Block',
        Result: 'Permission denied',
        Enforcer: 'AppArmor',
        Operation: 'File',
        Resource: '/etc/shadow',
        ProcessName: '/usr/bin/cat',
        ParentProcessName: '/bin/bash',
        HostName: 'node-1',
        UID: 0,
      });
      expect(res.caveats.join('\n')).toContain('enableKubeArmorHostPolicy=true');
      expect(verdict(sim.evaluate({ node: 'node-2', operation: Op.READ, path: '/etc/shadow' }))).toBe('PERMITTED');
    });
    test('an empty nodeSelector.matchLabels matches no node', () => {
      const sim = simulator([hsp('h', { ...host, nodeSelector: {} })]);
      expect(verdict(sim.evaluate({ node: 'node-1', nodeLabels: { a: 'b' }, operation: Op.READ, path: '/etc/shadow' }))).toBe('PERMITTED');
    });
    test('host policies never apply to pods, pod policies never to hosts', () => {
      const sim = simulator([hsp('h', { ...host, nodeSelector: { matchLabels: { a: 'b' } } }), ksp('p', { ...host, selector: {} })]);
      expect(sim.evaluate(req(Op.READ, '/etc/shadow')).alert?.policyName).toBe('p');
      expect(sim.evaluate({ node: 'n', nodeLabels: { a: 'b' }, operation: Op.READ, path: '/etc/shadow', process: '/bin/sh' }).alert?.policyName).toBe('h');
    });
  });
});

describe('§4 inheritance of action, severity, tags and message', () => {
  const alertOf = (spec: any) => simulator([ksp('p', spec)]).evaluate(req(Op.READ, '/etc/shadow')).alert;

  test('rule meta overrides the block, which overrides the spec; tags replace, not merge', () => {
    const a = alertOf({
      severity: 2,
      tags: ['SPEC'],
      message: 'spec',
      file: { severity: 4, tags: ['FILE'], matchPaths: [{ path: '/etc/shadow', severity: 9, tags: ['RULE'], message: 'rule' }] },
    });
    expect([a?.severity, a?.tags, a?.aTags, a?.message]).toEqual(['9', 'RULE', ['RULE'], 'rule']);
  });

  test('block meta applies when the rule has none', () => {
    const a = alertOf({ severity: 2, tags: ['SPEC'], message: 'spec', file: { severity: 4, tags: ['FILE', 'X'], matchPaths: [{ path: '/etc/shadow' }] } });
    expect([a?.severity, a?.tags, a?.aTags, a?.message]).toEqual(['4', 'FILE,X', ['FILE', 'X'], 'spec']);
  });

  test('spec meta applies last; spec action defaults to Block', () => {
    const a = alertOf({ severity: 2, tags: ['SPEC'], message: 'spec', file: { matchPaths: [{ path: '/etc/shadow' }] } });
    expect([a?.severity, a?.tags, a?.message, a?.action]).toEqual(['2', 'SPEC', 'spec', 'Block']);
  });

  test('no severity anywhere gives Severity "0"; no tags and no message are left out of the JSON', () => {
    const res = simulator([ksp('p', { file: { matchPaths: [{ path: '/etc/shadow' }] } })]).evaluate(req(Op.READ, '/etc/shadow'));
    expect(res.alert?.severity).toBe('0');
    const json = res.toKubeArmorJson();
    expect(json.Severity).toBe('0');
    expect(json).not.toHaveProperty('Tags');
    expect(json).not.toHaveProperty('ATags');
    expect(json).not.toHaveProperty('Message');
  });

  test('rule action overrides spec action', () => {
    const sim = simulator([ksp('p', { action: 'Block', file: { matchPaths: [{ path: '/etc/shadow', action: 'Audit' }] } })]);
    const res = sim.evaluate(req(Op.READ, '/etc/shadow'));
    expect([verdict(res), res.action, res.alert?.action]).toEqual(['PERMITTED', SimulatedAction.AUDIT, 'Audit']);
  });

  test('block action overrides spec action', () => {
    const sim = simulator([ksp('p', { action: 'Audit', file: { action: 'Block', matchPaths: [{ path: '/etc/shadow' }] } })]);
    expect(verdict(sim.evaluate(req(Op.READ, '/etc/shadow')))).toBe('DENIED');
  });
});

describe('§6.6 directory depth and recursion', () => {
  test.each<[boolean, string, Verdict]>([
    [false, '/data/file', 'DENIED'],
    [false, '/data/sub', 'DENIED'],
    [false, '/data/sub/file', 'PERMITTED'],
    [false, '/data', 'DENIED'],
    [false, '/database/file', 'PERMITTED'],
    [true, '/data/file', 'DENIED'],
    [true, '/data/sub/deeper/file', 'DENIED'],
    [true, '/datafile', 'PERMITTED'],
  ])('recursive=%s: a write to %s is %s', (recursive, path, expected) => {
    for (const enforcer of [AA, BPF]) {
      const sim = simulator([ksp('p', { file: { matchDirectories: [{ dir: '/data/', recursive, readOnly: true }] } })]);
      const res = sim.evaluate(req(Op.WRITE, path, { enforcer }));
      expect([enforcer, verdict(res)]).toEqual([enforcer, expected]);
      if (expected === 'DENIED') expect(res.alert?.policyName).toBe('p');
    }
  });

  test('MKDIR of a direct child under a non-recursive rule: AppArmor mediates "dir/" which {,*} does not cover; BPF denies', () => {
    const sim = simulator([ksp('p', { file: { matchDirectories: [{ dir: '/data/', readOnly: true }] } })]);
    expect(verdict(sim.evaluate(req(Op.MKDIR, '/data/new', { enforcer: AA })))).toBe('PERMITTED');
    expect(verdict(sim.evaluate(req(Op.MKDIR, '/data/new', { enforcer: BPF })))).toBe('DENIED');
  });

  test('BPF-LSM scans directory prefixes only within the first 64 bytes', () => {
    const deep = `/${'d'.repeat(70)}/`;
    const sim = simulator([ksp('p', { file: { matchDirectories: [{ dir: deep, recursive: true }] } })]);
    expect(verdict(sim.evaluate(req(Op.READ, `${deep}f`, { enforcer: AA })))).toBe('DENIED');
    const res = sim.evaluate(req(Op.READ, `${deep}f`, { enforcer: BPF }));
    expect(verdict(res)).toBe('PERMITTED');
    expect(res.caveats.join('\n')).toContain('first 64 bytes');
  });
});

describe('§6.2 / §6.3 / §6.7 readOnly and ownerOnly per operation', () => {
  const D = 'DENIED'; const P = 'PERMITTED';
  // [flags, operation, owner?, AppArmor, BPF-LSM]
  const rows: Array<[string, any, string, boolean, Verdict, Verdict]> = [
    ['Block', {}, 'READ', true, D, D],
    ['Block', {}, 'WRITE', true, D, D],
    ['Block', {}, 'DELETE', true, D, D],
    ['Block readOnly', { readOnly: true }, 'READ', true, P, P],
    ['Block readOnly', { readOnly: true }, 'WRITE', true, D, D],
    ['Block readOnly', { readOnly: true }, 'APPEND', true, D, D],
    ['Block readOnly', { readOnly: true }, 'TRUNCATE', true, D, D],
    ['Block readOnly', { readOnly: true }, 'CREATE', true, D, D],
    ['Block readOnly', { readOnly: true }, 'DELETE', true, D, D],
    ['Block readOnly', { readOnly: true }, 'RENAME', true, D, D],
    ['Block readOnly', { readOnly: true }, 'MKDIR', true, D, D],
    ['Block readOnly', { readOnly: true }, 'CHMOD', true, D, D],
    ['Block readOnly', { readOnly: true }, 'CHOWN', true, D, P],
    // BPF-LSM: the owner passes an ownerOnly rule before DENY is read (shared.h:1010-1020 file_open
    // "return 0" for the owner; enforcer.bpf.c:309-336 for exec)
    ['Block ownerOnly', { ownerOnly: true }, 'READ', true, P, P],
    ['Block ownerOnly', { ownerOnly: true }, 'WRITE', true, P, P],
    ['Block ownerOnly', { ownerOnly: true }, 'READ', false, D, D],
    ['Block ownerOnly', { ownerOnly: true }, 'WRITE', false, D, D],
    ['Block readOnly ownerOnly', { readOnly: true, ownerOnly: true }, 'READ', true, P, P],
    ['Block readOnly ownerOnly', { readOnly: true, ownerOnly: true }, 'WRITE', true, D, D],
    ['Block readOnly ownerOnly', { readOnly: true, ownerOnly: true }, 'READ', false, D, D],
  ];
  test.each(rows)('%s %s %s (caller is owner: %s): AppArmor %s, BPF-LSM %s', (_n, flags, op, owner, aa, bpf) => {
    const sim = simulator([ksp('p', { action: 'Block', file: { matchDirectories: [{ dir: '/data/', recursive: true, ...flags }] } })]);
    const r = (enforcer: any) => sim.evaluate(req((Op as any)[op], '/data/x/file', { enforcer, uid: 1000, ownerUid: owner ? 1000 : 0 }));
    const resAa = r(AA);
    const resBpf = r(BPF);
    expect([verdict(resAa), verdict(resBpf)]).toEqual([aa, bpf]);
    for (const res of [resAa, resBpf]) {
      if (res.denied) {
        expect([res.action, res.result, res.alert?.action, res.alert?.policyName]).toEqual([SimulatedAction.BLOCK, 'Permission denied', 'Block', 'p']);
      } else {
        expect(res.alert).toBeUndefined();
      }
    }
    if (op === 'CHOWN') expect(resBpf.caveats.join('\n')).toContain('chown is not enforced by BPF-LSM');
    if (flags.ownerOnly) expect(resBpf.caveats.join('\n')).not.toContain('ownerOnly under BPF-LSM is inconsistent');
  });

  describe('Allow readOnly (allow-list mode)', () => {
    const allowRo = [ksp('p', { action: 'Allow', file: { matchDirectories: [{ dir: '/data/', recursive: true, readOnly: true }] } })];
    test.each<[string, string, Verdict, Verdict, SimulatedAction, SimulatedAction]>([
      ['READ', 'block', 'PERMITTED', 'PERMITTED', SimulatedAction.ALLOW, SimulatedAction.ALLOW],
      // BPF-LSM: file_permission refuses the write for the Allow rule's readOnly (shared.h:1090-1094): a
      // DefaultPosture decision, not a Block by the Allow policy
      ['WRITE', 'block', 'DENIED', 'DENIED', SimulatedAction.ALLOW_LIST_DEFAULT, SimulatedAction.ALLOW_LIST_DEFAULT],
      ['DELETE', 'block', 'DENIED', 'PERMITTED', SimulatedAction.ALLOW_LIST_DEFAULT, SimulatedAction.ALLOW],
      ['RENAME', 'block', 'DENIED', 'PERMITTED', SimulatedAction.ALLOW_LIST_DEFAULT, SimulatedAction.ALLOW],
      ['MKDIR', 'block', 'DENIED', 'PERMITTED', SimulatedAction.ALLOW_LIST_DEFAULT, SimulatedAction.ALLOW],
      ['DELETE', 'audit', 'PERMITTED', 'PERMITTED', SimulatedAction.ALLOW_LIST_DEFAULT, SimulatedAction.ALLOW],
    ])('%s under posture %s: AppArmor %s, BPF-LSM %s', (op, posture, aa, bpf, aaAction, bpfAction) => {
      const sim = simulator(allowRo);
      const p = posture === 'block' ? BLOCK : AUDIT;
      const resAa = sim.evaluate(req((Op as any)[op], '/data/f', { enforcer: AA, defaultFilePosture: p }));
      const resBpf = sim.evaluate(req((Op as any)[op], '/data/f', { enforcer: BPF, defaultFilePosture: p }));
      expect([verdict(resAa), verdict(resBpf), resAa.action, resBpf.action]).toEqual([aa, bpf, aaAction, bpfAction]);
      if (['DELETE', 'RENAME', 'MKDIR'].includes(op)) expect(resBpf.caveats.join('\n')).toContain('Allow+readOnly under BPF-LSM does not stop');
    });

    test('AppArmor DELETE under posture block: DefaultPosture Block alert', () => {
      const res = simulator(allowRo).evaluate(req(Op.DELETE, '/data/f', { defaultFilePosture: BLOCK }));
      expect(res.toKubeArmorJson()).toEqual({
        Type: 'MatchedPolicy',
        PolicyName: 'DefaultPosture',
        Severity: '',
        Action: 'Block',
        Result: 'Permission denied',
        Enforcer: 'eBPF Monitor',
        Operation: 'File',
        Resource: '/data/f',
        NamespaceName: 'shop',
        Labels: 'app=web',
        ContainerName: 'web',
        ProcessName: '/bin/sh',
        UID: 0,
      });
    });
  });
});

describe('§6.5 Allow, allow-list mode and the default posture', () => {
  const allow = [ksp('allow-app', { action: 'Allow', file: { matchDirectories: [{ dir: '/app/', recursive: true }] } })];

  test('an access an Allow rule covers is permitted without alert', () => {
    for (const enforcer of [AA, BPF]) {
      const res = simulator(allow).evaluate(req(Op.WRITE, '/app/data', { enforcer }));
      expect([verdict(res), res.action, res.alert, res.decidedBy]).toEqual(['PERMITTED', SimulatedAction.ALLOW, undefined, 'allow-app']);
    }
  });

  test('posture audit (the default): uncovered access passes with a DefaultPosture Audit alert', () => {
    for (const enforcer of [AA, BPF]) {
      const res = simulator(allow).evaluate(req(Op.READ, '/etc/passwd', { enforcer }));
      expect([verdict(res), res.action]).toEqual(['PERMITTED', SimulatedAction.ALLOW_LIST_DEFAULT]);
      expect(res.toKubeArmorJson()).toMatchObject({ PolicyName: 'DefaultPosture', Severity: '', Action: 'Audit', Result: 'Passed', Enforcer: 'eBPF Monitor' });
      expect(res.toKubeArmorJson()).not.toHaveProperty('Tags');
    }
  });

  test('denies uncovered access under posture block, with a DefaultPosture Block alert', () => {
    for (const enforcer of [AA, BPF]) {
      const res = simulator(allow).evaluate(req(Op.READ, '/etc/passwd', { enforcer, defaultFilePosture: BLOCK }));
      expect([verdict(res), res.action, res.result]).toEqual(['DENIED', SimulatedAction.ALLOW_LIST_DEFAULT, 'Permission denied']);
      expect(res.toKubeArmorJson()).toMatchObject({ PolicyName: 'DefaultPosture', Action: 'Block', Enforcer: 'eBPF Monitor' });
    }
  });

  test('a namespace annotation kubearmor-file-posture overrides the global posture; invalid values are ignored', () => {
    const sim = simulator(allow, { namespaces: [{ name: 'shop', annotations: { 'kubearmor-file-posture': 'block' } }, { name: 'bank', annotations: { 'kubearmor-file-posture': 'allow' } }] });
    expect(verdict(sim.evaluate(req(Op.READ, '/etc/passwd')))).toBe('DENIED');
    const bank = simulator([{ ...allow[0], metadata: { name: 'allow-app', namespace: 'bank' } }],
      { namespaces: [{ name: 'bank', annotations: { 'kubearmor-file-posture': 'allow' } }], defaultFilePosture: BLOCK });
    expect(verdict(bank.evaluate(req(Op.READ, '/etc/passwd', { namespace: 'bank' })))).toBe('DENIED');
  });

  test('a pure Block FIM policy never triggers the posture', () => {
    const sim = simulator([ksp('fim', { file: { matchDirectories: [{ dir: '/etc/', recursive: true, readOnly: true }] } })]);
    const res = sim.evaluate(req(Op.WRITE, '/tmp/x', { defaultFilePosture: BLOCK }));
    expect([verdict(res), res.action, res.alert]).toEqual(['PERMITTED', SimulatedAction.NONE, undefined]);
  });

  test('AppArmor: a process Allow also allow-lists files; BPF-LSM keeps separate file and process allow-lists', () => {
    const sim = simulator([ksp('allow-nginx', { action: 'Allow', process: { matchPaths: [{ path: '/usr/sbin/nginx' }] } })]);
    const aa = sim.evaluate(req(Op.READ, '/etc/passwd', { enforcer: AA, defaultFilePosture: BLOCK }));
    const bpf = sim.evaluate(req(Op.READ, '/etc/passwd', { enforcer: BPF, defaultFilePosture: BLOCK }));
    expect([verdict(aa), verdict(bpf)]).toEqual(['DENIED', 'PERMITTED']);
    expect(verdict(sim.evaluate(req(Op.EXEC, '/usr/sbin/nginx', { enforcer: BPF, defaultFilePosture: BLOCK })))).toBe('PERMITTED');
    expect(verdict(sim.evaluate(req(Op.EXEC, '/bin/ls', { enforcer: BPF, defaultFilePosture: BLOCK })))).toBe('DENIED');
  });

  test('the alert matcher quirk: an earlier non-matching Allow rule sets DefaultPosture although a later Allow matches (posture audit)', () => {
    const sim = simulator([ksp('allow-two', { action: 'Allow', file: { matchPaths: [{ path: '/app/a' }, { path: '/app/b' }] } })]);
    const res = sim.evaluate(req(Op.READ, '/app/b'));
    expect([verdict(res), res.alert?.policyName, res.alert?.action]).toEqual(['PERMITTED', 'DefaultPosture', 'Audit']);
    expect(res.caveats.join('\n')).toContain('an earlier Allow rule that does not match set DefaultPosture first');
    expect(sim.evaluate(req(Op.READ, '/app/a')).alert).toBeUndefined();
  });
});

describe('§6.4 Audit alerts', () => {
  test.each<[string, any, string, number, boolean]>([
    ['Audit readOnly, read', { readOnly: true }, 'READ', 0, false],
    ['Audit readOnly, write', { readOnly: true }, 'WRITE', 0, true],
    ['Audit readOnly, create', { readOnly: true }, 'CREATE', 0, true],
    ['Audit readOnly, unlink', { readOnly: true }, 'DELETE', 0, true],
    ['Audit, read', {}, 'READ', 0, true],
    ['Audit ownerOnly, owner', { ownerOnly: true }, 'WRITE', 0, false],
    ['Audit ownerOnly, not the owner', { ownerOnly: true }, 'READ', 1000, true],
    ['Audit readOnly ownerOnly, read by non-owner', { readOnly: true, ownerOnly: true }, 'READ', 1000, true],
    ['Audit readOnly ownerOnly, read by owner', { readOnly: true, ownerOnly: true }, 'READ', 0, false],
  ])('%s: alert=%s', (_n, flags, op, ownerUid, alerts) => {
    for (const enforcer of [AA, BPF]) {
      const sim = simulator([ksp('audit-etc', { action: 'Audit', severity: 4, file: { matchDirectories: [{ dir: '/etc/', recursive: true, ...flags }] } })]);
      const res = sim.evaluate(req((Op as any)[op], '/etc/app.conf', { enforcer, ownerUid }));
      expect(res.permitted).toBe(true); // Audit is never enforced
      if (alerts) {
        expect(res.action).toBe(SimulatedAction.AUDIT);
        expect(res.toKubeArmorJson()).toMatchObject({ PolicyName: 'audit-etc', Severity: '4', Action: 'Audit', Result: 'Passed', Enforcer: 'eBPF Monitor' });
        expect(res.caveats.join('\n')).toContain('throttled');
      } else {
        expect([res.action, res.alert]).toEqual([SimulatedAction.NONE, undefined]);
      }
    }
  });
});

describe('§6.4 which rule names the alert', () => {
  test('two policies on the same dir: the first applied names the alert', () => {
    const a = ksp('first', { severity: 1, file: { matchDirectories: [{ dir: '/etc/', recursive: true, readOnly: true }] } });
    const b = ksp('second', { severity: 9, file: { matchDirectories: [{ dir: '/etc/', recursive: true, readOnly: true }] } });
    const res1 = simulator([a, b]).evaluate(req(Op.WRITE, '/etc/passwd'));
    const res2 = simulator([b, a]).evaluate(req(Op.WRITE, '/etc/passwd'));
    expect([res1.alert?.policyName, res2.alert?.policyName]).toEqual(['first', 'second']);
    expect(res1.matchedPolicies).toEqual(['first', 'second']);
    expect(res1.caveats.join('\n')).toContain('several policies match (first, second)');
  });

  test('the first matching Block rule names the alert although another policy decides the denial', () => {
    const fim = ksp('fim', { file: { matchDirectories: [{ dir: '/etc/', recursive: true, readOnly: true }] } });
    const secret = ksp('secret', { file: { matchPaths: [{ path: '/etc/shadow' }] } });
    const res = simulator([fim, secret]).evaluate(req(Op.READ, '/etc/shadow'));
    expect([verdict(res), res.decidedBy, res.alert?.policyName]).toEqual(['DENIED', 'secret', 'fim']);
    expect(res.caveats.join('\n')).toContain('alert attribution: KubeArmor names fim (first matching rule) although secret decides the denial');
  });

  test('within a policy, process rules come before file rules, matchPaths before matchDirectories', () => {
    const sim = simulator([ksp('p', {
      file: {
        matchDirectories: [{ dir: '/etc/', recursive: true, severity: 2 }],
        matchPaths: [{ path: '/etc/shadow', severity: 8 }],
      },
    })]);
    expect(sim.evaluate(req(Op.READ, '/etc/shadow')).alert?.severity).toBe('8');
  });
});

describe('per-enforcer conflicts (§6.2 deny wins / first wins, §6.3 last wins)', () => {
  test('Block dir + Allow path inside it: AppArmor deny wins, BPF-LSM exact key wins', () => {
    const sim = simulator([
      ksp('block-etc', { action: 'Block', file: { matchDirectories: [{ dir: '/etc/', recursive: true }] } }),
      ksp('allow-hosts', { action: 'Allow', file: { matchPaths: [{ path: '/etc/hosts' }] } }),
    ]);
    expect(verdict(sim.evaluate(req(Op.READ, '/etc/hosts', { enforcer: AA })))).toBe('DENIED');
    expect(verdict(sim.evaluate(req(Op.READ, '/etc/hosts', { enforcer: BPF })))).toBe('PERMITTED');
  });

  test('same key, same action, different flags: AppArmor first wins, BPF-LSM last wins', () => {
    const sim = simulator([
      ksp('ro', { file: { matchDirectories: [{ dir: '/data/', recursive: true, readOnly: true }] } }),
      ksp('all', { file: { matchDirectories: [{ dir: '/data/', recursive: true }] } }),
    ]);
    expect(verdict(sim.evaluate(req(Op.READ, '/data/f', { enforcer: AA })))).toBe('PERMITTED');
    const bpf = sim.evaluate(req(Op.READ, '/data/f', { enforcer: BPF }));
    // the alert matcher names the first rule whose resource matches (ro), not the one that decided
    expect([verdict(bpf), bpf.decidedBy, bpf.alert?.policyName]).toEqual(['DENIED', 'all', 'ro']);
    expect(bpf.caveats.join('\n')).toContain('alert attribution');
  });

  test('matchPatterns: enforced by AppArmor, not by BPF-LSM; the alert matcher uses Go filepath.Match', () => {
    const sim = simulator([ksp('p', { file: { matchPatterns: [{ pattern: '/tmp/*.sh' }] } })]);
    const aa = sim.evaluate(req(Op.WRITE, '/tmp/x.sh', { enforcer: AA }));
    expect([verdict(aa), aa.alert?.policyName]).toEqual(['DENIED', 'p']);
    const bpf = sim.evaluate(req(Op.WRITE, '/tmp/x.sh', { enforcer: BPF }));
    expect([verdict(bpf), bpf.alert]).toEqual(['PERMITTED', undefined]);
    expect(bpf.caveats.join('\n')).toContain('matchPatterns are not enforced by BPF-LSM (UpdateContainerRules writes no pattern rules; #1592)');
    expect(verdict(sim.evaluate(req(Op.WRITE, '/tmp/a/x.sh', { enforcer: AA })))).toBe('PERMITTED');
  });

  test('a glob in path is a glob for AppArmor and a literal for BPF-LSM (#1900)', () => {
    const sim = simulator([ksp('p', { file: { matchPaths: [{ path: '/etc/*.conf' }] } })]);
    const aa = sim.evaluate(req(Op.READ, '/etc/a.conf', { enforcer: AA }));
    expect(verdict(aa)).toBe('DENIED');
    expect(aa.caveats.join('\n')).toContain('#1900');
    expect(verdict(sim.evaluate(req(Op.READ, '/etc/a.conf', { enforcer: BPF })))).toBe('PERMITTED');
  });
});

describe('fromSource', () => {
  test('a fromSource rule applies only to that process', () => {
    const sim = simulator([ksp('p', { file: { matchPaths: [{ path: '/etc/shadow', fromSource: [{ path: '/bin/cat' }] }] } })]);
    for (const enforcer of [AA, BPF]) {
      expect(verdict(sim.evaluate(req(Op.READ, '/etc/shadow', { process: '/bin/cat', enforcer })))).toBe('DENIED');
      expect(verdict(sim.evaluate(req(Op.READ, '/etc/shadow', { process: '/usr/bin/head', enforcer })))).toBe('PERMITTED');
    }
  });

  test('a global Block dir is copied into the fromSource profile under AppArmor (deny wins); BPF-LSM looks up (path, source) first', () => {
    const sim = simulator([
      ksp('block-secret', { action: 'Block', file: { matchDirectories: [{ dir: '/secret/', recursive: true }] } }),
      ksp('reader', { action: 'Allow', file: { matchPaths: [{ path: '/secret/key', fromSource: [{ path: '/app/reader' }] }] } }),
    ]);
    expect(verdict(sim.evaluate(req(Op.READ, '/secret/key', { process: '/app/reader', enforcer: AA })))).toBe('DENIED');
    expect(verdict(sim.evaluate(req(Op.READ, '/secret/key', { process: '/app/reader', enforcer: BPF })))).toBe('PERMITTED');
    expect(verdict(sim.evaluate(req(Op.READ, '/secret/key', { process: '/bin/cat', enforcer: BPF })))).toBe('DENIED');
  });

  test('the alert matcher also accepts the parent process as source', () => {
    const sim = simulator([ksp('p', { action: 'Audit', file: { matchPaths: [{ path: '/etc/shadow', fromSource: [{ path: '/bin/bash' }] }] } })]);
    expect(sim.evaluate(req(Op.READ, '/etc/shadow', { process: '/bin/cat', parentProcess: '/bin/bash' })).alert?.policyName).toBe('p');
  });
});

describe('process rules (EXEC)', () => {
  test.each<[string, any, string, Verdict, Verdict]>([
    ['matchPaths path', { matchPaths: [{ path: '/usr/bin/apt' }] }, '/usr/bin/apt', 'DENIED', 'DENIED'],
    ['matchPaths path, other binary', { matchPaths: [{ path: '/usr/bin/apt' }] }, '/usr/bin/ls', 'PERMITTED', 'PERMITTED'],
    ['matchDirectories non-recursive, direct child', { matchDirectories: [{ dir: '/usr/sbin/' }] }, '/usr/sbin/useradd', 'DENIED', 'DENIED'],
    ['matchDirectories non-recursive, deeper', { matchDirectories: [{ dir: '/usr/sbin/' }] }, '/usr/sbin/x/tool', 'PERMITTED', 'PERMITTED'],
    ['matchDirectories recursive, deeper', { matchDirectories: [{ dir: '/usr/sbin/', recursive: true }] }, '/usr/sbin/x/tool', 'DENIED', 'DENIED'],
    // BPF-LSM looks the executable's base name up after the exact path (enforcer.bpf.c:205-217)
    ['execname', { matchPaths: [{ execname: 'nc' }] }, '/usr/bin/nc', 'DENIED', 'DENIED'],
    ['matchPatterns', { matchPatterns: [{ pattern: '/tmp/**' }] }, '/tmp/a/b', 'DENIED', 'PERMITTED'],
  ])('Block %s: exec %s is %s under AppArmor, %s under BPF-LSM', (_n, process, path, aa, bpf) => {
    const sim = simulator([ksp('no-exec', { action: 'Block', severity: 6, process })]);
    const resAa = sim.evaluate(req(Op.EXEC, path, { enforcer: AA, process: '/bin/bash' }));
    const resBpf = sim.evaluate(req(Op.EXEC, path, { enforcer: BPF, process: '/bin/bash' }));
    expect([verdict(resAa), verdict(resBpf)]).toEqual([aa, bpf]);
    if (aa === 'DENIED' && _n !== 'matchPatterns') {
      expect(resAa.toKubeArmorJson()).toMatchObject({ PolicyName: 'no-exec', Severity: '6', Action: 'Block', Operation: 'Process', Resource: path, ProcessName: path, ParentProcessName: '/bin/bash', Enforcer: 'AppArmor' });
    }
    if (bpf === 'PERMITTED' && aa === 'DENIED') expect(resBpf.caveats.join('\n')).toContain('matchPatterns are not enforced by BPF-LSM');
  });

  test('a pattern with ** is enforced by AppArmor but dropped by the alert matcher (Go regexp.Compile fails)', () => {
    const sim = simulator([ksp('no-exec', { action: 'Block', process: { matchPatterns: [{ pattern: '/tmp/**' }] } })]);
    const res = sim.evaluate(req(Op.EXEC, '/tmp/a/b', { process: '/bin/bash' }));
    expect([verdict(res), res.alert]).toEqual(['DENIED', undefined]);
    expect(res.caveats.join('\n')).toContain('attributes the event to no rule');
  });

  test('process Allow flips to allow-list: other binaries follow the posture', () => {
    const sim = simulator([ksp('only-nginx', { action: 'Allow', process: { matchPaths: [{ path: '/usr/sbin/nginx' }] } })]);
    for (const enforcer of [AA, BPF]) {
      expect(sim.evaluate(req(Op.EXEC, '/usr/sbin/nginx', { enforcer, defaultFilePosture: BLOCK })).action).toBe(SimulatedAction.ALLOW);
      const res = sim.evaluate(req(Op.EXEC, '/bin/sh', { enforcer, defaultFilePosture: BLOCK }));
      expect([verdict(res), res.action, res.alert?.policyName, res.alert?.operation]).toEqual(['DENIED', SimulatedAction.ALLOW_LIST_DEFAULT, 'DefaultPosture', 'Process']);
    }
  });

  test('process ownerOnly: only the owner of the binary may run it', () => {
    const sim = simulator([ksp('p', { action: 'Block', process: { matchPaths: [{ path: '/app/tool', ownerOnly: true }] } })]);
    expect(verdict(sim.evaluate(req(Op.EXEC, '/app/tool', { uid: 1000, ownerUid: 1000 })))).toBe('PERMITTED');
    expect(verdict(sim.evaluate(req(Op.EXEC, '/app/tool', { uid: 1000, ownerUid: 0 })))).toBe('DENIED');
  });
});

describe('network protocols and capabilities', () => {
  test('Block protocol: denied under both enforcers; other protocols pass', () => {
    const sim = simulator([ksp('no-raw', { action: 'Block', severity: 5, network: { matchProtocols: [{ protocol: 'icmp' }] } })]);
    for (const enforcer of [AA, BPF]) {
      const res = sim.evaluate({ ...WEB, operation: Op.NETWORK, protocol: 'ICMP', process: '/bin/ping', enforcer });
      expect([verdict(res), res.action]).toEqual(['DENIED', SimulatedAction.BLOCK]);
      // the Network Block branch of the matcher sets Tags but not ATags
      expect(res.alert).toMatchObject({ policyName: 'no-raw', operation: 'Network', action: 'Block', aTags: [] });
      expect(verdict(sim.evaluate({ ...WEB, operation: Op.NETWORK, protocol: 'tcp', enforcer }))).toBe('PERMITTED');
    }
  });

  test('Allow tcp flips the network allow-list: udp follows the network posture', () => {
    const sim = simulator([ksp('tcp-only', { action: 'Allow', network: { matchProtocols: [{ protocol: 'tcp' }] } })]);
    expect(sim.evaluate({ ...WEB, operation: Op.NETWORK, protocol: 'tcp' }).action).toBe(SimulatedAction.ALLOW);
    const audit = sim.evaluate({ ...WEB, operation: Op.NETWORK, protocol: 'udp' });
    expect([verdict(audit), audit.alert?.policyName, audit.alert?.action]).toEqual(['PERMITTED', 'DefaultPosture', 'Audit']);
    const block = sim.evaluate({ ...WEB, operation: Op.NETWORK, protocol: 'udp', defaultNetworkPosture: BLOCK });
    expect([verdict(block), block.alert?.policyName]).toEqual(['DENIED', 'DefaultPosture']);
    // files are not affected by a network allow-list
    expect(sim.evaluate(req(Op.WRITE, '/tmp/x', { defaultFilePosture: BLOCK })).action).toBe(SimulatedAction.NONE);
  });

  test('Block capability: denied; BPF-LSM alert is Capabilities/CAP_NET_RAW, AppArmor raises none', () => {
    const sim = simulator([ksp('no-net-raw', { action: 'Block', capabilities: { matchCapabilities: [{ capability: 'net_raw' }] } })]);
    const bpf = sim.evaluate({ ...WEB, operation: Op.CAPABILITY, capability: 'CAP_NET_RAW', enforcer: BPF });
    expect([verdict(bpf), bpf.alert?.operation, bpf.alert?.resource, bpf.alert?.policyName]).toEqual(['DENIED', 'Capabilities', 'CAP_NET_RAW', 'no-net-raw']);
    const aa = sim.evaluate({ ...WEB, operation: Op.CAPABILITY, capability: 'net_raw', enforcer: AA });
    expect([verdict(aa), aa.alert]).toEqual(['DENIED', undefined]);
    expect(aa.caveats.join('\n')).toContain('only for net_raw');
    expect(verdict(sim.evaluate({ ...WEB, operation: Op.CAPABILITY, capability: 'sys_admin' }))).toBe('PERMITTED');
  });
});

describe('pod switches and special policies', () => {
  const fim = ksp('fim', { file: { matchDirectories: [{ dir: '/etc/', recursive: true }] } });

  test('kubearmor-policy: audited: nothing is enforced, the alert says "Audit (Block)" from the eBPF Monitor', () => {
    const res = simulator([fim]).evaluate(req(Op.READ, '/etc/passwd', { podAnnotations: { 'kubearmor-policy': 'audited' } }));
    expect([verdict(res), res.action, res.result]).toEqual(['PERMITTED', SimulatedAction.AUDITED_BLOCK, 'Passed']);
    expect(res.alert).toMatchObject({ action: 'Audit (Block)', enforcer: 'eBPF Monitor', policyName: 'fim' });
  });

  test('kubearmor-policy: disabled: no enforcement, no alert', () => {
    const res = simulator([fim]).evaluate(req(Op.READ, '/etc/passwd', { podAnnotations: { 'kubearmor-policy': 'disabled' } }));
    expect([verdict(res), res.action, res.alert]).toEqual(['PERMITTED', SimulatedAction.NONE, undefined]);
  });

  test('a policy with spec.apparmor is skipped by the alert matcher', () => {
    const native = ksp('native', { apparmor: 'deny /etc/shadow r,', file: { matchPaths: [{ path: '/etc/passwd' }] } });
    const res = simulator([native]).evaluate(req(Op.READ, '/etc/passwd'));
    expect([verdict(res), res.alert]).toEqual(['DENIED', undefined]);
    expect(res.caveats.join('\n')).toContain('spec.apparmor');
  });

  test('symlinked system dirs are called out', () => {
    const res = simulator([fim]).evaluate(req(Op.WRITE, '/bin/sh'));
    expect(res.caveats.join('\n')).toContain('merged-/usr');
  });
});

describe('request validation', () => {
  const sim = simulator([]);
  test.each<[string, AccessRequest, string]>([
    ['no workload', { operation: Op.READ, path: '/etc/passwd' }, "READ request names no workload: give 'workload', 'namespace' (+ 'labels'), or 'node'"],
    ['no path', { ...WEB, operation: Op.WRITE }, "WRITE needs 'path'"],
    ['a relative path', { ...WEB, operation: Op.READ, path: 'etc/passwd' }, "path 'etc/passwd' must be absolute"],
    ['no protocol', { ...WEB, operation: Op.NETWORK }, "NETWORK needs 'protocol' (e.g. 'tcp')"],
    ['no capability', { ...WEB, operation: Op.CAPABILITY }, "CAPABILITY needs 'capability' (e.g. 'net_raw')"],
  ])('fails when the request has %s', (_n, request, message) => {
    expect(() => sim.evaluate(request)).toThrow(message);
  });
});
