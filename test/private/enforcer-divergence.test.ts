import { appArmorClass, bpfClass, divergencesOf, simulatedBpfKeyCount } from '../../src/private/enforcer-divergence';
import { buildContext } from '../../src/private/lint-context';
import { LINT_TABLE } from '../../src/private/lint-rules';
import { lintManifests } from '../../src/private/lints';
import { AccessOperation } from '../../src/simulator';
import { buildBpfMaps } from '../../src/simulator/private/bpf-maps';
import { compilePolicies } from '../../src/simulator/private/compile';
import { appArmorDecision, bpfDecision, LsmPostures } from '../../src/simulator/private/decide';
import { EndpointIndex } from '../../src/simulator/private/endpoint';
import { Ctx } from '../../src/simulator/private/enforcement';

const KSP = (name: string, spec: any) => ({
  apiVersion: 'security.kubearmor.com/v1',
  kind: 'KubeArmorPolicy',
  metadata: { name, namespace: 'shop' },
  spec: { severity: 5, selector: { matchLabels: { app: 'web' } }, ...spec },
});

const OPS = Object.values(AccessOperation).filter((op) => op !== AccessOperation.CHOWN);
const POSTURES: LsmPostures[] = [
  { file: 'audit', network: 'audit', capabilities: 'audit' },
  { file: 'block', network: 'audit', capabilities: 'audit' },
];

/** Policies whose rules use every flag the deciders look at, in Block and Allow (allow-list) mode. */
const CASES: any[][] = [
  [KSP('block', {
    action: 'Block',
    file: {
      matchDirectories: [{ dir: '/etc/', recursive: true, readOnly: true }, { dir: '/var/log/', ownerOnly: true }],
      matchPaths: [{ path: '/etc/passwd', ownerOnly: true }, { path: '/tmp/x', readOnly: true, ownerOnly: true }, { path: '/etc/ssl/key', fromSource: [{ path: '/bin/sh' }] }],
    },
    process: { matchPaths: [{ path: '/usr/bin/curl', ownerOnly: true }], matchDirectories: [{ dir: '/sbin/', recursive: true }] },
  })],
  [KSP('allow', {
    action: 'Allow',
    file: {
      matchDirectories: [{ dir: '/etc/', recursive: true, readOnly: true }, { dir: '/tmp/', ownerOnly: true }],
      matchPaths: [{ path: '/var/log/app.log', readOnly: true, ownerOnly: true }],
    },
    process: { matchPaths: [{ path: '/bin/sh' }, { path: '/usr/bin/curl', fromSource: [{ path: '/bin/sh' }] }] },
  }), KSP('audit', { action: 'Audit', file: { matchPaths: [{ path: '/etc/shadow' }] } })],
];
const PATHS = ['/etc/passwd', '/etc/ssl/key', '/etc/a/b', '/etc', '/tmp/x', '/tmp/y', '/var/log/app.log', '/var/log', '/usr/bin/curl', '/sbin/x', '/bin/sh', '/opt/z'];

