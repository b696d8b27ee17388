/**
 * Semantic lints: what the cluster accepts silently but does not do what its author meant. The rules are
 * a table of pure checks (lint-rules.ts) over one precomputed context (lint-context.ts), shared by the
 * constructs (synth), the lint CLI and the cdk8s validation plugin. A rule that throws is reported as a
 * finding of that rule; the others still run.
 */
import { buildContext, LintInput } from './lint-context';
import { LINT_TABLE, Severity } from './lint-rules';

export type { Severity } from './lint-rules';

export interface LintRule {
  readonly id: string;
  readonly name: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly fix: string;
}

/** The catalogue (the table's rows without their checks). IDs are stable; never reuse one. */
/** The annotation prefix that carries an acknowledgement into the manifest (`<prefix><lint ID>: <reason>`). */
export const ACK_ANNOTATION_PREFIX = 'lint.cdk8s-kubearmor.io/acknowledge.';

export const LINT_RULES: readonly LintRule[] = LINT_TABLE.map(({ id, name, severity, summary, fix }) => ({ id, name, severity, summary, fix }));

export const LINT_BY_ID: ReadonlyMap<string, LintRule> = new Map(LINT_RULES.map((r) => [r.id, r]));

export interface RawFinding {
  readonly id: string;
  readonly severity: Severity;
  /** Index of the manifest (in the input list) the finding is about. */
  readonly manifest: number;
  /** JSON pointer inside that manifest, e.g. `/spec/file/matchDirectories/0`. */
  readonly jsonPath: string;
  readonly message: string;
  readonly fix: string;
  /** Other manifests involved (e.g. the other side of a conflict). */
  readonly related: number[];
}

export type LintContext = LintInput;

/** Runs every lint over a set of manifests (non-KubeArmor manifests are ignored). */
export function lintManifests(manifests: any[], input: LintInput = {}, table: readonly typeof LINT_TABLE[number][] = LINT_TABLE): RawFinding[] {
  const ctx = buildContext(manifests, input);
  const findings: RawFinding[] = [];
  for (const rule of table) {
    try {
      for (const f of rule.check(ctx)) findings.push({ id: rule.id, severity: rule.severity, fix: rule.fix, ...f });
    } catch (e) {
      // One failing rule must not hide the others' findings: report it, on the first policy, as an error.
      if (ctx.policies.length === 0) continue;
      findings.push({
        id: rule.id,
        severity: 'error',
        manifest: ctx.policies[0],
        jsonPath: '',
        message: `lint ${rule.id} ${rule.name} could not run (${e instanceof Error ? e.message : String(e)}); the other lints ran`,
        fix: 'report this as a bug in cdk8s-kubearmor, with the manifests; acknowledge the rule ID to synthesise meanwhile',
        related: [],
      });
    }
  }
  return findings.sort((x, y) => x.manifest - y.manifest || x.id.localeCompare(y.id) || x.jsonPath.localeCompare(y.jsonPath));
}
