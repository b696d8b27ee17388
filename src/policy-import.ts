import * as fs from 'fs';
import { Construct } from 'constructs';
import { checkSource, duplicateObjectIssues, formatLocatedIssues } from './private/policy-source';
import { SecurityPolicy } from './security-policy';

/** Options of {@link PolicyImport.fromYaml} and {@link PolicyImport.fromFile}. */
export interface PolicyImportOptions {
  /**
   * The name of the source shown in error messages and in {@link SkippedDocument.source}.
   * @default - '<yaml>' for fromYaml, the file path for fromFile
   */
  readonly sourceName?: string;
}

/** A document that was not imported because it is not a KubeArmor policy (e.g. a Deployment). */
export interface SkippedDocument {
  /** The file (or source name) it came from. */
  readonly source: string;
  /** 1-based index of the document in the source. */
  readonly documentIndex: number;
  /** 1-based line where the document starts. */
  readonly line: number;
  /**
   * Its `apiVersion`.
   * @default - none (the document has none)
   */
  readonly apiVersion?: string;
  /**
   * Its `kind`.
   * @default - none (the document has none)
   */
  readonly kind?: string;
  /**
   * Its `metadata.name`.
   * @default - none (the document has none)
   */
  readonly name?: string;
}

/** What {@link PolicyImport.fromYaml} and {@link PolicyImport.fromFile} created and skipped. */
export interface PolicyImportResult {
  /** One policy per KubeArmor document, in document order. */
  readonly policies: SecurityPolicy[];
  /** The documents that are not KubeArmor policies, reported rather than dropped silently. */
  readonly skipped: SkippedDocument[];
}

/**
 * Imports existing KubeArmor YAML (copied templates, hand-written or vendor policies) as typed
 * {@link SecurityPolicy} constructs, losslessly (see {@link SecurityPolicy.fromManifest}).
 *
 * All or nothing: when any document has a problem — a field the CRD does not declare, a value it or
 * KubeArmor rejects, a repeated mapping key, tab indentation, an empty rule set, two documents
 * defining the same policy — nothing is created and one error lists every problem as
 * `file:line (document N): ERROR ID: dotted.field value problem; fix`.
 *
 * Construct ids are `<kind>.<namespace>.<name>` (`<kind>.<name>` for cluster-scoped kinds).
 *
 * @example
 * const { policies, skipped } = PolicyImport.fromFile(chart, 'policies/legacy.yaml');
 */
export class PolicyImport {
  /** Imports every KubeArmor document of a (multi-document) YAML string. */
  public static fromYaml(scope: Construct, yaml: string, options: PolicyImportOptions = {}): PolicyImportResult {
    const source = options.sourceName ?? '<yaml>';
    const checked = checkSource(yaml, source);
    const issues = [...checked.documents.flatMap((d) => d.issues), ...duplicateObjectIssues(checked.documents)];
    if (issues.length > 0) {
      throw new Error(formatLocatedIssues(`${scope.node.path || '<app>'}: cannot import ${source}`, issues));
    }
    const policies: SecurityPolicy[] = [];
    const skipped: SkippedDocument[] = [];
    for (const d of checked.documents) {
      if (d.kubeArmor) {
        const ns = d.value.metadata.namespace;
        policies.push(SecurityPolicy.fromManifest(scope, [d.value.kind, ns, d.value.metadata.name].filter((s) => s !== undefined).join('.'), d.value));
        continue;
      }
      const v = d.value !== null && typeof d.value === 'object' ? d.value : {};
      skipped.push({
        source,
        documentIndex: d.doc.index,
        line: d.doc.line,
        apiVersion: typeof v.apiVersion === 'string' ? v.apiVersion : undefined,
        kind: typeof v.kind === 'string' ? v.kind : undefined,
        name: typeof v.metadata?.name === 'string' ? v.metadata.name : undefined,
      });
    }
    return { policies, skipped };
  }

  /** Imports every KubeArmor document of a YAML file. */
  public static fromFile(scope: Construct, path: string, options: PolicyImportOptions = {}): PolicyImportResult {
    return PolicyImport.fromYaml(scope, fs.readFileSync(path, 'utf8'), { sourceName: options.sourceName ?? path });
  }

  private constructor() {}
}