describe('the per-enforcer operation classes of the divergence lint', () => {
  test.each(CASES.map((c, i) => [i, c]))('operations of one class get the same decision from that enforcer (case %i)', (_i, manifests) => {
    const ep = new EndpointIndex(compilePolicies(manifests as any[]));
    let compared = 0;
    for (const appArmor of [true, false]) {
      const classOf = appArmor ? appArmorClass : bpfClass;
      for (const posture of POSTURES) {
        for (const path of PATHS) {
          for (const process of ['', '/bin/sh']) {
            for (const isOwner of [true, false]) {
              const byClass = new Map<string, { op: AccessOperation; e: any }>();
              for (const op of OPS) {
                const ctx: Ctx = { op, path, process, parent: '', isOwner, entry: false, execSource: process === '' ? undefined : process, args: undefined, caveats: undefined };
                const exec = op === AccessOperation.EXEC;
                const e = appArmor ? appArmorDecision(ep, false, ctx, exec, posture) : bpfDecision(ep, ctx, exec, posture);
                const seen = byClass.get(classOf(op));
                if (seen === undefined) {
                  byClass.set(classOf(op), { op, e });
                } else {
                  compared++;
                  expect({ op, denied: e.denied, byPosture: e.byPosture, rule: e.rule?.pointer })
                    .toEqual({ op, denied: seen.e.denied, byPosture: seen.e.byPosture, rule: seen.e.rule?.pointer });
                }
              }
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(0);
  });

  test('the classes separate what each enforcer mediates differently', () => {
    expect(new Set(OPS.map(appArmorClass))).toEqual(new Set(['r', 'w', 'd', AccessOperation.EXEC]));
    expect(new Set(OPS.map(bpfClass))).toEqual(new Set(['r', 'w', 'p', AccessOperation.EXEC]));
    expect(appArmorClass(AccessOperation.MKDIR)).not.toEqual(appArmorClass(AccessOperation.CREATE));
    expect(bpfClass(AccessOperation.WRITE)).not.toEqual(bpfClass(AccessOperation.TRUNCATE));
  });
});

/** The divergence findings of a set of policies (expected messages: computed before the per-enforcer classes). */
const divergences = (manifests: any[]) => lintManifests(manifests).filter((f) => f.id === 'KA020' || f.id === 'KA025').map((f) => [f.id, f.jsonPath, f.message]);

describe('the divergence lint decides per posture, per enforcer class and per ownership', () => {
  test('an Allow + ownerOnly path: the owner, the block posture and the path hooks (but not write) are told apart', () => {
    const host = {
      apiVersion: 'security.kubearmor.com/v1',
      kind: 'KubeArmorHostPolicy',
      metadata: { name: 'p-0' },
      spec: { action: 'Allow', file: { matchPaths: [{ path: '/usr/bin/curl', readOnly: true, ownerOnly: true, action: 'Allow' }] }, nodeSelector: { matchLabels: { 'kubernetes.io/hostname': 'a' } } },
    };
    expect(divergences([host])).toEqual([['KA025', '/spec/file/matchPaths/0', 'file.matchPaths /usr/bin/curl (action=Allow, readOnly=true, ownerOnly=true) in KubeArmorHostPolicy/p-0 is enforced differently by AppArmor and BPF-LSM: at /usr/bin/curl, TRUNCATE by the owner (file posture block), CREATE by the owner (file posture block), DELETE by the owner (file posture block), RENAME by the owner (file posture block), CHMOD by the owner (file posture block) denied by AppArmor but permitted by BPF-LSM']]);
  });

  test('an Allow directory: only mkdir under the block posture differs (mkdir is its own AppArmor class)', () => {
    const m = KSP('p-0', { action: 'Allow', file: { matchDirectories: [{ dir: '/home/user/' }] } });
    expect(divergences([m])).toEqual([['KA025', '/spec/file/matchDirectories/0', 'file.matchDirectories /home/user/ (action=Allow) in KubeArmorPolicy/shop/p-0 is enforced differently by AppArmor and BPF-LSM: at a file in /home/user/, MKDIR (file posture block) denied by AppArmor but permitted by BPF-LSM']]);
  });
});

describe('the BPF-LSM key count the divergence simulation shares with KA022', () => {
  const dirs = (n: number, extra: any = {}) => KSP(`dirs-${n}`, { action: 'Block', file: { matchDirectories: Array.from({ length: n }, (_, i) => ({ dir: `/data/d${i}/`, recursive: true })), ...extra } });
  const countOf = (manifests: any[]) => buildBpfMaps(compilePolicies(manifests).flatMap((p) => p.rules), POSTURES[0]).keyCount;

  test('equals the count of the map built from the policies as they are', () => {
    const manifests = [dirs(150), KSP('paths', { action: 'Block', file: { matchPaths: [{ path: '/etc/passwd', ownerOnly: true }] }, process: { matchPaths: [{ path: '/bin/sh' }] } })];
    const ctx = buildContext(manifests, {});
    expect(simulatedBpfKeyCount(ctx, [0, 1])).toBeUndefined();
    divergencesOf(ctx, [0, 1]);
    expect(simulatedBpfKeyCount(ctx, [0, 1])).toEqual(countOf(manifests));
    expect(simulatedBpfKeyCount(ctx, [0, 1])).toBeGreaterThan(256);
    expect(simulatedBpfKeyCount(ctx, [0])).toBeUndefined();
    // KA022 reads the same, whether the simulation ran first (lintManifests) or not (the check alone).
    const alone = LINT_TABLE.find((r) => r.id === 'KA022')!.check(buildContext(manifests, {}));
    expect(alone.length).toBe(1);
    expect(lintManifests(manifests).filter((f) => f.id === 'KA022').map((f) => f.message)).toEqual(alone.map((f) => f.message));
  });

  test('is not shared when the simulation compiled the policies without their AppArmor-only parts', () => {
    for (const extra of [{ matchPatterns: [{ pattern: '/tmp/*' }] }]) {
      const manifests = [dirs(3, extra)];
      const ctx = buildContext(manifests, {});
      divergencesOf(ctx, [0]);
      expect(simulatedBpfKeyCount(ctx, [0])).toBeUndefined();
    }
    const apparmor = KSP('native', { action: 'Block', apparmor: 'deny /tmp/** w,', file: { matchPaths: [{ path: '/etc/passwd' }] } });
    const ctx = buildContext([apparmor], {});
    divergencesOf(ctx, [0]);
    expect(simulatedBpfKeyCount(ctx, [0])).toBeUndefined();
  });
});
