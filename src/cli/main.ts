/**
 * The `cdk8s-kubearmor` command line. bin/cdk8s-kubearmor calls `main(argv)` from lib/cli/main.js.
 * Not part of the jsii API (not exported from index.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Io } from './lint';

// Each command's module is required when that command runs, so that `lint` does not pay for the simulator,
// the importer or the image coverage at start-up (a CLI's cold start is most of its time on small inputs).
/* eslint-disable @typescript-eslint/no-require-imports */
const lint = (): typeof import('./lint') => require('./lint');
const importer = (): typeof import('./import') => require('./import');
const impact = (): typeof import('./impact') => require('./impact');
const coverage = (): typeof import('./coverage') => require('./coverage');
const differ = (): typeof import('./diff') => require('./diff');
/* eslint-enable @typescript-eslint/no-require-imports */

function usage(): string {
  const [{ LINT_USAGE }, { IMPORT_USAGE }, { IMPACT_USAGE }, { COVERAGE_USAGE }, { DIFF_USAGE }] =
    [lint(), importer(), impact(), coverage(), differ()];
  return `Usage: cdk8s-kubearmor <command> [options]

Commands:
  lint <files or directories>   check KubeArmor YAML (schema, values, semantic lints); exit 1 on errors
  import <file>                 print TypeScript that builds the same policies with cdk8s-kubearmor
  impact --telemetry <file> <files or directories>   replay KubeArmor telemetry against the policies; exit 1 on new denials
  coverage --image-contents F   which files of an image the policies leave unprotected; exit 1 on critical gaps
  diff <before> <after>         what a change does to enforcement, per workload; exit 1 on changes

Run 'cdk8s-kubearmor <command> --help' for the options of a command, 'cdk8s-kubearmor --version' for
the version.

${LINT_USAGE}
${IMPORT_USAGE}
${IMPACT_USAGE}
${COVERAGE_USAGE}
${DIFF_USAGE}`;
}

/** The version of this package (its package.json, two levels above lib/cli/ and src/cli/). */
export function version(): string {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
}

/** Runs one command with the given output streams; returns the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'lint':
      return lint().runLint(args, io);
    case 'import':
      return importer().runImport(args, io);
    case 'impact':
      return impact().runImpact(args, io);
    case '--version':
    case '-V':
      io.out(`cdk8s-kubearmor ${version()}\n`);
      return 0;
    case 'coverage':
      return coverage().runCoverage(args, io);
    case 'diff':
      return differ().runDiff(args, io);
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      (command === undefined ? io.err : io.out)(usage());
      return command === undefined ? 2 : 0;
    default:
      io.err(`cdk8s-kubearmor: unknown command '${command}'\n\n${usage()}`);
      return 2;
  }
}

/** Entry point of bin/cdk8s-kubearmor; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  return run(argv, {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  });
}
