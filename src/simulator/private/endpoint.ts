/**
 * Per-endpoint rule indexes: the rules of every policy that applies to one (namespace, labels,
 * container) or one node, indexed by exact path and by directory so that a decision looks up a
 * handful of Map entries instead of scanning every rule.
 */
import { CompiledPolicy, CompiledRule, Domain } from './compile';

/** Rules of one domain (file or process), indexed by path. */
export class DomainIndex {
  /** path rules (literal, no glob) by path. */
  public readonly exact = new Map<string, CompiledRule[]>();
  /** dir rules by dir (with trailing '/'). */
  public readonly dirs = new Map<string, CompiledRule[]>();
  /** patterns, execnames and globbed paths: tested one by one. */
  public readonly scan: CompiledRule[] = [];
  /** Allow rules, in order (they matter to the alert matcher even when they do not match). */
  public readonly allow: CompiledRule[] = [];
  public size = 0;
  /** Candidates per path already looked up (bounded): the prefix walk allocates one substring per level. */
  private readonly memo = new Map<string, CompiledRule[]>();

  public add(r: CompiledRule): void {
    this.size++;
    this.memo.clear();
    if (r.action === 'Allow') this.allow.push(r);
    if (r.kind === 'dir') push(this.dirs, r.value, r);
    else if (r.kind === 'path' && r.aaGlob === undefined) push(this.exact, r.value, r);
    else this.scan.push(r);
  }

  /**
   * Every rule that may match `path` under some matching dialect: exact path, the directory itself
   * (`path + '/'`), every ancestor directory, and the scan list. Sorted by rule order. The returned
   * array may be an index list: callers must not mutate it.
   */
  public candidates(path: string): CompiledRule[] {
    if (this.size === 0) return EMPTY;
    let found = this.memo.get(path);
    if (found === undefined) {
      found = this.lookup(path);
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
      this.memo.set(path, found);
    }
    return found;
  }

  private lookup(path: string): CompiledRule[] {
    let out: CompiledRule[] | undefined;
    let lists = 0;
    let rs = this.exact.get(path);
    if (rs !== undefined) { out = rs; lists++; }
    if (this.dirs.size > 0) {
      if (path.charCodeAt(path.length - 1) !== 47) {
        rs = this.dirs.get(path + '/');
        if (rs !== undefined) { out = lists === 0 ? rs : append(out!, rs, lists); lists++; }
      }
      for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
        rs = this.dirs.get(path.slice(0, i + 1));
        if (rs !== undefined) { out = lists === 0 ? rs : append(out!, rs, lists); lists++; }
      }
    }
    if (this.scan.length > 0) { out = lists === 0 ? this.scan : append(out!, this.scan, lists); lists++; }
    if (out === undefined) return EMPTY;
    if (lists > 1) out.sort(byOrder);
    return out;
  }
}

/** Appends to `out`, copying it first when it is still an index list (`lists === 1`): index lists are never mutated. */
function append(out: CompiledRule[], rs: CompiledRule[], lists: number): CompiledRule[] {
  const target = lists === 1 ? out.slice() : out;
  for (let i = 0; i < rs.length; i++) target.push(rs[i]);
  return target;
}

export const EMPTY: CompiledRule[] = [];
const MEMO_LIMIT = 4096;

function byOrder(a: CompiledRule, b: CompiledRule): number {
  return a.order - b.order;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/** One BPF-LSM map entry (docs/kubearmor-semantics.md §6.3, bpflsm/rulesHandling.go). */
export interface BpfEntry {
  readonly rule: CompiledRule;
  readonly write: boolean;
  readonly owner: boolean;
  readonly recursive: boolean;
  readonly deny: boolean;
  readonly dir: boolean;
}

/** A BPF-LSM rule map for one domain: last writer wins (`FileRuleList[key] = val`). Keyed by source, then path. */
export class BpfMap {
  /** source ('' = global) → path → entry */
  public readonly bySource = new Map<string, Map<string, BpfEntry>>();
  /** source → HINT prefixes */
  public readonly hintsBySource = new Map<string, Set<string>>();
  public readonly sources = new Set<string>();
  /** pattern and execname rules: not enforced (#1592). */
  public readonly unenforced: CompiledRule[] = [];
  public allowList = false;
  /** Lookups already made (the map is immutable once built). */
  private readonly memo = new Map<string, { readonly entry: BpfEntry | undefined; readonly truncated: boolean }>();

  constructor(rules: CompiledRule[], domain: Domain) {
    for (const r of rules) {
      if (r.domain !== domain) continue;
      if (r.action === 'Allow') this.allowList = true;
      if (r.action !== 'Allow' && r.action !== 'Block') continue; // Audit is never enforced (§6.1)
      if (r.kind === 'pattern' || r.kind === 'execname') { this.unenforced.push(r); continue; }
      const base = { rule: r, write: !r.readOnly, owner: r.ownerOnly, recursive: r.recursive, deny: r.action === 'Block' };
      if (r.source) this.sources.add(r.source);
      let entries = this.bySource.get(r.source);
      if (entries === undefined) { entries = new Map(); this.bySource.set(r.source, entries); }
      if (r.kind === 'path') {
        // globs in path are literal characters under BPF-LSM (#1900)
        entries.set(r.value, { ...base, dir: false });
      } else if (r.kind === 'dir') {
        // dirtoMap: the directory itself, the dir flagged DIR, and HINTs for every ancestor.
        entries.set(r.value.slice(0, -1), { ...base, dir: false });
        entries.set(r.value, { ...base, dir: true });
        let hints = this.hintsBySource.get(r.source);
        if (hints === undefined) { hints = new Set(); this.hintsBySource.set(r.source, hints); }
        for (let i = r.value.indexOf('/'); i !== -1 && i < r.value.length - 1; i = r.value.indexOf('/', i + 1)) {
          hints.add(r.value.slice(0, i + 1));
        }
      }
    }
  }

  /**
   * match_and_enforce_path_hooks lookup for one source ('' = global): exact key, then the prefix
   * scan over each '/' within the first 64 bytes. `truncated` is set when the 64-byte limit stopped the scan.
   */
  public lookup(source: string, path: string, state: { truncated: boolean }): BpfEntry | undefined {
    const key = `${source}\u0000${path}`;
    let memo = this.memo.get(key);
    if (memo === undefined) {
      const s = { truncated: false };
      memo = { entry: this.scan(source, path, s), truncated: s.truncated };
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
      this.memo.set(key, memo);
    }
    if (memo.truncated) state.truncated = true;
    return memo.entry;
  }

  private scan(source: string, path: string, state: { truncated: boolean }): BpfEntry | undefined {
    const entries = this.bySource.get(source);
    if (entries === undefined) return undefined;
    const exact = entries.get(path);
    if (exact) return exact;
    const hints = this.hintsBySource.get(source) ?? NO_HINTS;
    let match: BpfEntry | undefined;
    for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
      if (i >= 64) { state.truncated = true; break; }
      const key = path.slice(0, i + 1);
      const e = entries.get(key);
      const hinted = hints.has(key);
      if (e !== undefined && e.dir) {
        if (e.recursive) {
          match = e;
          if (!hinted) break;
        } else if (path.indexOf('/', i + 1) === -1) {
          match = e;
          break;
        }
      }
      if (e === undefined && !hinted) break;
    }
    return match;
  }
}

