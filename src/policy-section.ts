/** A section of a KubeArmor policy spec; each carries its own default `action`, `severity`, `tags` and `message`. */
export enum PolicySection {
  /** `spec.file` */ FILE = 'file',
  /** `spec.process` */ PROCESS = 'process',
  /** `spec.network` */ NETWORK = 'network',
  /** `spec.capabilities` */ CAPABILITIES = 'capabilities',
  /** `spec.syscalls` (no action: syscall rules always audit) */ SYSCALLS = 'syscalls',
  /** `spec.device` (host policies only) */ DEVICE = 'device',
}
