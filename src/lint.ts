import { IConstruct } from 'constructs';
import { ACK_ANNOTATION_PREFIX } from './private/ack';
import { fail } from './private/errors';
import { lazy } from './private/lazy';

// Loaded on first use, not when the library is loaded (cold require cost).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazyYamlText = lazy((): typeof import('./private/yaml-text') => require('./private/yaml-text'));
const lazySynthHook = lazy((): typeof import('./private/synth-hook') => require('./private/synth-hook'));
const lazyLints = lazy((): typeof import('./private/lints') => require('./private/lints'));
const lazyEffective = lazy((): typeof import('./private/effective') => require('./private/effective'));
/* eslint-enable @typescript-eslint/no-require-imports */

/** How serious a lint finding is. */
export enum LintSeverity {
  /** Synthesis fails unless the finding is acknowledged. */
  ERROR = 'error',
  /** Printed at synthesis; acknowledge it to silence it. */
  WARNING = 'warning',
}

/** A lint rule of the catalogue. */
export interface LintRuleInfo {
  /** Stable ID, e.g. `KA005`. */
  readonly id: string;
  /** Short name, e.g. `conflicting-rules`. */
  readonly name: string;
  /** Severity. */
  readonly severity: LintSeverity;
  /** What the rule detects and why it matters. */
  readonly summary: string;
  /** The documented fix. */
  readonly fix: string;
}

/** A lint finding about one policy construct. */
export interface LintFinding {
  /** Stable rule ID, e.g. `KA004`. */
  readonly ruleId: string;
  /** Rule name, e.g. `merged-usr-twin`. */
  readonly ruleName: string;
  /** Severity. */
  readonly severity: LintSeverity;
  /** What was found, naming the policy and the rule. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** Construct path of the policy the finding is about. */
  readonly constructPath: string;
  /** JSON pointer inside the policy's manifest, e.g. `/spec/file/matchDirectories/0` (the first of `jsonPaths`). */
  readonly jsonPath: string;
  /**
   * Every place of the policy the rule found, in order: one finding per policy (or pair of policies) and
   * rule, e.g. one KA006 for the 19 Audit + readOnly rules of a staged rollout.
   */
  readonly jsonPaths: string[];
  /** How many places (`jsonPaths.length`); the message names the first few. */
  readonly count: number;
  /** Construct paths of other policies involved (e.g. the other side of a conflict). */
  readonly relatedPaths: string[];
  /**
   * Where the rule the finding is about came from: the construct and the call or item that added it
   * (`shop/fim (preset SYSTEM_BINARIES)`, `shop/fim/Policy (addFileDirectory)`), or the YAML file, line
   * and document of an imported rule.
   * @default - the finding is not about one rule
   */
  readonly origin?: string;
  /**
   * The reason given when the finding was acknowledged.
   * @default - not acknowledged
   */
  readonly acknowledgement?: string;
}

/**
 * Semantic lints over every KubeArmor policy of an app, run once at synth: traps the cluster accepts
 * silently (allow-list flips, merged-/usr twins, conflicting rules across enforcers, ...).
 * Unacknowledged errors fail synthesis with every finding listed at once; warnings are printed.
 * Acknowledgements are also written to the policy as the annotation
 * `lint.cdk8s-kubearmor.io/acknowledge.<ID>: <reason>`, which the lint CLI and the cdk8s validation plugin honour.
 */
export class PolicyLint {
  /** The lint catalogue. */
  public static rules(): LintRuleInfo[] {
    return lazyLints().LINT_RULES.map((r) => ({ ...r, severity: r.severity === 'error' ? LintSeverity.ERROR : LintSeverity.WARNING }));
  }

  /**
   * Acknowledges findings of one rule for a construct and everything under it (a policy, a
   * HardenedWorkload, a chart or the app).
   * @param scope the construct
   * @param ruleId the rule ID, e.g. `KA001`
   * @param reason why this is fine here (required, at least 10 characters)
   */
  public static acknowledge(scope: IConstruct, ruleId: string, reason: string): void {
    if (!lazyLints().LINT_BY_ID.has(ruleId)) {
      throw new Error(`${scope.node.path}: ruleId '${ruleId}' is not a lint rule; use one of ${lazyLints().LINT_RULES.map((r) => r.id).join(', ')}`);
    }
    if (typeof reason !== 'string' || reason.trim().length < 10) {
      throw new Error(`${scope.node.path}: reason '${reason ?? ''}' for acknowledging ${ruleId} is too short; say why the finding is acceptable here (at least 10 characters)`);
    }
    const unsafe = lazyYamlText().yamlTextProblem(reason.trim());
    if (unsafe) {
      fail({ where: scope.node.path, field: `reason for acknowledging ${ruleId}`, value: reason, problem: `${unsafe.problem} (it is written to the annotation ${ACK_ANNOTATION_PREFIX}${ruleId})`, fix: unsafe.fix });
    }
    lazySynthHook().acknowledge(scope, ruleId, reason.trim());
  }

  /**
   * Every finding about policies under `scope` (acknowledged ones included, with their reason),
   * computed over the whole app so that workloads and policies elsewhere are taken into account.
   * Use it in tests: `expect(PolicyLint.findings(chart).map(f => f.ruleId)).toEqual([...])`; for what is
   * left to fix, {@link PolicyLint.unacknowledged}.
   */
  public static findings(scope: IConstruct): LintFinding[] {
    const prefix = scope.node.path;
    return lazySynthHook().computeFindings(scope)
      .filter((f) => prefix === '' || f.constructPath === prefix || f.constructPath.startsWith(`${prefix}/`))
      .map((f) => ({
        ruleId: f.id,
        ruleName: lazyLints().LINT_BY_ID.get(f.id)!.name,
        severity: f.severity === 'error' ? LintSeverity.ERROR : LintSeverity.WARNING,
        message: f.message,
        fix: f.fix,
        constructPath: f.constructPath,
        jsonPath: f.jsonPath,
        jsonPaths: f.jsonPaths,
        count: f.count,
        relatedPaths: f.relatedPaths,
        ...(f.origin ? { origin: lazyEffective().describeOrigin(f.origin) } : {}),
        acknowledgement: f.acknowledgement,
      }));
  }

  /**
   * The findings about policies under `scope` that are not acknowledged: the errors that fail synthesis
   * and the warnings printed at synth. Use it in tests:
   * `expect(PolicyLint.unacknowledged(chart)).toEqual([])`.
   */
  public static unacknowledged(scope: IConstruct): LintFinding[] {
    return PolicyLint.findings(scope).filter((f) => f.acknowledgement === undefined);
  }

  private constructor() {}
}
