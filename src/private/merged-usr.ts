/**
 * merged-/usr twins: on merged-/usr images (Debian 12+, Ubuntu 22.04+, Fedora, RHEL 9, Arch, ...) /bin,
 * /sbin, /lib, /lib32, /lib64 and /libx32 are symlinks into /usr, and enforcement sees the resolved path
 * (AppArmor mediates resolved paths; BPF-LSM builds the path from the dentry); on other images they are
 * distinct directories. A rule, its process path or its fromSource binary spelled one way only protects
 * one kind of image; both spellings with the same action and flags protect both.
 */
import { differs, FlatRule, LintContext, policyName, describeRule, ruleKey, ruleKeyWith } from './lint-context';
import type { Finding } from './lint-rules';

export const MERGED_USR_DIRS: readonly string[] = ['/bin/', '/sbin/', '/lib/', '/lib32/', '/lib64/', '/libx32/'];

/** The pairs KA004 reports when one of them is missing (top-level directory rules). */
const KA004_DIRS = new Set(['/bin/', '/sbin/', '/lib/', '/lib64/', '/usr/bin/', '/usr/sbin/', '/usr/lib/', '/usr/lib64/']);

/** The other spelling of a path under a merged-/usr directory (`/bin/nc` ↔ `/usr/bin/nc`), else undefined. */
export function usrTwin(p: string): string | undefined {
  for (const d of MERGED_USR_DIRS) {
    if (p.startsWith(d)) return `/usr${p}`;
    if (p.startsWith(`/usr${d}`)) return p.slice(4);
  }
  return undefined;
}

function field(r: FlatRule): 'path' | 'dir' | undefined {
  if (r.list.list === 'matchPaths' && typeof r.rule.path === 'string') return 'path';
  if (r.list.list === 'matchDirectories' && typeof r.rule.dir === 'string') return 'dir';
  return undefined;
}

function sourcesOf(r: FlatRule): string[] {
  return Array.isArray(r.rule.fromSource) ? r.rule.fromSource.map((s: any) => s?.path).filter((s: any): s is string => typeof s === 'string') : [];
}

/** Findings of KA021 for the rules of one group of policies that apply to the same pods. */
function twinsOf(ctx: LintContext, group: readonly number[], reported: Set<string>): Finding[] {
  const rules = group.flatMap((i) => ctx.rules.get(i)!).filter((r) => (r.list.section === 'file' || r.list.section === 'process') && field(r) !== undefined);
  const byKey = new Map<string, FlatRule>();
  const byTarget = new Map<string, FlatRule[]>();
  for (const r of rules) {
    const key = ruleKey(r);
    if (!byKey.has(key)) byKey.set(key, r);
    const t = `${r.list.id}|${r.rule[field(r)!]}`;
    const same = byTarget.get(t);
    if (same) same.push(r);
    else byTarget.set(t, [r]);
  }
  const out: Finding[] = [];
  const position = (r: FlatRule) => ctx.rules.get(r.manifest)!.indexOf(r);
  const later = (a: FlatRule, b: FlatRule) => a.manifest > b.manifest || (a.manifest === b.manifest && position(a) > position(b));
  const name = (r: FlatRule) => policyName(ctx.manifests[r.manifest]);
  const push = (r: FlatRule, what: string, message: string, other?: FlatRule) => {
    const key = `${r.manifest}${r.pointer}|${what}`;
    if (reported.has(key)) return;
    reported.add(key);
    out.push({ manifest: r.manifest, jsonPath: r.pointer, message, related: other && other.manifest !== r.manifest ? [other.manifest] : [] });
  };
  for (const r of rules) {
    const f = field(r)!;
    const value: string = r.rule[f];
    const twin = usrTwin(value);
    const exec = r.list.section === 'process';
    if (twin !== undefined) {
      const other = byKey.get(ruleKeyWith(r, f, twin));
      const seen = exec ? `exec resolves ${value.startsWith('/usr/') ? twin : value} to ${value.startsWith('/usr/') ? value : twin}` : 'enforcement sees the resolved path';
      if (other === undefined) {
        if (!(f === 'dir' && KA004_DIRS.has(value))) {
          push(r, twin, `${describeRule(r)} in ${name(r)} has no twin rule for ${twin} for the same pods: on merged-/usr images ${seen}${exec && !value.startsWith('/usr/') ? ', so this rule never matches there' : ''}; on other images they are different files`);
        }
      } else if (differs(r, other) && later(r, other)) {
        push(r, twin, `${describeRule(r)} in ${name(r)} and its twin ${describeRule(other)} in ${name(other)} differ in action or flags: the same files are protected differently depending on whether the image has merged /usr`, other);
      }
    }
    for (const s of sourcesOf(r)) {
      const st = usrTwin(s);
      if (st === undefined || sourcesOf(r).includes(st)) continue;
      const same = (byTarget.get(`${r.list.id}|${value}`) ?? []).filter((o) => sourcesOf(o).includes(st));
      if (same.length === 0) {
        push(r, `source ${st}`, `${describeRule(r)} in ${name(r)} names fromSource ${s} but not ${st}: on merged-/usr images the process runs as ${s.startsWith('/usr/') ? s : st}${s.startsWith('/usr/') ? '' : ', so this rule never applies there'}; list both spellings in fromSource`);
      } else if (same.every((o) => differs(r, o)) && later(r, same[0])) {
        push(r, `source ${st}`, `${describeRule(r)} in ${name(r)} from ${s} and ${describeRule(same[0])} in ${name(same[0])} from ${st} differ in action or flags: the same process is restricted differently depending on whether the image has merged /usr`, same[0]);
      }
    }
  }
  return out;
}

export function mergedUsrTwins(ctx: LintContext): Finding[] {
  const reported = new Set<string>();
  return ctx.podGroups.flatMap((g) => twinsOf(ctx, g, reported));
}
