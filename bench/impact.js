/**
 * Impact-analysis benchmark (not a test): replays generated KubeArmor telemetry against 1,000 policies.
 *
 *   node bench/impact.js [events] [policies]   (after npx projen compile; also row 6 of npm run bench)
 *
 * Writes a JSON-lines file of `events` records shaped like `karmor logs --json` output (all the fields a
 * real ContainerLog / MatchedPolicy record carries, ~0.9 KB each) spread over `policies` workloads, each
 * with its own FIM-like KubeArmorPolicy in Audit (the seed's six directories, an app data directory, two
 * paths, one process rule). Then times, in this process:
 *   - floor: reading the file and JSON.parse of every line, nothing else;
 *   - replay: PolicyImpact.replayFile with asBlock (read, map, group, evaluate, attribute rules, report).
 * Peak RSS is the process's (generation is streamed, so it is the replay's).
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { PolicyImpact } = require(path.join(process.env.BENCH_LIB ? path.resolve(process.env.BENCH_LIB) : path.join(__dirname, '..', 'lib'), 'index.js')).simulator;

const args = require.main === module ? process.argv.slice(2) : []; // run by bench/worker.js: BENCH_N only
const EVENTS = Number(process.env.BENCH_N ?? args[0] ?? 1000000);
const POLICIES = Number(args[1] ?? 1000);
const NAMESPACES = 10;
const now = () => Number(process.hrtime.bigint()) / 1e6;
// CPU time (user + system) of this process: on a shared machine it is steadier than the wall clock.
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

const manifests = [];
for (let i = 0; i < POLICIES; i++) {
  manifests.push({
    apiVersion: 'security.kubearmor.com/v1',
    kind: 'KubeArmorPolicy',
    metadata: { name: `fim-${i}`, namespace: `ns-${i % NAMESPACES}` },
    spec: {
      selector: { matchLabels: { app: `app-${i}` } },
      action: 'Audit',
      severity: 1 + (i % 10),
      tags: ['NIST', 'NIST_800-53_SI-4'],
      message: 'Detected and prevented compromise to File integrity',
      file: {
        matchDirectories: [
          ...['/sbin/', '/usr/bin/', '/usr/lib/', '/usr/sbin/', '/bin/', '/boot/'].map((dir) => ({ dir, readOnly: true, recursive: true })),
          { dir: `/var/lib/app-${i}/`, recursive: true, readOnly: true },
        ],
        matchPaths: [{ path: '/etc/shadow' }, { path: `/etc/app-${i}.conf`, readOnly: true }],
      },
      process: { matchPaths: [{ path: '/usr/bin/apt', action: 'Block' }] },
    },
  });
}

// The accesses of one workload: mostly reads and data writes, a few that Block would deny.
function accesses(i) {
  return [
    ['File', '/usr/lib/x86_64-linux-gnu/libssl.so.3', '/usr/bin/app', 'syscall=SYS_OPENAT fd=-100 flags=O_RDONLY|O_CLOEXEC'],
    ['File', '/usr/lib/x86_64-linux-gnu/libc.so.6', '/usr/bin/app', 'syscall=SYS_OPENAT fd=-100 flags=O_RDONLY|O_CLOEXEC'],
    ['File', '/etc/ld.so.cache', '/usr/bin/app', 'syscall=SYS_OPENAT fd=-100 flags=O_RDONLY|O_CLOEXEC'],
    ['File', `/etc/app-${i}.conf`, '/usr/bin/app', 'syscall=SYS_OPEN flags=O_RDONLY'],
    ['File', `/var/lib/app-${i}/data.db`, '/usr/bin/app', 'syscall=SYS_OPENAT fd=-100 flags=O_RDWR|O_CLOEXEC'],
    ['File', `/var/lib/app-${i}/wal.log`, '/usr/bin/app', 'syscall=SYS_OPENAT fd=-100 flags=O_WRONLY|O_APPEND'],
    ['File', '/tmp/cache.tmp', '/usr/bin/app', 'syscall=SYS_OPENAT fd=-100 flags=O_WRONLY|O_CREAT|O_TRUNC'],
    ['File', '/usr/lib/python3/__pycache__/site.cpython-311.pyc', '/usr/bin/python3', 'syscall=SYS_OPENAT fd=-100 flags=O_WRONLY|O_CREAT'],
    ['File', '/usr/bin/app', '/bin/chmod', 'syscall=SYS_FCHMODAT'],
    ['Process', '/usr/bin/app', '/bin/sh', 'syscall=SYS_EXECVE'],
    ['Process', '/usr/bin/apt', '/bin/sh', 'syscall=SYS_EXECVE'],
    ['Network', 'domain=AF_INET type=SOCK_STREAM protocol=TCP', '/usr/bin/app', 'syscall=SYS_SOCKET'],
  ];
}

function record(n) {
  const i = n % POLICIES;
  const a = accesses(i)[Math.floor(n / POLICIES) % 12];
  const ns = `ns-${i % NAMESPACES}`;
  const t = 1764547200 + Math.floor(n / 10);
  const audit = a[1].startsWith('/usr/lib/python3') || a[0] === 'Process' && a[1] === '/usr/bin/apt';
  const r = {
    ClusterName: 'prod-eu-1', HostName: `node-${i % 7}`, NamespaceName: ns,
    Owner: { Ref: 'Deployment', Name: `app-${i}`, Namespace: ns }, PodName: `app-${i}-6d9f7c8b5d-x${(n % 5)}k2p`,
    Labels: `app=app-${i},pod-template-hash=6d9f7c8b5d`, ContainerID: `${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}9c7f3e1d2b4a6c8e0f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d`,
    ContainerName: `c-${i}`, ContainerImage: `registry.example.com/team/app-${i}:1.4.2@sha256:5f0c9e7d1b3a2c4e6f8a0b2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e`,
    HostPPID: 20000 + (n % 997), HostPID: 21000 + (n % 991), PPID: 1, PID: 40 + (n % 50), UID: 0,
    ParentProcessName: a[0] === 'Process' ? a[2] : '/bin/sh', ProcessName: a[0] === 'Process' ? a[1] : a[2],
    Type: audit ? 'MatchedPolicy' : 'ContainerLog',
    ...(audit ? { PolicyName: `fim-${i}`, Severity: '1', Tags: 'NIST,NIST_800-53_SI-4', ATags: ['NIST', 'NIST_800-53_SI-4'], Message: 'Detected and prevented compromise to File integrity', Action: 'Audit', Enforcer: 'AppArmor' } : {}),
    Source: a[2], Operation: a[0], Resource: a[0] === 'Process' ? `${a[1]} --serve` : a[1], Data: a[3], Result: 'Passed',
    Timestamp: t, UpdatedTime: new Date(t * 1000 + (n % 1000)).toISOString(), cluster_id: '3896', component_name: 'kubearmor', instanceGroup: '0', instanceID: '0',
  };
  return JSON.stringify(r);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kubearmor-impact-bench-'));
const file = path.join(dir, 'logs.jsonl');
const fd = fs.openSync(file, 'w');
for (let n = 0; n < EVENTS;) {
  const batch = [];
  for (let k = 0; k < 5000 && n < EVENTS; k++, n++) batch.push(record(n));
  fs.writeSync(fd, `${batch.join('\n')}\n`);
}
fs.closeSync(fd);
const fileMB = fs.statSync(file).size / 2 ** 20;

// Floor: read and JSON.parse each line (what any reader of this file must at least do).
let t0 = now();
let c0 = cpu();
let parsed = 0;
{
  const { StringDecoder } = require('string_decoder');
  const fd2 = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  const dec = new StringDecoder('utf8');
  let rest = '';
  for (;;) {
    const k = fs.readSync(fd2, buf, 0, buf.length, null);
    if (k === 0) break;
    const text = rest + dec.write(buf.subarray(0, k));
    const lines = text.split('\n');
    rest = lines.pop();
    for (const l of lines) if (l) { JSON.parse(l); parsed++; }
  }
  fs.closeSync(fd2);
}
const floorMs = now() - t0;
const floorCpuMs = cpu() - c0;

t0 = now();
const impact = PolicyImpact.fromManifests(manifests, { asBlock: true });
const buildMs = now() - t0;
t0 = now();
c0 = cpu();
const report = impact.replayFile(file);
const replayMs = now() - t0;
const replayCpuMs = cpu() - c0;
fs.rmSync(dir, { recursive: true, force: true });

const result = {
  events: EVENTS, policies: POLICIES, fileMB, floorMs, floorCpuMs, buildMs, replayMs, replayCpuMs,
  eventsPerSecond: EVENTS / (replayMs / 1000), replayOverFloor: replayMs / floorMs, replayOverFloorCpu: replayCpuMs / floorCpuMs,
  distinctAccesses: report.distinctAccesses, findings: report.findings.length,
  newlyDeniedRecords: report.findings.filter((f) => f.kind === 'NEWLY_DENIED').reduce((s, f) => s + f.count, 0),
  unexercisedRules: report.unexercisedRules.length, skipped: report.skipped.reduce((s, x) => s + x.count, 0),
  maxRssMB: process.resourceUsage().maxRSS / 1024, parsed,
};
if (process.env.BENCH_JSON) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  console.log(`${EVENTS.toLocaleString('en')} events (${fileMB.toFixed(0)} MB) against ${POLICIES} policies, as Block`);
  console.log(`floor (read + JSON.parse only): ${floorMs.toFixed(0)} ms wall, ${floorCpuMs.toFixed(0)} ms CPU; build: ${buildMs.toFixed(0)} ms`);
  console.log(`replay: ${replayMs.toFixed(0)} ms wall, ${replayCpuMs.toFixed(0)} ms CPU (${Math.round(result.eventsPerSecond).toLocaleString('en')} events/s; `
    + `${result.replayOverFloor.toFixed(2)}× the floor wall, ${result.replayOverFloorCpu.toFixed(2)}× CPU)`);
  console.log(`distinct accesses ${result.distinctAccesses}, findings ${result.findings} (${result.newlyDeniedRecords} records newly denied), `
    + `unexercised rules ${result.unexercisedRules}, skipped ${result.skipped}; peak RSS ${result.maxRssMB.toFixed(0)} MB`);
}
