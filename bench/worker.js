// One measurement in a fresh process (so peak RSS belongs to this scenario only).
// Usage: node bench/worker.js <scenario> <n>
//   synth-hardened | synth-floor   : one chart, n HardenedWorkloads / the same output without the library
//   charts-hardened | charts-floor : n charts, one workload each (hardened / floor)
//   synth-plain | charts-plain     : plain cdk8s-plus Deployments only (less output; for reference)
//   capture                        : writes what the floor needs (BENCH_SHAPE=one|charts, BENCH_OBJECTS=file)
//   secpol                         : a SecurityPolicy with n rules, synthesised
//   require-plus | require-lib     : cold require time
//   lint-input-small | lint-input-huge : lint of one generated file of n MB (many small policies / one policy)
//   fim                            : a FileIntegrityPolicy with n directories and n paths, synthesised
//   coverage                       : parse an n-entry `tar -tvf` listing and check it against the default presets
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const [scenario, nArg] = process.argv.slice(2);
const n = Number(nArg ?? 0);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
process.env.CDK8S_KUBEARMOR_QUIET = '1';
// BENCH_LIB: another build of the library (e.g. a copy of lib/ from before a change, kept inside this checkout
// so that it resolves the same cdk8s and constructs).
const LIB = process.env.BENCH_LIB ? path.resolve(process.env.BENCH_LIB) : path.join(__dirname, '..', 'lib');

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
  const s0 = now();
  execFileSync(process.execPath, ['-e', '0']);
  const nodeStartMs = now() - s0;
  const t0 = now();
  let exitCode = 0;
  let cliCpuMs;
  try {
    // The CLI as bin/cdk8s-kubearmor runs it, plus its own CPU time (start-up included) written to fd 3 at exit.
    const main = process.env.BENCH_LIB ? path.join(LIB, 'cli', 'main.js') : path.join(__dirname, '..', 'lib', 'cli', 'main.js');
    const script = 'process.on("exit", () => { const u = process.cpuUsage(); require("fs").writeSync(3, String((u.user + u.system) / 1000)); });'
      + `require(${JSON.stringify(main)}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; });`;
    const child = require('child_process').spawnSync(process.execPath, ['-e', script, 'lint', '--format', 'json', dir], {
      stdio: ['ignore', 'ignore', 'inherit', 'pipe'], maxBuffer: 256 * 1024 * 1024,
    });
    exitCode = child.status;
    cliCpuMs = Number(String(child.output[3]));
  } catch (e) {
    exitCode = e.status;
  }
  const wallMs = now() - t0;
  fs.rmSync(dir, { recursive: true, force: true });
  report({ wallMs, cpuMs: cliCpuMs, nodeStartMs, exitCode, files: n });
} else if (scenario === 'lint-input-small' || scenario === 'lint-input-huge') {
  // One YAML file of n MB, linted in a child process that reports its own peak RSS over its baseline
  // (node + the library loaded, before reading the input).
  const { execFileSync } = require('child_process');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kubearmor-input-bench-')), 'input.yaml');
  const target = n * 1024 * 1024;
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  let docs = 0;
  const header = (i) => `apiVersion: security.kubearmor.com/v1\nkind: KubeArmorPolicy\nmetadata:\n  name: p-${i}\n  namespace: ns-${i % 50}\n`
    + `spec:\n  action: Block\n  severity: 5\n  selector:\n    matchLabels:\n      app: app-${i}\n  file:\n    matchPaths:\n`;
  const write = (t) => { fs.writeSync(fd, t); bytes += Buffer.byteLength(t); };
  if (scenario === 'lint-input-small') {
    while (bytes < target) {
      write(`${docs > 0 ? '---\n' : ''}${header(docs)}${[0, 1, 2].map((j) => `      - path: /etc/app-${docs}/file-${j}.conf\n`).join('')}`);
      docs++;
    }
  } else {
    write(header(0));
    docs = 1;
    let chunk = '';
    for (let j = 0; bytes + chunk.length < target; j++) {
      chunk += `      - path: /srv/data/dir-${j % 1000}/file-${j}.conf\n`;
      if (chunk.length > 65536) { write(chunk); chunk = ''; }
    }
    write(chunk);
  }
  fs.closeSync(fd);
  const out = execFileSync(process.execPath, [path.join(__dirname, 'worker.js'), 'lint-file', String(n)], {
    encoding: 'utf8', env: { ...process.env, BENCH_FILE: file }, maxBuffer: 64 * 1024 * 1024,
  });
  // The floor: the `yaml` library alone reading the same file (streamed CST -> Composer -> toJS, documents dropped).
  const floorOut = execFileSync(process.execPath, [path.join(__dirname, 'worker.js'), 'yaml-file', String(n)], {
    encoding: 'utf8', env: { ...process.env, BENCH_FILE: file }, maxBuffer: 64 * 1024 * 1024,
  });
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  const child = JSON.parse(out.trim().split('\n').pop());
  const yamlOnly = JSON.parse(floorOut.trim().split('\n').pop());
  const inputMB = bytes / 2 ** 20;
  delete child.scenario;
  report({
    ...child, documents: docs, inputMB, mbPerSecond: inputMB / (child.lintMs / 1000), rssOverInput: child.rssOverBaselineMB / inputMB,
    yamlMs: yamlOnly.yamlMs, yamlCpuMs: yamlOnly.cpuMs, yamlRssOverBaselineMB: yamlOnly.rssOverBaselineMB, overYaml: child.cpuMs / yamlOnly.cpuMs,
  });
} else if (scenario === 'yaml-file') {
  const YAML = require('yaml');
  const baselineMB = process.memoryUsage().rss / 2 ** 20;
  const t0 = now();
  const c0 = cpu();
  const text = fs.readFileSync(process.env.BENCH_FILE, 'utf8');
  const lc = new YAML.LineCounter();
  const parser = new YAML.Parser(lc.addNewLine);
  let documents = 0;
  for (const doc of new YAML.Composer({ uniqueKeys: false }).compose(parser.parse(text))) {
    doc.toJS({ maxAliasCount: 100 });
    documents++;
  }
  const yamlMs = now() - t0;
  const cpuMs = cpu() - c0;
  report({ yamlMs, cpuMs, documents, baselineMB, rssOverBaselineMB: process.resourceUsage().maxRSS / 1024 - baselineMB });
} else if (scenario === 'lint-file') {
  const { run } = require(path.join(LIB, 'cli', 'main.js'));
  const baselineMB = process.memoryUsage().rss / 2 ** 20;
  const t0 = now();
  const c0 = cpu();
  let outputBytes = 0;
  run(['lint', '--format', 'json', '--max-bytes', String(2 ** 40), '--max-documents', String(1e9), process.env.BENCH_FILE], {
    out: (t) => { outputBytes += t.length; }, err: (t) => process.stderr.write(t),
  }).then((exitCode) => {
    const lintMs = now() - t0;
    const cpuMs = cpu() - c0;
    const maxRssMB = process.resourceUsage().maxRSS / 1024;
    report({ lintMs, cpuMs, exitCode, outputBytes, baselineMB, rssOverBaselineMB: maxRssMB - baselineMB });
  });
} else if (scenario === 'fim') {
  const { App, Chart } = require('cdk8s');
  const lib = require(path.join(LIB, 'index.js'));
  const t0 = now();
  const c0 = cpu();
  const chart = new Chart(new App(), 'bench');
  const fim = new lib.FileIntegrityPolicy(chart, 'fim', { target: lib.PolicyTarget.podLabels({ app: 'x' }, 'ns'), presets: [] });
  for (let i = 0; i < n; i++) fim.addDirectory(`/data/d${i}/`, { recursive: i % 2 === 0 });
  for (let i = 0; i < n; i++) fim.addPath(`/files/f${i}.conf`);
  // Far more rules than BPF-LSM's 256-key map holds, on purpose: the row measures the library's cost, not a deployable policy.
  lib.PolicyLint.acknowledge(fim, 'KA022', 'benchmark of construction cost; never deployed');
  const t1 = now();
  chart.toJson();
  const t2 = now();
  report({ addMs: t1 - t0, synthMs: t2 - t1, totalMs: t2 - t0, cpuMs: cpu() - c0 });
} else if (scenario === 'secpol') {
  // A SecurityPolicy with n rules of four kinds (file paths and directories, process paths, syscall paths).
  const { App, Chart } = require('cdk8s');
  const lib = require(path.join(LIB, 'index.js'));
  const t0 = now();
  const c0 = cpu();
  const chart = new Chart(new App(), 'bench');
  const policy = new lib.SecurityPolicy(chart, 'policy', { target: lib.PolicyTarget.podLabels({ app: 'x' }, 'ns'), action: lib.PolicyAction.BLOCK });
  lib.PolicyLint.acknowledge(policy, 'KA022', 'benchmark of construction cost; never deployed');
  for (let i = 0; i < n; i++) {
    switch (i % 4) {
      case 0: policy.addFilePath(`/etc/app/f${i}.conf`, { readOnly: true }); break;
      case 1: policy.addFileDirectory(`/data/d${i}/`, { recursive: i % 8 === 1 }); break;
      case 2: policy.addProcessPath(`/usr/local/bin/tool-${i}`); break;
      default: policy.addFilePath(`/var/lib/app/s${i}.db`, { ownerOnly: true }); break;
    }
  }
  const t1 = now();
  chart.toJson();
  const t2 = now();
  report({ addMs: t1 - t0, synthMs: t2 - t1, totalMs: t2 - t0, cpuMs: cpu() - c0 });
} else if (scenario === 'coverage') {
  // A synthetic image of n entries in the layout of the Debian fixtures: binaries, libraries, Python and Perl
  // module trees, configuration, application files under /opt/ and /srv/; written as `tar -tvf` lines.
  const lib = require(path.join(LIB, 'index.js'));
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
  const t0 = now();
  const c0 = cpu();
  const contents = lib.ImageContents.fromFile(file);
  const t1 = now();
  const coverage = lib.ImageCoverage.ofPresets(contents, lib.FileIntegrityPreset.defaults());
  const t2 = now();
  const cpuMs = cpu() - c0;
  fs.rmSync(dir, { recursive: true, force: true });
  report({ parseMs: t1 - t0, coverageMs: t2 - t1, totalMs: t2 - t0, cpuMs, entries: contents.entryCount, gaps: coverage.gaps.length });
} else if (scenario === 'diff') {
  process.env.CDK8S_KUBEARMOR_QUIET = '1';
  // Two apps of n hardened workloads each (BEFORE Block, AFTER the staged rollout in Audit: every workload
  // changes, so every workload is probed), synthesised to YAML, then `PolicyDiff.compareFiles` on the two dists.
  const { App, Chart } = require('cdk8s');
  const lib = require(path.join(LIB, 'index.js'));
  const manifests = {};
  const synth = (action) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kubearmor-diff-bench-'));
    const app = new App({ outdir });
    const chart = new Chart(app, 'bench', { namespace: 'bench' });
    for (let i = 0; i < n; i++) new lib.HardenedWorkload(chart, `w${i}`, { containers: [{ image: 'nginx', portNumber: 80 }], action });
    app.synth();
    manifests[outdir] = chart.toJson();
    return outdir;
  };
  const before = synth(undefined);
  const after = synth(lib.PolicyAction.AUDIT);
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  // compareManifests: the diff alone (what compareScopes runs); compareFiles: the same plus reading and checking the YAML.
  let t0 = now();
  let c0 = cpu();
  lib.PolicyDiff.compareManifests(manifests[before], manifests[after]);
  const manifestsMs = now() - t0;
  const manifestsCpuMs = cpu() - c0;
  t0 = now();
  c0 = cpu();
  const r = lib.PolicyDiff.compareFiles([before], [after]);
  const diffMs = now() - t0;
  const diffCpuMs = cpu() - c0;
  const probes = r.workloads.reduce((s, w) => s + w.probes, 0);
  fs.rmSync(before, { recursive: true, force: true });
  fs.rmSync(after, { recursive: true, force: true });
  report({ manifestsMs, manifestsCpuMs, diffMs, diffCpuMs, workloads: r.workloads.length, changed: r.changedWorkloads.length, probes });
} else if (scenario === 'require-plus' || scenario === 'require-lib') {
  const t0 = now();
  const c0 = cpu();
  require('cdk8s-plus-27');
  const t1 = now();
  const c1 = cpu();
  if (scenario === 'require-lib') require(path.join(LIB, 'index.js'));
  const t2 = now();
  report({ requireMs: t2 - t0, plusMs: t1 - t0, requireCpuMs: cpu() - c0, plusCpuMs: c1 - c0 });
} else if (scenario === 'capture') {
  // What the floor synthesises: per chart, the hardened output in order, each Deployment as a marker and every
  // KubeArmor object as its JSON. Run once per N outside the timed processes.
  const { App, Chart } = require('cdk8s');
  const lib = require(path.join(LIB, 'index.js'));
  const perChart = process.env.BENCH_SHAPE === 'charts';
  const app = new App();
  const charts = [];
  let chart;
  for (let i = 0; i < n; i++) {
    if (perChart || !chart) charts.push(chart = new Chart(app, perChart ? `c${i}` : 'bench', { namespace: 'bench' }));
    new lib.HardenedWorkload(chart, `w${i}`, { containers: [{ image: 'nginx', portNumber: 80 }] });
  }
  const out = charts.map((c) => c.toJson().map((o) => (o.kind === 'Deployment' ? 'Deployment' : o)));
  fs.writeFileSync(process.env.BENCH_OBJECTS, JSON.stringify(out));
  report({ charts: out.length, objects: out.reduce((k, c) => k + c.length, 0) });
} else {
  const { App, Chart, ApiObject } = require('cdk8s');
  const { Construct } = require('constructs');
  const kplus = require('cdk8s-plus-27');
  const floor = scenario.endsWith('-floor');
  const hardened = scenario.endsWith('-hardened');
  const lib = hardened ? require(path.join(LIB, 'index.js')) : undefined;
  const perChart = scenario.startsWith('charts-');
  // The floor: the same YAML without the library — plain cdk8s-plus Deployments at the same construct paths
  // (so the same names and labels) and the captured KubeArmor objects as raw ApiObjects, in the same order.
  const captured = floor ? JSON.parse(fs.readFileSync(process.env.BENCH_OBJECTS, 'utf8')) : undefined;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-kubearmor-bench-'));
  const t0 = now();
  const c0 = cpu();
  const app = new App({ outdir });
  let chart = perChart ? undefined : new Chart(app, 'bench', { namespace: 'bench' });
  const props = () => ({ containers: [{ image: 'nginx', portNumber: 80 }] });
  if (floor) {
    let w = 0;
    captured.forEach((objects, c) => {
      if (perChart) chart = new Chart(app, `c${c}`, { namespace: 'bench' });
      let scope;
      objects.forEach((o, j) => {
        if (o === 'Deployment') {
          scope = new Construct(chart, `w${w++}`);
          new kplus.Deployment(scope, 'Default', props());
        } else {
          new ApiObject(scope, `ka${j}`, o);
        }
      });
    });
  } else {
    for (let i = 0; i < n; i++) {
      if (perChart) chart = new Chart(app, `c${i}`, { namespace: 'bench' });
      if (hardened) new lib.HardenedWorkload(chart, `w${i}`, props());
      else new kplus.Deployment(chart, `w${i}`, props());
    }
  }
  const t1 = now();
  app.synth();
  const t2 = now();
  const cpuMs = cpu() - c0;
  const hash = require('crypto').createHash('sha256');
  let bytes = 0;
  for (const f of fs.readdirSync(outdir).sort()) {
    const data = fs.readFileSync(path.join(outdir, f));
    bytes += data.length;
    hash.update(f).update(data);
  }
  fs.rmSync(outdir, { recursive: true, force: true });
  report({ constructMs: t1 - t0, synthMs: t2 - t1, totalMs: t2 - t0, cpuMs, outputKB: bytes / 1024, outputSha256: hash.digest('hex') });
}
