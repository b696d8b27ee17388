/**
 * verdictClass: operations of one class get the same verdict from each enforcer (the divergence lint decides
 * each class once). Checked exhaustively over rules of every flag combination, probe paths at, under and
 * beside each rule, both callers and both file postures.
 */
import { AccessOperation } from '../../../src/simulator';
import { compilePolicies } from '../../../src/simulator/private/compile';
import { appArmorDecision, bpfDecision, LsmPostures, ownerFor, verdictClass } from '../../../src/simulator/private/decide';
import { EndpointIndex } from '../../../src/simulator/private/endpoint';
import { Ctx } from '../../../src/simulator/private/enforcement';
import { expectConformant } from '../../conformance/harness';

const KSP = (name: string, action: string, file: any) => ({
  apiVersion: 'security.kubearmor.com/v1',
  kind: 'KubeArmorPolicy',
  metadata: { name, namespace: 'shop' },
  spec: { severity: 5, selector: { matchLabels: { app: 'web' } }, action, file },
});

const FILE_OPS = [
  AccessOperation.READ, AccessOperation.WRITE, AccessOperation.APPEND, AccessOperation.TRUNCATE, AccessOperation.CREATE,
  AccessOperation.DELETE, AccessOperation.RENAME, AccessOperation.MKDIR, AccessOperation.CHMOD,
];

function policySets(): any[][] {
  const sets: any[][] = [];
  for (const action of ['Block', 'Allow', 'Audit']) {
    for (const readOnly of [false, true]) {
      for (const ownerOnly of [false, true]) {
        const flags = { ...(readOnly ? { readOnly } : {}), ...(ownerOnly ? { ownerOnly } : {}) };
        sets.push([KSP('p', action, {
          matchPaths: [{ path: '/etc/app.conf', ...flags }, { path: '/bin/tool', fromSource: [{ path: '/bin/sh' }], ...flags }],
          matchDirectories: [{ dir: '/var/data/', recursive: true, ...flags }, { dir: '/srv/', ...flags }],
        })]);
      }
    }
  }
  // A Block and an Allow policy on the same pods.
  sets.push([KSP('b', 'Block', { matchDirectories: [{ dir: '/etc/', recursive: true }] }), KSP('a', 'Allow', { matchPaths: [{ path: '/etc/app.conf', readOnly: true }] })]);
  return sets;
}

const PATHS = ['/etc/app.conf', '/etc/other', '/bin/tool', '/var/data/x', '/var/data/d/x', '/var/data', '/srv/x', '/srv/d/x', '/tmp/x'];
const POSTURES: LsmPostures[] = [
  { file: 'audit', network: 'audit', capabilities: 'audit' },
  { file: 'block', network: 'audit', capabilities: 'audit' },
];

test('operations of one verdict class are decided alike by AppArmor and by BPF-LSM', () => {
  let compared = 0;
  for (const manifests of policySets()) {
    expectConformant(manifests);
    const ep = new EndpointIndex(compilePolicies(manifests));
    for (const path of PATHS) {
      for (const process of ['', '/bin/sh']) {
        for (const uid of [0, 1000]) {
          for (const posture of POSTURES) {
            for (const appArmor of [true, false]) {
              const verdict = (op: AccessOperation) => {
                const c: Ctx = { op, path, process, parent: '', isOwner: ownerFor(appArmor, op, uid, 0), entry: false, execSource: process === '' ? undefined : process, args: undefined, caveats: undefined };
                const e = appArmor ? appArmorDecision(ep, false, c, false, posture) : bpfDecision(ep, c, false, posture);
                return `${e.denied}|${e.rule?.policy.name ?? ''}|${e.rule?.pointer ?? ''}`;
              };
              const byClass = new Map<string, string>();
              for (const op of FILE_OPS) {
                const v = verdict(op);
                const first = byClass.get(verdictClass(op));
                if (first === undefined) {byClass.set(verdictClass(op), v);} else {
                  expect({ op, path, process, uid, appArmor, verdict: v }).toEqual({ op, path, process, uid, appArmor, verdict: first });
                  compared++;
                }
              }
            }
          }
        }
      }
    }
  }
  expect(compared).toBeGreaterThan(1000);
});

test('the classes separate what the enforcers tell apart', () => {
  const classes = new Set(FILE_OPS.map(verdictClass));
  // read, write/append, the path hooks, create (owner under AppArmor), mkdir (dir/ under AppArmor)
  expect(classes.size).toBe(5);
  expect(verdictClass(AccessOperation.WRITE)).toBe(verdictClass(AccessOperation.APPEND));
  expect(verdictClass(AccessOperation.WRITE)).not.toBe(verdictClass(AccessOperation.TRUNCATE));
  expect(verdictClass(AccessOperation.CREATE)).not.toBe(verdictClass(AccessOperation.DELETE));
  expect(verdictClass(AccessOperation.EXEC)).not.toBe(verdictClass(AccessOperation.READ));
});
