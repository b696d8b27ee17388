/* eslint-disable no-bitwise -- the rule map values are the kernel's uint16 bit masks */
/**
 * The BPF-LSM rule map of one container (or the host) as data, built the way KubeArmor@510cee3 builds it
 * (`enforcer/bpflsm/rulesHandling.go` `UpdateContainerRules`, `dirtoMap`, `fuseProcAndFileRules`), and
 * the lookups the LSM hooks do on it (`BPF/enforcer.bpf.c` `enforce_proc`, `BPF/shared.h`
 * `match_and_enforce_path_hooks`, `matchArguments`).
 */
import { CompiledRule } from './compile';

/** Bit flags of a map value (rulesHandling.go:17-28). */
export const BPF_FLAG = {
  EXEC: 1 << 0,
  WRITE: 1 << 1,
  READ: 1 << 2,
  OWNER: 1 << 3,
  DIR: 1 << 4,
  RECURSIVE: 1 << 5,
  HINT: 1 << 6,
  DENY: 1 << 7,
  ARGSET: 1 << 8,
  PTS: 1 << 9,
} as const;

/** Posture values stored under the whitelist keys (rulesHandling.go:39-42). */
export const AUDIT_POSTURE = 140;
export const BLOCK_POSTURE = 141;

/** Capacity of a container's inner map (`InnerMapSpec.MaxEntries`, bpflsm/enforcer.go:85). */
export const BPF_INNER_MAP_CAPACITY = 256;

/** One key of the inner map: `InnerKey{Path, Source}`. Network and capability keys use `tag` (their Path bytes). */
export interface BpfKey {
  /** path, directory (with '/'), execname, or '' for network/capability/whitelist keys. */
  readonly path: string;
  /** fromSource binary, '' for a global rule. */
  readonly source: string;
}

/** One entry: the `[2]uint16` value (index 0 process mask, index 1 file mask) plus the rules that wrote it. */
export interface BpfEntry extends BpfKey {
  processMask: number;
  fileMask: number;
  /** The last rule that wrote the process half (attribution only; the kernel sees only the masks). */
  processRule?: CompiledRule;
  /** The last rule that wrote the file half. */
  fileRule?: CompiledRule;
}

/** The container's rule map, whitelist postures and argument lists. */
export interface BpfMaps {
  /** Process and file entries by `source + '\0' + path` (one map in the kernel: they share keys). */
  readonly entries: Map<string, BpfEntry>;
  /** PROCWHITELIST present (an Allow process rule), with its value. */
  readonly procWhitelist?: number;
  /** FILEWHITELIST present (an Allow file rule), with its value. */
  readonly fileWhitelist?: number;
  readonly netWhitelist?: number;
  readonly capWhitelist?: number;
  /** `ArgumentsList`: allowed arguments per process key. */
  readonly args: Map<string, string[]>;
  /** Distinct network and capability keys (their encoded Path bytes + source). */
  readonly otherKeys: Set<string>;
  /** Every key the daemon Puts into the inner map (entries, network, capability and whitelist keys). */
  readonly keyCount: number;
}

export function bpfKey(source: string, path: string): string {
  return `${source}\u0000${path}`;
}

/** Map postures (`defaultPosture.FileAction == "block"` etc.). */
export interface BpfPostures {
  readonly file: string;
  readonly network: string;
  readonly capabilities: string;
}

type Half = 'process' | 'file';

function put(m: Map<string, BpfEntry>, source: string, path: string, half: Half, mask: number, rule: CompiledRule): void {
  const k = bpfKey(source, path);
  let e = m.get(k);
  if (e === undefined) {
    e = { path, source, processMask: 0, fileMask: 0 };
    m.set(k, e);
  }
  // `m[key] = val` replaces the whole [2]uint16; the other half of a fresh value is 0.
  if (half === 'process') { e.processMask = mask; e.fileMask = 0; e.processRule = rule; e.fileRule = undefined; } else { e.fileMask = mask; e.processMask = 0; e.fileRule = rule; e.processRule = undefined; }
}

function maskOf(m: Map<string, BpfEntry>, source: string, path: string, half: Half): number | undefined {
  const e = m.get(bpfKey(source, path));
  if (e === undefined) return undefined;
  return half === 'process' ? e.processMask : e.fileMask;
}

