import { PolicyAction } from './policy-action';
import { PolicyTarget } from './policy-target';
import {
  CapabilityRule, DeviceRule, DnsQueryRule, FileDirectoryRule, FilePathRule, FilePatternRule, NetworkProtocolRule, PresetRule,
  ProcessDirectoryRule, ProcessPathRule, ProcessPatternRule, SectionDefaults, SyscallPathRule, SyscallRule,
} from './rule-options';
import type { SecurityPolicy } from './security-policy';

/** Props of {@link SecurityPolicy}. Every rule prop replays the matching `add*` method. */
export interface SecurityPolicyProps {
  /** What the policy protects; decides the kind emitted (KubeArmorPolicy, KubeArmorClusterPolicy, KubeArmorHostPolicy). */
  readonly target: PolicyTarget;
  /**
   * `metadata.name` (a DNS-1123 name). Alerts carry it as `PolicyName`.
   * @default - generated from the construct path, e.g. `shop-web-fim-c8120e20`
   */
  readonly policyName?: string;
  /**
   * `spec.action`, inherited by sections and rules that set none.
   * @default - not emitted; KubeArmor then applies Block
   */
  readonly action?: PolicyAction;
  /**
   * `spec.severity` (1-10), inherited by rules that set none.
   * @default - not emitted; alerts of rules without a severity then carry Severity "0"
   */
  readonly severity?: number;
  /**
   * `spec.tags`, in the order given (duplicates removed); alerts join them with commas.
   * @default - no tags
   */
  readonly tags?: string[];
  /**
   * `spec.message`, the alert message.
   * @default - no message
   */
  readonly message?: string;
  /**
   * `spec.apparmor`: raw AppArmor rules appended to the profile. KubeArmor's alert matcher skips
   * policies that have it, so their alerts show `PolicyName: DefaultPosture`.
   * @default - none
   */
  readonly appArmor?: string;
  /** Section defaults. @default - none */
  readonly sections?: SectionDefaults[];
  /** `file.matchPaths` rules. @default - none */
  readonly filePaths?: FilePathRule[];
  /** `file.matchDirectories` rules. @default - none */
  readonly fileDirectories?: FileDirectoryRule[];
  /** `file.matchPatterns` rules. @default - none */
  readonly filePatterns?: FilePatternRule[];
  /** `process.matchPaths` rules. @default - none */
  readonly processPaths?: ProcessPathRule[];
  /** `process.matchDirectories` rules. @default - none */
  readonly processDirectories?: ProcessDirectoryRule[];
  /** `process.matchPatterns` rules. @default - none */
  readonly processPatterns?: ProcessPatternRule[];
  /** `network.matchProtocols` rules. @default - none */
  readonly networkProtocols?: NetworkProtocolRule[];
  /** `network.matchDNSQueries` rules. @default - none */
  readonly dnsQueries?: DnsQueryRule[];
  /** `capabilities.matchCapabilities` rules. @default - none */
  readonly capabilities?: CapabilityRule[];
  /** `syscalls.matchSyscalls` rules. @default - none */
  readonly syscalls?: SyscallRule[];
  /** `syscalls.matchPaths` rules. @default - none */
  readonly syscallPaths?: SyscallPathRule[];
  /** `presets` entries (not in host policies). @default - none */
  readonly presets?: PresetRule[];
  /** `device.matchDevice` rules (host policies only). @default - none */
  readonly devices?: DeviceRule[];
}
