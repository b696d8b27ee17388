import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp } from '../../examples/wordpress-mysql/main';
import { FileIntegrityPolicy, PolicyAction, simulator } from '../../src';
import { expectConformant } from '../conformance/harness';
import { cli, ROOT } from '../util/cli';

const { ImpactKind, PolicyImpact } = simulator;

process.env.CDK8S_KUBEARMOR_QUIET = '1';

const EXAMPLE = 'examples/wordpress-mysql';
const TELEMETRY = `${EXAMPLE}/telemetry/karmor-logs.jsonl`;
const SEED_ALERT = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/fim-use-case/expected-alert.json'), 'utf8'));

describe('impact analysis of the example app with its telemetry', () => {
  const lines = fs.readFileSync(path.join(ROOT, TELEMETRY), 'utf8').split('\n');

  test('the telemetry file holds the seed\'s expected alert verbatim, and its Audit-stage twin', () => {
    expect(JSON.parse(lines[12])).toEqual(SEED_ALERT);
    const audit = JSON.parse(lines[5]);
    expect([audit.Action, audit.Result, audit.Resource, audit.ProcessName, audit.Data]).toEqual(['Audit', 'Passed', '/sbin/file', '/bin/touch', SEED_ALERT.Data]);
  });

  test('--explain attributes the seed alert to harden-mysql-file-integrity-monitoring, its rule and its construct', async () => {
    const r = await cli('impact', '--explain', '--format', 'json', '--telemetry', TELEMETRY, `${EXAMPLE}/dist`);
    const json = JSON.parse(r.out);
    const seed = json.explanations.find((e: any) => e.lines.includes(13));
    expect(seed).toEqual({
      policyName: 'harden-mysql-file-integrity-monitoring',
      found: true,
      rulePointers: ['/spec/file/matchDirectories/2'],
      source: `${EXAMPLE}/dist/wordpress-mysql.k8s.yaml:90`,
      constructPath: 'wordpress-mysql/mysql-hardening/FileIntegrity/Policy',
      workload: 'Deployment wordpress-mysql/mysql',
      operation: 'CREATE',
      target: '/sbin/file',
      process: '/bin/touch',
      action: 'Block',
      count: 1,
      lines: [13],
    });
    expect(r.err).toBe('');
  });

  test('the app as committed (Block) newly denies the Audit-stage touch, the entrypoint chown and apt-get: exit 1', async () => {
    const r = await cli('impact', '--format', 'json', '--telemetry', TELEMETRY, `${EXAMPLE}/dist`);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    const flat = json.workloads.flatMap((w: any) => w.policies.flatMap((p: any) => p.rules.flatMap((ru: any) => ru.accesses.map((a: any) =>
      `${a.kind} ${w.workload} ${p.policyName} ${ru.pointers.join(',')} ${a.operation} ${a.target} x${a.count}`))));
    expect(flat).toEqual([
      'NEWLY_DENIED Deployment wordpress-mysql/mysql harden-mysql-file-integrity-monitoring /spec/file/matchDirectories/2 CREATE /sbin/file x1',
      'STILL_DENIED Deployment wordpress-mysql/mysql harden-mysql-file-integrity-monitoring /spec/file/matchDirectories/2 CREATE /sbin/file x1',
      'NEWLY_DENIED Deployment wordpress-mysql/mysql harden-mysql-file-integrity-monitoring /spec/file/matchDirectories/4 CHOWN /usr/lib/mysql/plugin x2',
      'NEWLY_DENIED Deployment wordpress-mysql/wordpress harden-wordpress-package-managers /spec/process/matchPaths/2 EXEC /usr/bin/apt-get x1',
    ]);
    expect(json.skipped).toEqual([
      { reason: 'not JSON', count: 1, lines: [10] },
      { reason: "unknown syscall 'syscall=SYS_FSETXATTR'", count: 1, lines: [11] },
    ]);
    expect(json.unknownWorkloads).toEqual([{ workload: 'Deployment default/nginx', count: 1 }]);
  });

  describe('the staged rollout: the app in Audit', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'impact-audit-'));
    const app = buildApp(dir);
    FileIntegrityPolicy.setRolloutAction(app, PolicyAction.AUDIT);
    app.synth();
    const auditTwin = path.join(dir, 'audit-alert.jsonl');
    fs.writeFileSync(auditTwin, `${lines[5]}\n`);
    afterAll(() => fs.rmSync(dir, { recursive: true }));

    test('its policies are Audit and conformant', () => {
      const manifests = app.charts.flatMap((c) => c.toJson()).filter((m) => m.apiVersion === 'security.kubearmor.com/v1');
      expectConformant(manifests);
      expect(manifests.map((m) => `${m.metadata.name} ${m.spec.action}`)).toEqual([
        'harden-mysql-file-integrity-monitoring Audit', 'harden-wordpress-file-integrity-monitoring Audit', 'harden-wordpress-package-managers Audit',
      ]);
    });

    test('the Audit alert replayed as is changes nothing: exit 0', async () => {
      const r = await cli('impact', '--telemetry', auditTwin, dir);
      expect([r.code, r.out.split('\n')[2]]).toEqual([0, 'No observed access changes its outcome.']);
    });

    test('the Audit alert replayed --as-block is would-be-denied: exit 1, in text, markdown and through the API', async () => {
      const text = await cli('impact', '--as-block', '--telemetry', auditTwin, dir);
      expect(text.code).toBe(1);
      expect(text.out.split('\n').slice(0, 7)).toEqual([
        'impact: 1 record read, 1 replayed (1 distinct access), 0 skipped; 3 policies with Audit replayed as Block, enforcer APPARMOR, file posture AUDIT',
        '',
        'Would be newly denied: 1 access, 1 record',
        '  Deployment wordpress-mysql/mysql container mysql',
        '    policy harden-mysql-file-integrity-monitoring',
        `      rule /spec/file/matchDirectories/2 (${path.join(dir, 'wordpress-mysql.k8s.yaml')}:90)`,
        '        CREATE /sbin/file by /bin/touch: 1 record at 2023-10-02T09:14:03.118Z; observed Audit/Passed, predicted Block/Permission denied (line 1)',
      ]);
      const md = await cli('impact', '--as-block', '--format', 'markdown', '--telemetry', auditTwin, dir);
      expect(md.code).toBe(1);
      expect(md.out).toContain('**1 observed access (1 record) would be newly denied.**');
      const report = PolicyImpact.fromScope(app, { asBlock: true }).replayFile(auditTwin);
      expect(report.findings.map((f) => [f.kind, f.policyName, f.constructPath])).toEqual([
        [ImpactKind.NEWLY_DENIED, 'harden-mysql-file-integrity-monitoring', 'wordpress-mysql/mysql-hardening/FileIntegrity/Policy'],
      ]);
    });
  });
});
