// One measurement in a fresh process (so peak RSS belongs to this scenario only).
// Usage: node bench/worker.js <scenario> <n>
//   synth-plain | synth-hardened   : one chart, n workloads
//   charts-plain | charts-hardened : n charts, one workload each
//   require-plus | require-lib     : cold require time
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

if (scenario === 'require-plus' || scenario === 'require-lib') {
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
