import { AccessRequest, PolicySimulator, SimulationResult } from '../../../src/simulator';
import { DecisionCache } from '../../../src/simulator/private/decision-cache';
import { AA, AUDIT, BLOCK, BPF, Op, csp, hsp, ksp } from '../helpers';

const MANIFESTS = [
  ksp('fim', {
    action: 'Block',
    file: {
      matchDirectories: [{ dir: '/etc/', recursive: true, readOnly: true }],
      matchPaths: [
        { path: '/data/secret', fromSource: [{ path: '/bin/cat' }] },
        { path: '/home/u/f', ownerOnly: true },
      ],
    },
    process: { matchPaths: [{ path: '/usr/bin/apt', fromSource: [{ path: '/bin/bash' }] }] },
    network: { matchProtocols: [{ protocol: 'tcp' }] },
    capabilities: { matchCapabilities: [{ capability: 'net_raw' }] },
  }),
  ksp('allow-list', { action: 'Allow', file: { matchDirectories: [{ dir: '/srv/', recursive: true }] }, network: { matchProtocols: [{ protocol: 'udp' }] }, capabilities: { matchCapabilities: [{ capability: 'chown' }] } }, 'list'),
  csp('audit-tmp', { selector: { matchExpressions: [{ key: 'namespace', operator: 'In', values: ['shop'] }] }, action: 'Audit', file: { matchDirectories: [{ dir: '/tmp/', recursive: true }] } }),
  hsp('host-etc', { nodeSelector: { matchLabels: { role: 'db' } }, action: 'Block', file: { matchDirectories: [{ dir: '/etc/', recursive: true, readOnly: true }] } }),
];

const options = {
  nodes: [{ name: 'n1', labels: { role: 'db' } }, { name: 'n2', labels: { role: 'web' } }],
  namespaces: [{ name: 'list', annotations: {} }],
};
const fresh = () => PolicySimulator.fromManifests(MANIFESTS, options);

/** Plain data: what a user can see of a result. */
function view(r: SimulationResult) {
  return { ...r, summary: r.summary, json: r.toKubeArmorJson() };
}

const pod = { namespace: 'shop', labels: { app: 'web' }, container: 'web' };
const listPod = { namespace: 'list', labels: { app: 'web' }, container: 'web' };

