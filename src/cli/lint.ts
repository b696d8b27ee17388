/**
 * `cdk8s-kubearmor lint <files or directories>`: YAML and schema checks of every KubeArmor document,
 * then the semantic lints over all of them together (with the workloads found among the same files),
 * honouring acknowledgement annotations.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CliFinding, counts, formatJson, formatText, LintReport, SkippedDoc } from './format';
import { LintWorkload } from '../private/lint-context';
import { ACK_ANNOTATION_PREFIX, LINT_BY_ID, lintManifests } from '../private/lints';
import { CheckedDocument, checkSource, duplicateObjectIssues, INPUT_ISSUE_ID, LocatedIssue } from '../private/policy-source';
import { filesystemsOf } from '../private/report-kernel';
import { YAML_LIMITS, YamlLimits } from '../private/yaml-source';

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export interface SourceText {
  readonly file: string;
  readonly text: string;
}

/** A file as read by {@link readSources}: its text, or why it was not read. */
export interface ReadSource {
  readonly file: string;
  /** The file's text; absent when it could not be read (then `unreadable` says why). */
  readonly text?: string;
  /** Why the file was not read (missing, a directory, over the byte limit...). */
  readonly unreadable?: { readonly problem: string; readonly fix: string };
}

const POD_TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** The pod identity of a workload manifest (namespace, pod template labels, containers), if it is one. */
export function workloadOf(m: any): LintWorkload | undefined {
  if (m === null || typeof m !== 'object' || typeof m.kind !== 'string') return undefined;
  let template: any;
  if (m.kind === 'Pod') template = { metadata: m.metadata, spec: m.spec };
  else if (POD_TEMPLATE_KINDS.has(m.kind)) template = m.spec?.template;
  else if (m.kind === 'CronJob') template = m.spec?.jobTemplate?.spec?.template;
  else return undefined;
  const labels = template?.metadata?.labels;
  const annotations = template?.metadata?.annotations;
  const containers = Array.isArray(template?.spec?.containers) ? template.spec.containers.map((c: any) => c?.name).filter((n: unknown) => typeof n === 'string') : [];
  return {
    name: `${m.kind}/${m.metadata?.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata?.name ?? '<unnamed>'}`,
    namespace: typeof m.metadata?.namespace === 'string' ? m.metadata.namespace : undefined,
    labels: labels !== null && typeof labels === 'object' ? labels : {},
    containers,
    filesystems: filesystemsOf(template),
    annotations: annotations !== null && typeof annotations === 'object' ? annotations : {},
  };
}

function fromLocated(i: LocatedIssue): CliFinding {
  return { file: i.source, line: i.line, document: i.document, pointer: i.pointer, id: i.id, severity: i.severity, message: i.message, fix: i.fix };
}

function identity(d: CheckedDocument | undefined): { kind?: string; namespace?: string; resourceName?: string } {
  const v = d?.value;
  if (v === null || typeof v !== 'object') return {};
  return {
    kind: typeof v.kind === 'string' ? v.kind : undefined,
    namespace: typeof v.metadata?.namespace === 'string' ? v.metadata.namespace : undefined,
    resourceName: typeof v.metadata?.name === 'string' ? v.metadata.name : undefined,
  };
}

function inputFinding(file: string, line: number, document: number, problem: string, fix: string): CliFinding {
  return { file, line, document, pointer: '', id: INPUT_ISSUE_ID, severity: 'error', message: problem, fix };
}

/**
 * Checks YAML texts together. Pure apart from the CPU: no file system access. A source that could not
 * be read, exceeds a limit, or breaks a check gives a KA-INPUT finding; the others are still checked.
 */
