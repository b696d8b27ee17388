/* eslint-disable no-bitwise -- the rule map values are the kernel's uint16 bit masks */
/**
 * BPF-LSM decisions over the rule map (`bpf-maps.ts`): the decision blocks of `enforce_proc`
 * (BPF/enforcer.bpf.c:289-387) and `match_and_enforce_path_hooks` (BPF/shared.h:935-1122).
 * The caller is assumed not to be on a pseudo-terminal (`is_pts` false); rules with `pts: false` say so in a caveat.
 */
import { AccessOperation } from '../access-request';
import { BPF_FLAG, BLOCK_POSTURE, BPF_INNER_MAP_CAPACITY, BpfEntry, BpfLookup, BpfMaps, argumentsMatch, bpfKey, lookupExec, lookupFile } from './bpf-maps';
import { Ctx, Enforcement, note } from './enforcement';

/** Operations BPF-LSM mediates through the path hooks (CONFIG_SECURITY_PATH), not file_open/file_permission. */
export const PATH_HOOK_OPS: ReadonlySet<AccessOperation> = new Set<AccessOperation>([
  AccessOperation.TRUNCATE, AccessOperation.CREATE, AccessOperation.DELETE, AccessOperation.RENAME,
  AccessOperation.MKDIR, AccessOperation.CHMOD,
]);

const lookupMemo = new WeakMap<BpfMaps, Map<string, BpfLookup>>();

/** The map is immutable once built: lookups are memoised per map (bounded). */
function memoised(maps: BpfMaps, kind: string, path: string, source: string | undefined, fn: () => BpfLookup): BpfLookup {
  let memo = lookupMemo.get(maps);
  if (memo === undefined) { memo = new Map(); lookupMemo.set(maps, memo); }
  const key = `${kind}${source === undefined ? '\u0001' : source}\u0000${path}`;
  let l = memo.get(key);
  if (l === undefined) {
    l = fn();
    if (memo.size >= 4096) memo.clear();
    memo.set(key, l);
  }
  return l;
}

const PERMIT: Enforcement = { denied: false, byPosture: false, rule: undefined };

function capacityNote(maps: BpfMaps, ctx: Ctx): void {
  if (maps.keyCount > BPF_INNER_MAP_CAPACITY) {
    note(ctx, `the BPF-LSM rule map of this container needs ${maps.keyCount} keys but holds ${BPF_INNER_MAP_CAPACITY} (bpflsm/enforcer.go:85): the inserts beyond it fail (logged only) and which rules are missing depends on Go map iteration order; simulated as if all were present`);
  }
}

function lookupNotes(l: BpfLookup, ctx: Ctx): void {
  if (l.truncated && !l.match) {
    note(ctx, 'BPF-LSM scans directory prefixes only within the first 64 bytes of the path (BPF/shared.h); a rule on a deeper directory is not found');
  }
}

function ptsNote(e: BpfEntry | undefined, half: 'process' | 'file', ctx: Ctx): boolean {
  const mask = e === undefined ? 0 : half === 'process' ? e.processMask : e.fileMask;
  if ((mask & BPF_FLAG.PTS) === 0) return false;
  const r = half === 'process' ? e!.processRule : e!.fileRule;
  note(ctx, `rule ${r?.policy.name} ${r?.value} sets pts: false: BPF-LSM then decides on whether the caller has a terminal (is_pts); simulated without a terminal`);
  return true;
}

/** Whether the decision came from an entry that no Block rule wrote (an Allow rule's readOnly/ownerOnly refusal). */
function refusal(e: BpfEntry | undefined, half: 'process' | 'file'): Enforcement {
  const mask = e === undefined ? 0 : half === 'process' ? e.processMask : e.fileMask;
  const rule = e === undefined ? undefined : half === 'process' ? e.processRule : e.fileRule;
  if ((mask & BPF_FLAG.DENY) === 0) return { denied: true, byPosture: true, rule: undefined };
  return { denied: true, byPosture: false, rule };
}

function whitelist(value: number | undefined, match: boolean, matched: Enforcement): Enforcement {
  if (value === undefined) return matched;
  if (!match) return { denied: value === BLOCK_POSTURE, byPosture: true, rule: undefined };
  return matched;
}

