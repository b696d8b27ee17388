/**
 * `cdk8s-kubearmor diff [--format text|json|markdown] BEFORE AFTER`: what a change does to enforcement,
 * per workload (see PolicyDiff). BEFORE and AFTER are files or directories of synthesised YAML.
 */
import { Io } from './lint';
import { PolicyDiff } from '../diff/policy-diff';

export const DIFF_USAGE = `Usage: cdk8s-kubearmor diff [--format text|json|markdown] <before> <after>

Compares two synthesised apps (files or directories of YAML, e.g. the dist/ of the base branch and of
the pull request) by effect, per workload: effective rules added, removed or changed; allow-list mode
and default posture; pods newly or no longer selected; what alerts carry; new and resolved lint
findings; compliance controls gained or lost; and each concrete access the simulator decides or alerts
on differently under AppArmor and BPF-LSM and both default postures. Renamed policies and reordered
rules report "no enforcement change". --format markdown is shaped for a pull-request comment.

Exit status: 0 no enforcement change, 1 changes found, 2 usage error or invalid input.
`;

const FORMATS = new Set(['text', 'json', 'markdown']);

export function runDiff(args: readonly string[], io: Io): number {
  let format = 'text';
  const paths: string[] = [];
  const usage = (msg: string) => {
    io.err(`cdk8s-kubearmor diff: ${msg}\n${DIFF_USAGE}`);
    return 2;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--format' || a.startsWith('--format=')) {
      format = (a.startsWith('--format=') ? a.slice('--format='.length) : args[++i]) ?? '';
      if (!FORMATS.has(format)) return usage(`--format must be text, json or markdown, got '${format}'`);
    } else if (a === '--help' || a === '-h') {
      io.out(DIFF_USAGE);
      return 0;
    } else if (a.startsWith('-')) {
      return usage(`unknown option '${a}'`);
    } else {
      paths.push(a);
    }
  }
  if (paths.length !== 2) return usage(`give exactly two paths, BEFORE and AFTER (got ${paths.length})`);
  let report;
  try {
    report = PolicyDiff.compareFiles([paths[0]], [paths[1]]);
  } catch (e) {
    io.err(`cdk8s-kubearmor diff: ${(e as Error).message}\n`);
    return 2;
  }
  if (format === 'json') io.out(`${JSON.stringify(report.toJson(), undefined, 2)}\n`);
  else if (format === 'markdown') io.out(report.toMarkdown());
  else io.out(report.toText());
  return report.hasChanges ? 1 : 0;
}
