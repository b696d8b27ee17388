/**
 * The LSM verdict for one endpoint under each enforcer: the AppArmor profile the process runs in and its
 * file or exec lines, or the BPF-LSM rule map lookups. The simulator (policy-simulator.ts) and the
 * enforcer-divergence lint (src/private/enforcer-divergence.ts) both decide through these functions.
 */
import { AccessOperation } from '../access-request';
import { appArmorExecDecision, appArmorFileDecision, appArmorProfileOf } from './apparmor-enforce';
import { bpfExec, bpfFile, PATH_HOOK_OPS } from './bpf-enforce';
import { EndpointIndex } from './endpoint';
import { Ctx, Enforcement, PERMITTED, note } from './enforcement';
import { appArmorGlob } from './glob';

/** The host profile attaches to `/{usr/,}bin/*sh` (appArmorEnforcer.go:383). */
export const HOST_SHELL = appArmorGlob('/{usr/,}bin/*sh')!;

export interface LsmPostures {
  readonly file: string;
  readonly network: string;
  readonly capabilities: string;
}

/**
 * Whether the enforcer sees the caller as the file's owner: AppArmor mediates a create with the creator as
 * owner (fsuid); BPF-LSM checks the owner of the parent (§6.3).
 */
export function ownerFor(appArmor: boolean, op: AccessOperation, uid: number, ownerUid: number): boolean {
  return uid === ownerUid || (appArmor && (op === AccessOperation.CREATE || op === AccessOperation.MKDIR));
}

/**
 * Operations that both deciders treat alike get the same class: for the same path, process, caller and
 * postures, their AppArmor verdicts are equal and so are their BPF-LSM verdicts (notes aside). AppArmor
 * mediates a file access as read, write or mkdir (`dir/`), with the creator as owner for create and mkdir
 * ({@link ownerFor}); BPF-LSM as file_open (read), file_open + file_permission (write, append), or a path hook.
 */
export function verdictClass(op: AccessOperation): string {
  if (op === AccessOperation.EXEC || op === AccessOperation.CHOWN) return op;
  const aa = op === AccessOperation.READ ? 'r' : op === AccessOperation.MKDIR ? 'd' : 'w';
  const owner = op === AccessOperation.CREATE || op === AccessOperation.MKDIR ? 'o' : '';
  const bpf = op === AccessOperation.READ ? 'r' : PATH_HOOK_OPS.has(op) ? 'p' : 'w';
  return `${aa}${owner}${bpf}`;
}

/** AppArmor: the profile the process runs in, then its file or exec lines. */
export function appArmorDecision(ep: EndpointIndex, host: boolean, ctx: Ctx, exec: boolean, postures: LsmPostures): Enforcement {
  if (ep.policies.length === 0) return PERMITTED;
  if (host && !HOST_SHELL.test(ctx.process) && !HOST_SHELL.test(ctx.parent)) {
    note(ctx, 'the KubeArmor host profile attaches only to /{usr/,}bin/*sh (appArmorEnforcer.go:383): a process that does not descend from a shell is unconfined (the simulation looks at process and parentProcess)');
    return PERMITTED;
  }
  const model = ep.appArmor(postures, host);
  for (const u of model.unsimulated) note(ctx, u);
  if (ctx.parent !== '' && model.profile.fromSource.has(ctx.parent) && !ctx.entry) {
    note(ctx, `parentProcess ${ctx.parent} is a fromSource binary: simulated as running in its child profile (exec'd inside the container, not the container's entry process)`);
  }
  const id = appArmorProfileOf(model.views, ctx);
  if (ctx.entry && model.profile.fromSource.has(ctx.process)) {
    note(ctx, `the entry process ${ctx.process} runs in the container's main profile: runc applies the profile on exec, so the dispatcher's px line for this fromSource binary does not apply to it (runtime behaviour, not KubeArmor code)`);
  }
  const view = model.views.get(id)!;
  const enf = exec ? appArmorExecDecision(view, model.views, ctx).enforcement : appArmorFileDecision(view, ctx);
  const r = enf.rule;
  if (!exec && r !== undefined && r.kind === 'path' && r.aaGlob) {
    note(ctx, `rule ${r.policy.name} ${r.value}: '*' is a glob under AppArmor but literal under BPF-LSM (#1900) and for the alert matcher`);
  }
  return enf;
}

/** BPF-LSM: the container's rule map, then enforce_proc (exec) or the file hooks. */
export function bpfDecision(ep: EndpointIndex, ctx: Ctx, exec: boolean, postures: LsmPostures): Enforcement {
  const maps = ep.bpfMaps(postures);
  return exec ? bpfExec(maps, ctx) : bpfFile(maps, ctx);
}
