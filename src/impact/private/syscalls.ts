/**
 * KubeArmor telemetry → simulator operations, as data.
 *
 * KubeArmor records the syscall (eBPF monitor: `Data: "syscall=SYS_OPEN flags=O_WRONLY|O_CREAT"`) or the
 * LSM hook (BPF-LSM enforcer: `Data: "lsm=SECURITY_FILE_OPEN"`, KubeArmor/enforcer/bpflsm/enforcer.go
 * lines 385-425 at 510cee3) that raised the event. The tables below name every family the replay
 * understands; anything else is reported as unmappable, never guessed.
 */
import { AccessOperation } from '../../simulator';

/** How a syscall or LSM hook becomes an operation. `OPEN` means: decided by the open flags. */
export type SyscallMapping = AccessOperation | 'OPEN';

/** Syscalls of the eBPF monitor (`syscall=SYS_<NAME>`), by name without the `SYS_` prefix. */
export const SYSCALLS: Readonly<Record<string, SyscallMapping>> = {
  OPEN: 'OPEN',
  OPENAT: 'OPEN',
  OPENAT2: 'OPEN',
  CREAT: AccessOperation.CREATE,
  MKNOD: AccessOperation.CREATE,
  MKNODAT: AccessOperation.CREATE,
  LINK: AccessOperation.CREATE,
  LINKAT: AccessOperation.CREATE,
  SYMLINK: AccessOperation.CREATE,
  SYMLINKAT: AccessOperation.CREATE,
  UNLINK: AccessOperation.DELETE,
  UNLINKAT: AccessOperation.DELETE,
  RMDIR: AccessOperation.DELETE,
  RENAME: AccessOperation.RENAME,
  RENAMEAT: AccessOperation.RENAME,
  RENAMEAT2: AccessOperation.RENAME,
  MKDIR: AccessOperation.MKDIR,
  MKDIRAT: AccessOperation.MKDIR,
  CHMOD: AccessOperation.CHMOD,
  FCHMOD: AccessOperation.CHMOD,
  FCHMODAT: AccessOperation.CHMOD,
  FCHMODAT2: AccessOperation.CHMOD,
  CHOWN: AccessOperation.CHOWN,
  LCHOWN: AccessOperation.CHOWN,
  FCHOWN: AccessOperation.CHOWN,
  FCHOWNAT: AccessOperation.CHOWN,
  TRUNCATE: AccessOperation.TRUNCATE,
  FTRUNCATE: AccessOperation.TRUNCATE,
  EXECVE: AccessOperation.EXEC,
  EXECVEAT: AccessOperation.EXEC,
  SOCKET: AccessOperation.NETWORK,
  CONNECT: AccessOperation.NETWORK,
  ACCEPT: AccessOperation.NETWORK,
  ACCEPT4: AccessOperation.NETWORK,
  BIND: AccessOperation.NETWORK,
  LISTEN: AccessOperation.NETWORK,
  TCP_CONNECT: AccessOperation.NETWORK,
  TCP_ACCEPT: AccessOperation.NETWORK,
  UDP_SENDMSG: AccessOperation.NETWORK,
  CAPABLE: AccessOperation.CAPABILITY,
};

/**
 * LSM hooks of the BPF-LSM enforcer (`lsm=<NAME>`), by name without a `SECURITY_` prefix. BPF-LSM file
 * events carry no open flags: a `FILE_OPEN` is taken as a write, as KubeArmor's alert matcher does
 * (no `O_RDONLY` in `Data` means not a read, feeder/policyMatcher.go).
 */
