/**
 * What the LSM does (docs/kubearmor-semantics.md §6): AppArmor profile semantics (§6.2) and BPF-LSM map/hook
 * semantics (§6.3). Audit rules are never enforced (§6.1).
 */
import { AccessOperation } from '../access-request';
import { CompiledRule } from './compile';
import { BpfMap, EndpointIndex } from './endpoint';

export interface Ctx {
  readonly op: AccessOperation;
  /** File path or executable. */
  readonly path: string;
  readonly process: string;
  readonly parent: string;
  readonly isOwner: boolean;
  caveats?: string[];
}

export function note(ctx: Ctx, msg: string): void {
  if (ctx.caveats === undefined) ctx.caveats = [msg];
  else if (!ctx.caveats.includes(msg)) ctx.caveats.push(msg);
}

export interface Enforcement {
  /** The LSM denies the access. */
  readonly denied: boolean;
  /** Decided by the default posture (allow-list mode, no Allow rule covers the access). */
  readonly byPosture: boolean;
  /** The rule that denied, or the Allow rule that permitted in allow-list mode. */
  readonly rule?: CompiledRule;
}

const PERMIT: Enforcement = { denied: false, byPosture: false, rule: undefined };
export const PERMITTED: Enforcement = PERMIT;
const POSTURE_DENY: Enforcement = { denied: true, byPosture: true, rule: undefined };
const POSTURE_PERMIT: Enforcement = { denied: false, byPosture: true, rule: undefined };

/** Whether the operation needs AppArmor's `w` (everything but reads; §6.2 `klw` / `klr`). */
function needsWrite(op: AccessOperation): boolean {
  return op !== AccessOperation.READ;
}

/** AppArmor path matching: `P`, `D{,*}` (direct children) or `D{,**}` (recursive); MKDIR is mediated as `P/`. */
export function appArmorMatches(r: CompiledRule, path: string, mkdir: boolean): boolean {
  const v = r.value;
  switch (r.kind) {
    case 'path':
      return r.aaGlob ? r.aaGlob.test(path) : v === path;
    case 'dir': {
      if (mkdir) {
        const p = path + '/';
        return r.recursive ? p.startsWith(v) : p === v;
      }
      if (path + '/' === v) return true;
      if (!path.startsWith(v)) return false;
      return r.recursive || path.indexOf('/', v.length) === -1;
    }
    default:
      return r.aaGlob ? r.aaGlob.test(path) : false;
  }
}

function sourceApplies(r: CompiledRule, process: string): boolean {
  return r.source === '' || r.source === process;
}

/** §6.2 file-section table. */
export function appArmorFile(ep: EndpointIndex, candidates: CompiledRule[], ctx: Ctx, posture: string): Enforcement {
  const excluded = ep.appArmorExcluded(ctx.process);
  const write = needsWrite(ctx.op);
  const mkdir = ctx.op === AccessOperation.MKDIR;
  let allowed: CompiledRule | undefined;
  for (const r of candidates) {
    if (r.domain !== 'file' || r.action === 'Audit' || excluded.has(r) || !sourceApplies(r, ctx.process)) continue;
    if (!appArmorMatches(r, ctx.path, mkdir)) continue;
    if (r.kind === 'path' && r.aaGlob) note(ctx, `rule ${r.policy.name} ${r.value}: '*' is a glob under AppArmor but literal under BPF-LSM (#1900) and for the alert matcher`);
    if (r.action === 'Block') {
      if (!r.ownerOnly) {
        // deny P klmrw  /  readOnly: deny P klw
        if (!r.readOnly || write) return { denied: true, byPosture: false, rule: r };
      } else if (!ctx.isOwner) {
        // deny other P klmrw
        return { denied: true, byPosture: false, rule: r };
      } else if (r.readOnly) {
        // deny owner P klw
        if (write) return { denied: true, byPosture: false, rule: r };
      } else {
        // owner P klmrw (an allow line)
        allowed ??= r;
      }
    } else {
      if (r.ownerOnly && !ctx.isOwner) continue; // owner P ...
      if (r.readOnly && write) continue; // P klr
      allowed ??= r;
    }
  }
  // §6.5: under AppArmor one Allow in file or process flips files and processes to allow-list mode.
  if (ep.anyFileAllow || ep.anyProcessAllow) {
    if (allowed) return { denied: false, byPosture: false, rule: allowed };
    return posture === 'block' ? POSTURE_DENY : POSTURE_PERMIT;
  }
  return PERMIT;
}

/** §6.2 process rules: deny P x; owner P ix + deny other P x; allow P ix (patterns/globs: comment only). */
export function appArmorExec(ep: EndpointIndex, candidates: CompiledRule[], ctx: Ctx, posture: string): Enforcement {
  const excluded = ep.appArmorExcluded(ctx.process);
  let allowed: CompiledRule | undefined;
  for (const r of candidates) {
    if (r.domain !== 'process' || r.action === 'Audit' || excluded.has(r) || !sourceApplies(r, ctx.process)) continue;
    if (!appArmorMatches(r, ctx.path, false)) continue;
    if (r.action === 'Block') {
      if (!r.ownerOnly || !ctx.isOwner) return { denied: true, byPosture: false, rule: r };
      allowed ??= r;
    } else {
      if (r.kind === 'pattern' || (r.kind === 'path' && r.aaGlob)) {
        note(ctx, `Allow rule ${r.policy.name} ${r.value}: KubeArmor emits globbed process Allow lines only as comments, so it allows nothing (§6.2)`);
        continue;
      }
      if (r.ownerOnly && !ctx.isOwner) continue;
      allowed ??= r;
    }
  }
  if (ep.anyFileAllow || ep.anyProcessAllow) {
    if (allowed) return { denied: false, byPosture: false, rule: allowed };
    return posture === 'block' ? POSTURE_DENY : POSTURE_PERMIT;
  }
  return PERMIT;
}

