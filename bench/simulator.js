/**
 * Simulator throughput benchmark (not a test).
 *
 *   node bench/simulator.js   (after npx projen compile; also row 4 of npm run bench)
 *
 * Builds 1,000 workloads in 10 namespaces, each with its own FIM-like KubeArmorPolicy (6 recursive
 * readOnly dirs + 2 paths + 1 Audit dir, like the seed), plus 2 cluster policies, then times
 * `PolicySimulator.evaluate` over a rotating mix of requests (reads, writes, creates, execs,
 * network) across all workloads and both enforcers. Requests are pre-built.
 *
 * The simulator memoises decisions (src/simulator/private/decision-cache.ts: keyed by the endpoint and
 * every request field the result depends on, two bounded generations of 8,192 entries; a decision is stored
 * the second time its access is seen, src/simulator/private/decision-admission.ts). The 4,096
 * rotating requests hold ~3,000 distinct accesses, so after the warm-up the first two figures are memo
 * hits: request shaping, endpoint lookup, posture resolution, the memo lookup and a fresh copy of the
 * result (new SimulationResult, alert and arrays per call). They are:
 *   - decisionsPerSecond: requests with a stable shape (every AccessRequest key present, as a hot loop
 *     would build them);
 *   - mixedShapeDecisionsPerSecond: object literals of 8 different shapes built by spreading.
 * The third figure, distinctDecisionsPerSecond, never hits the memo: every request names a path not seen
 * before (selection lookup, enforcement and alert matching on every call; seen once, no decision is stored).
 */
'use strict';
const path = require('path');
const { AccessOperation, PolicySimulator, SimulatedEnforcer } = require(path.join(process.env.BENCH_LIB ? path.resolve(process.env.BENCH_LIB) : path.join(__dirname, '..', 'lib'), 'index.js')).simulator;

const WORKLOADS = 1000;
const NAMESPACES = 10;

const manifests = [];
const workloads = [];
for (let i = 0; i < WORKLOADS; i++) {
  const namespace = `ns-${i % NAMESPACES}`;
  const labels = { 'app': `app-${i}`, 'tier': i % 2 ? 'backend' : 'frontend', 'app.kubernetes.io/part-of': 'shop' };
  workloads.push({ namespace, labels, container: `c-${i}` });
  manifests.push({
    apiVersion: 'security.kubearmor.com/v1',
    kind: 'KubeArmorPolicy',
    metadata: { name: `fim-${i}`, namespace },
    spec: {
      selector: { matchLabels: { app: `app-${i}` } },
      action: 'Block',
      severity: 1 + (i % 10),
      tags: ['NIST', 'NIST_800-53_SI-4'],
      message: 'Detected and prevented compromise to File integrity',
      file: {
        matchDirectories: [
          ...['/sbin/', '/usr/bin/', '/usr/lib/', '/usr/sbin/', '/bin/', '/boot/'].map((dir) => ({ dir, readOnly: true, recursive: true })),
          { dir: `/var/lib/app-${i}/`, recursive: true, action: 'Audit', readOnly: true },
        ],
        matchPaths: [{ path: '/etc/shadow' }, { path: `/etc/app-${i}.conf`, readOnly: true }],
      },
      process: { matchPaths: [{ path: '/usr/bin/apt' }] },
    },
  });
}
manifests.push({
  apiVersion: 'security.kubearmor.com/v1', kind: 'KubeArmorClusterPolicy', metadata: { name: 'no-raw' },
  spec: { selector: { matchExpressions: [{ key: 'namespace', operator: 'NotIn', values: ['ns-0'] }] }, action: 'Block', network: { matchProtocols: [{ protocol: 'raw' }] } },
});
manifests.push({
  apiVersion: 'security.kubearmor.com/v1', kind: 'KubeArmorClusterPolicy', metadata: { name: 'audit-tmp' },
  spec: { selector: { matchExpressions: [{ key: 'label', operator: 'In', values: ['tier=backend'] }] }, action: 'Audit', file: { matchDirectories: [{ dir: '/tmp/', recursive: true }] } },
});

const t0 = process.hrtime.bigint();
const sim = PolicySimulator.fromManifests(manifests);
const tBuild = Number(process.hrtime.bigint() - t0) / 1e6;

