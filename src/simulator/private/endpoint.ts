/**
 * Per-endpoint rule indexes: the rules of every policy that applies to one (namespace, labels,
 * container) or one node, indexed by exact path and by directory so that a decision looks up a
 * handful of Map entries instead of scanning every rule.
 */
import { AaView, appArmorViews } from './apparmor-enforce';
import { AppArmorPostures, AppArmorProfile, buildAppArmorProfile } from './apparmor-profile';
import { BpfMaps, BpfPostures, buildBpfMaps } from './bpf-maps';
import { CompiledPolicy, CompiledRule } from './compile';

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
  private readonly bpfByPosture = new Map<string, BpfMaps>();
  private readonly aaByPosture = new Map<string, AppArmorModel>();
  private readonly allRules: CompiledRule[] = [];
  private lastBpf?: { readonly p: BpfPostures; readonly m: BpfMaps };
  private lastAa?: { readonly p: AppArmorPostures; readonly host: boolean; readonly m: AppArmorModel };

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

  /** The BPF-LSM rule map KubeArmor writes for this endpoint under these postures. */
  public bpfMaps(postures: BpfPostures): BpfMaps {
    const last = this.lastBpf;
    if (last !== undefined && last.p.file === postures.file && last.p.network === postures.network
      && last.p.capabilities === postures.capabilities) return last.m;
    const key = `${postures.file}|${postures.network}|${postures.capabilities}`;
    let m = this.bpfByPosture.get(key);
    if (m === undefined) { m = buildBpfMaps(this.allRules, postures); this.bpfByPosture.set(key, m); }
    this.lastBpf = { p: { ...postures }, m };
    return m;
  }

  /** The AppArmor profile KubeArmor generates for this endpoint under these postures, and its mediation views. */
  public appArmor(postures: AppArmorPostures, host: boolean): AppArmorModel {
    const last = this.lastAa;
    if (last !== undefined && last.host === host && last.p.file === postures.file && last.p.network === postures.network
      && last.p.capabilities === postures.capabilities) return last.m;
    const key = `${postures.file}|${postures.network}|${postures.capabilities}|${host}`;
    let m = this.aaByPosture.get(key);
    if (m === undefined) {
      const profile = host
        ? buildAppArmorProfile(this.policies, postures, HOST_PROFILE_NAME, true)
        : buildAppArmorProfile(this.policies, postures);
      m = { profile, ...appArmorViews(profile) };
      this.aaByPosture.set(key, m);
    }
    this.lastAa = { p: { ...postures }, host, m };
    return m;
  }
}

/** The host profile's name and attachment (appArmorEnforcer.go:634). */
export const HOST_PROFILE_NAME = 'kubearmor.host /{usr/,}bin/*sh';

export interface AppArmorModel {
  readonly profile: AppArmorProfile;
  readonly views: Map<string, AaView>;
  readonly unsimulated: string[];
}
