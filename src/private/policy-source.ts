/**
 * Checks YAML texts that hold KubeArmor policies (and possibly other Kubernetes objects): YAML
 * problems, schema/value problems of every KubeArmor document, and duplicate objects, each located by
 * source, document, line and JSON pointer. Shared by `PolicyImport`, the lint CLI and the cdk8s
 * validation plugin.
 */
import { policyKey } from './effective';
import { echo, fieldOf, formatProblemList, Problem, yamlWhere } from './errors';
import { DecodedPolicy, decodeManifest, isKubeArmorManifest } from './manifest';
import { parseYamlDocuments, SourceDocument, YAML_LIMITS, YamlLimits } from './yaml-source';

export interface LocatedIssue {
  /** File name (or the name given to a YAML string). */
  readonly source: string;
  /** 1-based document index within the source. */
  readonly document: number;
  /** 1-based line. */
  readonly line: number;
  /** JSON pointer inside the document ('' = the document or unknown). */
  readonly pointer: string;
  readonly id: string;
  readonly severity: 'error' | 'warning';
  /** What is wrong, starting with the offending value. */
  readonly message: string;
  readonly fix: string;
}

export interface CheckedDocument {
  readonly source: string;
  readonly doc: SourceDocument;
  readonly value: any;
  /** Claims to be a KubeArmor policy (API group or kind). */
  readonly kubeArmor: boolean;
  /** Set when the document is a KubeArmor policy without any issue. */
  readonly decoded?: DecodedPolicy;
  readonly issues: LocatedIssue[];
}

export interface CheckedSource {
  readonly source: string;
  readonly documents: CheckedDocument[];
}

/** A located issue as a {@link Problem}: `f.yaml:12 (document 2): ERROR KA-SCHEMA: spec.file.matchPathss 'matchPathss' is not declared ...; did you mean ...?` */
export function locatedProblem(i: LocatedIssue): Problem {
  return {
    where: yamlWhere(i.source, i.line, i.document), severity: i.severity, id: i.id, field: fieldOf(i.pointer), problem: i.message, fix: i.fix,
  };
}

/** Several located issues under one headline (`<headline>: N problems ...:`), one indented line each. */
export function formatLocatedIssues(headline: string, issues: readonly LocatedIssue[]): string {
  const n = issues.length;
  return formatProblemList(`${headline}: ${n} problem${n === 1 ? '' : 's'} (nothing was imported)`, issues.map(locatedProblem));
}

/**
 * The ID of a problem with the input itself (unreadable file, or a text or document refused by a
 * {@link YamlLimits} limit): the input was not checked at all.
 */
export const INPUT_ISSUE_ID = 'KA-INPUT';

/** Parses and checks one YAML text. Never throws. */
export function checkSource(text: string, source: string, limits: YamlLimits = YAML_LIMITS): CheckedSource {
  const documents: CheckedDocument[] = [];
  for (const doc of parseYamlDocuments(text, limits)) {
    const issues: LocatedIssue[] = doc.problems.map((p) => ({
      source, document: doc.index, line: p.line, pointer: p.pointer, id: p.code === 'LIMIT' ? INPUT_ISSUE_ID : 'KA-YAML', severity: 'error' as const, message: p.problem, fix: p.fix,
    }));
    const syntaxBroken = doc.problems.some((p) => p.code !== 'DUPLICATE_KEY');
    const value: any = doc.value;
    const kubeArmor = isKubeArmorManifest(value);
    let decoded: DecodedPolicy | undefined;
    if (kubeArmor && !syntaxBroken) {
      const r = decodeManifest(value);
      decoded = issues.length === 0 ? r.decoded : undefined;
      for (const i of r.issues) {
        issues.push({
          source,
          document: doc.index,
          line: doc.lineOf(i.pointer),
          pointer: i.pointer,
          id: i.id,
          severity: 'error',
          message: `${echo(i.value)} ${i.problem}`,
          fix: i.fix,
        });
      }
    }
    documents.push({ source, doc, value, kubeArmor, decoded, issues });
  }
  return { source, documents };
}

function objectKey(v: any): string | undefined {
  if (v === null || typeof v !== 'object' || typeof v.kind !== 'string' || typeof v.metadata?.name !== 'string') return undefined;
  return policyKey(v.kind, v.metadata.namespace, v.metadata.name);
}

/** `KA-DUPLICATE` issues for documents (across all sources) that define the same object as an earlier one. */
export function duplicateObjectIssues(documents: readonly CheckedDocument[]): LocatedIssue[] {
  const first = new Map<string, CheckedDocument>();
  const out: LocatedIssue[] = [];
  for (const d of documents) {
    if (!d.kubeArmor) continue;
    const key = objectKey(d.value);
    if (key === undefined) continue;
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, d);
      continue;
    }
    const ns = d.value.metadata.namespace ? `${d.value.metadata.namespace}/` : '';
    out.push({
      source: d.source,
      document: d.doc.index,
      line: d.doc.lineOf('/metadata/name'),
      pointer: '/metadata/name',
      id: 'KA-DUPLICATE',
      severity: 'error',
      message: `${d.value.kind} ${ns}${d.value.metadata.name} is also defined at ${earlier.source}:${earlier.doc.lineOf('/metadata/name')} (document ${earlier.doc.index}); the one applied last silently replaces the other`,
      fix: 'rename one of them, or merge their rules into one policy',
    });
  }
  return out;
}
