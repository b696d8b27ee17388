/**
 * `cdk8s-kubearmor lint <files or directories>`: YAML and schema checks of every KubeArmor document,
 * then the semantic lints over all of them together (with the workloads found among the same files),
 * honouring acknowledgement annotations.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CliFinding, counts, formatJson, formatText, LintReport, SkippedDoc } from './format';
import { LINT_BY_ID, lintManifests } from '../private/lints';
import { CheckedDocument, checkSource, duplicateObjectIssues, LocatedIssue } from '../private/policy-source';
import { PodIdentity } from '../private/selection';
import { ACK_ANNOTATION_PREFIX } from '../private/synth-hook';

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export interface SourceText {
  readonly file: string;
  readonly text: string;
}

const POD_TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** The pod identity of a workload manifest (namespace, pod template labels, containers), if it is one. */
export function workloadOf(m: any): (PodIdentity & { name: string }) | undefined {
  if (m === null || typeof m !== 'object' || typeof m.kind !== 'string') return undefined;
  let template: any;
  if (m.kind === 'Pod') template = { metadata: m.metadata, spec: m.spec };
  else if (POD_TEMPLATE_KINDS.has(m.kind)) template = m.spec?.template;
  else if (m.kind === 'CronJob') template = m.spec?.jobTemplate?.spec?.template;
  else return undefined;
  const labels = template?.metadata?.labels;
  const containers = Array.isArray(template?.spec?.containers) ? template.spec.containers.map((c: any) => c?.name).filter((n: unknown) => typeof n === 'string') : [];
  return {
    name: `${m.kind}/${m.metadata?.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata?.name ?? '<unnamed>'}`,
    namespace: typeof m.metadata?.namespace === 'string' ? m.metadata.namespace : undefined,
    labels: labels !== null && typeof labels === 'object' ? labels : {},
    containers,
  };
}

function fromLocated(i: LocatedIssue): CliFinding {
  return { file: i.source, line: i.line, document: i.document, pointer: i.pointer, id: i.id, severity: i.severity, message: i.message, fix: i.fix };
}

function identity(d: CheckedDocument | undefined): { kind?: string; resourceName?: string } {
  const v = d?.value;
  if (v === null || typeof v !== 'object') return {};
  return {
    kind: typeof v.kind === 'string' ? v.kind : undefined,
    resourceName: typeof v.metadata?.name === 'string' ? v.metadata.name : undefined,
  };
}

/** Checks YAML texts together. Pure apart from the CPU: no file system access. */
export function lintSources(sources: readonly SourceText[]): LintReport {
  const docs: CheckedDocument[] = [];
  for (const s of sources) docs.push(...checkSource(s.text, s.file).documents);
  const findings: CliFinding[] = [];
  const byDoc = new Map<string, CheckedDocument>(docs.map((d) => [`${d.source}#${d.doc.index}`, d]));
  const located = (i: LocatedIssue): CliFinding => ({ ...fromLocated(i), ...identity(byDoc.get(`${i.source}#${i.document}`)) });
  for (const d of docs) findings.push(...d.issues.map(located));
  findings.push(...duplicateObjectIssues(docs).map(located));

  const skipped: SkippedDoc[] = [];
  const workloads: Array<PodIdentity & { name: string }> = [];
  for (const d of docs) {
    if (d.kubeArmor) continue;
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
  for (const f of raw) {
    const d = clean[f.manifest];
    const annotations = d.value.metadata?.annotations ?? {};
    const reason = annotations[ACK_ANNOTATION_PREFIX + f.id];
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

/** Every .yaml/.yml file under the given paths (directories recursively; node_modules and dot-directories skipped). */
export function yamlFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const visit = (p: string, explicit: boolean) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(p).sort()) {
        if (e === 'node_modules' || e.startsWith('.')) continue;
        visit(path.join(p, e), false);
      }
    } else if (explicit || /\.ya?ml$/i.test(p)) {
      out.push(p);
    }
  };
  for (const p of paths) visit(p, true);
  return out;
}

export const LINT_USAGE = `Usage: cdk8s-kubearmor lint [--format text|json] [--strict] [--show-acknowledged] <file or directory>...

Checks every KubeArmor policy in the YAML files (directories are searched for *.yaml / *.yml):
YAML problems (KA-YAML), fields and values the CRDs or KubeArmor reject (KA-SCHEMA), documents that
define the same policy (KA-DUPLICATE), and the semantic lints KA001... (with the Deployments,
StatefulSets, DaemonSets, Jobs and Pods of the same files as workloads). Findings acknowledged with the
annotation lint.cdk8s-kubearmor.io/acknowledge.<ID>: <reason> are not reported.

Exit status: 0 no errors (warnings allowed), 1 errors (or warnings with --strict), 2 usage error.
`;

export function runLint(args: readonly string[], io: Io): number {
  let format = 'text';
  let strict = false;
  let showAcknowledged = false;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--format' || a.startsWith('--format=')) {
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
  let files: string[];
  const sources: SourceText[] = [];
  try {
    files = yamlFiles(paths);
    for (const file of files) sources.push({ file, text: fs.readFileSync(file, 'utf8') });
  } catch (e) {
    io.err(`cdk8s-kubearmor lint: ${(e as Error).message}\n`);
    return 2;
  }
  if (files.length === 0) {
    io.err(`cdk8s-kubearmor lint: no .yaml or .yml files under ${paths.join(', ')}\n`);
    return 2;
  }
  const report = lintSources(sources);
  io.out(format === 'json' ? formatJson(report) : formatText(report, { showAcknowledged }));
  const c = counts(report.findings);
  return c.errors > 0 || (strict && c.warnings > 0) ? 1 : 0;
}
