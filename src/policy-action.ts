/**
 * What KubeArmor does when a rule matches.
 *
 * @see https://github.com/kubearmor/KubeArmor/blob/main/getting-started/security_policy_specification.md
 */
export enum PolicyAction {
  /**
   * Allow-list entry. Any Allow rule on a pod flips that pod's file/process (or network, capability)
   * handling into allow-list mode: everything not explicitly allowed is then decided by the
   * namespace's default posture (audit by default, block where configured).
   */
  ALLOW = 'Allow',
  /** Raise an alert, do not enforce (Audit is never enforced by an LSM). */
  AUDIT = 'Audit',
  /** Deny the access (`Permission denied`) under AppArmor and BPF-LSM, and raise an alert. */
  BLOCK = 'Block',
}
