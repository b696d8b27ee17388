/**
 * Lint rules for what the CRD accepts and only the library judges wrong. Constructs refuse these at the
 * call; imported policies (PolicyImport, fromManifest, the lint CLI) are accepted as written — import is
 * a migration path — and these rules report them with an ID that can be acknowledged. The judgements
 * themselves are the validators' (validate.ts, Issue.lint): one implementation, reused here.
 */
import { canonicalJson } from './canonical';
import { describeRule, FlatRule, LintContext, policyName } from './lint-context';
import type { Finding, LintRuleRow } from './lint-rules';
import { KIND_SPECS, KindSpec, META_FIELDS } from './schema';
import { Issue, ruleIssues, STRICTER_THAN_CRD } from './validate';

function at(manifest: number, jsonPath: string, message: string): Finding {
  return { manifest, jsonPath, message, related: [] };
}

/**
 * The validators' issues of a rule of a lint pass, computed once for the three stricter-than-CRD rows:
 * ruleIssues is pure over (kind, list, rule), and a FlatRule fixes all three (its manifest's kind, its list,
 * its rule object, which a lint pass never changes).
 */
const ISSUES = new WeakMap<FlatRule, Issue[]>();
function issuesOf(kind: KindSpec, r: FlatRule): Issue[] {
  let issues = ISSUES.get(r);
  if (issues === undefined) {
    issues = ruleIssues(kind, r.list, r.rule);
    ISSUES.set(r, issues);
  }
  return issues;
}

/** The validators' stricter-than-CRD issues of every rule, as findings of the lint `id`. */
function stricter(id: string): (ctx: LintContext) => Finding[] {
  return (ctx) => ctx.policies.flatMap((i) => {
    const kind = KIND_SPECS.get(ctx.manifests[i].kind);
    if (!kind) return [];
    return ctx.rules.get(i)!.flatMap((r) => issuesOf(kind, r)
      .filter((issue) => issue.lint === id)
      .map((issue) => at(i, issue.field === '' ? r.pointer : `${r.pointer}/${issue.field}`,
        `${describeRule(r)} in ${policyName(ctx.manifests[i])}: ${issue.field.replace(/\//g, '.')} ${JSON.stringify(issue.value)} ${issue.problem}; ${issue.fix}`)));
  });
}

/** Each element of `items` that repeats an earlier one exactly, with the index of the first. */
function repeats(items: unknown): Array<{ index: number; first: number }> {
  if (!Array.isArray(items)) return [];
  const seen = new Map<string, number>();
  const out: Array<{ index: number; first: number }> = [];
  items.forEach((item, index) => {
    const key = canonicalJson(item);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else out.push({ index, first });
  });
  return out;
}

/** Every tag list of a manifest (spec, sections, rules) with its JSON pointer. */
function tagLists(m: any): Array<{ pointer: string; tags: unknown }> {
  const spec = m.spec !== null && typeof m.spec === 'object' ? m.spec : {};
  const out: Array<{ pointer: string; tags: unknown }> = [{ pointer: '/spec/tags', tags: spec.tags }];
  for (const [section, body] of Object.entries<any>(spec)) {
    if (body === null || typeof body !== 'object' || Array.isArray(body) || META_FIELDS.includes(section)) continue;
    out.push({ pointer: `/spec/${section}/tags`, tags: body.tags });
    for (const [list, rules] of Object.entries<any>(body)) {
      if (!Array.isArray(rules)) continue;
      rules.forEach((r, k) => out.push({ pointer: `/spec/${section}/${list}/${k}/tags`, tags: r?.tags }));
    }
  }
  return out;
}

export const IMPORT_LINT_ROWS: readonly LintRuleRow[] = [
  {
    id: STRICTER_THAN_CRD.glob,
    name: 'glob-in-literal-path',
    severity: 'error',
    summary: 'A literal path or directory (matchPaths, matchDirectories, fromSource) contains glob characters: AppArmor expands them, BPF-LSM matches them literally, so the enforcers protect different files.',
    fix: 'Use a pattern rule (matchPatterns, AppArmor only), list the concrete paths, or protect a recursive directory; acknowledge when the policy only runs under AppArmor.',
    check: stricter(STRICTER_THAN_CRD.glob),
  },
  {
    id: STRICTER_THAN_CRD.relativePattern,
    name: 'relative-pattern',
    severity: 'error',
    summary: 'A matchPatterns pattern does not start with \'/\': the kernel reports absolute paths, so the pattern matches nothing.',
    fix: 'Start the pattern with \'/\' (e.g. \'/**/*.log\').',
    check: stricter(STRICTER_THAN_CRD.relativePattern),
  },
  {
    id: STRICTER_THAN_CRD.repeatedRule,
    name: 'repeated-rule',
    severity: 'warning',
    summary: 'A policy lists the same rule (or preset) twice. KubeArmor enforces it once; the copy is noise that a later edit of one copy turns into a conflict.',
    fix: 'Remove the repeated rule.',
    check: (ctx) => ctx.policies.flatMap((i) => {
      const m = ctx.manifests[i];
      const out: Finding[] = [];
      for (const list of KIND_SPECS.get(m.kind)?.lists.values() ?? []) {
        for (const { index, first } of repeats(m.spec?.[list.section]?.[list.list])) {
          out.push(at(i, `/spec/${list.section}/${list.list}/${index}`, `${list.id} rule ${index} of ${policyName(m)} repeats rule ${first} exactly`));
        }
      }
      for (const { index, first } of repeats(m.spec?.presets)) out.push(at(i, `/spec/presets/${index}`, `preset ${index} of ${policyName(m)} repeats preset ${first} exactly`));
      return out;
    }),
  },
  {
    id: STRICTER_THAN_CRD.repeatedTag,
    name: 'repeated-tag',
    severity: 'warning',
    summary: 'A tag list repeats a tag: alerts carry it twice, and compliance evidence counts it once.',
    fix: 'Remove the repeated tag.',
    check: (ctx) => ctx.policies.flatMap((i) => tagLists(ctx.manifests[i]).flatMap(({ pointer, tags }) => repeats(tags).map(({ index, first }) =>
      at(i, `${pointer}/${index}`, `${pointer.slice(1).replace(/\//g, '.')} of ${policyName(ctx.manifests[i])} repeats tag ${first} ${JSON.stringify((tags as unknown[])[index])}`)))),
  },
  {
    id: STRICTER_THAN_CRD.nonCanonicalPath,
    name: 'non-canonical-path',
    severity: 'error',
    summary: 'A literal path or directory is not canonical (\'//\', \'.\' or \'..\' segments, invisible or look-alike characters, mixed scripts, longer than 200 bytes): the kernel reports the resolved path, so BPF-LSM never matches it while AppArmor may.',
    fix: 'Write the canonical spelling the finding gives.',
    check: stricter(STRICTER_THAN_CRD.nonCanonicalPath),
  },
];