const shapes = [
  { operation: AccessOperation.CREATE, path: '/sbin/file', process: '/bin/touch' },
  { operation: AccessOperation.READ, path: '/usr/lib/x86_64-linux-gnu/libc.so.6', process: '/bin/cat' },
  { operation: AccessOperation.WRITE, path: '/usr/bin/python3', process: '/bin/sh' },
  { operation: AccessOperation.READ, path: '/etc/shadow', process: '/bin/cat' },
  { operation: AccessOperation.WRITE, path: '/var/log/app/out.log', process: '/app/server' },
  { operation: AccessOperation.WRITE, path: '/tmp/x', process: '/app/server' },
  { operation: AccessOperation.EXEC, path: '/usr/bin/apt', process: '/bin/bash' },
  { operation: AccessOperation.NETWORK, protocol: 'raw', process: '/bin/ping' },
];
/** A request with every AccessRequest key present in a fixed order: one hidden class for V8. */
function stable(r) {
  return {
    operation: r.operation, path: r.path, protocol: r.protocol, capability: r.capability, process: r.process,
    parentProcess: r.parentProcess, workload: r.workload, namespace: r.namespace, labels: r.labels,
    podAnnotations: r.podAnnotations, container: r.container, node: r.node, nodeLabels: r.nodeLabels, uid: r.uid,
    ownerUid: r.ownerUid, enforcer: r.enforcer, defaultFilePosture: r.defaultFilePosture,
    defaultNetworkPosture: r.defaultNetworkPosture, defaultCapabilitiesPosture: r.defaultCapabilitiesPosture,
  };
}

const mixed = [];
for (let i = 0; i < 4096; i++) {
  const w = workloads[(i * 7919) % WORKLOADS];
  mixed.push({ ...w, ...shapes[i % shapes.length], enforcer: i % 3 === 0 ? SimulatedEnforcer.BPF_LSM : SimulatedEnforcer.APPARMOR });
}
const uniform = mixed.map(stable);

const N = Number(process.env.BENCH_N ?? 2_000_000);
let denied = 0;
let alerts = 0;
function run(requests, n) {
  denied = 0;
  alerts = 0;
  // CPU time, not the wall clock: on a shared machine the process is descheduled at random.
  const c = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const r = sim.evaluate(requests[i & 4095]);
    if (!r.permitted) denied++;
    if (r.alert) alerts++;
  }
  const u = process.cpuUsage(c);
  return (u.user + u.system) / 1e6;
}
// warm-up: fills the per-endpoint cache and lets V8 optimise
run(uniform, 200_000);
const secs = run(uniform, N);
const uniformDenied = denied;
const uniformAlerts = alerts;
const mixedSecs = run(mixed, Math.floor(N / 4));

// all distinct: every request misses the memo (a new path each time, same workloads and operations)
const distinctN = Math.max(1000, Math.floor(N / 20));
const distinct = [];
for (let i = 0; i < distinctN; i++) {
  const r = uniform[i & 4095];
  distinct.push(r.path === undefined ? r : { ...r, path: `${r.path}.${i}` });
}
const c0 = process.cpuUsage();
for (let i = 0; i < distinctN; i++) sim.evaluate(distinct[i]);
const u0 = process.cpuUsage(c0);
const distinctSecs = (u0.user + u0.system) / 1e6;

// cold: a fresh simulator, every endpoint seen for the first time
const cold = PolicySimulator.fromManifests(manifests);
const t2 = process.hrtime.bigint();
for (const w of workloads) cold.evaluate({ ...w, ...shapes[0] });
const coldMs = Number(process.hrtime.bigint() - t2) / 1e6;

const result = {
  policies: manifests.length, workloads: WORKLOADS, buildMs: tBuild, coldUsPerWorkload: (coldMs * 1000) / WORKLOADS,
  decisions: N, decisionsPerSecond: N / secs, mixedShapeDecisionsPerSecond: Math.floor(N / 4) / mixedSecs,
  distinctDecisionsPerSecond: distinctN / distinctSecs,
  denied: uniformDenied, alerts: uniformAlerts,
};
if (process.env.BENCH_JSON) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}
console.log(`policies: ${manifests.length}, workloads: ${WORKLOADS}, build: ${tBuild.toFixed(1)} ms`);
console.log(`first decision per workload (selection + index build): ${(coldMs * 1000 / WORKLOADS).toFixed(1)} µs`);
console.log(`decisions (stable-shape requests): ${N.toLocaleString('en')} in ${secs.toFixed(3)} s = ${Math.round(N / secs).toLocaleString('en')} decisions/s (denied ${uniformDenied}, alerts ${uniformAlerts})`);
console.log(`decisions (object literals of 8 shapes, built by spreading): ${Math.round(Math.floor(N / 4) / mixedSecs).toLocaleString('en')} decisions/s`);
console.log(`decisions (all distinct: no memo hit): ${Math.round(distinctN / distinctSecs).toLocaleString('en')} decisions/s`);
