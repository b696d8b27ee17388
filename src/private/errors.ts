/**
 * The one formatter for every problem the library reports: construct errors (thrown at the call that
 * received bad input), YAML / import / CLI problems and lint findings. One shape for all of them:
 *
 *   `<where>: [<SEVERITY> <ID>[ <name>]: ][<field> ][<value> ]<problem>; <fix>`
 *
 * - `where` is a construct path (`shop/fim`), an API entry point (`PolicyTarget.namespaces`) or a YAML
 *   location (`policies.yaml:12 (document 2)`); never empty (`<app>` stands for the root).
 * - `field` is always dotted with numeric indices (`spec.file.matchDirectories[3].dir`), the style of
 *   kubectl and the apiserver; JSON pointers are converted with {@link fieldOf}.
 * - the fix always follows `; ` and is an instruction (`use '/etc/'`, `remove it`).
 * - echoed values are bounded by {@link VALUE_BUDGET} characters ({@link echo}); line terminators and other
 *   control characters are shown as `\uXXXX`, so one problem is always one line.
 */

import { oneLine } from './one-line';

/** Longest echoed value, in characters, before it is shortened. */
export const VALUE_BUDGET = 80;

/** The severity word of a finding. */
export type ProblemSeverity = 'error' | 'warning';

export interface Problem {
  /** Construct path, API entry point or YAML location; '' is shown as `<app>`. */
  readonly where: string;
  /** Dotted field (see {@link fieldOf}); omitted when the problem is about the whole object. */
  readonly field?: string;
  /** The offending value; echoed only when the property is present (even when it is `undefined`). */
  readonly value?: unknown;
  /** What is wrong, e.g. `must end in '/' (a directory)`. */
  readonly problem: string;
  /** How to fix it, e.g. `use '/etc/'`. */
  readonly fix: string;
  /** Stable ID of a finding (`KA005`, `KA-SCHEMA`). */
  readonly id?: string;
  /** The rule's short name, printed after the ID. */
  readonly name?: string;
  /** Printed before the ID when the problem is a finding. */
  readonly severity?: ProblemSeverity;
}

/** Formats a value for a message: strings in single quotes, the rest as JSON, at most {@link VALUE_BUDGET} characters. */
export function echo(value: unknown): string {
  let text: string;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'string') {text = value;} else if (value === undefined) {return 'undefined';} else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  const cut = text.length > VALUE_BUDGET ? `${text.slice(0, VALUE_BUDGET - 20)}…' (${text.length} characters)` : undefined;
  if (typeof value === 'string') return cut ? `'${cut}` : `'${text}'`;
  return cut ? `${text.slice(0, VALUE_BUDGET - 20)}… (${text.length} characters)` : text;
}

/**
 * A JSON pointer (absolute or relative) as a dotted field: `/spec/file/matchPaths/3/dir` →
 * `spec.file.matchPaths[3].dir`; `fromSource/0/path` → `fromSource[0].path`; `''` → `''`.
 */
export function fieldOf(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/')) {
    if (raw === '') continue;
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg) || seg === '-') out += `[${seg === '-' ? '' : seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** A dotted prefix joined with a relative JSON pointer: (`file.matchPaths[]`, `fromSource/0`) → `file.matchPaths[].fromSource[0]`. */
export function joinField(prefix: string, relativePointer: string): string {
  const rest = fieldOf(relativePointer);
  if (rest === '') return prefix;
  if (prefix === '') return rest;
  return rest.startsWith('[') ? `${prefix}${rest}` : `${prefix}.${rest}`;
}

/** A YAML location: `file.yaml:12 (document 2)`. */
export function yamlWhere(source: string, line: number, document: number): string {
  return `${source}:${line} (document ${document})`;
}

/** Formats one problem (see the module comment for the shape). */
export function formatProblem(p: Problem): string {
  return oneLine(`${p.where || '<app>'}: ${formatProblemBody(p)}`);
}

/**
 * A problem without its `where`, for cdk8s validation messages: cdk8s itself prefixes each with the
 * construct path (`[shop/fim] ...`).
 */
export function formatProblemBody(p: Omit<Problem, 'where'>): string {
  const parts: string[] = [];
  if (p.field) parts.push(p.field);
  if ('value' in p) parts.push(echo(p.value));
  parts.push(p.problem);
  const finding = p.id ? `${p.severity ? `${p.severity.toUpperCase()} ` : ''}${p.id}${p.name ? ` ${p.name}` : ''}: ` : '';
  return oneLine(`${finding}${parts.join(' ')}; ${p.fix}`);
}

/** Several problems, one per line (for an Error message). */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map(formatProblem).join('\n');
}

/** A headline plus one indented line per problem: `<headline>:\n  <problem>\n  <problem>`. */
export function formatProblemList(headline: string, problems: readonly Problem[]): string {
  return `${headline}:\n  ${problems.map(formatProblem).join('\n  ')}`;
}

/** Throws one problem as an Error. */
export function fail(problem: Problem): never {
  throw new Error(formatProblem(problem));
}

/** Throws the problems as one Error (no-op when there are none). */
export function throwProblems(problems: readonly Problem[]): void {
  if (problems.length > 0) throw new Error(formatProblems(problems));
}

/**
 * The one refusal of `Allow` by the constructs that protect (FileIntegrityPolicy, HardenedWorkload and
 * the staged rollout). KubeArmor semantics: one Allow rule switches every selected pod to allow-list
 * mode for its section (KubeArmor/enforcer/appArmorProfile.go and bpflsm, "Allow" rules set the
 * whitelist posture), where everything no Allow rule names falls to the default posture.
 */
export function allowRefusal(where: string, field: string, construct: string): Problem {
  return {
    where,
    field,
    value: 'Allow',
    problem: `is not accepted by a ${construct}: one Allow rule flips every selected pod into allow-list mode, where every access no Allow rule names `
      + 'is decided by the default posture (audit unless the namespace annotation kubearmor-file-posture says block), so the policy would stop protecting '
      + 'and start allow-listing',
    fix: 'use PolicyAction.BLOCK to prevent changes or PolicyAction.AUDIT to only alert (for an allow-list, write a SecurityPolicy deliberately)',
  };
}
