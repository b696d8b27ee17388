/**
 * Lint of YAML texts (no file system access): YAML and schema checks of every KubeArmor document, then the
 * semantic lints over all of them together (with the workloads found among the same texts), honouring
 * acknowledgement annotations. Shared by the lint CLI and the validation plugin.
 */
import type { LintWorkload } from './lint-context';
import type { CliFinding, LintReport, SkippedDoc } from './lint-format';
import { workloadOf } from './lint-workload';
import { ACK_ANNOTATION_PREFIX, LINT_BY_ID, lintManifests } from './lints';
import { CheckedDocument, checkSource, duplicateObjectIssues, INPUT_ISSUE_ID, LocatedIssue } from './policy-source';
import { YAML_LIMITS, YamlLimits } from './yaml-source';

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
