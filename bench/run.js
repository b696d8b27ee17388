#!/usr/bin/env node
// Benchmark suite: cdk8s-kubearmor against plain cdk8s-plus-27, side by side in one run.
//   npm run bench               full run (several minutes)
//   npm run bench -- --smoke    tiny N, one repetition: proves the script works (CI)
//   npm run bench -- --reps 5   repetitions per measurement (median reported)
//   npm run bench -- --rows 1,3  only these rows (numbered as printed; the diff row is 10)
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
const rowsArg = args.indexOf('--rows');
const onlyRows = rowsArg >= 0 ? new Set(String(args[rowsArg + 1] ?? '').split(',').map(Number)) : undefined;
if (onlyRows !== undefined && ([...onlyRows].some((r) => !Number.isInteger(r) || r < 1 || r > 10) || onlyRows.size === 0)) {
  throw new Error(`bench: --rows takes row numbers 1-10 separated by commas, got ${JSON.stringify(args[rowsArg + 1])}`);
}
/** Whether row `r` is to run. */
const want = (r) => onlyRows === undefined || onlyRows.has(r);
const outFile = path.join(__dirname, 'results', smoke ? 'smoke.json' : onlyRows ? `rows-${[...onlyRows].sort((a, b) => a - b).join('-')}.json` : 'latest.json');

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

function summarise(scenario, n, runs) {
  const result = { scenario, n, runs: runs.length };
  for (const k of Object.keys(runs[0])) {
    if (typeof runs[0][k] === 'number' && k !== 'n') result[k] = median(runs.map((r) => r[k]));
    else if (typeof runs[0][k] === 'string' && k !== 'scenario') result[k] = runs[0][k];
  }
  return result;
}

function measure(scenario, n, count = reps, env = {}) {
  const runs = [];
  for (let i = 0; i < count; i++) runs.push(worker(scenario, n, env));
  return summarise(scenario, n, runs);
}

/** Two scenarios measured alternately (a, b, a, b, ...) so that load changes on a shared machine hit both alike. */
function measurePair(a, b, n, env = {}, count = reps) {
  const ra = [];
  const rb = [];
  for (let i = 0; i < count; i++) {
    ra.push(worker(a, n, env));
    rb.push(worker(b, n, env));
  }
  return [summarise(a, n, ra), summarise(b, n, rb)];
}

const fmt = (x, d = 0) => (x === undefined ? '-' : Number(x).toFixed(d));
const results = {
  machine: {
    cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version, platform: `${os.platform()} ${os.release()}`, date: new Date().toISOString(),
    loadAverageAtStart: os.loadavg().map((x) => +x.toFixed(2)),
  },
  reps, smoke, rowsRun: onlyRows ? [...onlyRows].sort((a, b) => a - b) : 'all', rows: {},
};
console.log(`cdk8s-kubearmor benchmarks: ${results.machine.cpus} × ${results.machine.cpu}, ${results.machine.memGiB} GiB, node ${process.version}; median of ${reps}; load average ${results.machine.loadAverageAtStart.join(' ')}`);

/**
 * Hardened workloads vs the floor: the same YAML (byte-identical, checked by hash) produced without the library
 * — plain cdk8s-plus Deployments plus the identical KubeArmor objects as raw ApiObjects. Ratios of CPU time
 * (construct + synth, the library's require excluded: that is row 6), which a shared machine disturbs less than
 * the wall clock.
 */