export const LSM_HOOKS: Readonly<Record<string, SyscallMapping>> = {
  FILE_OPEN: AccessOperation.WRITE,
  FILE_PERMISSION: AccessOperation.WRITE,
  PATH_MKNOD: AccessOperation.CREATE,
  PATH_SYMLINK: AccessOperation.CREATE,
  PATH_LINK: AccessOperation.CREATE,
  PATH_MKDIR: AccessOperation.MKDIR,
  PATH_RMDIR: AccessOperation.DELETE,
  PATH_UNLINK: AccessOperation.DELETE,
  PATH_RENAME: AccessOperation.RENAME,
  PATH_CHMOD: AccessOperation.CHMOD,
  PATH_CHOWN: AccessOperation.CHOWN,
  PATH_TRUNCATE: AccessOperation.TRUNCATE,
  BPRM_CHECK: AccessOperation.EXEC,
  SOCKET_CREATE: AccessOperation.NETWORK,
  SOCKET_CONNECT: AccessOperation.NETWORK,
  SOCKET_ACCEPT: AccessOperation.NETWORK,
  SOCKET_SENDMSG: AccessOperation.NETWORK,
  CAPABLE: AccessOperation.CAPABILITY,
};

/**
 * The operation of an open from its flags: `O_CREAT` creates, then `O_TRUNC` truncates, `O_APPEND`
 * appends, `O_WRONLY`/`O_RDWR` write, and `O_RDONLY` (the zero flag KubeArmor always prints) reads.
 * Undefined when no access-mode flag is present.
 */
export function openOperation(flags: string): AccessOperation | undefined {
  const set = new Set(flags.split('|').map((f) => f.trim().toUpperCase()));
  if (set.has('O_CREAT')) return AccessOperation.CREATE;
  if (set.has('O_TRUNC')) return AccessOperation.TRUNCATE;
  if (set.has('O_APPEND')) return AccessOperation.APPEND;
  if (set.has('O_WRONLY') || set.has('O_RDWR')) return AccessOperation.WRITE;
  if (set.has('O_RDONLY')) return AccessOperation.READ;
  return undefined;
}

/** KubeArmor's protocol names of a network `Resource`, in the order its alert matcher tests them (feeder/policyMatcher.go fetchProtocol). */
const PROTOCOLS: ReadonlyArray<readonly [RegExp, string]> = [
  [/protocol=TCP\b/, 'tcp'],
  [/protocol=UDP\b/, 'udp'],
  [/protocol=ICMP\b/, 'icmp'],
  [/protocol=ICMPv6\b/, 'icmpv6'],
  [/SOCK_RAW/, 'raw'],
  [/protocol=SCTP\b/, 'sctp'],
  [/SOCK_STREAM/, 'tcp'],
  [/SOCK_DGRAM/, 'udp'],
];
const BARE_PROTOCOLS = new Set(['tcp', 'udp', 'icmp', 'icmpv6', 'raw', 'sctp']);

/** The `network.matchProtocols` protocol of a network `Resource` (or `Data`), or undefined. */
export function protocolOf(resource: string): string | undefined {
  const bare = resource.trim().toLowerCase();
  if (BARE_PROTOCOLS.has(bare)) return bare;
  for (const [re, p] of PROTOCOLS) if (re.test(resource)) return p;
  return undefined;
}

/** The capability (`net_raw`) named in a `Resource` or `Data` (`CAP_NET_RAW`), or undefined. */
export function capabilityOf(text: string): string | undefined {
  const m = /\bCAP_([A-Z_]+)\b/i.exec(text);
  return m ? m[1].toLowerCase() : undefined;
}

/** `syscall=SYS_OPENAT fd=-100 flags=O_RDONLY` → { syscall: 'OPENAT', flags: 'O_RDONLY' }. */
export function parseData(data: string): { syscall?: string; lsm?: string; flags?: string } {
  const out: { syscall?: string; lsm?: string; flags?: string } = {};
  for (const token of data.split(/\s+/)) {
    const eq = token.indexOf('=');
    if (eq <= 0) continue;
    const key = token.slice(0, eq);
    const value = token.slice(eq + 1);
    if (key === 'syscall') out.syscall = value.toUpperCase().replace(/^SYS_/, '');
    else if (key === 'lsm') out.lsm = value.toUpperCase().replace(/^SECURITY_/, '');
    else if (key === 'flags') out.flags = value;
  }
  return out;
}
