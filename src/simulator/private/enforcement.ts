/**
 * Shared enforcement types, AppArmor path matching used for attribution, and the network/capability
 * decisions. File and exec decisions are in apparmor-enforce.ts and bpf-enforce.ts.
 */
import { AccessOperation } from '../access-request';
import { CompiledRule } from './compile';

export interface Ctx {
  readonly op: AccessOperation;
  /** File path or executable. */
  readonly path: string;
  readonly process: string;
  readonly parent: string;
  readonly isOwner: boolean;
  /** The process was started by the container runtime (entrypoint, `kubectl exec`). */
  readonly entry?: boolean;
  /** BPF-LSM exec: the binary of the exec'ing task's parent (undefined when unknown). */
  readonly execSource?: string;
  /** Exec arguments after argv[0]. */
  readonly args?: string[];
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