function floorRows(title, prefix, shape, ns) {
  console.log(`\n${title}`);
  console.log('     N | floor CPU ms | hardened CPU ms | ratio | floor wall ms | hardened wall ms | ratio | floor RSS MB | hardened RSS MB | output KB | same output');
  const rows = [];
  for (const n of ns) {
    const objects = path.join(os.tmpdir(), `cdk8s-kubearmor-bench-floor-${process.pid}-${shape}-${n}.json`);
    worker('capture', n, { BENCH_SHAPE: shape, BENCH_OBJECTS: objects });
    const [floor, hard] = measurePair(`${prefix}-floor`, `${prefix}-hardened`, n, { BENCH_OBJECTS: objects });
    fs.rmSync(objects, { force: true });
    const row = {
      n, floor, hardened: hard, cpuRatio: hard.cpuMs / floor.cpuMs, wallRatio: hard.totalMs / floor.totalMs,
      rssRatio: hard.maxRssMB / floor.maxRssMB, sameOutput: floor.outputSha256 === hard.outputSha256,
    };
    rows.push(row);
    console.log(`${String(n).padStart(6)} | ${fmt(floor.cpuMs).padStart(12)} | ${fmt(hard.cpuMs).padStart(15)} | ${fmt(row.cpuRatio, 2).padStart(5)} | ${fmt(floor.totalMs).padStart(13)} | ${fmt(hard.totalMs).padStart(16)} | ${fmt(row.wallRatio, 2).padStart(5)} | ${fmt(floor.maxRssMB).padStart(12)} | ${fmt(hard.maxRssMB).padStart(15)} | ${fmt(hard.outputKB).padStart(9)} | ${row.sameOutput ? 'yes' : 'NO'}`);
    if (!row.sameOutput) throw new Error(`bench: the floor's output differs from the hardened output at N=${n}; the comparison is void`);
  }
  const growth = rows.length > 1 ? rows[rows.length - 1].cpuRatio - rows[0].cpuRatio : undefined;
  if (growth !== undefined) console.log(`CPU ratio at N=${rows[rows.length - 1].n} minus N=${rows[0].n}: ${growth >= 0 ? '+' : ''}${fmt(growth, 2)}`);
  return { rows, growth };
}

if (want(1)) {
  results.rows.oneChart = floorRows('1. One chart, N HardenedWorkloads vs the same output without the library (target: CPU ratio <= 1.10, flat in N)', 'synth', 'one', sizes.oneChart);
}
if (want(2)) {
  results.rows.charts = floorRows('2. N charts with one workload each, the same comparison (target: ratio at the largest N <= at the smallest)', 'charts', 'charts', sizes.charts);
}

if (want(3)) {
  console.log('\n3. Simulator decisions per second (1,000 policies; target >= 2 M/s pre-built, >= 1 M/s object literals)');
  const sim = measure('simulator', sizes.simulatorDecisions);
  results.rows.simulator = sim;
  console.log(`pre-built requests: ${fmt(sim.decisionsPerSecond)} decisions/s; object literals of 8 shapes: ${fmt(sim.mixedShapeDecisionsPerSecond)} decisions/s `
    + `over ${sim.policies} policies (build ${fmt(sim.buildMs, 1)} ms, first decision per workload ${fmt(sim.coldUsPerWorkload, 1)} µs)`);
}

if (want(4)) {
  console.log('\n4. Lint CLI on a generated corpus (target: 1,000 files <= 0.5 s wall clock, node start-up included)');
  const lint = measure('lint', sizes.lintFiles);
  results.rows.lint = lint;
  console.log(`${sizes.lintFiles} files: ${fmt(lint.wallMs)} ms wall clock, ${fmt(lint.cpuMs)} ms CPU (node start-up included; bare \`node -e 0\`: ${fmt(lint.nodeStartMs)} ms wall), exit code ${lint.exitCode}`);
}

if (want(5)) {
  console.log('\n5. FileIntegrityPolicy with N directories and N paths; SecurityPolicy with N rules (target: 10,000 <= 0.5 s)');
  console.log('  construct           |      N | add ms | synth ms | total ms | CPU ms');
  results.rows.fim = sizes.fimItems.map((n) => measure('fim', n));
  results.rows.securityPolicy = sizes.fimItems.map((n) => measure('secpol', n));
  for (const [name, rs] of [['FileIntegrityPolicy', results.rows.fim], ['SecurityPolicy', results.rows.securityPolicy]]) {
    for (const r of rs) console.log(`  ${name.padEnd(19)} | ${String(r.n).padStart(6)} | ${fmt(r.addMs).padStart(6)} | ${fmt(r.synthMs).padStart(8)} | ${fmt(r.totalMs).padStart(8)} | ${fmt(r.cpuMs).padStart(6)}`);
  }
}

