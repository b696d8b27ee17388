#!/usr/bin/env node
// Benchmark suite: cdk8s-kubearmor against plain cdk8s-plus-27, side by side in one run.
//   npm run bench               full run (several minutes)
//   npm run bench -- --smoke    tiny N, one repetition: proves the script works (CI)
//   npm run bench -- --reps 5   repetitions per measurement (median reported)
// Every measurement runs in a fresh node process (bench/worker.js) so peak RSS belongs to it alone.
// Prints a table with ratios and writes bench/results/latest.json.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const repsArg = args.indexOf('--reps');
const reps = smoke ? 1 : repsArg >= 0 ? Number(args[repsArg + 1]) : 3;
const outFile = path.join(__dirname, 'results', smoke ? 'smoke.json' : 'latest.json');

const sizes = {
  oneChart: smoke ? [10, 20] : [500, 1000, 5000],
  // cdk8s itself is quadratic in the number of charts (plain Deployments: ~98 s at 5000 on this machine
  // kind, TOOLCHAIN.md §6), so the chart rows stop at 1000.
  charts: smoke ? [5] : [100, 500, 1000],
  requireReps: smoke ? 1 : 7,
  simulatorDecisions: smoke ? 20000 : 2000000,
  lintFiles: smoke ? 20 : 1000,
  impactEvents: smoke ? 2000 : 1000000,
  lintInputMB: smoke ? [1] : [5, 50],
  fimItems: smoke ? [1000] : [10000, 20000],
  coverageEntries: smoke ? 2000 : 200000,
  diffWorkloads: smoke ? 20 : 1000,
};

function worker(scenario, n, extraEnv = {}) {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'worker.js'), scenario, String(n)], {
    encoding: 'utf8', env: { ...process.env, ...extraEnv }, maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split('\n').pop());
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function measure(scenario, n, count = reps) {
  const runs = [];
  for (let i = 0; i < count; i++) runs.push(worker(scenario, n));
  const keys = Object.keys(runs[0]).filter((k) => typeof runs[0][k] === 'number' && k !== 'n');
  const result = { scenario, n, runs: runs.length };
  for (const k of keys) result[k] = median(runs.map((r) => r[k]));
  return result;
}

const fmt = (x, d = 0) => (x === undefined ? '-' : Number(x).toFixed(d));
const results = {
  machine: {
    cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version, platform: `${os.platform()} ${os.release()}`, date: new Date().toISOString(),
  },
  reps, smoke, rows: {},
};
console.log(`cdk8s-kubearmor benchmarks: ${results.machine.cpus} × ${results.machine.cpu}, ${results.machine.memGiB} GiB, node ${process.version}; median of ${reps}`);

function pairRows(title, prefix, ns) {
  console.log(`\n${title}`);
  console.log('     N | plain synth ms | hardened synth ms | ratio | plain total ms | hardened total ms | ratio | plain RSS MB | hardened RSS MB | hardened µs/workload');
  const rows = [];
  for (const n of ns) {
    const plain = measure(`${prefix}-plain`, n);
    const hard = measure(`${prefix}-hardened`, n);
    const row = {
      n, plain, hardened: hard,
      synthRatio: hard.synthMs / plain.synthMs, totalRatio: hard.totalMs / plain.totalMs, rssRatio: hard.maxRssMB / plain.maxRssMB,
      hardenedUsPerWorkload: (hard.totalMs * 1000) / n,
    };
    rows.push(row);
    console.log(`${String(n).padStart(6)} | ${fmt(plain.synthMs).padStart(14)} | ${fmt(hard.synthMs).padStart(17)} | ${fmt(row.synthRatio, 2).padStart(5)} | ${fmt(plain.totalMs).padStart(14)} | ${fmt(hard.totalMs).padStart(17)} | ${fmt(row.totalRatio, 2).padStart(5)} | ${fmt(plain.maxRssMB).padStart(12)} | ${fmt(hard.maxRssMB).padStart(15)} | ${fmt(row.hardenedUsPerWorkload).padStart(8)}`);
  }
  if (rows.length > 1) {
    const first = rows[0];
    const last = rows[rows.length - 1];
    const linearity = last.hardenedUsPerWorkload / first.hardenedUsPerWorkload;
    const plainLinearity = (last.plain.totalMs / last.n) / (first.plain.totalMs / first.n);
    console.log(`linearity: per-workload cost at N=${last.n} / N=${first.n} = ${fmt(linearity, 2)} hardened, ${fmt(plainLinearity, 2)} plain`);
    return { rows, linearity, plainLinearity };
  }
  return { rows };
}

results.rows.oneChart = pairRows('1. One chart, N workloads: plain cdk8s-plus Deployments vs HardenedWorkloads (app.synth() to files)', 'synth', sizes.oneChart);
results.rows.charts = pairRows('2. N charts with one workload each', 'charts', sizes.charts);

