// One measurement in a fresh process (so peak RSS belongs to this scenario only).
// Usage: node bench/worker.js <scenario> <n>
//   synth-plain | synth-hardened   : one chart, n workloads
//   charts-plain | charts-hardened : n charts, one workload each
//   require-plus | require-lib     : cold require time
//   coverage                       : parse an n-entry `tar -tvf` listing and check it against the default presets
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const [scenario, nArg] = process.argv.slice(2);
const n = Number(nArg ?? 0);
const now = () => Number(process.hrtime.bigint()) / 1e6;
process.env.CDK8S_KUBEARMOR_QUIET = '1';

function report(extra) {
  process.stdout.write(JSON.stringify({ scenario, n, maxRssMB: process.resourceUsage().maxRSS / 1024, ...extra }) + '\n');
}

if (scenario === 'simulator') {
  // bench/simulator.js prints one JSON line in BENCH_JSON mode
  process.env.BENCH_N = String(n);
  process.env.BENCH_JSON = '1';
  require('./simulator.js');
} else if (scenario === 'impact') {
  // bench/impact.js prints one JSON line in BENCH_JSON mode
  process.env.BENCH_N = String(n);
  process.env.BENCH_JSON = '1';
  require('./impact.js');
} else if (scenario === 'lint') {
  // The lint CLI as users run it (a fresh node process, start-up included) on a generated corpus.
  const { execFileSync } = require('child_process');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kubearmor-lint-bench-'));
  for (let i = 0; i < n; i++) {
    const ns = `team-${i % 20}`;
    fs.writeFileSync(path.join(dir, `policy-${i}.yaml`), [
      'apiVersion: security.kubearmor.com/v1', 'kind: KubeArmorPolicy', `metadata: {name: fim-${i}, namespace: ${ns}}`, 'spec:',
      '  action: Block', '  severity: 5', '  message: file integrity', '  tags: [NIST, NIST_800-53_SI-4]',
      `  selector: {matchLabels: {app: app-${i}}}`, '  file:', '    matchDirectories:',
      ...['/bin/', '/sbin/', '/usr/bin/', '/usr/sbin/', '/usr/lib/', '/lib/', '/boot/'].map((d) => `    - {dir: ${d}, readOnly: true, recursive: true}`),
      '    matchPaths:', `    - {path: /etc/app-${i}.conf, readOnly: true}`,
      '  process:', '    matchPaths:', '    - {execname: apt}', '',
    ].join('\n'));
  }
  const t0 = now();
  let exitCode = 0;
  try {
    execFileSync(process.execPath, [path.join(__dirname, '..', 'bin', 'cdk8s-kubearmor'), 'lint', '--format', 'json', dir], { maxBuffer: 256 * 1024 * 1024 });
  } catch (e) {
    exitCode = e.status;
  }
  const wallMs = now() - t0;
  fs.rmSync(dir, { recursive: true, force: true });
  report({ wallMs, exitCode, files: n });
} else if (scenario === 'coverage') {
  // A synthetic image of n entries in the layout of the Debian fixtures: binaries, libraries, Python and Perl
  // module trees, configuration, application files under /opt/ and /srv/; written as `tar -tvf` lines.
  const lib = require(path.join(__dirname, '..', 'lib', 'index.js'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kubearmor-coverage-bench-'));
  const file = path.join(dir, 'image.tvf');
  const kinds = [
    (i) => `-rwxr-xr-x root/root 1000 2024-01-01 00:00 ./usr/bin/tool-${i}`,
    (i) => `-rw-r--r-- root/root 1000 2024-01-01 00:00 ./usr/lib/x86_64-linux-gnu/libx${i}.so.${i % 7}`,
    (i) => `-rw-r--r-- root/root 1000 2024-01-01 00:00 ./usr/local/lib/python3.12/pkg${i % 500}/mod${i}.py`,
    (i) => `-rw-r--r-- root/root 1000 2024-01-01 00:00 ./usr/share/perl5/M${i % 300}/X${i}.pm`,
    (i) => `-rw-r--r-- root/root 1000 2024-01-01 00:00 ./etc/app${i % 50}/conf-${i}.conf`,
    (i) => `-rwxr-xr-x root/root 1000 2024-01-01 00:00 ./opt/vendor/app${i % 20}/bin/run-${i}`,
    (i) => `lrwxrwxrwx root/root 0 2024-01-01 00:00 ./usr/bin/alias-${i} -> tool-${i - 6}`,
    (i) => `-rw-r--r-- root/root 1000 2024-01-01 00:00 ./srv/data/d${i % 100}/file-${i}.dat`,
  ];
  const lines = [];
  for (let i = 0; i < n; i++) lines.push(kinds[i % kinds.length](i));
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const t0 = now();
  const c0 = cpu();
  const contents = lib.ImageContents.fromFile(file);
  const t1 = now();
  const coverage = lib.ImageCoverage.ofPresets(contents, lib.FileIntegrityPreset.defaults());
  const t2 = now();
  const cpuMs = cpu() - c0;
  fs.rmSync(dir, { recursive: true, force: true });
  report({ parseMs: t1 - t0, coverageMs: t2 - t1, totalMs: t2 - t0, cpuMs, entries: contents.entryCount, gaps: coverage.gaps.length });
} else if (scenario === 'require-plus' || scenario === 'require-lib') {
  const t0 = now();
  require('cdk8s-plus-27');
  const t1 = now();
  if (scenario === 'require-lib') require(path.join(__dirname, '..', 'lib', 'index.js'));
  const t2 = now();
  report({ requireMs: t2 - t0, plusMs: t1 - t0 });
} else {
  const { App, Chart } = require('cdk8s');
  const kplus = require('cdk8s-plus-27');
  const lib = require(path.join(__dirname, '..', 'lib', 'index.js'));
  const hardened = scenario.endsWith('-hardened');
  const perChart = scenario.startsWith('charts-');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kubearmor-bench-'));
  const t0 = now();
  const app = new App({ outdir });
  let chart = perChart ? undefined : new Chart(app, 'bench', { namespace: 'bench' });
  for (let i = 0; i < n; i++) {
    if (perChart) chart = new Chart(app, `c${i}`, { namespace: 'bench' });
    const props = { containers: [{ image: 'nginx', portNumber: 80 }] };
    if (hardened) new lib.HardenedWorkload(chart, `w${i}`, props);
    else new kplus.Deployment(chart, `w${i}`, props);
  }
  const t1 = now();
  app.synth();
  const t2 = now();
  const bytes = fs.readdirSync(outdir).reduce((s, f) => s + fs.statSync(path.join(outdir, f)).size, 0);
  fs.rmSync(outdir, { recursive: true, force: true });
  report({ constructMs: t1 - t0, synthMs: t2 - t1, totalMs: t2 - t0, outputKB: bytes / 1024 });
}