// [field, base request, the request with only that field (or what it resolves to) changed]
const CASES: [string, AccessRequest, AccessRequest][] = [
  ['operation', { ...pod, operation: Op.READ, path: '/etc/passwd', process: '/bin/sh' }, { ...pod, operation: Op.WRITE, path: '/etc/passwd', process: '/bin/sh' }],
  ['path', { ...pod, operation: Op.WRITE, path: '/etc/passwd', process: '/bin/sh' }, { ...pod, operation: Op.WRITE, path: '/var/passwd', process: '/bin/sh' }],
  ['process', { ...pod, operation: Op.READ, path: '/data/secret', process: '/bin/sh' }, { ...pod, operation: Op.READ, path: '/data/secret', process: '/bin/cat' }],
  ['parentProcess', { ...pod, operation: Op.READ, path: '/data/secret', process: '/bin/sh' }, { ...pod, operation: Op.READ, path: '/data/secret', process: '/bin/sh', parentProcess: '/bin/cat' }],
  ['execsDirectly', { ...pod, operation: Op.EXEC, path: '/usr/bin/apt', process: '/bin/bash', enforcer: BPF }, { ...pod, operation: Op.EXEC, path: '/usr/bin/apt', process: '/bin/bash', enforcer: BPF, execsDirectly: true }],
  ['containerEntry', { ...pod, operation: Op.READ, path: '/data/secret', process: '/bin/cat' }, { ...pod, operation: Op.READ, path: '/data/secret', process: '/bin/cat', containerEntry: true }],
  ['uid', { ...pod, operation: Op.READ, path: '/home/u/f', process: '/bin/sh', uid: 1000, ownerUid: 1000 }, { ...pod, operation: Op.READ, path: '/home/u/f', process: '/bin/sh', uid: 1001, ownerUid: 1000 }],
  ['ownerUid', { ...pod, operation: Op.READ, path: '/home/u/f', process: '/bin/sh', uid: 1000, ownerUid: 1000 }, { ...pod, operation: Op.READ, path: '/home/u/f', process: '/bin/sh', uid: 1000, ownerUid: 0 }],
  ['fileMode', { ...pod, operation: Op.READ, path: '/var/x', process: '/bin/sh', uid: 1000 }, { ...pod, operation: Op.READ, path: '/var/x', process: '/bin/sh', uid: 1000, fileMode: 0o600 }],
  ['readOnlyRootFilesystem', { ...pod, operation: Op.WRITE, path: '/var/x', process: '/bin/sh' }, { ...pod, operation: Op.WRITE, path: '/var/x', process: '/bin/sh', readOnlyRootFilesystem: true }],
  ['enforcer', { ...pod, operation: Op.WRITE, path: '/etc/passwd', process: '/bin/sh', enforcer: AA }, { ...pod, operation: Op.WRITE, path: '/etc/passwd', process: '/bin/sh', enforcer: BPF }],
  ['defaultFilePosture', { ...listPod, operation: Op.READ, path: '/var/x', process: '/bin/sh', defaultFilePosture: AUDIT }, { ...listPod, operation: Op.READ, path: '/var/x', process: '/bin/sh', defaultFilePosture: BLOCK }],
  ['defaultNetworkPosture', { ...listPod, operation: Op.NETWORK, protocol: 'tcp', process: '/bin/sh', defaultNetworkPosture: AUDIT }, { ...listPod, operation: Op.NETWORK, protocol: 'tcp', process: '/bin/sh', defaultNetworkPosture: BLOCK }],
  ['defaultCapabilitiesPosture', { ...listPod, operation: Op.CAPABILITY, capability: 'net_raw', process: '/bin/sh', defaultCapabilitiesPosture: AUDIT }, { ...listPod, operation: Op.CAPABILITY, capability: 'net_raw', process: '/bin/sh', defaultCapabilitiesPosture: BLOCK }],
  ['protocol', { ...pod, operation: Op.NETWORK, protocol: 'tcp', process: '/bin/sh' }, { ...pod, operation: Op.NETWORK, protocol: 'udp', process: '/bin/sh' }],
  ['capability', { ...pod, operation: Op.CAPABILITY, capability: 'net_raw', process: '/bin/sh' }, { ...pod, operation: Op.CAPABILITY, capability: 'sys_admin', process: '/bin/sh' }],
  ['podAnnotations', { ...pod, operation: Op.WRITE, path: '/etc/passwd', process: '/bin/sh' }, { ...pod, operation: Op.WRITE, path: '/etc/passwd', process: '/bin/sh', podAnnotations: { 'kubearmor-policy': 'audited' } }],
  ['labels', { ...pod, operation: Op.WRITE, path: '/etc/passwd', process: '/bin/sh' }, { ...pod, labels: { app: 'db' }, operation: Op.WRITE, path: '/etc/passwd', process: '/bin/sh' }],
  ['namespace', { ...pod, operation: Op.WRITE, path: '/tmp/x', process: '/bin/sh' }, { ...pod, namespace: 'other', operation: Op.WRITE, path: '/tmp/x', process: '/bin/sh' }],
  ['container', { ...pod, operation: Op.WRITE, path: '/etc/passwd', process: '/bin/sh' }, { ...pod, container: 'sidecar', operation: Op.WRITE, path: '/etc/passwd', process: '/bin/sh' }],
  ['node', { node: 'n1', operation: Op.WRITE, path: '/etc/passwd', process: '/bin/sh' }, { node: 'n2', operation: Op.WRITE, path: '/etc/passwd', process: '/bin/sh' }],
  ['nodeLabels', { node: 'n1', operation: Op.WRITE, path: '/etc/passwd', process: '/bin/sh' }, { node: 'n1', nodeLabels: { role: 'web' }, operation: Op.WRITE, path: '/etc/passwd', process: '/bin/sh' }],
];

