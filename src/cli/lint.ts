/**
 * `cdk8s-kubearmor lint <files or directories>`: YAML and schema checks of every KubeArmor document,
 * then the semantic lints over all of them together (with the workloads found among the same files),
 * honouring acknowledgement annotations.
 */
import * as fs from 'fs';
import * as path from 'path';
import { counts, formatJson, formatText } from '../private/lint-format';
import { lintSources, ReadSource } from '../private/lint-sources';
import { YAML_LIMITS, YamlLimits } from '../private/yaml-source';

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return 'no such file or directory';
  if (err?.code === 'EACCES' || err?.code === 'EPERM') return 'permission denied';
  if (err?.code === 'EISDIR') return 'is a directory';
  return err?.code ?? err?.message ?? String(e);
}

/**
 * Every .yaml/.yml file under the given paths (directories recursively, iteratively; node_modules and
 * dot-directories skipped), read within `maxBytes`. A path that cannot be read gives an entry with
 * `unreadable` instead of stopping the others. Files are read one at a time, in order.
 */
export function readSources(paths: readonly string[], maxBytes: number = YAML_LIMITS.maxBytes): ReadSource[] {
  const out: ReadSource[] = [];
  const pending: Array<[string, boolean]> = paths.map((p) => [p, true] as [string, boolean]).reverse();
  while (pending.length > 0) {
    const [p, explicit] = pending.pop()!;
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      out.push({ file: p, unreadable: { problem: `cannot read the path: ${describe(e)}`, fix: 'check the path' } });
      continue;
    }
    if (st.isDirectory()) {
      let entries: string[];
      try {
        entries = fs.readdirSync(p).sort();
      } catch (e) {
        out.push({ file: p, unreadable: { problem: `cannot list the directory: ${describe(e)}`, fix: 'check its permissions' } });
        continue;
      }
      for (let j = entries.length - 1; j >= 0; j--) {
        if (entries[j] === 'node_modules' || entries[j].startsWith('.')) continue;
        pending.push([path.join(p, entries[j]), false]);
      }
    } else if (explicit || /\.ya?ml$/i.test(p)) {
      if (st.size > maxBytes) {
        out.push({ file: p, unreadable: { problem: `${st.size} bytes exceed the limit of ${maxBytes}; the file was not read`, fix: 'split it, or raise the limit (--max-bytes)' } });
        continue;
      }
      try {
        out.push({ file: p, text: fs.readFileSync(p, 'utf8') });
      } catch (e) {
        out.push({ file: p, unreadable: { problem: `cannot read the file: ${describe(e)}`, fix: 'check the path and its permissions' } });
      }
    }
  }
  return out;
}
/** Limit flags of the lint command, as `flag → limit` (values are positive integers). */
const LIMIT_FLAGS: ReadonlyArray<readonly [string, keyof YamlLimits]> = [
  ['--max-bytes', 'maxBytes'],
  ['--max-documents', 'maxDocuments'],
  ['--max-depth', 'maxDepth'],
  ['--max-alias-count', 'maxAliasCount'],
  ['--max-scalar-chars', 'maxScalarChars'],
];

export const LINT_USAGE = `Usage: cdk8s-kubearmor lint [--format text|json] [--strict] [--show-acknowledged] [limits] <file or directory>...

Checks every KubeArmor policy in the YAML files (directories are searched for *.yaml / *.yml):
YAML problems (KA-YAML), fields and values the CRDs or KubeArmor reject (KA-SCHEMA), documents that
define the same policy (KA-DUPLICATE), and the semantic lints KA001... (with the Deployments,
StatefulSets, DaemonSets, Jobs and Pods of the same files as workloads). Findings acknowledged with the
annotation lint.cdk8s-kubearmor.io/acknowledge.<ID>: <reason> are not reported.

Hostile or huge input is refused per file (or per document) with its line, as KA-INPUT, within limits
(the other files are still checked):
  --max-bytes <n>         largest file read, in bytes (default ${YAML_LIMITS.maxBytes})
  --max-documents <n>     most documents per file (default ${YAML_LIMITS.maxDocuments})
  --max-depth <n>         deepest nesting per document (default ${YAML_LIMITS.maxDepth})
  --max-alias-count <n>   most nodes the aliases of a document expand to (default ${YAML_LIMITS.maxAliasCount})
  --max-scalar-chars <n>  longest scalar (default ${YAML_LIMITS.maxScalarChars})

Exit status: 0 no errors (warnings allowed), 1 errors (or warnings with --strict), 2 usage error,
3 some input was not checked (unreadable, or refused by a limit: KA-INPUT), whatever else was found.
`;

export function runLint(args: readonly string[], io: Io): number {
  let format = 'text';
  let strict = false;
  let showAcknowledged = false;
  const limits: { -readonly [K in keyof YamlLimits]: number } = { ...YAML_LIMITS };
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const limit = LIMIT_FLAGS.find(([flag]) => a === flag || a.startsWith(`${flag}=`));
    if (limit) {
      const text = a.includes('=') ? a.slice(limit[0].length + 1) : args[++i];
      if (text === undefined || !/^[1-9][0-9]{0,14}$/.test(text)) {
        io.err(`cdk8s-kubearmor lint: ${limit[0]} must be a positive integer, got ${text === undefined ? 'nothing' : `'${text}'`}\n`);
        return 2;
      }
      limits[limit[1]] = Number(text);
    } else if (a === '--format' || a.startsWith('--format=')) {
      format = a.includes('=') ? a.slice('--format='.length) : args[++i];
      if (format !== 'text' && format !== 'json') {
        io.err(`cdk8s-kubearmor lint: --format must be text or json, got '${format}'\n`);
        return 2;
      }
    } else if (a === '--strict') {
      strict = true;
    } else if (a === '--show-acknowledged') {
      showAcknowledged = true;
    } else if (a === '--help' || a === '-h') {
      io.out(LINT_USAGE);
      return 0;
    } else if (a.startsWith('-')) {
      io.err(`cdk8s-kubearmor lint: unknown option '${a}'\n${LINT_USAGE}`);
      return 2;
    } else {
      paths.push(a);
    }
  }
  if (paths.length === 0) {
    io.err(`cdk8s-kubearmor lint: no files or directories given\n${LINT_USAGE}`);
    return 2;
  }
  const sources = readSources(paths, limits.maxBytes);
  if (sources.length === 0) {
    io.err(`cdk8s-kubearmor lint: no .yaml or .yml files under ${paths.join(', ')}\n`);
    return 2;
  }
  const report = lintSources(sources, limits);
  io.out(format === 'json' ? formatJson(report) : formatText(report, { showAcknowledged }));
  const c = counts(report.findings);
  if (c.inputErrors > 0) return 3;
  return c.errors > 0 || (strict && c.warnings > 0) ? 1 : 0;
}
