/**
 * Applies the kernel's checks (kernel-precheck.ts) around KubeArmor's verdict: an access the kernel refuses
 * before the LSM hook becomes a KERNEL result without alert; a DAC refusal after the hook keeps KubeArmor's
 * alert but the access fails. The container's filesystem comes from the request, else from the cdk8s-plus
 * workload's container (securityContext, volume mounts).
 */
import { IConstruct } from 'constructs';
import { KernelContext, kernelPrecheck } from './kernel-precheck';
import { requireWorkload } from '../../private/workload';
import { AccessRequest } from '../access-request';
import { SimulatedAction, SimulationResult } from '../simulation-result';

type Fs = { name?: string; readOnlyRootFilesystem: boolean; user?: number; writableMounts: string[] };
const filesystems = new WeakMap<IConstruct, { path: string; containers: Fs[] }>();

function containerOf(request: AccessRequest): { fs: Fs; origin: string } | undefined {
  if (request.workload === undefined || request.node !== undefined) return undefined;
  let entry = filesystems.get(request.workload);
  if (entry === undefined) {
    const view = requireWorkload('AccessRequest.workload', request.workload);
    entry = { path: `${view.kind} ${view.namespace ?? 'default'}/${view.name}`, containers: view.containerFilesystems() };
    filesystems.set(request.workload, entry);
  }
  const fs = request.container !== undefined ? entry.containers.find((c) => c.name === request.container)
    : entry.containers.length === 1 ? entry.containers[0] : undefined;
  return fs && { fs, origin: `container ${fs.name ?? '(unnamed)'} of ${entry.path}` };
}

export function withKernel(request: AccessRequest, lsm: SimulationResult): SimulationResult {
  // The kernel refuses writes to a read-only mount whether or not KubeArmor mediates the pod: only non-path operations return early.
  if (request.path === undefined) return lsm;
  const c = containerOf(request);
  const ctx: KernelContext | undefined = request.readOnlyRootFilesystem !== undefined || request.writableMounts !== undefined || c !== undefined
    ? {
      readOnlyRootFilesystem: request.readOnlyRootFilesystem ?? c?.fs.readOnlyRootFilesystem ?? false,
      writableMounts: request.writableMounts ?? c?.fs.writableMounts ?? [],
      origin: c?.origin ?? 'the request\'s container',
    }
    : undefined;
  const uid = request.uid ?? c?.fs.user ?? 0;
  const verdict = kernelPrecheck(ctx, { op: request.operation, path: request.path, uid, ownerUid: request.ownerUid, mode: request.fileMode });
  if (verdict === undefined) return lsm;
  if (verdict.beforeLsm) {
    return new SimulationResult({
      permitted: false,
      action: SimulatedAction.KERNEL,
      result: verdict.message,
      matchedPolicies: [],
      request: lsm.request,
      caveats: [verdict.caveat],
    });
  }
  return new SimulationResult({
    permitted: false,
    action: lsm.action,
    result: lsm.permitted ? verdict.message : lsm.result,
    alert: lsm.alert,
    decidedBy: lsm.decidedBy,
    matchedPolicies: lsm.matchedPolicies,
    request: lsm.request,
    caveats: [...lsm.caveats, verdict.caveat],
  });
}
