/**
 * Semantic lints: what the cluster accepts silently but does not do what its author meant. The rules are
 * a table of pure checks (lint-rules.ts) over one precomputed context (lint-context.ts), shared by the
 * constructs (synth), the lint CLI and the cdk8s validation plugin. A rule that throws is reported as a
 * finding of that rule; the others still run.
 */
export { ACK_ANNOTATION_PREFIX } from './ack';
import { RuleOrigin } from './effective';
import { fieldOf } from './errors';
import { buildContext, LintContext as Context, LintInput } from './lint-context';
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
  /** How many places of the manifest the rule found (one finding per manifest, or pair, and rule). */
  readonly count: number;
  /** Every place, in order; `jsonPath` is the first. */
  readonly jsonPaths: string[];
  /** Where the rule at `jsonPath` came from, when the producer of the manifest said (LintInput.provenance). */
  readonly origin?: RuleOrigin;
}

/** How many further places a grouped finding's message names before `…`. */
export const PLACES_NAMED = 3;

/**
 * The finding order's comparators, built once: `a.localeCompare(b)` and `a.localeCompare(b, 'en', { numeric: true })`
 * construct a collator per call (the sort of a large policy's findings was 4 % of its synthesis).
 */
const BY_ID = new Intl.Collator().compare;
const BY_JSON_PATH = new Intl.Collator('en', { numeric: true }).compare;

/**
 * One finding per rule and manifest (and other manifests involved): a staged rollout's 19 Audit + readOnly
 * rules are one KA006 about the policy, not 19 lines. The first place is `jsonPath`; the message names the
 * next few and the count.
 */
function grouped(sorted: readonly RawFinding[]): RawFinding[] {
  const groups = new Map<string, RawFinding[]>();
  for (const f of sorted) {
    const key = `${f.id}|${f.severity}|${f.manifest}|${[...f.related].sort((a, b) => a - b).join(',')}`;
    const g = groups.get(key);
    if (g) g.push(f);
    else groups.set(key, [f]);
  }
  const out: RawFinding[] = [];
  for (const g of groups.values()) {
    const first = g[0];
    if (g.length === 1) {
      out.push(first);
      continue;
    }
    const more = g.slice(1, 1 + PLACES_NAMED).map((f) => fieldOf(f.jsonPath) || '(the whole object)');
    const rest = g.length - 1 - more.length;
    out.push({
      ...first,
      count: g.length,
      jsonPaths: g.map((f) => f.jsonPath),
      message: `${first.message} (${g.length} places in this policy; also ${more.join(', ')}${rest > 0 ? ` and ${rest} more` : ''})`,
    });
  }
  return out;
}

/**
 * The origin of the rule a finding points into (its pointer or below), when provenance was given: the first
 * rule, in rule order, whose pointer is `jsonPath` or a `/`-prefix of it. Looked up by pointer (each prefix
 * of `jsonPath` once) in an index built once per manifest and lint pass, not by a scan of the manifest's
 * rules per finding (which made a policy of n rules with n findings quadratic).
 */
function originOf(
  ctx: Context, input: LintInput, index: Map<number, Map<string, number>>, manifest: number, jsonPath: string,
): RuleOrigin | undefined {
  if (!input.provenance?.[manifest]) return undefined;
  const rules = ctx.rules.get(manifest);
  if (!rules) return undefined;
  let byPointer = index.get(manifest);
  if (!byPointer) {
    byPointer = new Map();
    rules.forEach((r, i) => { if (!byPointer!.has(r.pointer)) byPointer!.set(r.pointer, i); });
    index.set(manifest, byPointer);
  }
  let first = byPointer.get(jsonPath) ?? -1;
  for (let p = jsonPath.indexOf('/'); p >= 0; p = jsonPath.indexOf('/', p + 1)) {
    const i = byPointer.get(jsonPath.slice(0, p));
    if (i !== undefined && (first < 0 || i < first)) first = i;
  }
  return first < 0 ? undefined : rules[first].origin;
}

export type LintContext = LintInput;

/** Runs every lint over a set of manifests (non-KubeArmor manifests are ignored). */
export function lintManifests(manifests: any[], input: LintInput = {}, table: readonly typeof LINT_TABLE[number][] = LINT_TABLE): RawFinding[] {
  const ctx = buildContext(manifests, input);
  const findings: RawFinding[] = [];
  const pointers = new Map<number, Map<string, number>>();
  for (const rule of table) {
    try {
      for (const f of rule.check(ctx)) {
        const origin = originOf(ctx, input, pointers, f.manifest, f.jsonPath);
        findings.push({
          id: rule.id, severity: rule.severity, fix: rule.fix, count: 1, jsonPaths: [f.jsonPath], ...f, ...(origin ? { origin } : {}),
        });
      }
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
        count: 1,
        jsonPaths: [''],
      });
    }
  }
  return grouped(findings.sort((x, y) => x.manifest - y.manifest || BY_ID(x.id, y.id) || BY_JSON_PATH(x.jsonPath, y.jsonPath)));
}
