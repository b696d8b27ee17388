import * as fs from 'fs';
import { Construct } from 'constructs';
import { lazy } from './private/lazy';
import type { LocatedIssue } from './private/policy-source';
import type { YamlLimits } from './private/yaml-source';
import { SecurityPolicy } from './security-policy';

// Loaded on first use, not when the library is loaded (cold require cost).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazyYamlSource = lazy((): typeof import('./private/yaml-source') => require('./private/yaml-source'));
const lazyPolicySource = lazy((): typeof import('./private/policy-source') => require('./private/policy-source'));
const lazyPolicyModel = lazy((): typeof import('./private/policy-model') => require('./private/policy-model'));
/* eslint-enable @typescript-eslint/no-require-imports */

/** Options of {@link PolicyImport.fromYaml} and {@link PolicyImport.fromFile}. */
export interface PolicyImportOptions {
  /**
   * The name of the source shown in error messages and in {@link SkippedDocument.source}.
   * @default - '<yaml>' for fromYaml, the file path for fromFile
   */
  readonly sourceName?: string;

  /**
   * The largest input read, in bytes; a larger one is refused with one problem (nothing is imported).
   * @default 67108864 (64 MiB)
   */
  readonly maxBytes?: number;

  /**
   * The most documents read from one input; more are refused with one problem (nothing is imported).
   * @default 20000
   */
  readonly maxDocuments?: number;
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

function limitsOf(scope: Construct, options: PolicyImportOptions): YamlLimits {
  for (const [name, v] of [['maxBytes', options.maxBytes], ['maxDocuments', options.maxDocuments]] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new Error(`${scope.node.path || '<root>'}: PolicyImport option ${name} must be a positive integer, got ${v}; omit it for the default`);
  }
  const { YAML_LIMITS } = lazyYamlSource();
  return { ...YAML_LIMITS, maxBytes: options.maxBytes ?? YAML_LIMITS.maxBytes, maxDocuments: options.maxDocuments ?? YAML_LIMITS.maxDocuments };
}

/**
 * Imports existing KubeArmor YAML (copied templates, hand-written or vendor policies) as typed
 * {@link SecurityPolicy} constructs, losslessly (see {@link SecurityPolicy.fromManifest}).
 *
 * All or nothing: when any document has a problem — a field the CRD does not declare, a value it or
 * KubeArmor rejects, a repeated mapping key, tab indentation, an empty rule set, two documents
 * defining the same policy, an input over a limit (size, documents, nesting, alias expansion: see
 * {@link PolicyImportOptions}) — nothing is created and one error lists every problem, in line order, as
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
    const checked = lazyPolicySource().checkSource(yaml, source, limitsOf(scope, options));
    const issues: LocatedIssue[] = [];
    for (const d of checked.documents) for (const i of d.issues) issues.push(i);
    for (const i of lazyPolicySource().duplicateObjectIssues(checked.documents)) issues.push(i);
    if (issues.length > 0) {
      issues.sort((a, b) => a.line - b.line || a.document - b.document);
      throw new Error(lazyPolicySource().formatLocatedIssues(`${scope.node.path || '<app>'}: cannot import ${source}`, issues));
    }
    const policies: SecurityPolicy[] = [];
    const skipped: SkippedDocument[] = [];
    for (const d of checked.documents) {
      if (d.kubeArmor) {
        const ns = d.value.metadata.namespace;
        const policy = SecurityPolicy.fromManifest(scope, [d.value.kind, ns, d.value.metadata.name].filter((s) => s !== undefined).join('.'), d.value);
        lazyPolicyModel().modelOf(policy)!.locate(source, d.doc.index, (pointer) => d.doc.lineOf(pointer));
        policies.push(policy);
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

  /**
   * Imports every KubeArmor document of a YAML file. A file that cannot be read, or is larger than
   * `maxBytes` (checked before reading it), is refused with an error naming the construct and the file.
   */
  public static fromFile(scope: Construct, path: string, options: PolicyImportOptions = {}): PolicyImportResult {
    const limits = limitsOf(scope, options);
    const fail = (problem: string, fix: string) => new Error(`${scope.node.path || '<root>'}: cannot import ${path}: ${problem} (nothing was imported); ${fix}`);
    let text: string;
    try {
      const size = fs.statSync(path).size;
      if (size > limits.maxBytes) throw fail(`${size} bytes exceed the limit of ${limits.maxBytes}`, 'split the file, or raise maxBytes');
      text = fs.readFileSync(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === undefined) throw e;
      const problem = code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : `cannot read it (${code})`;
      throw fail(problem, code === 'EISDIR' ? 'give a YAML file' : 'check the path (relative paths start at the working directory, ' + JSON.stringify(process.cwd()) + ')');
    }
    return PolicyImport.fromYaml(scope, text, { ...options, sourceName: options.sourceName ?? path });
  }

  private constructor() {}
}
