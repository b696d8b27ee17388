/**
 * Output of the lint CLI: one line per finding (`file:line (document N): SEVERITY ID: field message; fix`) and a summary,
 * or one JSON document for machines.
 */
import { fieldOf, formatProblem, yamlWhere } from './errors';
import { oneLine } from './one-line';


/** One finding of the lint CLI (schema, YAML or semantic). */
export interface CliFinding {
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based document index within the file. */
  readonly document: number;
  /** JSON pointer inside the document ('' = the document itself). */
  readonly pointer: string;
  /** Stable ID: KA-YAML, KA-SCHEMA, KA-DUPLICATE, KA-ACK, KA-INPUT (input not checked), or a semantic lint KA001... */
  readonly id: string;
  readonly severity: 'error' | 'warning';
  /** Short name of a semantic lint (e.g. `merged-usr-twin`). */
  readonly ruleName?: string;
  readonly message: string;
  readonly fix: string;
  /** `kind` of the document, when it has one. */
  readonly kind?: string;
  /** `metadata.namespace` of the document, when it has one. */
  readonly namespace?: string;
  /** `metadata.name` of the document, when it has one. */
  readonly resourceName?: string;
  /** How many places of the document a semantic lint found, when more than one (`pointer` is the first). */
  readonly count?: number;
  /** Those places, in order, when more than one. */
  readonly pointers?: string[];
  /** The reason of an acknowledgement annotation, when the finding is acknowledged. */
  readonly acknowledged?: string;
}

export interface SkippedDoc {
  readonly file: string;
  readonly document: number;
  readonly line: number;
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name?: string;
}

export interface LintReport {
  readonly files: number;
  readonly documents: number;
  readonly policies: number;
  readonly workloads: number;
  readonly skipped: SkippedDoc[];
  readonly findings: CliFinding[];
}

export interface Counts {
  readonly errors: number;
  readonly warnings: number;
  readonly acknowledged: number;
  /** Errors that are KA-INPUT: inputs (files or documents) that were not checked at all. */
  readonly inputErrors: number;
}

export function counts(findings: readonly CliFinding[]): Counts {
  const open = findings.filter((f) => f.acknowledged === undefined);
  return {
    errors: open.filter((f) => f.severity === 'error').length,
    warnings: open.filter((f) => f.severity === 'warning').length,
    acknowledged: findings.length - open.length,
    inputErrors: open.filter((f) => f.id === 'KA-INPUT').length,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `file:line (document N): SEVERITY ID: dotted.field message; fix` (the library's one problem format). */
export function formatFindingLine(f: CliFinding): string {
  const where = yamlWhere(f.file, f.line, f.document);
  return formatProblem({ where, severity: f.severity, id: f.id, name: f.ruleName, field: fieldOf(f.pointer), problem: f.message, fix: f.fix });
}

export function formatText(report: LintReport, options: { readonly showAcknowledged?: boolean } = {}): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    if (f.acknowledged !== undefined) {
      if (options.showAcknowledged) lines.push(`${formatFindingLine(f)} [acknowledged: ${f.acknowledged}]`);
      continue;
    }
    lines.push(formatFindingLine(f));
  }
  for (const s of report.skipped) {
    lines.push(oneLine(`${s.file}:${s.line}: note: document ${s.document} (${[s.kind ?? 'no kind', s.name].filter(Boolean).join(' ')}) is not a KubeArmor policy; not linted${s.kind && ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'].includes(s.kind) ? ' (used as a workload for selector checks)' : ''}`));
  }
  const c = counts(report.findings);
  lines.push(`${plural(report.files, 'file')}, ${plural(report.documents, 'document')} (${plural(report.policies, 'KubeArmor policy').replace('policys', 'policies')}, `
    + `${plural(report.skipped.length, 'other document')}, ${plural(report.workloads, 'workload')}): `
    + `${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}, ${c.acknowledged} acknowledged`
    + (c.inputErrors > 0 ? `; ${plural(c.inputErrors, 'input')} not checked (KA-INPUT)` : ''));
  return `${lines.join('\n')}\n`;
}

export function formatJson(report: LintReport): string {
  return `${JSON.stringify({ version: 1, ...report, summary: counts(report.findings) }, undefined, 2)}\n`;
}
