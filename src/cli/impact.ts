/**
 * `cdk8s-kubearmor impact --telemetry logs.jsonl [--as-block] [--enforcer apparmor|bpf-lsm] FILES...`:
 * replays KubeArmor telemetry against the policies in YAML files (see PolicyImpact). Construct paths come
 * from a `construct-metadata.json` beside the YAML (written by `cdk8s synth`) when there is one.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Io } from './lint';
import { ImpactPolicySource, PolicyImpact } from '../impact/policy-impact';
import { formatProblem } from '../private/errors';
import { SourceText } from '../private/lint-sources';
import { workloadOf } from '../private/lint-workload';
import { checkSource, locatedProblem } from '../private/policy-source';
import { yamlFiles } from '../private/yaml-files';
import { SimulatedEnforcer, SimulatedPosture, SimulatedWorkload } from '../simulator';

export const IMPACT_USAGE = `Usage: cdk8s-kubearmor impact --telemetry <file> [--as-block] [--enforcer apparmor|bpf-lsm]
       [--posture audit|block] [--format text|json|markdown] [--explain] <policy file or directory>...

Replays KubeArmor telemetry (karmor logs --json: JSON lines, or a JSON array) against the KubeArmor
policies in the YAML files and reports the observed accesses that would be denied or would change
their alert, per workload, policy, rule and access; the rules no access exercised; and the records
that could not be replayed. --as-block replays every Audit rule as Block. --explain traces every
observed alert to its policy, rule (JSON pointer, file:line) and construct path (from
construct-metadata.json beside the YAML).

Exit status: 0 nothing newly denied, 1 an observed access would be newly denied, 2 usage error.
`;

const ENFORCERS: Record<string, SimulatedEnforcer> = { 'apparmor': SimulatedEnforcer.APPARMOR, 'bpf-lsm': SimulatedEnforcer.BPF_LSM };
const POSTURES: Record<string, SimulatedPosture> = { audit: SimulatedPosture.AUDIT, block: SimulatedPosture.BLOCK };
const FORMATS = new Set(['text', 'json', 'markdown']);

/** The `resources` map of construct-metadata.json files in the directories of the given files. */
function constructPaths(files: readonly string[]): Map<string, Record<string, string>> {
  const byDir = new Map<string, Record<string, string>>();
  for (const dir of new Set(files.map((f) => path.dirname(f)))) {
    const meta = path.join(dir, 'construct-metadata.json');
    if (!fs.existsSync(meta)) continue;
    try {
      const json = JSON.parse(fs.readFileSync(meta, 'utf8'));
      const paths: Record<string, string> = {};
      for (const [name, v] of Object.entries<any>(json?.resources ?? {})) {
        if (typeof v?.path === 'string') paths[name] = v.path.replace(/\/Resource$/, '');
      }
      byDir.set(dir, paths);
    } catch {
      // an unreadable metadata file only loses the construct paths
    }
  }
  return byDir;
}

export function runImpact(args: readonly string[], io: Io): number {
  let telemetry: string | undefined;
  let asBlock = false;
  let explain = false;
  let enforcer = SimulatedEnforcer.APPARMOR;
  let posture = SimulatedPosture.AUDIT;
  let format = 'text';
  const paths: string[] = [];
  const usage = (msg: string) => {
    io.err(`cdk8s-kubearmor impact: ${msg}\n${IMPACT_USAGE}`);
    return 2;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (name: string): string | undefined => (a.startsWith(`${name}=`) ? a.slice(name.length + 1) : args[++i]);
    if (a === '--telemetry' || a.startsWith('--telemetry=')) {
      telemetry = value('--telemetry');
      if (!telemetry) return usage('--telemetry needs a file');
    } else if (a === '--enforcer' || a.startsWith('--enforcer=')) {
      const v = value('--enforcer') ?? '';
      if (!(v in ENFORCERS)) return usage(`--enforcer must be apparmor or bpf-lsm, got '${v}'`);
      enforcer = ENFORCERS[v];
    } else if (a === '--posture' || a.startsWith('--posture=')) {
      const v = value('--posture') ?? '';
      if (!(v in POSTURES)) return usage(`--posture must be audit or block, got '${v}'`);
      posture = POSTURES[v];
    } else if (a === '--format' || a.startsWith('--format=')) {
      format = value('--format') ?? '';
      if (!FORMATS.has(format)) return usage(`--format must be text, json or markdown, got '${format}'`);
    } else if (a === '--as-block') {
      asBlock = true;
    } else if (a === '--explain') {
      explain = true;
    } else if (a === '--help' || a === '-h') {
      io.out(IMPACT_USAGE);
      return 0;
    } else if (a.startsWith('-')) {
      return usage(`unknown option '${a}'`);
    } else {
      paths.push(a);
    }
  }
  if (telemetry === undefined) return usage('--telemetry <file> is required');
  if (paths.length === 0) return usage('no policy files or directories given');
  if (!fs.existsSync(telemetry) || !fs.statSync(telemetry).isFile()) return usage(`telemetry file '${telemetry}' does not exist`);

  let files: string[];
  const texts: SourceText[] = [];
  try {
    files = yamlFiles(paths);
    for (const file of files) texts.push({ file, text: fs.readFileSync(file, 'utf8') });
  } catch (e) {
    return usage((e as Error).message);
  }
  if (files.length === 0) return usage(`no .yaml or .yml files under ${paths.join(', ')}`);

  const metadata = constructPaths(files);
  const sources: ImpactPolicySource[] = [];
  const workloads: SimulatedWorkload[] = [];
  const problems: string[] = [];
  for (const t of texts) {
    const meta = metadata.get(path.dirname(t.file)) ?? {};
    for (const d of checkSource(t.text, t.file).documents) {
      if (d.kubeArmor) {
        if (d.decoded === undefined) {
          const first = d.issues[0];
          problems.push(`${first ? formatProblem(locatedProblem(first)) : `${t.file}:${d.doc.line}: invalid`} (policy not replayed; run cdk8s-kubearmor lint)`);
          continue;
        }
        sources.push({ manifest: d.value, file: t.file, lineOf: (p) => d.doc.lineOf(p), constructPath: meta[d.value?.metadata?.name] });
        continue;
      }
      const w = workloadOf(d.value);
      if (w?.namespace !== undefined) workloads.push({ name: w.name, namespace: w.namespace, labels: w.labels, containers: w.containers });
    }
  }
  if (sources.length === 0) return usage(`no valid KubeArmor policy in ${paths.join(', ')}${problems.length ? `\n${problems.join('\n')}` : ''}`);

  const impact = PolicyImpact._fromSources(sources, { asBlock, enforcer, defaultFilePosture: posture, workloads });
  let report;
  try {
    report = impact.replayFile(telemetry);
  } catch (e) {
    return usage((e as Error).message);
  }
  for (const p of problems) io.err(`${p}\n`);
  if (format === 'json') io.out(`${JSON.stringify(report.toJson(), undefined, 2)}\n`);
  else if (format === 'markdown') io.out(report.toMarkdown(explain));
  else io.out(report.toText(explain));
  return report.hasNewDenials ? 1 : 0;
}
