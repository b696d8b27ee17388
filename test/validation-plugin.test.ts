import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// Runs the real `cdk8s synth` on test/fixtures/plugin-app, whose cdk8s.yaml loads src/validation-plugin.ts
// through a ts-node shim (no jsii compile needed).
const APP = path.join(__dirname, 'fixtures', 'plugin-app');
const CDK8S = path.resolve(__dirname, '..', 'node_modules', '.bin', 'cdk8s');

function synth(variant: 'violation' | 'clean' | 'shared'): { status: number | null; output: string; dist: string } {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-app-'));
  const r = spawnSync(CDK8S, ['synth', '--check-upgrade=false', '-o', dist], {
    cwd: APP,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, PLUGIN_APP_VARIANT: variant, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}`, dist };
}

describe('the cdk8s-cli validation plugin', () => {
  test('fails when a synthesised policy is broken: report with construct path, location and fix, exit 2', () => {
    const r = synth('violation');
    try {
      expect(r.output).toContain('Status  │ failure');
      expect(r.output).toContain('KA-SCHEMA (error) (1 occurrences)');
      expect(r.output).toContain('- Construct Path: shop/legacy/legacy-etc-audit-kubearmorpolicy-shop');
      expect(r.output).toContain('- Resource Name: legacy-etc-audit');
      expect(r.output).toMatch(/> \/spec\/file\/matchDirectories\/0\/dir \(line \d+\)/);
      expect(r.output).toContain('Recommendation: KubeArmorPolicy legacy-etc-audit (construct shop/legacy/legacy-etc-audit-kubearmorpolicy-shop): /spec/file/matchDirectories/0/dir: \'/etc\' must end in \'/\' (a directory)');
      expect(r.output).toContain('How to fix: use \'/etc/\', or a file rule (matchPaths) for a single file');
      expect(r.status).toBe(2);
      // construct-metadata.json is what maps resources to construct paths
      expect(fs.existsSync(path.join(r.dist, 'construct-metadata.json'))).toBe(true);
    } finally {
      fs.rmSync(r.dist, { recursive: true, force: true });
    }
  }, 120_000);

  test('each finding is printed once (by the app or by the plugin); constructs are found by kind, namespace and name', () => {
    const r = synth('shared');
    try {
      // cdk8s's own metadata, keyed by bare name, points at the namesake Deployment of the other chart ...
      const metadata = JSON.parse(fs.readFileSync(path.join(r.dist, 'construct-metadata.json'), 'utf8'));
      expect(metadata.resources['legacy-etc-audit'].path).toBe('other/namesake/Resource');
      // ... the plugin blames the policy
      expect(r.output).toContain('Recommendation: KubeArmorPolicy legacy-etc-audit (construct shop/legacy/legacy-etc-audit-kubearmorpolicy-shop): ');
      // cdk8s-cli looks resourceName up by bare name itself: the plugin gives it the full identity, which it
      // cannot mistake for the Deployment (it then shows no construct path rather than the wrong one)
      expect(r.output).toContain('- Resource Name: KubeArmorPolicy/shop/legacy-etc-audit');
      expect(r.output).not.toContain('other/namesake');
      // the app printed its warning; the plugin, which finds it too, does not print it again
      const warnings = r.output.split('\n').filter((l) => l.includes('KA012'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^cdk8s-kubearmor: shop\/web-conf: WARNING KA012 non-recursive-directory: /);
      expect(r.status).toBe(2);
    } finally {
      fs.rmSync(r.dist, { recursive: true, force: true });
    }
  }, 120_000);

  test('passes on a clean app (exit 0)', () => {
    const r = synth('clean');
    try {
      expect(r.output).toContain('Status  │ success');
      expect(r.status).toBe(0);
    } finally {
      fs.rmSync(r.dist, { recursive: true, force: true });
    }
  }, 120_000);
});