console.log('\n3. Cold require');
const plusReq = measure('require-plus', 0, sizes.requireReps);
const libReq = measure('require-lib', 0, sizes.requireReps);
results.rows.require = { plusMs: plusReq.requireMs, libMs: libReq.requireMs, overheadMs: libReq.requireMs - plusReq.requireMs };
console.log(`require('cdk8s-plus-27'): ${fmt(plusReq.requireMs, 1)} ms; + require('cdk8s-kubearmor'): ${fmt(libReq.requireMs, 1)} ms; library overhead ${fmt(results.rows.require.overheadMs, 1)} ms`);

console.log('\n4. Simulator decisions per second (1,000 policies)');
const sim = measure('simulator', sizes.simulatorDecisions);
results.rows.simulator = sim;
console.log(`${fmt(sim.decisionsPerSecond)} decisions/s over ${sim.policies} policies (build ${fmt(sim.buildMs, 1)} ms)`);

console.log('\n5. Lint CLI on a generated corpus');
const lint = measure('lint', sizes.lintFiles);
results.rows.lint = lint;
console.log(`${sizes.lintFiles} files: ${fmt(lint.wallMs)} ms wall clock (node start-up included), exit code ${lint.exitCode}`);

console.log('\n6. Impact analysis: telemetry replayed against 1,000 policies as Block (target 1,000,000 events <= 10 s, <= 500 MB)');
const impact = measure('impact', sizes.impactEvents);
results.rows.impact = impact;
console.log(`${sizes.impactEvents.toLocaleString('en')} events (${fmt(impact.fileMB)} MB): replay ${fmt(impact.replayMs)} ms wall / ${fmt(impact.replayCpuMs)} ms CPU `
  + `(${fmt(impact.eventsPerSecond)} events/s), ${fmt(impact.replayOverFloor, 2)}× read+JSON.parse alone (${fmt(impact.floorMs)} ms); `
  + `${fmt(impact.distinctAccesses)} distinct accesses; peak RSS ${fmt(impact.maxRssMB)} MB`);
console.log('\n7. Lint of one large input file (peak RSS over the process baseline of node + library)');
console.log('  MB | shape | documents | lint ms | MB/s | peak RSS over baseline MB | RSS / input | exit');
results.rows.lintInput = [];
for (const mb of sizes.lintInputMB) {
  for (const shape of ['small', 'huge']) {
    const r = measure(`lint-input-${shape}`, mb, 1);
    results.rows.lintInput.push({ shape, ...r });
    console.log(`${String(mb).padStart(4)} | ${shape.padEnd(5)} | ${String(r.documents).padStart(9)} | ${fmt(r.lintMs).padStart(7)} | ${fmt(r.mbPerSecond, 1).padStart(4)} | ${fmt(r.rssOverBaselineMB).padStart(25)} | ${fmt(r.rssOverInput, 1).padStart(11)} | ${r.exitCode}`);
  }
}

console.log('\n8. FileIntegrityPolicy with N directories and N paths (collapse and conflict checks)');
console.log('      N | add ms | synth ms | total ms');
results.rows.fim = sizes.fimItems.map((n) => measure('fim', n));
for (const r of results.rows.fim) console.log(`${String(r.n).padStart(7)} | ${fmt(r.addMs).padStart(6)} | ${fmt(r.synthMs).padStart(8)} | ${fmt(r.totalMs).padStart(8)}`);

console.log('\n9. Image coverage: parse a tar -tvf listing and check it against the default presets');
const cov = measure('coverage', sizes.coverageEntries);
results.rows.coverage = cov;
console.log(`${sizes.coverageEntries} entries: parse ${fmt(cov.parseMs)} ms + coverage ${fmt(cov.coverageMs)} ms = ${fmt(cov.totalMs)} ms wall, ${fmt(cov.cpuMs)} ms CPU (peak RSS ${fmt(cov.maxRssMB)} MB, ${cov.gaps} gaps)`);

console.log('\nPolicyDiff: two apps of N hardened workloads, every workload changed (Block → Audit); target 1,000 <= 5 s');
const diff = measure('diff', sizes.diffWorkloads);
results.rows.diff = diff;
console.log(`${sizes.diffWorkloads} workloads, ${diff.changed} changed, ${fmt(diff.probes)} probe evaluations: compareManifests ${fmt(diff.manifestsMs)} ms wall / ${fmt(diff.manifestsCpuMs)} ms CPU; `
  + `compareFiles (YAML read and checked) ${fmt(diff.diffMs)} ms wall / ${fmt(diff.diffCpuMs)} ms CPU (peak RSS ${fmt(diff.maxRssMB)} MB)`);

fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote ${path.relative(process.cwd(), outFile)}`);
