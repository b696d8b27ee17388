import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IMPACT_USAGE } from '../../src/cli/impact';
import { run } from '../../src/cli/main';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'impact-cli-'));
const policy = path.join(dir, 'policy.yaml');
const broken = path.join(dir, 'broken.yaml');
const logs = path.join(dir, 'logs.jsonl');
const harmless = path.join(dir, 'harmless.jsonl');
fs.writeFileSync(policy, `apiVersion: security.kubearmor.com/v1
kind: KubeArmorPolicy
metadata:
  name: web-fim
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  action: Audit
  file:
    matchDirectories:
      - dir: /usr/lib/
        recursive: true
        readOnly: true
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: web:1
`);
fs.writeFileSync(path.join(dir, 'construct-metadata.json'), JSON.stringify({ version: '1.0.0', resources: { 'web-fim': { path: 'shop/fim/Policy/Resource' } } }));
fs.writeFileSync(broken, 'apiVersion: security.kubearmor.com/v1\nkind: KubeArmorPolicy\nmetadata:\n  name: bad\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: web\n  action: block\n  file:\n    matchPaths:\n      - path: /etc/x\n');
const write = { Type: 'ContainerLog', NamespaceName: 'shop', Labels: 'app=web', ContainerName: 'web', Operation: 'File', Resource: '/usr/lib/libx.so', ProcessName: '/bin/cp', Data: 'syscall=SYS_OPENAT flags=O_WRONLY|O_TRUNC', Result: 'Passed', Owner: { Ref: 'Deployment', Namespace: 'shop', Name: 'web' } };
fs.writeFileSync(logs, `${JSON.stringify(write)}\n`);
fs.writeFileSync(harmless, `${JSON.stringify({ ...write, Data: 'syscall=SYS_OPENAT flags=O_RDONLY' })}\n`);
afterAll(() => fs.rmSync(dir, { recursive: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('cdk8s-kubearmor impact', () => {
  test('exit 0 when nothing would be newly denied; exit 1 with --as-block when a write would be', async () => {
    expect((await cli('impact', '--telemetry', logs, policy)).code).toBe(0);
    const r = await cli('impact', '--as-block', '--telemetry', logs, dir);
    expect(r.code).toBe(1);
    expect(r.out.split('\n').slice(3, 7)).toEqual([
      '  Deployment shop/web container web',
      '    policy web-fim (construct shop/fim/Policy)',
      `      rule /spec/file/matchDirectories/0 (${policy}:13)`,
      '        TRUNCATE /usr/lib/libx.so by /bin/cp: 1 record; observed log/Passed, predicted Block/Permission denied (line 1)',
    ]);
    expect((await cli('impact', '--as-block', '--telemetry', harmless, dir)).code).toBe(0);
  });

  test('--enforcer, --posture and --format=json are honoured', async () => {
    const r = await cli('impact', '--as-block', '--enforcer', 'bpf-lsm', '--posture=block', '--format=json', '--telemetry', logs, policy);
    const json = JSON.parse(r.out);
    expect(json.settings).toEqual({ asBlock: true, enforcer: 'BPF_LSM', filePosture: 'BLOCK', policies: 1 });
    expect(json.summary).toEqual({
      records: 1, replayed: 1, distinctAccesses: 1, unchanged: 0, skipped: 0, NEWLY_DENIED: 1, STILL_DENIED: 0, NEWLY_PERMITTED: 0, ALERT_CHANGED: 0,
    });
  });

  test('markdown is a pull-request report', async () => {
    const r = await cli('impact', '--as-block', '--format', 'markdown', '--telemetry', logs, policy);
    expect(r.out.split('\n').slice(0, 10)).toEqual([
      '## KubeArmor impact analysis',
      '',
      '1 record read, 1 replayed (1 distinct access), 0 skipped; 1 policy with Audit replayed as Block, enforcer APPARMOR, file posture AUDIT',
      '',
      '**1 observed access (1 record) would be newly denied.**',
      '',
      '### Would be newly denied',
      '',
      '| Workload | Policy | Rule | Access | Records | Seen | Observed → predicted | Remedy |',
      '|---|---|---|---|---|---|---|---|',
    ]);
  });

  test('an invalid policy is reported on stderr and not replayed; the others are', async () => {
    const r = await cli('impact', '--telemetry', logs, policy, broken);
    expect(r.err).toBe(`${broken}:10 (document 1): ERROR KA-SCHEMA: spec.action 'block' is not a KubeArmor action; use 'Block' (the CRD is case-sensitive)`
      + ' (policy not replayed; run cdk8s-kubearmor lint)\n');
    expect(r.code).toBe(0);
  });

  test.each([
    ['fails when --telemetry is missing', [policy], '--telemetry <file> is required'],
    ['fails when no policy file is given', ['--telemetry', logs], 'no policy files or directories given'],
    ['fails when the enforcer is unknown', ['--enforcer', 'selinux', '--telemetry', logs, policy], "--enforcer must be apparmor or bpf-lsm, got 'selinux'"],
    ['fails when the posture is unknown', ['--posture', 'deny', '--telemetry', logs, policy], "--posture must be audit or block, got 'deny'"],
    ['fails when the format is unknown', ['--format', 'html', '--telemetry', logs, policy], "--format must be text, json or markdown, got 'html'"],
    ['fails when an option is unknown', ['--fast', '--telemetry', logs, policy], "unknown option '--fast'"],
    ['fails when the telemetry file does not exist', ['--telemetry', path.join(dir, 'nope.jsonl'), policy], `telemetry file '${path.join(dir, 'nope.jsonl')}' does not exist`],
    ['fails when a policy path does not exist', ['--telemetry', logs, path.join(dir, 'nope')], `ENOENT: no such file or directory, stat '${path.join(dir, 'nope')}'`],
    ['fails when no valid policy is found', ['--telemetry', logs, broken], `no valid KubeArmor policy in ${broken}\n${broken}:10 (document 1): ERROR KA-SCHEMA: spec.action 'block' is not a KubeArmor action; use 'Block' (the CRD is case-sensitive) (policy not replayed; run cdk8s-kubearmor lint)`],
  ])('%s: exit 2 with the usage', async (_name, args, message) => {
    const r = await cli('impact', ...args);
    expect([r.code, r.out, r.err]).toEqual([2, '', `cdk8s-kubearmor impact: ${message}\n${IMPACT_USAGE}`]);
  });

  test('--help prints the usage, exit 0', async () => {
    expect(await cli('impact', '--help')).toEqual({ code: 0, out: IMPACT_USAGE, err: '' });
  });
});