describe('the decision memo', () => {
  test.each(CASES)('a request differing only in %s is decided afresh', (_field, base, changed) => {
    const warm = fresh();
    const first = view(warm.evaluate(base));
    expect(view(warm.evaluate(base))).toEqual(first); // now memoised (stored on the second occurrence)
    expect(view(warm.evaluate(base))).toEqual(first); // a memo hit
    const got = view(warm.evaluate(changed));
    expect(got).toEqual(view(fresh().evaluate(changed)));
    // the field matters for this request: a memo without it in the key would have answered `first`
    expect(got).not.toEqual(first);
    expect(view(warm.evaluate(base))).toEqual(first);
  });

  test('the simulator\'s defaults are part of the decision', () => {
    const r: AccessRequest = { ...listPod, operation: Op.READ, path: '/var/x', process: '/bin/sh' };
    const audit = PolicySimulator.fromManifests(MANIFESTS, { ...options, defaultFilePosture: AUDIT });
    const block = PolicySimulator.fromManifests(MANIFESTS, { ...options, defaultFilePosture: BLOCK });
    expect(audit.evaluate(r).permitted).toBe(true);
    expect(block.evaluate(r).permitted).toBe(false);
    expect(audit.evaluate(r).permitted).toBe(true);
  });

  test('a namespace posture annotation changed after construction is read again', () => {
    const annotations: Record<string, string> = {};
    const sim = PolicySimulator.fromManifests(MANIFESTS, { namespaces: [{ name: 'list', annotations }] });
    const r: AccessRequest = { ...listPod, operation: Op.READ, path: '/var/x', process: '/bin/sh' };
    expect(sim.evaluate(r).permitted).toBe(true);
    annotations['kubearmor-file-posture'] = 'block';
    expect(sim.evaluate(r).permitted).toBe(false);
  });

  test('labels changed in place select again', () => {
    const sim = fresh();
    const labels: Record<string, string> = { app: 'web' };
    const r: AccessRequest = { namespace: 'shop', labels, container: 'web', operation: Op.WRITE, path: '/etc/passwd', process: '/bin/sh' };
    expect(sim.evaluate(r).permitted).toBe(false);
    expect(sim.evaluate(r).permitted).toBe(false);
    labels.app = 'db';
    expect(sim.evaluate(r).permitted).toBe(true);
  });

  test('numbers and strings of the same text are different inputs', () => {
    const sim = fresh();
    const r: AccessRequest = { ...pod, operation: Op.READ, path: '/home/u/f', process: '/bin/sh', uid: 1000, ownerUid: 1000 };
    const asString = { ...r, ownerUid: '1000' as any };
    const a = view(sim.evaluate(r));
    sim.evaluate(r); // stored
    expect(view(sim.evaluate(asString))).toEqual(view(fresh().evaluate(asString)));
    expect(view(sim.evaluate(r))).toEqual(a);
  });

  test('every call returns new objects: changing one result changes no other', () => {
    const sim = fresh();
    const r: AccessRequest = { ...pod, operation: Op.WRITE, path: '/etc/passwd', process: '/bin/sh' };
    sim.evaluate(r);
    const a = sim.evaluate(r); // the second occurrence: its decision is stored
    const want = view(fresh().evaluate(r));
    expect(a.alert).toBeDefined();
    (a.matchedPolicies as string[]).push('x');
    (a.caveats as string[]).push('x');
    (a.alert!.aTags as string[]).push('x');
    (a as any).permitted = true;
    (a.alert as any).policyName = 'x';
    const b = sim.evaluate(r);
    expect(b).not.toBe(a);
    expect(b.alert).not.toBe(a.alert);
    expect(view(b)).toEqual(want);
    (b.matchedPolicies as string[]).push('y');
    expect(view(sim.evaluate(r))).toEqual(want);
  });
});

describe('results are the caller\'s own', () => {
  const tagged = [...MANIFESTS, ksp('tagged', { action: 'Audit', tags: ['PCI', 'NIST'], file: { matchPaths: [{ path: '/srv/tagged' }] } })];
  const sim = () => PolicySimulator.fromManifests(tagged, options);
  const requests: AccessRequest[] = [
    { ...pod, operation: Op.READ, path: '/var/nothing', process: '/bin/sh' }, // no policy matches: empty lists
    { ...pod, operation: Op.READ, path: '/srv/tagged', process: '/bin/sh' }, // an alert with the rule's tags
    { namespace: 'kube-system', labels: { app: 'web' }, operation: Op.READ, path: '/etc/x', process: '/bin/sh' }, // untracked
    { ...pod, operation: Op.NETWORK, protocol: 'icmp', process: '/bin/sh' },
  ];

  test('changing any list of any result (empty lists and the alert\'s tags too) changes no later result', () => {
    const s = sim();
    const want = requests.map((r) => view(sim().evaluate(r)));
    for (let round = 0; round < 4; round++) { // a miss, the stored second occurrence, then hits
      requests.forEach((r, i) => {
        const got = s.evaluate(r);
        expect(view(got)).toEqual(want[i]);
        (got.matchedPolicies as string[]).push('x');
        (got.caveats as string[]).push('x');
        if (got.alert !== undefined) (got.alert.aTags as string[]).push('x');
      });
    }
    expect(want[0].matchedPolicies).toEqual([]);
    expect(want[0].caveats).toEqual([]);
    expect(want[1].alert?.aTags).toEqual(['PCI', 'NIST']);
  });
});

