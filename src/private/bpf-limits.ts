/**
 * Limits of KubeArmor's BPF-LSM enforcer (KubeArmor@510cee3) as lint checks: the rule keys a container's
 * inner map holds (`InnerMapSpec.MaxEntries: 256`, enforcer/bpflsm/enforcer.go; counted by the simulator's
 * buildBpfMaps exactly as `dirtoMap` writes them), the directory prefix scan that stops at byte 64 of a path
 * (`for (int i = 0; i < 64; i++)`, BPF/shared.h match_and_enforce_path_hooks and BPF/enforcer.bpf.c
 * enforce_proc), and the path walk that builds at most 20 components (`prepend_path`, BPF/shared.h).
 */
import { simulatedBpfKeyCount } from './enforcer-divergence';
import { describeRule, FlatRule, LintContext, policyName, rulesKeyOf } from './lint-context';
import type { Finding } from './lint-rules';
import { BPF_INNER_MAP_CAPACITY, buildBpfMaps } from '../simulator/private/bpf-maps';
import { compilePolicies } from '../simulator/private/compile';

/** Bytes of a path the BPF-LSM directory scan looks at. */
export const BPF_SCAN_BYTES = 64;
/** Path components prepend_path builds (each mount point crossed costs one more). */
export const BPF_PATH_COMPONENTS = 20;

const AUDIT = { file: 'audit', network: 'audit', capabilities: 'audit' };

/** Keys of the rule map of a set of policies, memoised by content (policies with the same rules count the same). */
function keyCounter(): (manifests: readonly any[]) => number {
  const memo = new Map<string, number>();
  return (manifests) => {
    const key = manifests.map((m) => rulesKeyOf(m)).join('\n');
    let n = memo.get(key);
    if (n === undefined) {
      n = buildBpfMaps(compilePolicies([...manifests]).flatMap((p) => p.rules), AUDIT).keyCount;
      memo.set(key, n);
    }
    return n;
  };
}

/** KA022: the pods of a group need more keys than the inner map holds. One finding per distinct set of policies. */
export function bpfCapacity(ctx: LintContext): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  const keysOf = keyCounter();
  for (const group of ctx.podGroups) {
    const id = [...group].sort((a, b) => a - b).join(',');
    if (seen.has(id)) continue;
    seen.add(id);
    const manifests = group.map((i) => ctx.manifests[i]);
    // The divergence lint (KA020, before this one) built the same map for most groups.
    const total = simulatedBpfKeyCount(ctx, group) ?? keysOf(manifests);
    if (total <= BPF_INNER_MAP_CAPACITY) continue;
    const last = Math.max(...group);
    const each = group.map((i) => `${policyName(ctx.manifests[i])}: ${keysOf([ctx.manifests[i]])}`).join(', ');
    out.push({
      manifest: last,
      jsonPath: '/spec',
      message: `the pods selected by ${group.map((i) => policyName(ctx.manifests[i])).join(', ')} need ${total} BPF-LSM rule keys per container (${each}; a directory rule takes the directory, the directory with '/' and one key per ancestor), but KubeArmor's rule map holds ${BPF_INNER_MAP_CAPACITY}: the inserts beyond it fail (only logged) and Go's map order decides which rules are missing`,
      related: group.filter((i) => i !== last),
    });
  }
  return out;
}

function bytes(v: string): number {
  return Buffer.byteLength(v, 'utf8');
}

function components(v: string): number {
  return v.split('/').filter((c) => c !== '').length;
}

function targets(r: FlatRule): Array<{ value: string; dir: boolean; what: string }> {
  if (r.list.section !== 'file' && r.list.section !== 'process') return [];
  const out: Array<{ value: string; dir: boolean; what: string }> = [];
  if (r.list.list === 'matchDirectories' && typeof r.rule.dir === 'string') out.push({ value: r.rule.dir, dir: true, what: 'directory' });
  if (r.list.list === 'matchPaths' && typeof r.rule.path === 'string') out.push({ value: r.rule.path, dir: false, what: 'path' });
  for (const s of Array.isArray(r.rule.fromSource) ? r.rule.fromSource : []) {
    if (typeof s?.path === 'string') out.push({ value: s.path, dir: false, what: 'fromSource' });
  }
  return out;
}

/** KA023: a directory rule whose directory ends beyond byte 64: the prefix scan never reaches it. */
export function bpfPrefixScan(ctx: LintContext): Finding[] {
  return ctx.policies.flatMap((i) => ctx.rules.get(i)!.flatMap((r) => targets(r).filter((t) => t.dir && bytes(t.value) > BPF_SCAN_BYTES).map((t) => ({
    manifest: i,
    jsonPath: r.pointer,
    message: `${describeRule(r)} in ${policyName(ctx.manifests[i])}: ${t.value} is ${bytes(t.value)} bytes long, and BPF-LSM looks for directory rules only among the prefixes ending within the first ${BPF_SCAN_BYTES} bytes of a path: nothing in it is matched by this rule under BPF-LSM (AppArmor does match)`,
    related: [],
  }))));
}

/** KA024: a path deeper than the 20 components BPF-LSM builds: the path it sees is cut, the rule never matches. */
export function bpfPathDepth(ctx: LintContext): Finding[] {
  const tooDeep = (t: { value: string; dir: boolean }) => components(t.value) + (t.dir ? 1 : 0) > BPF_PATH_COMPONENTS;
  return ctx.policies.flatMap((i) => ctx.rules.get(i)!.flatMap((r) => targets(r).filter(tooDeep).map((t) => ({
    manifest: i,
    jsonPath: r.pointer,
    message: `${describeRule(r)} in ${policyName(ctx.manifests[i])}: the ${t.what} ${t.value} has ${components(t.value)} components${t.dir ? ' (its entries one more)' : ''}, and BPF-LSM builds at most ${BPF_PATH_COMPONENTS} (prepend_path; one fewer per mount point crossed): the path it sees is cut and never equals the rule's, so the rule never matches under BPF-LSM (AppArmor does match)`,
    related: [],
  }))));
}
