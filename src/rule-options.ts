import { Capability } from './capability';
import { DeviceClass } from './device-class';
import { NetworkProtocol } from './network-protocol';
import { PolicyAction } from './policy-action';
import { PolicyPreset } from './policy-preset';
import { PolicySection } from './policy-section';
import { Syscall } from './syscall';

/**
 * Per-rule overrides of the section's and the spec's `action`, `severity`, `tags` and `message`.
 * KubeArmor resolves each per rule: rule, else section, else spec; tags replace, they do not merge.
 */
export interface RuleMetaOptions {
  /**
   * What KubeArmor does when this rule matches.
   * @default - the section's action, else the policy's
   */
  readonly action?: PolicyAction;
  /**
   * Alert severity, an integer from 1 to 10.
   * @default - the section's severity, else the policy's
   */
  readonly severity?: number;
  /**
   * Alert tags. They replace (not extend) the section's and policy's tags.
   * @default - the section's tags, else the policy's
   */
  readonly tags?: string[];
  /**
   * Alert message.
   * @default - the section's message, else the policy's
   */
  readonly message?: string;
}

/** Options shared by rules that can be restricted to source executables. */
export interface SourceRuleOptions extends RuleMetaOptions {
  /**
   * Apply the rule only to accesses made by these executables (absolute paths).
   * @default - every process
   */
  readonly fromSource?: string[];
}

/** Options of a `file.matchPaths` rule. */
export interface FilePathOptions extends SourceRuleOptions {
  /**
   * Reads stay allowed; writes, creates, deletes, renames and links are matched.
   * Block + readOnly is the file-integrity mode.
   * @default false - every access is matched, including reads
   */
  readonly readOnly?: boolean;
  /**
   * Only the file's owner may access it; other users are matched. Enforcement differs per enforcer
   * (BPF-LSM ownerOnly is inconsistent, KubeArmor #1385).
   * @default false
   */
  readonly ownerOnly?: boolean;
  /**
   * BPF-LSM only: match only accesses from processes attached to a terminal (`pts`).
   * @default - not set (every access)
   */
  readonly pts?: boolean;
}

/** A `file.matchPaths` rule. */
export interface FilePathRule extends FilePathOptions {
  /** Absolute file path (no trailing `/`, at most 200 characters, no glob characters). */
  readonly path: string;
}

/** Options of a `file.matchDirectories` rule. */
export interface FileDirectoryOptions extends FilePathOptions {
  /**
   * Cover the whole subtree. Without it only the directory and its direct children are covered.
   * @default false
   */
  readonly recursive?: boolean;
}

/** A `file.matchDirectories` rule. */
export interface FileDirectoryRule extends FileDirectoryOptions {
  /** Absolute directory ending in `/` (at most 200 characters, no glob characters). */
  readonly dir: string;
}

/** Options of a `file.matchPatterns` rule. */
export interface FilePatternOptions extends RuleMetaOptions {
  /** @default false */
  readonly readOnly?: boolean;
  /** @default false */
  readonly ownerOnly?: boolean;
}

/** A `file.matchPatterns` rule (AppArmor glob; BPF-LSM does not enforce patterns). */
export interface FilePatternRule extends FilePatternOptions {
  /** An AppArmor glob, e.g. `/tmp/**`. */
  readonly pattern: string;
}

/** Options of a `process.matchPaths` rule. */
export interface ProcessPathOptions extends SourceRuleOptions {
  /** @default false */
  readonly ownerOnly?: boolean;
  /** @default - not set */
  readonly pts?: boolean;
  /**
   * BPF-LSM only: the arguments the executable may be started with (at most 20).
   * @default - any arguments
   */
  readonly allowedArgs?: string[];
}

/** A `process.matchPaths` rule: an executable by path or by name (`execname`). */
export interface ProcessPathRule extends ProcessPathOptions {
  /**
   * Absolute executable path.
   * @default - match by execname
   */
  readonly path?: string;
  /**
   * Executable base name (no `/`), matched in any directory.
   * @default - match by path
   */
  readonly execname?: string;
}

/** Options of a `process.matchDirectories` rule. */
export interface ProcessDirectoryOptions extends SourceRuleOptions {
  /** @default false */
  readonly recursive?: boolean;
  /** @default false */
  readonly ownerOnly?: boolean;
  /** @default - not set */
  readonly pts?: boolean;
}

