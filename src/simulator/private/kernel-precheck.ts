/**
 * What the Linux kernel decides BEFORE an LSM (KubeArmor's AppArmor profile or BPF-LSM program) sees a file
 * access: a write to a read-only mount fails with EROFS, and for some operations a DAC refusal (EACCES) comes
 * before the LSM hook, for others after it. When the kernel refuses first, KubeArmor neither blocks nor
 * alerts. Pure and table-driven; the ordering per operation is read from Linux 6.1.192 (Debian linux-source-6.1
 * 6.1.192-3), fs/namei.c and fs/open.c, and written up in docs/kernel-before-lsm.md.
 */

/** Operation names as the simulator's AccessOperation values. */
export type KernelOp = 'READ' | 'WRITE' | 'APPEND' | 'TRUNCATE' | 'CREATE' | 'DELETE' | 'RENAME' | 'MKDIR' | 'CHMOD' | 'CHOWN' | 'EXEC';

export interface KernelOrderRow {
  readonly op: KernelOp;
  /** Whether the operation needs write access to the mount (mnt_want_write / sb_permission MAY_WRITE). */
  readonly needsWritableMount: boolean;
  /** Where the kernel refuses a read-only mount, before any LSM hook. */
  readonly erofsCheck?: string;
  /** Which inode the DAC check is on: the file itself, or its parent directory. */
  readonly dacOn: 'file' | 'parent' | 'owner' | 'none';
  /** Whether the DAC check runs before the LSM hook KubeArmor uses. */
  readonly dacBeforeLsm: boolean;
  /** Where the DAC check and the LSM hook are, in order. */
  readonly dacCheck: string;
}

/** One row per operation: Linux 6.1.192 fs/namei.c and fs/open.c. */
export const KERNEL_ORDER: readonly KernelOrderRow[] = [
  {
    op: 'READ',
    needsWritableMount: false,
    dacOn: 'file',
    dacBeforeLsm: true,
    dacCheck: 'fs/namei.c do_open -> may_open -> inode_permission (generic_permission) before vfs_open -> security_file_open',
  },
  {
    op: 'WRITE',
    needsWritableMount: true,
    dacOn: 'file',
    dacBeforeLsm: true,
    erofsCheck: 'fs/namei.c do_open -> may_open -> inode_permission -> sb_permission returns -EROFS before vfs_open -> security_file_open',
    dacCheck: 'fs/namei.c do_open -> may_open -> inode_permission (generic_permission) before vfs_open -> security_file_open',
  },
  {
    op: 'APPEND',
    needsWritableMount: true,
    dacOn: 'file',
    dacBeforeLsm: true,
    erofsCheck: 'fs/namei.c do_open -> may_open -> inode_permission -> sb_permission returns -EROFS before vfs_open -> security_file_open',
    dacCheck: 'fs/namei.c do_open -> may_open -> inode_permission (generic_permission) before vfs_open -> security_file_open',
  },
  {
    op: 'TRUNCATE',
    needsWritableMount: true,
    dacOn: 'file',
    dacBeforeLsm: true,
    erofsCheck: 'fs/namei.c do_open: mnt_want_write fails (-EROFS) for O_TRUNC before may_open, security_file_open and security_path_truncate',
    dacCheck: 'fs/namei.c do_open -> may_open -> inode_permission before vfs_open -> security_file_open and handle_truncate -> security_path_truncate',
  },
  {
    op: 'CREATE',
    needsWritableMount: true,
    dacOn: 'parent',
    dacBeforeLsm: false,
    erofsCheck: 'fs/namei.c lookup_open: without write access to the mount (open_last_lookups: mnt_want_write failed) create_error = -EROFS '
      + 'and may_o_create, hence security_path_mknod, is never called',
    dacCheck: 'fs/namei.c may_o_create: security_path_mknod runs first, then inode_permission(dir, MAY_WRITE | MAY_EXEC)',
  },
  {
    op: 'DELETE',
    needsWritableMount: true,
    dacOn: 'parent',
    dacBeforeLsm: false,
    erofsCheck: 'fs/namei.c do_unlinkat: mnt_want_write fails (-EROFS) before security_path_unlink',
    dacCheck: 'fs/namei.c do_unlinkat: security_path_unlink runs first, then vfs_unlink -> may_delete -> inode_permission(dir)',
  },
  {
    op: 'RENAME',
    needsWritableMount: true,
    dacOn: 'parent',
    dacBeforeLsm: false,
    erofsCheck: 'fs/namei.c do_renameat2: mnt_want_write fails (-EROFS) before security_path_rename',
    dacCheck: 'fs/namei.c do_renameat2: security_path_rename runs first, then vfs_rename -> may_delete / may_create -> inode_permission(dir)',
  },
  {
    op: 'MKDIR',
    needsWritableMount: true,
    dacOn: 'parent',
    dacBeforeLsm: false,
    erofsCheck: 'fs/namei.c filename_create: mnt_want_write fails and -EROFS is returned for the new name before do_mkdirat reaches security_path_mkdir',
    dacCheck: 'fs/namei.c do_mkdirat: security_path_mkdir runs first, then vfs_mkdir -> may_create -> inode_permission(dir)',
  },
  {
    op: 'CHMOD',
    needsWritableMount: true,
    dacOn: 'owner',
    dacBeforeLsm: false,
    erofsCheck: 'fs/open.c chmod_common: mnt_want_write fails (-EROFS) before security_path_chmod',
    dacCheck: 'fs/open.c chmod_common: security_path_chmod runs first, then notify_change -> setattr_prepare (owner check, EPERM)',
  },
  {
    op: 'CHOWN',
    needsWritableMount: true,
    dacOn: 'owner',
    dacBeforeLsm: false,
    erofsCheck: 'fs/open.c do_fchownat: mnt_want_write fails (-EROFS) before chown_common -> security_path_chown',
    dacCheck: 'fs/open.c chown_common: security_path_chown runs first, then notify_change -> setattr_prepare (EPERM)',
  },
  {
    op: 'EXEC',
    needsWritableMount: false,
    dacOn: 'none',
    dacBeforeLsm: true,
    dacCheck: 'not modelled (exec permission and noexec mounts are checked in fs/exec.c; KubeArmor uses bprm_check_security)',
  },
];