export function lintSources(sources: readonly ReadSource[], limits: YamlLimits = YAML_LIMITS): LintReport {
  const docs: CheckedDocument[] = [];
  const findings: CliFinding[] = [];
  for (const s of sources) {
    if (s.text === undefined) {
      findings.push(inputFinding(s.file, 1, 1, s.unreadable?.problem ?? 'the file could not be read', s.unreadable?.fix ?? 'check the path'));
      continue;
    }
    try {
      // No push(...spread): a file may hold more documents than a call can take arguments.
      for (const d of checkSource(s.text, s.file, limits).documents) docs.push(d);
    } catch (e) {
      findings.push(inputFinding(s.file, 1, 1, `checking the file failed: ${(e as Error)?.message ?? String(e)}; it was not checked`, 'report this as a bug of cdk8s-kubearmor, with the file'));
    }
  }
  const byDoc = new Map<string, CheckedDocument>(docs.map((d) => [`${d.source}#${d.doc.index}`, d]));
  const located = (i: LocatedIssue): CliFinding => ({ ...fromLocated(i), ...identity(byDoc.get(`${i.source}#${i.document}`)) });
  for (const d of docs) for (const i of d.issues) findings.push(located(i));
  const duplicates = duplicateObjectIssues(docs);

  const skipped: SkippedDoc[] = [];
  const workloads: LintWorkload[] = [];
  for (const d of docs) {
    if (d.kubeArmor || d.doc.refused) continue;
    const v = d.value !== null && typeof d.value === 'object' ? d.value : {};
    skipped.push({
      file: d.source,
      document: d.doc.index,
      line: d.doc.line,
      apiVersion: typeof v.apiVersion === 'string' ? v.apiVersion : undefined,
      kind: typeof v.kind === 'string' ? v.kind : undefined,
      name: typeof v.metadata?.name === 'string' ? v.metadata.name : undefined,
    });
    const w = workloadOf(v);
    if (w) workloads.push(w);
  }

  // Semantic lints over the policies that passed the schema checks (the others are reported above).
  const clean = docs.filter((d) => d.decoded !== undefined);
  const raw = lintManifests(clean.map((d) => d.value), { workloads: workloads.length > 0 ? workloads : undefined });
  // One fact, one finding: a policy defined twice is KA014 (the lint, acknowledgeable like in the app) when
  // the lints saw it, KA-DUPLICATE only for the documents they did not (e.g. one that fails the schema).
  const ka014 = new Set(raw.filter((f) => f.id === 'KA014').map((f) => `${clean[f.manifest].source}#${clean[f.manifest].doc.index}`));
  for (const i of duplicates) if (!ka014.has(`${i.source}#${i.document}`)) findings.push(located(i));
  for (const f of raw) {
    const d = clean[f.manifest];
    // A pairwise finding is acknowledged by an acknowledgement on any manifest it names, whichever it is about.
    const reason = [f.manifest, ...f.related].map((i) => clean[i].value.metadata?.annotations?.[ACK_ANNOTATION_PREFIX + f.id])
      .find((r) => typeof r === 'string' && r.trim().length > 0);
    const finding: CliFinding = {
      file: d.source,
      line: d.doc.lineOf(f.jsonPath),
      document: d.doc.index,
      pointer: f.jsonPath,
      id: f.id,
      severity: f.severity,
      ...identity(d),
      ruleName: LINT_BY_ID.get(f.id)?.name,
      message: `${f.message}${f.related.length ? ` (also: ${f.related.map((r) => `${clean[r].source}:${clean[r].doc.line}`).join(', ')})` : ''}`,
      fix: f.fix,
      acknowledged: typeof reason === 'string' && reason.trim().length > 0 ? reason : undefined,
      ...(f.count > 1 ? { count: f.count, pointers: f.jsonPaths } : {}),
    };
    findings.push(finding);
  }
  // Acknowledgements must give a reason and name a known lint.
  for (const d of clean) {
    for (const [key, reason] of Object.entries<string>(d.value.metadata?.annotations ?? {})) {
      if (!key.startsWith(ACK_ANNOTATION_PREFIX)) continue;
      const id = key.slice(ACK_ANNOTATION_PREFIX.length);
      const pointer = `/metadata/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const at = { file: d.source, line: d.doc.lineOf(pointer), document: d.doc.index, pointer, id: 'KA-ACK', ...identity(d) };
      if (reason.trim().length === 0) {
        findings.push({ ...at, severity: 'error', message: `the acknowledgement of ${id} gives no reason`, fix: 'write why the finding is accepted, e.g. "audit-only while migrating (SEC-123)"' });
      } else if (!LINT_BY_ID.has(id)) {
        findings.push({ ...at, severity: 'warning', message: `'${id}' is not a lint ID; this acknowledgement has no effect`, fix: `use one of ${[...LINT_BY_ID.keys()].join(', ')}` });
      }
    }
  }
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.id.localeCompare(b.id)));
  return {
    files: sources.length,
    documents: docs.length,
    policies: docs.filter((d) => d.kubeArmor).length,
    workloads: workloads.length,
    skipped,
    findings,
  };
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

/**
 * Every .yaml/.yml file under the given paths (directories recursively; node_modules and dot-directories
 * skipped); throws on a path that cannot be read. For commands that stop at the first unreadable path;
 * lint uses {@link readSources}, which reports each and goes on.
 */
export function yamlFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const pending: Array<[string, boolean]> = paths.map((p) => [p, true] as [string, boolean]).reverse();
  while (pending.length > 0) {
    const [p, explicit] = pending.pop()!;
    if (fs.statSync(p).isDirectory()) {
      const entries = fs.readdirSync(p).sort();
      for (let j = entries.length - 1; j >= 0; j--) {
        if (entries[j] !== 'node_modules' && !entries[j].startsWith('.')) pending.push([path.join(p, entries[j]), false]);
      }
    } else if (explicit || /\.ya?ml$/i.test(p)) {
      out.push(p);
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