/** A `process.matchDirectories` rule. */
export interface ProcessDirectoryRule extends ProcessDirectoryOptions {
  /** Absolute directory ending in `/`. */
  readonly dir: string;
}

/** Options of a `process.matchPatterns` rule. */
export interface ProcessPatternOptions extends RuleMetaOptions {
  /** @default false */
  readonly ownerOnly?: boolean;
}

/** A `process.matchPatterns` rule (AppArmor glob; BPF-LSM does not enforce patterns). */
export interface ProcessPatternRule extends ProcessPatternOptions {
  /** An AppArmor glob, e.g. `/tmp/*`. */
  readonly pattern: string;
}

/** Options of a `network.matchProtocols` rule. */
export interface NetworkProtocolOptions extends SourceRuleOptions {
  /**
   * Not accepted by host policies.
   * @default - not set
   */
  readonly pts?: boolean;
}

/** A `network.matchProtocols` rule. Host policies require `fromSource`. */
export interface NetworkProtocolRule extends NetworkProtocolOptions {
  /** The protocol. */
  readonly protocol: NetworkProtocol;
}

/** A `network.matchDNSQueries` rule (BPF-LSM only). */
export interface DnsQueryRule extends SourceRuleOptions {
  /** The domain queried. */
  readonly domain: string;
}

/** A `capabilities.matchCapabilities` rule. Host policies require `fromSource`. */
export interface CapabilityRule extends SourceRuleOptions {
  /** The capability. */
  readonly capability: Capability;
}

/** A source of a syscall rule: an executable, or a directory of executables. */
export interface SyscallSource {
  /**
   * Absolute executable path.
   * @default - use dir
   */
  readonly path?: string;
  /**
   * Absolute directory ending in `/`.
   * @default - use path
   */
  readonly dir?: string;
  /**
   * With dir: the whole subtree.
   * @default false
   */
  readonly recursive?: boolean;
}

/** Options of a `syscalls.matchSyscalls` rule. Syscall rules always audit (they have no action). */
export interface SyscallOptions {
  /**
   * Only calls made by these sources.
   * @default - every process
   */
  readonly fromSource?: SyscallSource[];
}

/** A `syscalls.matchSyscalls` rule. */
export interface SyscallRule extends SyscallOptions {
  /** The syscalls (at least one). */
  readonly syscalls: Syscall[];
}

/** Options of a `syscalls.matchPaths` rule. */
export interface SyscallPathOptions extends SyscallOptions {
  /**
   * The syscalls on this path.
   * @default - not set
   */
  readonly syscalls?: Syscall[];
  /**
   * With a directory path: the whole subtree.
   * @default false
   */
  readonly recursive?: boolean;
}

/** A `syscalls.matchPaths` rule. */
export interface SyscallPathRule extends SyscallPathOptions {
  /** An absolute file path, or a directory ending in `/`. */
  readonly path: string;
}

/** Options of a `presets` entry. */
export interface PresetOptions {
  /**
   * @default - the policy's action
   */
  readonly action?: PolicyAction;
}

/** A `presets` entry. */
export interface PresetRule extends PresetOptions {
  /** The preset. */
  readonly preset: PolicyPreset;
}

/** Options of a host `device.matchDevice` rule. */
export interface DeviceOptions extends RuleMetaOptions {
  /**
   * USB subclass code.
   * @default - any subclass
   */
  readonly subClass?: number;
  /**
   * USB protocol code.
   * @default - any protocol
   */
  readonly protocol?: number;
  /**
   * Device level (1 = the device itself), at least 1.
   * @default - any level
   */
  readonly level?: number;
}

/** A host `device.matchDevice` rule. */
export interface DeviceRule extends DeviceOptions {
  /** The USB device class. */
  readonly deviceClass: DeviceClass;
}

/** Defaults of one section (`spec.file`, `spec.process`, ...). */
export interface SectionOptions {
  /**
   * The section's action (not accepted by `syscalls`).
   * @default - the policy's action
   */
  readonly action?: PolicyAction;
  /** @default - the policy's severity */
  readonly severity?: number;
  /** @default - the policy's tags */
  readonly tags?: string[];
  /** @default - the policy's message */
  readonly message?: string;
}

/** Section defaults as a constructor prop. */
export interface SectionDefaults extends SectionOptions {
  /** The section. */
  readonly section: PolicySection;
}