/** dirtoMap (rulesHandling.go:641-681): the directory without its last component, the DIR key, and HINTs. */
function dirtoMap(half: Half, p: string, src: string, m: Map<string, BpfEntry>, val: number, rule: CompiledRule): void {
  const paths = p.split('/');
  put(m, src, paths.slice(0, paths.length - 1).join('/'), half, val, rule);
  let v = val | BPF_FLAG.DIR;
  const old = maskOf(m, src, p, half);
  if (old !== undefined && (old & BPF_FLAG.HINT) !== 0) v |= BPF_FLAG.HINT;
  put(m, src, p, half, v, rule);
  // The flags a HINT key carries are the old DIR entry's when there is one (and, as in the Go code, `val`
  // keeps them for the deeper HINTs): the rule those flags came from is the one that decides there.
  let from = rule;
  for (let i = 1; i < paths.length - 1; i++) {
    v = (v & ~BPF_FLAG.DIR) | BPF_FLAG.HINT;
    const hint = paths.slice(0, i).join('/') + '/';
    const o = maskOf(m, src, hint, half);
    if (o !== undefined && (o & BPF_FLAG.DIR) !== 0) {
      v = o | BPF_FLAG.HINT;
      const e = m.get(bpfKey(src, hint))!;
      from = (half === 'process' ? e.processRule : e.fileRule) ?? rule;
    }
    put(m, src, hint, half, v, from);
  }
}

/** The socket types `handleAllNetworkRule` expands `all` into (rulesHelper.go, `netType`). */
const NET_TYPES = ['stream', 'dgram', 'raw', 'rdm', 'seqpacket', 'dccp', 'packet'];
const NET_PROTOCOLS = ['icmp', 'tcp', 'udp', 'icmpv6', 'sctp'];

/** The key bytes of a network rule (rulesHandling.go:305-312): PROTOCOL or TYPE + code, or all zero when unknown. */
function networkKey(protocol: string): string {
  const p = protocol.toLowerCase();
  if (NET_PROTOCOLS.includes(p)) return `proto:${p}`;
  if (NET_TYPES.includes(p)) return `type:${p}`;
  return 'zero';
}

/**
 * Builds the inner map of one container from its rules in application order (the `CompiledRule`s of
 * the policies that select it). Audit rules and matchPatterns are not written (`UpdateContainerRules`
 * handles Allow and Block paths and directories only).
 */
export function buildBpfMaps(rules: readonly CompiledRule[], postures: BpfPostures): BpfMaps {
  const proc = new Map<string, BpfEntry>();
  const file = new Map<string, BpfEntry>();
  const args = new Map<string, string[]>();
  const otherKeys = new Set<string>();
  let procAllow = false; let fileAllow = false; let netAllow = false; let capAllow = false;
  const netAll = { allow: false, block: false, allowSources: new Set<string>(), blockSources: new Set<string>() };
  for (const r of rules) {
    if (r.action !== 'Allow' && r.action !== 'Block') continue;
    const allow = r.action === 'Allow';
    if (r.domain === 'process' && (r.kind === 'path' || r.kind === 'execname')) {
      let val = BPF_FLAG.EXEC;
      if (r.ownerOnly) val |= BPF_FLAG.OWNER;
      if (r.ptsFalse) val |= BPF_FLAG.PTS;
      if (r.args.length > 0) val |= BPF_FLAG.ARGSET;
      if (!allow) val |= BPF_FLAG.DENY;
      procAllow ||= allow;
      put(proc, r.source, r.value, 'process', val, r);
      // rulesHandling.go:152-159 (global rules with allowedArgs) and 176-181 (every fromSource rule)
      if (r.args.length > 0 || r.source !== '') args.set(bpfKey(r.source, r.value), [...r.args]);
    } else if (r.domain === 'process' && r.kind === 'dir') {
      let val = BPF_FLAG.EXEC;
      if (r.ownerOnly) val |= BPF_FLAG.OWNER;
      if (r.recursive) val |= BPF_FLAG.RECURSIVE;
      if (r.ptsFalse) val |= BPF_FLAG.PTS;
      if (!allow) val |= BPF_FLAG.DENY;
      procAllow ||= allow;
      dirtoMap('process', r.value, r.source, proc, val, r);
    } else if (r.domain === 'file' && (r.kind === 'path' || r.kind === 'dir')) {
      let val = BPF_FLAG.READ;
      if (r.ownerOnly) val |= BPF_FLAG.OWNER;
      if (!r.readOnly) val |= BPF_FLAG.WRITE;
      if (r.kind === 'dir' && r.recursive) val |= BPF_FLAG.RECURSIVE;
      if (r.ptsFalse) val |= BPF_FLAG.PTS;
      if (!allow) val |= BPF_FLAG.DENY;
      fileAllow ||= allow;
      if (r.kind === 'path') put(file, r.source, r.value, 'file', val, r);
      else dirtoMap('file', r.value, r.source, file, val, r);
    } else if (r.domain === 'network') {
      netAllow ||= allow;
      otherKeys.add(`net\u0000${r.source}\u0000${networkKey(r.value)}`);
      if (r.value === 'all') {
        if (r.source === '') { if (allow) netAll.allow = true; else netAll.block = true; } else {(allow ? netAll.allowSources : netAll.blockSources).add(r.source);}
      }
    } else if (r.domain === 'capability') {
      capAllow ||= allow;
      otherKeys.add(`cap\u0000${r.source}\u0000${r.value}`);
    }
  }
  // handleAllNetworkRule: `all` adds one rule per socket type.
  const expandAll = (source: string) => { for (const t of NET_TYPES) otherKeys.add(`net\u0000${source}\u0000type:${t}`); };
  if (netAll.allow || netAll.block) expandAll('');
  for (const s of new Set([...netAll.allowSources, ...netAll.blockSources])) expandAll(s);

  // fuseProcAndFileRules: a file key that is also a process key takes the process half.
  for (const [k, e] of file) {
    const p = proc.get(k);
    if (p !== undefined) { e.processMask = p.processMask; e.processRule = p.processRule; }
  }
  // One kernel map: process entries are Put first, then file entries (rulesHandling.go:470-512).
  const entries = new Map<string, BpfEntry>();
  for (const [k, e] of proc) entries.set(k, e);
  for (const [k, e] of file) entries.set(k, e);
  const posture = (allow: boolean, p: string) => (allow ? (p === 'block' ? BLOCK_POSTURE : AUDIT_POSTURE) : undefined);
  const maps: BpfMaps = {
    entries,
    procWhitelist: posture(procAllow, postures.file),
    fileWhitelist: posture(fileAllow, postures.file),
    netWhitelist: posture(netAllow, postures.network),
    capWhitelist: posture(capAllow, postures.capabilities),
    args,
    otherKeys,
    keyCount: entries.size + otherKeys.size + [procAllow, fileAllow, netAllow, capAllow].filter((b) => b).length,
  };
  return maps;
}