const PATH_HOOK_OPS = new Set<AccessOperation>([
  AccessOperation.TRUNCATE, AccessOperation.CREATE, AccessOperation.DELETE, AccessOperation.RENAME,
  AccessOperation.MKDIR, AccessOperation.CHMOD,
]);

const BPF_STATE = { truncated: false };

function bpfLookup(map: BpfMap, ctx: Ctx, path: string) {
  const state = BPF_STATE;
  state.truncated = false;
  // (path, source binary) first, so fromSource rules take priority; then the global rules.
  let e = map.sources.has(ctx.process) ? map.lookup(ctx.process, path, state) : undefined;
  e ??= map.lookup('', path, state);
  if (state.truncated && e === undefined) {
    note(ctx, 'BPF-LSM scans directory prefixes only within the first 64 bytes of the path (BPF/shared.h); a rule on a deeper directory is not found');
  }
  return e;
}

/** §6.3 decisions for files. */
export function bpfFile(ep: EndpointIndex, candidates: CompiledRule[], ctx: Ctx, posture: string): Enforcement {
  const map = ep.bpf('file');
  for (const r of map.unenforced) {
    if (candidates.includes(r) && appArmorMatches(r, ctx.path, false)) {
      note(ctx, `rule ${r.policy.name} ${r.value}: matchPatterns are not enforced by BPF-LSM (#1592)`);
    }
  }
  if (ctx.op === AccessOperation.CHOWN) {
    note(ctx, 'chown is not enforced by BPF-LSM (path_chown hook commented out in BPF/enforcer_path.bpf.c)');
    return PERMIT;
  }
  const e = bpfLookup(map, ctx, ctx.path);
  if (e === undefined) {
    if (map.allowList) return posture === 'block' ? POSTURE_DENY : POSTURE_PERMIT;
    return PERMIT;
  }
  const r = e.rule;
  if (e.owner) note(ctx, 'ownerOnly under BPF-LSM is inconsistent (#1385; the e2e ownerOnly tests are skipped on BPF)');
  if (r.pts) note(ctx, `rule ${r.policy.name} ${r.value} sets pts, which BPF-LSM checks against the caller's TTY; not simulated`);
  const deny = { denied: true, byPosture: false, rule: r };
  const allow = { denied: false, byPosture: false, rule: r };
  if (PATH_HOOK_OPS.has(ctx.op)) {
    note(ctx, 'BPF-LSM path hooks (create, unlink, rename, mkdir, chmod, truncate) need CONFIG_SECURITY_PATH in the node kernel (#1115)');
    if (e.owner && !ctx.isOwner) return deny;
    if (e.deny) return deny;
    if (!e.write && !e.deny) {
      note(ctx, `Allow+readOnly under BPF-LSM does not stop ${ctx.op.toLowerCase()} through the path hooks (§6.3); AppArmor would`);
    }
    return allow;
  }
  // file_open, then file_permission for writes and appends
  if (e.owner && !ctx.isOwner) return deny;
  if (!e.write) {
    // readOnly: file_open returns 0; file_permission denies MAY_WRITE/MAY_APPEND, even for Allow rules
    return ctx.op === AccessOperation.READ ? allow : deny;
  }
  if (e.deny) return deny;
  return allow;
}

/** §6.3 for exec (process map). */
export function bpfExec(ep: EndpointIndex, candidates: CompiledRule[], ctx: Ctx, posture: string): Enforcement {
  const map = ep.bpf('process');
  for (const r of map.unenforced) {
    if (candidates.includes(r) && (r.kind === 'execname' || appArmorMatches(r, ctx.path, false))) {
      note(ctx, `rule ${r.policy.name} ${r.value}: ${r.kind === 'execname' ? 'execname' : 'matchPatterns'} enforcement by BPF-LSM is not documented (patterns are not enforced, #1592); simulated as not enforced`);
    }
  }
  const e = bpfLookup(map, ctx, ctx.path);
  if (e === undefined) {
    if (map.allowList) return posture === 'block' ? POSTURE_DENY : POSTURE_PERMIT;
    return PERMIT;
  }
  if (e.owner) note(ctx, 'ownerOnly under BPF-LSM is inconsistent (#1385)');
  if (e.owner && !ctx.isOwner) return { denied: true, byPosture: false, rule: e.rule };
  if (e.deny) return { denied: true, byPosture: false, rule: e.rule };
  return { denied: false, byPosture: false, rule: e.rule };
}

/** Network protocols and capabilities: Block denies (deny wins), Allow flips to an allow-list. */
export function simpleEnforce(rules: CompiledRule[], value: string, process: string, allowList: boolean, posture: string, all: boolean): Enforcement {
  let allowed: CompiledRule | undefined;
  for (const r of rules) {
    if (r.action === 'Audit' || !sourceApplies(r, process)) continue;
    if (r.value !== value && !(all && r.value === 'all')) continue;
    if (r.action === 'Block') return { denied: true, byPosture: false, rule: r };
    allowed ??= r;
  }
  if (allowList) {
    if (allowed) return { denied: false, byPosture: false, rule: allowed };
    return posture === 'block' ? POSTURE_DENY : POSTURE_PERMIT;
  }
  return PERMIT;
}
