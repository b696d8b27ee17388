import { lazy } from './private/lazy';

// Loaded on first use, not when the library is loaded (cold require cost).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazySyscallNames = lazy((): typeof import('./private/syscall-names') => require('./private/syscall-names'));
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * A system call name from the CRD's x86_64 syscall enum (about 330 names).
 * Common ones are constants; any other valid name via {@link Syscall.of}.
 */
export class Syscall {
  /** open(2) */ public static readonly OPEN = new Syscall('open');
  /** openat(2) */ public static readonly OPENAT = new Syscall('openat');
  /** unlink(2) */ public static readonly UNLINK = new Syscall('unlink');
  /** unlinkat(2) */ public static readonly UNLINKAT = new Syscall('unlinkat');
  /** rename(2) */ public static readonly RENAME = new Syscall('rename');
  /** renameat(2) */ public static readonly RENAMEAT = new Syscall('renameat');
  /** rmdir(2) */ public static readonly RMDIR = new Syscall('rmdir');
  /** mkdir(2) */ public static readonly MKDIR = new Syscall('mkdir');
  /** chmod(2) */ public static readonly CHMOD = new Syscall('chmod');
  /** fchmodat(2) */ public static readonly FCHMODAT = new Syscall('fchmodat');
  /** chown(2) */ public static readonly CHOWN = new Syscall('chown');
  /** fchownat(2) */ public static readonly FCHOWNAT = new Syscall('fchownat');
  /** truncate(2) */ public static readonly TRUNCATE = new Syscall('truncate');
  /** execve(2) */ public static readonly EXECVE = new Syscall('execve');
  /** ptrace(2) */ public static readonly PTRACE = new Syscall('ptrace');
  /** mount(2) */ public static readonly MOUNT = new Syscall('mount');
  /** umount2(2) */ public static readonly UMOUNT2 = new Syscall('umount2');
  /** setuid(2) */ public static readonly SETUID = new Syscall('setuid');
  /** init_module(2) */ public static readonly INIT_MODULE = new Syscall('init_module');
  /** finit_module(2) */ public static readonly FINIT_MODULE = new Syscall('finit_module');
  /** delete_module(2) */ public static readonly DELETE_MODULE = new Syscall('delete_module');

  /**
   * Any syscall name the CRD accepts.
   * @param name the lowercase syscall name, e.g. `renameat2`
   */
  public static of(name: string): Syscall {
    if (!lazySyscallNames().isKnownSyscall(name)) {
      const hint = lazySyscallNames().SYSCALL_NAMES.filter((k) => k.startsWith(name.slice(0, 4).toLowerCase())).slice(0, 5);
      throw new Error(`syscall '${name}' is not in the KubeArmor CRD's syscall enum${hint.length ? `; did you mean ${hint.map((h) => `'${h}'`).join(', ')}?` : '; use the lowercase x86_64 name, e.g. \'openat\''}`);
    }
    return new Syscall(name);
  }

  /** @internal */
  public static _isKnown(name: string): boolean {
    return lazySyscallNames().isKnownSyscall(name);
  }

  private constructor(/** The syscall name as emitted. */ public readonly name: string) {}
}