/** Result of a rule-map lookup: `match` and the entry `val` the decision reads. */
export interface BpfLookup {
  readonly match: boolean;
  readonly entry?: BpfEntry;
  /** The 64-byte prefix scan stopped before the end of the path. */
  readonly truncated: boolean;
}

const SCAN_LIMIT = 64;

function has(e: BpfEntry | undefined, half: Half, flag: number): boolean {
  return e !== undefined && ((half === 'process' ? e.processMask : e.fileMask) & flag) !== 0;
}

/**
 * enforce_proc's lookup (enforcer.bpf.c:72-287): (path, source) exact, the source's directory scan,
 * the global exact path, the executable's base name (execname), then the global directory scan.
 * `source` is the binary of the parent of the exec'ing task, undefined when unknown.
 */
export function lookupExec(maps: BpfMaps, path: string, source: string | undefined): BpfLookup {
  const m = maps.entries;
  const get = (s: string, p: string) => m.get(bpfKey(s, p));
  const E = BPF_FLAG.EXEC; const D = BPF_FLAG.DIR; const R = BPF_FLAG.RECURSIVE; const H = BPF_FLAG.HINT;
  const truncated = path.length > SCAN_LIMIT && path.indexOf('/', SCAN_LIMIT) !== -1;
  if (source !== undefined) {
    let val = get(source, path);
    if (has(val, 'process', E)) return { match: true, entry: val, truncated };
    let match = false; let dirval: BpfEntry | undefined; let rbh = false;
    for (let i = 0; i < SCAN_LIMIT && i < path.length; i++) {
      if (path[i] !== '/') continue;
      match = false;
      dirval = get(source, path.slice(0, i + 1));
      if (dirval === undefined) break;
      if (has(dirval, 'process', D) && has(dirval, 'process', E)) {
        match = true;
        if (has(dirval, 'process', R) && !has(dirval, 'process', H)) return { match: true, entry: dirval, truncated };
        if (has(dirval, 'process', R)) { rbh = true; val = dirval; } else {continue;}
      }
    }
    if (rbh) return { match: true, entry: val, truncated };
    if (match && dirval) return { match: true, entry: dirval, truncated };
  }
  let val = get('', path);
  if (has(val, 'process', E)) return { match: true, entry: val, truncated };
  // match exec name (enforcer.bpf.c:205-217): the dentry name of the executed file
  val = get('', path.slice(path.lastIndexOf('/') + 1));
  if (has(val, 'process', E)) return { match: true, entry: val, truncated };
  let match = false; let dirval: BpfEntry | undefined; let rbh = false;
  for (let i = 0; i < SCAN_LIMIT && i < path.length; i++) {
    if (path[i] !== '/') continue;
    match = false;
    dirval = get('', path.slice(0, i + 1));
    if (dirval === undefined) break;
    if (has(dirval, 'process', D) && has(dirval, 'process', E)) {
      match = true;
      if (has(dirval, 'process', R) && !has(dirval, 'process', H)) return { match: true, entry: dirval, truncated };
      if (has(dirval, 'process', R)) { rbh = true; val = dirval; } else {continue;}
    }
    if (!has(dirval, 'process', H)) break;
  }
  if (rbh) return { match: true, entry: val, truncated };
  if (match && dirval) return { match: true, entry: dirval, truncated };
  return { match: false, entry: undefined, truncated };
}