/** Exec (lsm/bprm_check_security). `ctx.execSource` is the binary of the exec'ing task's parent. */
export function bpfExec(maps: BpfMaps, ctx: Ctx): Enforcement {
  capacityNote(maps, ctx);
  const l = memoised(maps, 'x', ctx.path, ctx.execSource, () => lookupExec(maps, ctx.path, ctx.execSource));
  lookupNotes(l, ctx);
  const val = l.entry;
  const mask = val?.processMask ?? 0;
  const matched: Enforcement = { denied: false, byPosture: false, rule: val?.processRule };
  if (l.match) {
    const pts = ptsNote(val, 'process', ctx);
    let argmatch = false;
    if ((mask & BPF_FLAG.ARGSET) !== 0) {
      note(ctx, 'allowedArgs is enforced only when KubeArmor runs with matchArgs enabled (get_kubearmor_config(_MATCH_ARGS)); simulated as enabled');
      const allowed = maps.args.get(bpfKey(val!.source, val!.path)) ?? [];
      argmatch = argumentsMatch(allowed, [ctx.path.slice(ctx.path.lastIndexOf('/') + 1), ...(ctx.args ?? [])]);
      if (argmatch) return matched;
    }
    if ((mask & BPF_FLAG.OWNER) !== 0) {
      if (!ctx.isOwner) return refusal(val, 'process');
      if ((mask & BPF_FLAG.ARGSET) === 0) return matched; // "Owner Only Rule Match, No need to enforce"
      return refusal(val, 'process'); // owner only + arguments that do not match
    }
    if ((mask & BPF_FLAG.DENY) !== 0 && !pts) return refusal(val, 'process');
  }
  return whitelist(maps.procWhitelist, l.match, l.match ? matched : PERMIT);
}

/** File access: lsm/file_open (+ lsm/file_permission for writes) or the path hooks. `ctx.process` is the task's binary. */
export function bpfFile(maps: BpfMaps, ctx: Ctx): Enforcement {
  capacityNote(maps, ctx);
  if (ctx.op === AccessOperation.CHOWN) {
    note(ctx, 'chown is not enforced by BPF-LSM (path_chown hook commented out in BPF/enforcer_path.bpf.c)');
    return PERMIT;
  }
  const source = ctx.process === '' ? undefined : ctx.process;
  const l = memoised(maps, 'f', ctx.path, source, () => lookupFile(maps, ctx.path, source));
  lookupNotes(l, ctx);
  const val = l.entry;
  const mask = val?.fileMask ?? 0;
  const matched: Enforcement = { denied: false, byPosture: false, rule: val?.fileRule };
  const readOnly = (mask & BPF_FLAG.READ) !== 0 && (mask & BPF_FLAG.WRITE) === 0;
  if (PATH_HOOK_OPS.has(ctx.op)) {
    note(ctx, 'BPF-LSM path hooks (create, unlink, rename, mkdir, chmod, truncate) need CONFIG_SECURITY_PATH in the node kernel (#1115)');
    if (l.match) {
      const pts = ptsNote(val, 'file', ctx);
      if ((mask & BPF_FLAG.OWNER) !== 0) {
        if (!ctx.isOwner) return refusal(val, 'file');
        return matched;
      }
      if ((mask & BPF_FLAG.DENY) !== 0 && !pts) return refusal(val, 'file');
      if (readOnly && (mask & BPF_FLAG.DENY) === 0) {
        note(ctx, `Allow+readOnly under BPF-LSM does not stop ${ctx.op.toLowerCase()} through the path hooks (shared.h: the path hooks ignore WRITE); AppArmor would`);
      }
    }
    return whitelist(maps.fileWhitelist, l.match, l.match ? matched : PERMIT);
  }
  // lsm/file_open (dfileread)
  let open: Enforcement;
  const pts = l.match && ptsNote(val, 'file', ctx);
  if (l.match && (mask & BPF_FLAG.OWNER) !== 0) {
    if (!ctx.isOwner) return refusal(val, 'file');
    open = matched; // the owner passes file_open: return 0
  } else if (l.match && readOnly) {
    open = matched; // "Read Only Policy, Decision making will be done in lsm/file_permission"
  } else if (l.match && (mask & BPF_FLAG.DENY) !== 0 && !pts) {
    return refusal(val, 'file');
  } else {
    open = whitelist(maps.fileWhitelist, l.match, l.match ? matched : PERMIT);
  }
  if (open.denied || ctx.op === AccessOperation.READ) return open;
  // lsm/file_permission (dfilewrite) for MAY_WRITE / MAY_APPEND
  if (l.match) {
    if ((mask & BPF_FLAG.OWNER) !== 0 && !ctx.isOwner) return refusal(val, 'file');
    if (readOnly) return refusal(val, 'file');
  }
  return open;
}
