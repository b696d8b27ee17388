/**
 * What `require('cdk8s-kubearmor')` loads. The index defines the exported classes and enums only; the
 * implementation modules behind them (lints, simulator, diff, impact, report, importer, validation, the
 * CLI, the generated L1 classes, the compliance and preset tables) load on first use. Checked in a fresh
 * node process on the sources (ts-node, transpile only), so no build of lib/ is needed.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

/** The src modules a fresh process holds after `require('<src>/index')` and then `then` (paths relative to src/, without extension). */
function loadedModules(then = ''): string[] {
  const src = path.join(ROOT, 'src') + path.sep;
  const script = [
    `const lib = require(${JSON.stringify(path.join(ROOT, 'src', 'index.ts'))});`,
    then,
    `const src = ${JSON.stringify(src)};`,
    'const names = Object.keys(require.cache).filter((f) => f.startsWith(src)).map((f) => f.slice(src.length).replace(/\\.ts$/, "").split(require("path").sep).join("/"));',
    // node's own modules that the library requires, as `node:<name>` (ts-node itself loads crypto and child_process).
    'for (const m of process.moduleLoadList) if (m.startsWith("NativeModule ") && ["zlib"].includes(m.slice(13))) names.push(`node:${m.slice(13)}`);',
    'process.stdout.write(JSON.stringify(names.sort()));',
  ].join('\n');
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json'), CDK8S_KUBEARMOR_QUIET: '1' },
  });
  if (r.status !== 0) throw new Error(`the child process failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Private modules that defining the exported classes needs (errors for `fail`, the rollout context key, the acknowledgement prefix). */
const PRIVATE_AT_REQUIRE = ['private/ack', 'private/errors', 'private/lazy', 'private/one-line', 'private/rollout'];

describe('require of the index', () => {
  const loaded = loadedModules();

  test('loads the public modules', () => {
    expect(loaded).toEqual(expect.arrayContaining(['index', 'security-policy', 'hardened-workload', 'file-integrity-preset', 'compliance',
      'simulator/policy-simulator', 'diff/policy-diff', 'impact/policy-impact']));
  });

  test('loads no private module except those that define the exported classes', () => {
    expect(loaded.filter((m) => m.includes('private/') || m.startsWith('imports/') || m.startsWith('cli/'))).toEqual(PRIVATE_AT_REQUIRE);
  });

  test('does not load the generated L1 classes, the CLI, the lints, the simulator engine, the tables or zlib', () => {
    for (const m of ['imports/kubearmor-security.kubearmor.com', 'cli/lint', 'cli/format', 'private/lints', 'private/lint-rules', 'private/synth-hook',
      'private/validate', 'private/manifest', 'private/policy-render', 'simulator/private/decide', 'diff/private/compare', 'impact/private/stream',
      'private/report-model', 'private/compliance-table', 'private/compliance-rows', 'private/fim-presets', 'private/yaml-source', 'node:zlib']) {
      expect([m, loaded.includes(m)]).toEqual([m, false]);
    }
  });

  test('a method loads what it needs: a policy loads the renderer, its synthesis the lints, a patch the L1', () => {
    const used = loadedModules([
      'const { App, Chart, JsonPatch } = require("cdk8s");',
      'const app = new App(); const chart = new Chart(app, "c");',
      'const p = new lib.SecurityPolicy(chart, "p", { target: lib.PolicyTarget.namespace("ns"), action: lib.PolicyAction.BLOCK });',
      'p.addProcessPath("/bin/sh");',
      'p.apiObject.addJsonPatch(JsonPatch.add("/spec/message", "m"));',
      'app.synthYaml();',
    ].join('\n'));
    expect(used).toEqual(expect.arrayContaining(['private/policy-render', 'private/validate', 'private/synth-hook', 'private/lints',
      'imports/kubearmor-security.kubearmor.com']));
    for (const m of ['cli/lint', 'diff/private/compare', 'impact/private/stream', 'private/report-model']) expect(used).not.toContain(m);
  }, 120_000);

  test('reading a gzipped image listing loads zlib', () => {
    const used = loadedModules(`lib.ImageContents.fromFile(${JSON.stringify(path.join(ROOT, 'test', 'fixtures', 'images', 'debian-12.tvf.gz'))});`);
    expect(used).toEqual(expect.arrayContaining(['node:zlib', 'private/image-listing']));
  }, 120_000);
});
