/**
 * Lint rules about what each enforcer really does with the rules of a pod (KA020–KA029): divergence between
 * AppArmor and BPF-LSM decided by simulation, merged-/usr twins, and the limits of the BPF-LSM rule map.
 * Rows of the one table (lint-rules.ts); docs/lints.md is generated from them.
 */
import { bpfCapacity, bpfPathDepth, bpfPrefixScan } from './bpf-limits';
import { Divergence, divergencesOf } from './enforcer-divergence';
import { describeRule, hasSameKeyRule, LintContext, policyName, ruleKey } from './lint-context';
import type { Finding, LintRuleRow } from './lint-rules';
import { mergedUsrTwins } from './merged-usr';

const divergenceMemo = new WeakMap<LintContext, Array<{ group: readonly number[]; d: Divergence }>>();

/** Every divergence of every group, computed once per lint pass (KA020 and KA025 read them). */
function divergences(ctx: LintContext): Array<{ group: readonly number[]; d: Divergence }> {
  let all = divergenceMemo.get(ctx);
  if (all === undefined) {
    all = ctx.podGroups.flatMap((group) => divergencesOf(ctx, group).map((d) => ({ group, d })));
    divergenceMemo.set(ctx, all);
  }
  return all;
}

/** KA020 (two rules) or KA025 (one rule): one finding per rule pair, or per rule, whatever the pods. */
function enforcerDivergence(ctx: LintContext, pairs: boolean): Finding[] {
  const out: Finding[] = [];
  const reported = new Set<string>();
  for (const { group, d } of divergences(ctx)) {
    if ((d.rules.length === 2) !== pairs) continue;
    const [a, b] = d.rules.length === 2 ? d.rules : [d.rules[0], d.rules[0]];
    // Rules on the same target with different flags are KA005's (order-dependent) conflict.
    if (a === b ? hasSameKeyRule(ctx, group, a) : ruleKey(a) === ruleKey(b)) continue;
    const key = `${a.manifest}${a.pointer}|${b.manifest}${b.pointer}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const who = a === b
      ? `${describeRule(a)} in ${policyName(ctx.manifests[a.manifest])} is enforced differently by AppArmor and BPF-LSM`
      : `${describeRule(b)} in ${policyName(ctx.manifests[b.manifest])} and ${describeRule(a)} in ${policyName(ctx.manifests[a.manifest])} resolve differently per enforcer`;
    const parts = [
      d.appArmorOnly.length ? `${d.appArmorOnly.join(', ')} denied by AppArmor but permitted by BPF-LSM` : '',
      d.bpfOnly.length ? `${d.bpfOnly.join(', ')} permitted by AppArmor but denied by BPF-LSM` : '',
    ].filter((p) => p !== '');
    const more = d.morePlaces > 0 ? ` (and at ${d.morePlaces} more place${d.morePlaces > 1 ? 's' : ''})` : '';
    out.push({ manifest: b.manifest, jsonPath: b.pointer, message: `${who}: at ${d.where}, ${parts.join('; ')}${more}`, related: a.manifest === b.manifest ? [] : [a.manifest] });
  }
  return out;
}

/** KA020–KA029. */
export const ENFORCER_LINTS: readonly LintRuleRow[] = [
  {
    id: 'KA020',
    name: 'enforcer-divergence',
    severity: 'error',
    summary: 'Two overlapping rules of the same pod (different paths, actions or flags) are enforced differently by AppArmor and BPF-LSM: AppArmor applies every matching rule and deny wins, BPF-LSM decides by the one most specific key (exact path, then the deepest directory). Found by simulating both enforcers at every path the rules name, a file in and below every directory and every fromSource binary, with every file operation and exec, as the owner and as another user.',
    fix: 'Give overlapping rules the same action and flags (a narrower rule inside a Block directory must not be an Allow or readOnly), protect disjoint directories instead of nesting them, or keep only the outer rule; acknowledge when only one enforcer is used.',
    check: (ctx) => enforcerDivergence(ctx, true),
  },
  {
    id: 'KA021',
    name: 'merged-usr-twin-rules',
    severity: 'warning',
    summary: 'A file, process or fromSource path, or a directory, under /bin, /sbin, /lib, /lib32, /lib64 or /libx32 (or their /usr spellings) is protected in one spelling only, or its two spellings have different actions or flags. On merged-/usr images the short spelling is a symlink and enforcement sees the resolved /usr path (addProcessPath(\'/bin/nc\') never matches: exec resolves to /usr/bin/nc); on other images they are different files. Top-level directory pairs missing a twin are KA004\'s.',
    fix: 'Add the same rule for the other spelling (e.g. /bin/nc and /usr/bin/nc, or fromSource both /bin/bash and /usr/bin/bash) with the same action and flags.',
    check: mergedUsrTwins,
  },
  {
    id: 'KA022',
    name: 'bpf-rule-map-full',
    severity: 'error',
    summary: 'The policies of one pod need more than 256 BPF-LSM rule keys per container (every directory rule takes the directory, the directory with \'/\' and a key per ancestor; dirtoMap). KubeArmor\'s inner map holds 256 (enforcer/bpflsm/enforcer.go): the inserts beyond fail, are only logged, and Go\'s random map order decides which rules are lost.',
    fix: 'Protect fewer, higher directories (recursive) instead of many paths, split the pods across policies that select fewer of them, or merge duplicate rules; acknowledge only when the pods run under AppArmor.',
    check: bpfCapacity,
  },
  {
    id: 'KA023',
    name: 'bpf-prefix-scan-64-bytes',
    severity: 'warning',
    summary: 'A directory rule\'s directory is longer than 64 bytes: BPF-LSM looks up directory rules only for the prefixes ending within the first 64 bytes of a path (BPF/shared.h, enforcer.bpf.c), so nothing in it is matched under BPF-LSM.',
    fix: 'Protect a shorter ancestor directory (recursive), or the files themselves with matchPaths.',
    check: bpfPrefixScan,
  },
  {
    id: 'KA024',
    name: 'bpf-path-depth-20',
    severity: 'warning',
    summary: 'A path, fromSource or directory entry has more than 20 components: BPF-LSM builds at most 20 (prepend_path, BPF/shared.h; one fewer per mount point crossed), so the path it sees is cut and the rule never matches under BPF-LSM.',
    fix: 'Protect a shallower ancestor directory (recursive), or move the files to a shallower path.',
    check: bpfPathDepth,
  },
  {
    id: 'KA025',
    name: 'rule-enforced-per-enforcer',
    severity: 'warning',
    summary: 'One rule is enforced differently by AppArmor and BPF-LSM, found by the same simulation as KA020: ownerOnly (AppArmor treats the creator of a new file as its owner, BPF-LSM checks the owner of the parent; a readOnly ownerOnly owner may delete under BPF-LSM only), a non-recursive directory (AppArmor lets mkdir create a subdirectory, BPF-LSM refuses it), Allow + readOnly (BPF-LSM\'s path hooks ignore WRITE: delete, rename, truncate pass).',
    fix: 'Use the flags both enforcers agree on (recursive directories; readOnly without ownerOnly; Block instead of Allow + readOnly), or acknowledge when only one enforcer is used.',
    check: (ctx) => enforcerDivergence(ctx, false),
  },
];
