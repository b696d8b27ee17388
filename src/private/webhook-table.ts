/**
 * The checks of KubeArmor's proposed validating webhook (kubearmor/KubeArmor PR #2369, open: "add policy
 * validation webhook", the eight scenarios of its description) and how this library handles each: it must be
 * a superset, in constructs, import, the CLI and the plugin alike. docs/lints.md renders this table;
 * test/webhook-table.test.ts feeds an example of each check through the CLI and checks the handling.
 */
export interface WebhookCheck {
  readonly check: string;
  /** `refused`, a lint ID, or `not yet detected`. */
  readonly handling: string;
  readonly note: string;
}

export const WEBHOOK_CHECKS: readonly WebhookCheck[] = [
  { check: 'Path too long', handling: 'KA045', note: 'counted in UTF-8 bytes against the 200-byte BPF-LSM key (path-canon.ts); refused at the call, an error lint in the CLI, import and plugin (the CRD accepts it)' },
  { check: 'Invalid characters in a path', handling: 'KA045', note: 'control, format and line-separator characters, look-alikes (KA045), globs in literal paths (KA041); refused at the call, error lints for CRD-valid YAML' },
  { check: 'No pod matches the selector', handling: 'KA001', note: 'against the app\'s (or the linted files\') workloads; a near container name is suggested' },
  { check: 'Too many rules for a single container', handling: 'KA022', note: 'the 256-key BPF-LSM map per container, keys counted as KubeArmor writes them (dirtoMap)' },
  { check: 'Relative path', handling: 'refused', note: 'the absolute spelling (or execname for a bare process name) is the fix' },
  { check: 'Invalid regex', handling: 'refused', note: 'patterns AppArmor or Go filepath.Match reject, hostnamereg Go regexp.Compile rejects; KA034 for patterns the alert matcher drops' },
  { check: 'Duplicate path', handling: 'KA043', note: 'within a policy: refused at the call, KA043 for CRD-valid YAML; across policies KA015 (same rule) and KA005 (conflicting rule)' },
  { check: 'Empty selector', handling: 'KA030', note: 'no selector, {} or only kubearmor.io/container.name; PolicyTarget.namespace() acknowledges it' },
];