/**
 * match_and_enforce_path_hooks' lookup (shared.h:769-933): (path, source) exact and directory scan,
 * then the global exact path and directory scan. `source` is the binary of the task itself.
 */
export function lookupFile(maps: BpfMaps, path: string, source: string | undefined): BpfLookup {
  const m = maps.entries;
  const get = (s: string, p: string) => m.get(bpfKey(s, p));
  const RD = BPF_FLAG.READ; const D = BPF_FLAG.DIR; const R = BPF_FLAG.RECURSIVE; const H = BPF_FLAG.HINT;
  const truncated = path.length > SCAN_LIMIT && path.indexOf('/', SCAN_LIMIT) !== -1;
  if (source !== undefined) {
    let val = get(source, path);
    if (has(val, 'file', RD)) return { match: true, entry: val, truncated };
    let match = false; let dirval: BpfEntry | undefined; let rbh = false;
    for (let i = 0; i < SCAN_LIMIT && i < path.length; i++) {
      if (path[i] !== '/') continue;
      match = false;
      dirval = get(source, path.slice(0, i + 1));
      if (dirval === undefined) break;
      if (has(dirval, 'file', D) && has(dirval, 'file', RD)) {
        match = true;
        if (has(dirval, 'file', R)) {
          val = dirval;
          if (has(dirval, 'file', H)) { rbh = true; continue; }
          return { match: true, entry: dirval, truncated };
        }
      }
    }
    if (rbh) return { match: true, entry: val, truncated };
    if (match && dirval) return { match: true, entry: dirval, truncated };
  }
  let val = get('', path);
  if (has(val, 'file', RD)) return { match: true, entry: val, truncated };
  let match = false; let dirval: BpfEntry | undefined; let rbh = false;
  for (let i = 0; i < SCAN_LIMIT && i < path.length; i++) {
    if (path[i] !== '/') continue;
    match = false;
    dirval = get('', path.slice(0, i + 1));
    if (dirval === undefined) break;
    if (has(dirval, 'file', D) && has(dirval, 'file', RD)) {
      match = true;
      if (!has(dirval, 'file', R)) continue;
      val = dirval;
      if (has(dirval, 'file', H)) { rbh = true; continue; }
      return { match: true, entry: dirval, truncated };
    }
  }
  if (rbh) return { match: true, entry: val, truncated };
  if (match && dirval) return { match: true, entry: dirval, truncated };
  return { match: false, entry: undefined, truncated };
}

/**
 * matchArguments (shared.h:1153-1217) over argv (`argv[0]` first): more than 20 arguments never match;
 * each argument is looked up, a miss ends the scan except at argv[0] (busybox); the result is the last lookup.
 */
export function argumentsMatch(allowed: readonly string[], argv: readonly string[]): boolean {
  if (argv.length > 20) return false;
  let argmatch = false;
  for (let i = 0; i < argv.length; i++) {
    if (allowed.includes(argv[i])) {
      argmatch = true;
    } else {
      argmatch = false;
      if (i !== 0) break;
    }
  }
  return argmatch;
}

/** Renders the map as sorted lines `source|path process=0x.. file=0x..` (deterministic, for tests and oracles). */
export function describeBpfMaps(maps: BpfMaps): string[] {
  const hex = (n: number) => `0x${n.toString(16)}`;
  const lines = [...maps.entries.values()].map((e) => `${e.source}|${e.path} process=${hex(e.processMask)} file=${hex(e.fileMask)}`);
  if (maps.procWhitelist !== undefined) lines.push(`PROCWHITELIST ${maps.procWhitelist}`);
  if (maps.fileWhitelist !== undefined) lines.push(`FILEWHITELIST ${maps.fileWhitelist}`);
  if (maps.netWhitelist !== undefined) lines.push(`NETWHITELIST ${maps.netWhitelist}`);
  if (maps.capWhitelist !== undefined) lines.push(`CAPWHITELIST ${maps.capWhitelist}`);
  return lines.sort();
}