/**
 * Mounts the kubelet and the container runtime make writable in every container, whatever
 * readOnlyRootFilesystem says (/dev is a tmpfs, the three /etc files are bind mounts of the pod's files).
 */
export const RUNTIME_WRITABLE: readonly string[] = ['/dev/', '/etc/hostname', '/etc/hosts', '/etc/resolv.conf'];

export interface KernelContext {
  /** The container's securityContext.readOnlyRootFilesystem. */
  readonly readOnlyRootFilesystem: boolean;
  /** Mount paths of writable volumes (directories without or with a trailing '/'). */
  readonly writableMounts: readonly string[];
  /** Where the context came from, for caveats (e.g. "container mysql of Deployment wordpress-mysql/mysql"). */
  readonly origin: string;
}

export interface KernelRequest {
  readonly op: string;
  readonly path: string;
  /** Caller's fsuid; 0 has CAP_DAC_OVERRIDE and CAP_FOWNER in the default container capability set. */
  readonly uid: number;
  /** Owner of the inode the DAC check is on (the file, or the parent directory for create/delete/rename/mkdir). */
  readonly ownerUid?: number;
  /** Mode bits of that inode (e.g. 0o755); without them DAC is not evaluated. */
  readonly mode?: number;
}

export interface KernelVerdict {
  /** `EROFS` or `EACCES` / `EPERM`. */
  readonly errno: 'EROFS' | 'EACCES' | 'EPERM';
  /** The message `strerror` gives, as the shell prints it. */
  readonly message: string;
  /** Whether the kernel refused before the LSM hook (so KubeArmor neither blocks nor alerts). */
  readonly beforeLsm: boolean;
  /** The caveat naming the kernel check. */
  readonly caveat: string;
}

const MESSAGE = { EROFS: 'Read-only file system', EACCES: 'Permission denied', EPERM: 'Operation not permitted' };

function under(path: string, mount: string): boolean {
  const m = mount.endsWith('/') ? mount : `${mount}/`;
  return path === mount || path === m.slice(0, -1) || path.startsWith(m);
}

/** Whether `path` lies on the container's read-only root filesystem (not under a writable mount). */
export function onReadOnlyMount(ctx: KernelContext, path: string): boolean {
  if (!ctx.readOnlyRootFilesystem) return false;
  return ![...RUNTIME_WRITABLE, ...ctx.writableMounts].some((m) => under(path, m));
}

function dacRefuses(row: KernelOrderRow, req: KernelRequest): boolean {
  if (req.uid === 0 || req.mode === undefined || row.dacOn === 'none') return false;
  const owner = req.ownerUid ?? 0;
  if (row.dacOn === 'owner') return req.uid !== owner;
  // rwx triplet of the owner, or of others (group membership is not modelled); arithmetic, not bitwise (eslint).
  const bits = req.uid === owner ? Math.floor(req.mode / 64) % 8 : req.mode % 8;
  const has = (bit: number) => Math.floor(bits / bit) % 2 === 1;
  if (row.op === 'READ') return !has(4);
  return row.dacOn === 'parent' ? !(has(2) && has(1)) : !has(2);
}

/**
 * The kernel's verdict on a file access before (or around) the LSM, or undefined when the kernel lets it
 * through to KubeArmor and beyond.
 */
export function kernelPrecheck(ctx: KernelContext | undefined, req: KernelRequest): KernelVerdict | undefined {
  const row = KERNEL_ORDER.find((r) => r.op === req.op);
  if (row === undefined) return undefined;
  if (ctx !== undefined && row.needsWritableMount && onReadOnlyMount(ctx, req.path)) {
    return {
      errno: 'EROFS',
      message: MESSAGE.EROFS,
      beforeLsm: true,
      caveat: `kernel: ${req.path} is on the read-only root filesystem of ${ctx.origin} (readOnlyRootFilesystem: true, no writable mount covers it): `
        + `${row.erofsCheck}; KubeArmor neither blocks nor alerts`,
    };
  }
  if (dacRefuses(row, req)) {
    const errno = row.dacOn === 'owner' ? 'EPERM' : 'EACCES';
    const target = row.dacOn === 'parent' ? 'the parent directory' : 'the file';
    const mode = `0${req.mode!.toString(8)}`;
    return {
      errno,
      message: MESSAGE[errno],
      beforeLsm: row.dacBeforeLsm,
      caveat: `kernel: uid ${req.uid} has no ${row.op === 'READ' ? 'read' : 'write'} permission on ${target} (owner ${req.ownerUid ?? 0}, mode ${mode}): `
        + `${row.dacCheck}; ${row.dacBeforeLsm ? 'the LSM hook never runs, so KubeArmor neither blocks nor alerts'
          : 'KubeArmor sees the access first (its verdict and alert stand), then the kernel refuses it'}`,
    };
  }
  return undefined;
}
