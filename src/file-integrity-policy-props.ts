import { ComplianceControl } from './compliance';
import type { FileIntegrityPolicy } from './file-integrity-policy';
import { FileIntegrityPreset } from './file-integrity-preset';
import { PolicyAction } from './policy-action';
import { PolicyTarget } from './policy-target';

/** Options of {@link FileIntegrityPolicy.addDirectory}. */
export interface FileIntegrityPolicyAddDirectoryOptions {
  /**
   * Protect the whole subtree. Without it KubeArmor covers only the directory and its direct
   * children (sub-directories' contents are not protected).
   * @default true
   */
  readonly recursive?: boolean;
  /**
   * Reads (and exec) stay allowed; only changes are matched. Set false to match every access,
   * including reads: with Block that denies reading and executing anything in the directory.
   * @default true
   */
  readonly readOnly?: boolean;
}

/** Options of {@link FileIntegrityPolicy.addPath}. */
export interface FileIntegrityPolicyAddPathOptions {
  /**
   * Reads stay allowed; only changes are matched. Set false to match every access, including reads
   * (with Block: nobody can read the file, e.g. a private key).
   * @default true
   */
  readonly readOnly?: boolean;
}

/** Props of {@link FileIntegrityPolicy}. */
export interface FileIntegrityPolicyProps {
  /**
   * What to protect: `PolicyTarget.workload(deployment)`, `.podLabels()`, `.namespace()`
   * (KubeArmorPolicy), `.namespaces()` / `.allNamespaces()` (KubeArmorClusterPolicy) or `.nodes()`
   * (KubeArmorHostPolicy; enforced only with `enableKubeArmorHostPolicy=true`).
   */
  readonly target: PolicyTarget;
  /**
   * Named sets of directories and files to protect; their compliance controls are claimed too.
   * Pass `[]` to protect only `directories` and `paths`.
   * @default - `FileIntegrityPreset.defaults()`: SYSTEM_BINARIES, SYSTEM_LIBRARIES and BOOT (a superset
   * of the six directories of KubeArmor's FIM template)
   */
  readonly presets?: FileIntegrityPreset[];
  /**
   * More directories to protect (absolute, ending in `/`), read-only and recursively.
   * Use `addDirectory()` for other flags.
   * @default - none
   */
  readonly directories?: string[];
  /**
   * More files to protect (absolute, not ending in `/`), read-only.
   * @default - none
   */
  readonly paths?: string[];
  /**
   * `BLOCK` prevents changes (writes, appends, truncation, create, delete, rename, chmod, links; reads
   * and exec still work); `AUDIT` only alerts on them. `ALLOW` is refused (it would flip the selected
   * pods into allow-list mode). When set, it beats any staged rollout switch.
   * @default - the staged rollout action (`FileIntegrityPolicy.setRolloutAction()` on this construct or an
   * ancestor, else the `cdk8s-kubearmor:fim-action` context), else `PolicyAction.BLOCK`
   */
  readonly action?: PolicyAction;
  /**
   * Alert severity, 1 (least) to 10 (most severe).
   * @default 5
   */
  readonly severity?: number;
  /**
   * Alert message.
   * @default 'Detected an attempt to modify a file-integrity-protected path'
   */
  readonly message?: string;
  /**
   * Compliance controls this policy implements, in addition to those of its presets.
   * @default - only the presets' controls
   */
  readonly controls?: ComplianceControl[];
  /**
   * Free tags, emitted after the compliance tags (in the order given).
   * @default - none
   */
  readonly tags?: string[];
  /**
   * `metadata.name`; alerts carry it as `PolicyName`.
   * @default - generated from the construct path, e.g. `shop-fim-c8120e20`
   */
  readonly policyName?: string;
}
