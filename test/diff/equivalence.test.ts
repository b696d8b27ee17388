/**
 * Equivalence by effect beyond the example: hosts, namespace postures, network and capabilities, ownerOnly,
 * several containers, workloads of the same shape sharing one evaluation, lint findings resolved, policies
 * that stop selecting anything, and the three entry points.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { DiffChange, PolicyAction, PolicyDiff, PolicyTarget, SecurityPolicy } from '../../src';
import { expectConformant } from '../conformance/harness';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

const API = 'security.kubearmor.com/v1';
const ksp = (name: string, spec: any, labels: Record<string, string> = { app: 'a' }) =>
  ({ apiVersion: API, kind: 'KubeArmorPolicy', metadata: { name, namespace: 'ns' }, spec: { selector: { matchLabels: labels }, ...spec } });
const deployment = (name: string, labels: Record<string, string>, containers = ['main']) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'ns' },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: containers.map((c) => ({ name: c, image: 'x' })) } } },
});
const namespace = (annotations: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns', annotations } });

function diff(before: any[], after: any[]) {
  expectConformant([...before, ...after]);
  return PolicyDiff.compareManifests(before, after);
}

describe('equivalence by effect', () => {
  test('host policies: the node their nodeSelector names is the workload; an EXEC becomes denied', () => {
    const host = (action: string) => ({
      apiVersion: API,
      kind: 'KubeArmorHostPolicy',
      metadata: { name: 'h' },
      spec: { nodeSelector: { matchLabels: { 'kubernetes.io/hostname': 'n1' } }, action, process: { matchPaths: [{ path: '/usr/bin/curl' }] } },
    });
    const r = diff([host('Audit')], [host('Block')]);
    expect(r.workloads.map((w) => [w.workload, w.change])).toEqual([['host {kubernetes.io/hostname=n1}', DiffChange.CHANGED]]);
    expect(r.workloads[0].accesses.map((a) => a.description)).toContain(
      'EXEC /usr/bin/curl by /bin/sh: permitted, Audit alert h before, denied, Block alert h after [both enforcers, both postures]');
  });

  test('a namespace posture annotation changes only what allow-list mode leaves to the default posture', () => {
    const allow = ksp('allow', { action: 'Allow', file: { matchDirectories: [{ dir: '/app/', recursive: true }] } });
    const r = diff([deployment('d', { app: 'a' }), namespace({}), allow], [deployment('d', { app: 'a' }), namespace({ 'kubearmor-file-posture': 'block' }), allow]);
    const w = r.workloads[0];
    expect(w.posture).toEqual(['namespace ns kubearmor-file-posture: (default) → block']);
    expect(w.protection).toEqual([]);
    expect(w.accesses.map((a) => a.description)).toContain(
      'WRITE /diff-probe/unlisted-file by /bin/sh: permitted, Audit alert DefaultPosture before, denied, Block alert DefaultPosture after [AppArmor/audit, BPF-LSM/audit]');
  });

  test('network and capability rules are probed with the protocols and capabilities they name', () => {
    const before = ksp('net', { action: 'Block', network: { matchProtocols: [{ protocol: 'raw' }] } });
    const after = ksp('net', { action: 'Block', network: { matchProtocols: [{ protocol: 'icmp' }] }, capabilities: { matchCapabilities: [{ capability: 'net_admin' }] } });
    const w = diff([before], [after]).workloads[0];
    const d = w.accesses.map((a) => `${a.operation} ${a.target}: ${a.before} → ${a.after}`);
    expect(d).toContain('NETWORK raw: denied, Block alert net → permitted, no alert');
    expect(d).toContain('NETWORK icmp: permitted, no alert → denied, Block alert net');
    expect(d).toContain('CAPABILITY net_admin: permitted, no alert → denied, Block alert net');
  });

  test('ownerOnly rules are probed as the owner and as another user', () => {
    const before = ksp('o', { action: 'Block', file: { matchPaths: [{ path: '/etc/secret', readOnly: true }] } });
    const after = ksp('o', { action: 'Block', file: { matchPaths: [{ path: '/etc/secret', readOnly: true, ownerOnly: true }] } });
    const w = diff([before], [after]).workloads[0];
    expect(w.protection.map((p) => `${p.before} → ${p.after}`)).toEqual(['Block, readOnly → Block, ownerOnly, readOnly']);
    expect(w.accesses.some((a) => a.notOwner)).toBe(true);
    expect(w.accesses.every((a) => a.description.includes('(not the owner)') === a.notOwner)).toBe(true);
  });

  test('a policy for one container of a pod with two: probes run per container', () => {
    const c = (container: string) => ksp('c', { action: 'Block', file: { matchPaths: [{ path: '/etc/x' }] } }, { 'app': 'a', 'kubearmor.io/container.name': `[${container}]` });
    const r = diff([deployment('d', { app: 'a' }, ['web', 'side']), c('web')], [deployment('d', { app: 'a' }, ['web', 'side']), c('side')]);
    const d = r.workloads[0].accesses.map((a) => `${a.container} ${a.operation} ${a.target}: ${a.before} → ${a.after}`);
    expect(d).toContain('web READ /etc/x: denied, Block alert c → permitted, no alert');
    expect(d).toContain('side READ /etc/x: permitted, no alert → denied, Block alert c');
  });

  test('workloads of the same shape share one evaluation, and each reports its own policy names', () => {
    const pair = (i: number, action: string) => [deployment(`d${i}`, { app: `a${i}` }), ksp(`p${i}`, { action, file: { matchPaths: [{ path: '/etc/x' }] } }, { app: `a${i}` })];
    const r = diff([...pair(1, 'Block'), ...pair(2, 'Block')], [...pair(1, 'Audit'), ...pair(2, 'Audit')]);
    expect(r.workloads.map((w) => w.accesses.find((a) => a.operation === 'WRITE')!.description)).toEqual([
      'WRITE /etc/x by /bin/sh: denied, Block alert p1 before, permitted, Audit alert p1 after [both enforcers, both postures]',
      'WRITE /etc/x by /bin/sh: denied, Block alert p2 before, permitted, Audit alert p2 after [both enforcers, both postures]',
    ]);
  });

  test('a lint finding resolved; a policy that stops selecting its workload; an unselected policy\'s lints', () => {
    const noSeverity = ksp('p', { action: 'Block', file: { matchPaths: [{ path: '/etc/x' }] } });
    const withSeverity = ksp('p', { action: 'Block', severity: 4, file: { matchPaths: [{ path: '/etc/x' }] } });
    const r = diff([deployment('d', { app: 'a' }), noSeverity], [deployment('d', { app: 'a' }), withSeverity]);
    expect(r.workloads[0].lints.map((l) => `${l.change} ${l.id}`)).toEqual(['REMOVED KA009']);
    expect(r.toText()).toContain('resolved KA009 warning (p)');
    const gone = diff([deployment('d', { app: 'a' }), noSeverity], [deployment('d', { app: 'b' }), noSeverity]);
    expect(gone.newlySelectingNothing).toEqual(['KubeArmorPolicy/ns/p (selected 1 before)']);
    expect(gone.otherLints.map((l) => `${l.change} ${l.id}`)).toContain('ADDED KA001');
    expect(gone.hasChanges).toBe(true);
  });

  test('a workload only on one side is added or removed, with its protection', () => {
    const p = ksp('p', { action: 'Block', severity: 1, file: { matchPaths: [{ path: '/etc/x' }] } });
    const r = diff([p], [deployment('d', { app: 'a' }), p]);
    expect(r.workloads.map((w) => [w.key, w.change, w.protection.map((x) => x.change)])).toEqual([['Deployment/ns/d', DiffChange.ADDED, [DiffChange.ADDED]]]);
    expect(r.toText()).toContain('Deployment ns/d {app=a}: new workload');
  });
});

describe('entry points and formats', () => {
  const chart = (action: string) => {
    const app = new App();
    const c = new Chart(app, 'c', { namespace: 'ns' });
    const p = new SecurityPolicy(c, 'p', { target: PolicyTarget.podLabels({ app: 'a' }), action: action === 'Block' ? undefined : PolicyAction.AUDIT, severity: 2 });
    p.addFilePath('/etc/x', { readOnly: true });
    return app;
  };

  test('compareScopes, compareFiles (files and directories) and compareManifests agree', () => {
    const before = chart('Block');
    const after = chart('Audit');
    const scopes = PolicyDiff.compareScopes(before, after);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ka-diff-eq-'));
    fs.mkdirSync(path.join(dir, 'b'));
    fs.mkdirSync(path.join(dir, 'a'));
    fs.writeFileSync(path.join(dir, 'b', 'x.k8s.yaml'), before.charts[0].toJson().map((m) => YAML.stringify(m)).join('---\n'));
    fs.writeFileSync(path.join(dir, 'a', 'x.k8s.yaml'), after.charts[0].toJson().map((m) => YAML.stringify(m)).join('---\n'));
    const files = PolicyDiff.compareFiles([path.join(dir, 'b')], [path.join(dir, 'a', 'x.k8s.yaml')]);
    const manifests = PolicyDiff.compareManifests(before.charts[0].toJson(), after.charts[0].toJson());
    expect(files.toJson()).toEqual(scopes.toJson());
    expect(manifests.toJson()).toEqual(scopes.toJson());
    expect(scopes.hasChanges).toBe(true);
  });

  test('markdown: a summary row per changed workload, details collapsed, long access lists cut with a pointer to JSON', () => {
    const paths = Array.from({ length: 20 }, (_, i) => ({ path: `/etc/f${String(i).padStart(2, '0')}` }));
    const r = diff([ksp('p', { action: 'Block', file: { matchPaths: paths } })], [ksp('p', { action: 'Audit', file: { matchPaths: paths } })]);
    const md = r.toMarkdown();
    expect(md).toContain('| `pods ns {app=a}` | changed | 20 |  |  |  |  |  | 40 |');
    expect(md).toContain('<details><summary>pods ns {app=a}</summary>');
    expect(md).toContain('… and 28 more (--format json lists all)');
    expect(r.toJson().workloads[0].accesses).toHaveLength(40);
  });

  test('an invalid policy stops compareFiles with file:line, field and fix', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ka-diff-bad-'));
    const file = path.join(dir, 'p.yaml');
    fs.writeFileSync(file, `apiVersion: ${API}\nkind: KubeArmorPolicy\nmetadata:\n  name: p\n  namespace: ns\nspec:\n  selector:\n    matchLabels: {app: a}\n  action: Blok\n  file:\n    matchPaths:\n      - path: /etc/x\n`);
    expect(() => PolicyDiff.compareFiles([file], [file])).toThrow(new RegExp(`PolicyDiff: 1 problem in the before policies[\\s\\S]*${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:9 \\(document 1\\): ERROR KA-SCHEMA: spec\\.action`));
  });
});