if (want(6)) {
  console.log('\n6. Cold require (target: library <= +30 ms over cdk8s-plus-27)');
  const [plusReq, libReq] = measurePair('require-plus', 'require-lib', 0, {}, sizes.requireReps);
  results.rows.require = {
    plusMs: plusReq.requireMs, libMs: libReq.requireMs, overheadMs: libReq.requireMs - plusReq.requireMs,
    plusCpuMs: plusReq.requireCpuMs, libCpuMs: libReq.requireCpuMs, overheadCpuMs: libReq.requireCpuMs - plusReq.requireCpuMs,
  };
  console.log(`require('cdk8s-plus-27'): ${fmt(plusReq.requireMs, 1)} ms; + require('cdk8s-kubearmor'): ${fmt(libReq.requireMs, 1)} ms; library overhead ${fmt(results.rows.require.overheadMs, 1)} ms wall, `
    + `${fmt(results.rows.require.overheadCpuMs, 1)} ms CPU (${fmt(plusReq.requireCpuMs, 1)} -> ${fmt(libReq.requireCpuMs, 1)})`);
}

if (want(7)) {
  console.log('\n7. Lint of one large input file (peak RSS over the process baseline of node + library)');
  console.log('  (target: >= 5 MB/s and peak RSS over baseline <= 10x the input; the floor is the `yaml` library alone reading the same file)');
  console.log('  MB | shape | documents | lint ms | MB/s | peak RSS over baseline MB | RSS / input | yaml alone ms | yaml alone RSS MB | lint CPU / yaml CPU | exit');
  results.rows.lintInput = [];
  for (const mb of sizes.lintInputMB) {
    for (const shape of ['small', 'huge']) {
      const r = measure(`lint-input-${shape}`, mb, 1);
      results.rows.lintInput.push({ shape, ...r });
      console.log(`${String(mb).padStart(4)} | ${shape.padEnd(5)} | ${String(r.documents).padStart(9)} | ${fmt(r.lintMs).padStart(7)} | ${fmt(r.mbPerSecond, 1).padStart(4)} | ${fmt(r.rssOverBaselineMB).padStart(25)} | ${fmt(r.rssOverInput, 1).padStart(11)} | ${fmt(r.yamlMs).padStart(13)} | ${fmt(r.yamlRssOverBaselineMB).padStart(17)} | ${fmt(r.overYaml, 2).padStart(19)} | ${r.exitCode}`);
    }
  }
}

if (want(8)) {
  console.log('\n8. Impact analysis: telemetry replayed against 1,000 policies as Block (target 1,000,000 events <= 10 s, <= 500 MB)');
  const impact = measure('impact', sizes.impactEvents);
  results.rows.impact = impact;
  console.log(`${sizes.impactEvents.toLocaleString('en')} events (${fmt(impact.fileMB)} MB): replay ${fmt(impact.replayMs)} ms wall / ${fmt(impact.replayCpuMs)} ms CPU `
    + `(${fmt(impact.eventsPerSecond)} events/s), ${fmt(impact.replayOverFloor, 2)}× read+JSON.parse alone (${fmt(impact.floorMs)} ms); `
    + `${fmt(impact.distinctAccesses)} distinct accesses; peak RSS ${fmt(impact.maxRssMB)} MB`);
}
if (want(9)) {
  console.log('\n9. Image coverage: parse a tar -tvf listing and check it against the default presets');
  const cov = measure('coverage', sizes.coverageEntries);
  results.rows.coverage = cov;
  console.log(`${sizes.coverageEntries} entries: parse ${fmt(cov.parseMs)} ms + coverage ${fmt(cov.coverageMs)} ms = ${fmt(cov.totalMs)} ms wall, ${fmt(cov.cpuMs)} ms CPU (peak RSS ${fmt(cov.maxRssMB)} MB, ${cov.gaps} gaps)`);
}

if (want(10)) {
  console.log('\n10. PolicyDiff: two apps of N hardened workloads, every workload changed (Block → Audit); target 1,000 <= 5 s');
  const diff = measure('diff', sizes.diffWorkloads);
  results.rows.diff = diff;
  console.log(`${sizes.diffWorkloads} workloads, ${diff.changed} changed, ${fmt(diff.probes)} probe evaluations: compareManifests ${fmt(diff.manifestsMs)} ms wall / ${fmt(diff.manifestsCpuMs)} ms CPU; `
    + `compareFiles (YAML read and checked) ${fmt(diff.diffMs)} ms wall / ${fmt(diff.diffCpuMs)} ms CPU (peak RSS ${fmt(diff.maxRssMB)} MB)`);
}

fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote ${path.relative(process.cwd(), outFile)}`);