const NO_HINTS = new Set<string>();

/** The rules of all policies applying to one endpoint. */
export class EndpointIndex {
  public readonly file = new DomainIndex();
  public readonly process = new DomainIndex();
  public readonly network: CompiledRule[] = [];
  public readonly capability: CompiledRule[] = [];
  /** Rules in the alert matcher's list (policies with spec.apparmor are skipped), with their position. */
  public readonly feederPos = new Map<CompiledRule, number>();
  public feederLength = 0;
  public readonly anyFileAllow: boolean;
  public readonly anyProcessAllow: boolean;
  public readonly anyNetworkAllow: boolean;
  public readonly anyCapabilityAllow: boolean;
  /** fromSource paths of file/process rules (AppArmor child profiles). */
  public readonly sources = new Set<string>();
  public readonly nativeAppArmor: CompiledPolicy[] = [];
  private bpfFile?: BpfMap;
  private bpfProcess?: BpfMap;
  private readonly aaExcluded = new Map<string, Set<CompiledRule>>();
  private globalExcluded: Set<CompiledRule> | undefined = undefined;
  private readonly allRules: CompiledRule[] = [];

  constructor(public readonly policies: CompiledPolicy[]) {
    let fa = false; let pa = false; let na = false; let ca = false;
    for (const p of policies) {
      if (p.nativeAppArmor) this.nativeAppArmor.push(p);
      for (const r of p.rules) {
        this.allRules.push(r);
        if (!p.nativeAppArmor) this.feederPos.set(r, this.feederLength++);
        const allow = r.action === 'Allow';
        switch (r.domain) {
          case 'file': this.file.add(r); fa ||= allow; break;
          case 'process': this.process.add(r); pa ||= allow; break;
          case 'network': this.network.push(r); na ||= allow; break;
          case 'capability': this.capability.push(r); ca ||= allow; break;
        }
        if ((r.domain === 'file' || r.domain === 'process') && r.source) this.sources.add(r.source);
      }
    }
    this.anyFileAllow = fa;
    this.anyProcessAllow = pa;
    this.anyNetworkAllow = na;
    this.anyCapabilityAllow = ca;
  }

  public bpf(domain: 'file' | 'process'): BpfMap {
    if (domain === 'file') return this.bpfFile ??= new BpfMap(this.allRules, 'file');
    return this.bpfProcess ??= new BpfMap(this.allRules, 'process');
  }

  /**
   * AppArmor rules that do not take effect in the profile used by `source` (§6.2):
   * - rules of other sources' child profiles;
   * - in a child profile, global rules whose key the child already has, or that a child dir rule covers
   *   (checkIfGlobalRuleToBeAdded);
   * - a later rule with the same key and the same action (addRuletoMap: first wins).
   */
  public appArmorExcluded(source: string): Set<CompiledRule> {
    if (this.sources.size === 0 && this.globalExcluded !== undefined) return this.globalExcluded;
    const profile = this.sources.has(source) ? source : '';
    let ex = this.aaExcluded.get(profile);
    if (ex) return ex;
    ex = new Set<CompiledRule>();
    const child = this.allRules.filter((r) => r.source !== '' && r.source === profile);
    const seen = new Set<string>();
    for (const r of this.allRules) {
      if (r.domain !== 'file' && r.domain !== 'process') continue;
      if (r.source !== '' && r.source !== profile) { ex.add(r); continue; }
      if (r.source === '' && profile !== '') {
        const covered = child.some((c) => c.domain === r.domain && (
          c.value === r.value
          || (c.kind === 'dir' && c.recursive && r.value.startsWith(c.value))
          || (c.kind === 'dir' && !c.recursive && r.value.startsWith(c.value) && r.value.indexOf('/', c.value.length) === -1)));
        if (covered) { ex.add(r); continue; }
      }
      const key = `${r.domain}\u0000${r.action}\u0000${r.value}`;
      if (seen.has(key)) ex.add(r);
      else seen.add(key);
    }
    this.aaExcluded.set(profile, ex);
    if (profile === '') this.globalExcluded = ex;
    return ex;
  }
}
