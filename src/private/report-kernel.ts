/**
 * A container's root filesystem as the kernel sees it, read from a pod template, and whether the kernel
 * refuses every write to a protected path before KubeArmor's hooks (EROFS on a read-only root filesystem,
 * docs/kernel-before-lsm.md). Shared by the compliance report and lint KA040; the mount test is the
 * simulator's (kernel-precheck.ts).
 */
import { onReadOnlyMount, RUNTIME_WRITABLE } from '../simulator/private/kernel-precheck';

export interface ContainerFilesystem {
  readonly name?: string;
  readonly readOnlyRootFilesystem: boolean;
  /** Mount paths of volumes not mounted read-only. */
  readonly writableMounts: readonly string[];
  /** runAsUser of the container, else of the pod. */
  readonly user?: number;
}

/** Each container's filesystem of a pod template (`spec.template`, or a Pod). */
export function filesystemsOf(template: any): ContainerFilesystem[] {
  const spec = template?.spec ?? {};
  const podUser = typeof spec.securityContext?.runAsUser === 'number' ? spec.securityContext.runAsUser : undefined;
  const containers: any[] = Array.isArray(spec.containers) ? spec.containers : [];
  return containers.map((c) => ({
    name: typeof c?.name === 'string' ? c.name : undefined,
    readOnlyRootFilesystem: c?.securityContext?.readOnlyRootFilesystem === true,
    writableMounts: (Array.isArray(c?.volumeMounts) ? c.volumeMounts : [])
      .filter((v: any) => v?.readOnly !== true && typeof v?.mountPath === 'string').map((v: any) => v.mountPath as string),
    user: typeof c?.securityContext?.runAsUser === 'number' ? c.securityContext.runAsUser : podUser,
  }));
}

function overlaps(a: string, b: string): boolean {
  const d = (s: string) => (s.endsWith('/') ? s : `${s}/`);
  return d(a).startsWith(d(b)) || d(b).startsWith(d(a));
}

/** A file rule's target as the kernel check needs it. */
export interface FileTarget {
  readonly path: string;
  readonly isDir: boolean;
}

/**
 * Whether every write to `target` in the container fails on the read-only root filesystem before any LSM
 * hook: the root filesystem is read-only and no writable mount (the workload's, or the runtime's /dev and
 * /etc/hosts files) lies over or under the target.
 */
export function kernelRefusesWrites(fs: ContainerFilesystem, target: FileTarget): boolean {
  if (!fs.readOnlyRootFilesystem) return false;
  const ctx = { readOnlyRootFilesystem: true, writableMounts: fs.writableMounts, origin: '' };
  if (!target.isDir) return onReadOnlyMount(ctx, target.path);
  return ![...RUNTIME_WRITABLE, ...fs.writableMounts].some((m) => overlaps(m, target.path));
}