describe('admission to the memo (decision-admission.ts)', () => {
  const requests = CASES.flatMap(([, base, changed]) => [base, changed]);

  test('a decision is stored on the second occurrence of its access, not the first', () => {
    const sim = fresh();
    const memo = (sim as any).decisions as DecisionCache;
    const r: AccessRequest = { ...pod, operation: Op.WRITE, path: '/etc/passwd', process: '/bin/sh' };
    for (let i = 0; i < 50; i++) sim.evaluate({ ...r, path: `/etc/once-${i}` });
    expect(memo.size).toBe(0);
    sim.evaluate(r);
    expect(memo.size).toBe(0);
    sim.evaluate(r);
    expect(memo.size).toBe(1);
    sim.evaluate(r);
    expect(memo.size).toBe(1); // the third is a hit
  });

  test('every result is the same whether its decision was stored or not', () => {
    const always = fresh();
    (always as any).admission.admit = () => true;
    const never = fresh();
    (never as any).admission.admit = () => false;
    const usual = fresh();
    for (let round = 0; round < 3; round++) {
      for (const r of requests) {
        const want = view(fresh().evaluate(r));
        expect(view(always.evaluate(r))).toEqual(want);
        expect(view(never.evaluate(r))).toEqual(want);
        expect(view(usual.evaluate(r))).toEqual(want);
      }
    }
    expect(((never as any).decisions as DecisionCache).size).toBe(0);
    expect(((always as any).decisions as DecisionCache).size).toBeGreaterThan(0);
  });

  test('changing the result that was stored changes no later hit', () => {
    for (const r of requests) {
      const sim = fresh();
      const want = view(fresh().evaluate(r));
      sim.evaluate(r);
      const stored = sim.evaluate(r);
      (stored.matchedPolicies as string[]).push('x');
      if (stored.caveats.length > 0) (stored.caveats as string[]).push('x');
      if (stored.alert !== undefined) {
        (stored.alert.aTags as string[]).push('x');
        (stored.alert as any).policyName = 'x';
      }
      (stored as any).decidedBy = 'x';
      expect(view(sim.evaluate(r))).toEqual(want);
    }
  });
});

describe('DecisionCache', () => {
  const result = new SimulationResult({ permitted: false, action: 'BLOCK' as any, result: 'Permission denied', matchedPolicies: ['p'], caveats: [], request: 'READ /x' });
  const endpoint: any = {};
  const postures = { file: 'audit', network: 'audit', capabilities: 'audit' };
  const r: AccessRequest = { operation: Op.READ, path: '/x' };

  test('keys every field of the request and the context', () => {
    const c = new DecisionCache();
    c.set(r, endpoint, false, true, postures, result);
    expect(c.get(r, endpoint, false, true, 'audit', 'audit', 'audit')?.permitted).toBe(false);
    expect(c.get(r, {} as any, false, true, 'audit', 'audit', 'audit')).toBeUndefined();
    expect(c.get(r, endpoint, true, true, 'audit', 'audit', 'audit')).toBeUndefined();
    expect(c.get(r, endpoint, false, false, 'audit', 'audit', 'audit')).toBeUndefined();
    expect(c.get(r, endpoint, false, true, 'block', 'audit', 'audit')).toBeUndefined();
    expect(c.get(r, endpoint, false, true, 'audit', 'block', 'audit')).toBeUndefined();
    expect(c.get(r, endpoint, false, true, 'audit', 'audit', 'block')).toBeUndefined();
    const fields: [keyof AccessRequest, unknown][] = [
      ['operation', Op.WRITE], ['path', '/y'], ['protocol', 'tcp'], ['capability', 'chown'], ['process', '/bin/sh'],
      ['parentProcess', '/bin/sh'], ['execsDirectly', true], ['containerEntry', true], ['uid', 1], ['ownerUid', 1],
      ['fileMode', 0o600], ['readOnlyRootFilesystem', true],
    ];
    for (const [k, v] of fields) expect(c.get({ ...r, [k]: v }, endpoint, false, true, 'audit', 'audit', 'audit')).toBeUndefined();
  });

  test('does not memoise requests carrying objects or -0', () => {
    const c = new DecisionCache();
    for (const extra of [{ args: ['-x'] }, { writableMounts: ['/x'] }, { workload: {} as any }, { process: {} as any }, { uid: -0 }]) {
      const q = { ...r, ...extra } as AccessRequest;
      c.set(q, endpoint, false, true, postures, result);
      expect(c.get(q, endpoint, false, true, 'audit', 'audit', 'audit')).toBeUndefined();
    }
    expect(c.size).toBe(0);
  });

  test('decisions on one endpoint and target stay apart through generations', () => {
    const c = new DecisionCache(2);
    const processes = ['/a', '/b', '/c', '/d', '/e'];
    const resultOf = (p: string) => new SimulationResult({ permitted: p === '/c', action: 'BLOCK' as any, result: p, matchedPolicies: [p], caveats: [p], request: `READ /x by ${p}` });
    for (const p of processes) c.set({ ...r, process: p }, endpoint, false, true, postures, resultOf(p));
    for (let round = 0; round < 4; round++) {
      for (const p of [...processes].reverse()) {
        const got = c.get({ ...r, process: p }, endpoint, false, true, 'audit', 'audit', 'audit');
        if (got === undefined) continue; // fell out of both generations
        expect(got.result).toBe(p);
        expect(got.matchedPolicies).toEqual([p]);
        expect(got.caveats).toEqual([p]);
        expect(got.permitted).toBe(p === '/c');
      }
      // every entry reachable from either generation counts against the bound (no chain reaches older entries)
      const reachable = new Set<unknown>();
      for (const gen of [(c as any).young, (c as any).old] as Map<unknown, Map<unknown, any>>[]) {
        for (const byTarget of gen.values()) for (let d = byTarget.get('/x'); d !== undefined; d = d.next) reachable.add(d);
      }
      expect(reachable.size).toBeLessThanOrEqual(4);
    }
    expect(c.get({ ...r, process: '/e' }, endpoint, false, true, 'audit', 'audit', 'audit')?.result).toBe('/e');
    const roomy = new DecisionCache();
    for (const p of processes) roomy.set({ ...r, process: p }, endpoint, false, true, postures, resultOf(p));
    for (const p of processes) expect(roomy.get({ ...r, process: p }, endpoint, false, true, 'audit', 'audit', 'audit')?.result).toBe(p);
  });

  test('the memo\'s copy shares nothing with the result it was given', () => {
    const c = new DecisionCache();
    const given = new SimulationResult({
      permitted: false,
      action: 'BLOCK' as any,
      result: 'Permission denied',
      matchedPolicies: ['p'],
      caveats: ['c'],
      request: 'READ /y',
      alert: { type: 'MatchedPolicy', policyName: 'p', severity: '1', tags: 't', aTags: ['t'], message: '', action: 'Block', result: 'Permission denied', enforcer: 'AppArmor', operation: 'File', resource: '/y', namespaceName: 'n', labels: '', containerName: '', processName: '', parentProcessName: '', hostName: '', uid: 0 },
    });
    const q = { ...r, path: '/y' };
    c.set(q, endpoint, false, true, postures, given);
    const want = view(c.get(q, endpoint, false, true, 'audit', 'audit', 'audit')!);
    (given.matchedPolicies as string[]).push('x');
    (given.caveats as string[]).push('x');
    (given.alert!.aTags as string[]).push('x');
    (given.alert as any).policyName = 'x';
    expect(view(c.get(q, endpoint, false, true, 'audit', 'audit', 'audit')!)).toEqual(want);
    expect(want.matchedPolicies).toEqual(['p']);
    expect(want.alert?.aTags).toEqual(['t']);
  });

  test('holds at most two generations', () => {
    const c = new DecisionCache(2);
    for (let i = 0; i < 10; i++) c.set({ ...r, path: `/p${i}` }, endpoint, false, true, postures, result);
    expect(c.size).toBeLessThanOrEqual(2);
    expect(c.get({ ...r, path: '/p9' }, endpoint, false, true, 'audit', 'audit', 'audit')).toBeDefined();
    expect(c.get({ ...r, path: '/p8' }, endpoint, false, true, 'audit', 'audit', 'audit')).toBeDefined();
    expect(c.get({ ...r, path: '/p0' }, endpoint, false, true, 'audit', 'audit', 'audit')).toBeUndefined();
  });
});
