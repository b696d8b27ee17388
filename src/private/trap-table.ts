/**
 * Each KubeArmor trap (docs/kubearmor-semantics.md §8, and the silent classes of issue #13) and how the library
 * handles it: refused at the call (and, when the CRD itself refuses it, by the importer, CLI and plugin through src/private/validate.ts; what the CRD accepts is a lint there), reported by
 * a lint ID of the catalogue, or not yet detected. docs/lints.md renders this table; test/lint-docs.test.ts checks
 * that every lint ID named here is in the catalogue.
 */
export interface Trap {
  readonly trap: string;
  /** `refused`, a lint ID such as `KA005`, or `not yet detected`. */
  readonly handling: string;
  readonly note: string;
}

export const NOT_YET = 'not yet detected';

export const TRAPS: readonly Trap[] = [
  { trap: 'Path or dir of the wrong shape (relative, file path ending in \'/\', dir not ending in \'/\')', handling: 'refused', note: 'src/private/validate.ts' },
  { trap: 'Path longer than the 200-byte BPF-LSM key (counted in UTF-8 bytes)', handling: 'refused', note: 'src/private/path-canon.ts; KA045 on imported policies' },
  { trap: 'Non-canonical path (\'//\', \'/./\', \'/../\'): the kernel reports resolved paths', handling: 'refused', note: 'the canonical spelling is the fix; KA045 on imported policies' },
  { trap: 'Leading/trailing white space, control, format, line-separator characters or NBSP in a path', handling: 'refused', note: 'the cleaned spelling is the fix' },
  { trap: 'Look-alikes of \'/\' and \'.\', and segments mixing Latin with Cyrillic/Greek letters', handling: 'refused', note: 'single-script non-Latin names are accepted; KA045 on imported policies' },
  { trap: 'Glob characters in a literal path (BPF-LSM matches them literally)', handling: 'refused', note: 'use matchPatterns or concrete paths; KA041 on imported policies' },
  { trap: 'matchPatterns are not enforced by BPF-LSM', handling: 'KA007', note: '' },
  { trap: 'A selector that matches no workload is silent', handling: 'KA001', note: '' },
  { trap: 'One Allow rule flips the pod to an allow-list', handling: 'KA002', note: '' },
  { trap: 'Policies in untracked namespaces are never enforced', handling: 'KA003', note: 'also refused for an explicit namespace' },
  { trap: 'merged-/usr: only one spelling of a directory is protected', handling: 'KA004', note: 'top-level directory pairs; every other twin is KA021' },
  { trap: 'Conflicting rules on the same key: first wins under AppArmor, last under BPF-LSM', handling: 'KA005', note: 'identical keys only' },
  { trap: 'Audit + readOnly never alerts on reads', handling: 'KA006', note: '' },
  { trap: 'matchExpressions mixing In and NotIn', handling: 'KA008', note: '' },
  { trap: 'A rule without severity alerts with Severity "0"', handling: 'KA009', note: '' },
  { trap: 'spec.apparmor hides the policy from the alert matcher', handling: 'KA010', note: '' },
  { trap: 'A cluster policy with the name of a namespaced policy', handling: 'KA011', note: '' },
  { trap: 'A non-recursive readOnly directory covers one level only', handling: 'KA012', note: '' },
  { trap: 'A fromSource Allow cannot open a hole in a Block on the same path', handling: 'KA013', note: '' },
  { trap: 'Two policies of one kind and name replace each other', handling: 'KA014', note: '' },
  { trap: 'Alert attribution depends on apply order (the same rule in two policies)', handling: 'KA015', note: '' },
  { trap: 'A namespaceless KubeArmorPolicy lands in whatever namespace it is deployed into', handling: 'KA016', note: '' },
  { trap: 'Overlapping rules with different keys resolve differently per enforcer', handling: 'KA020', note: 'decided by simulating both enforcers; KA005 keeps identical keys (order-dependent)' },
  { trap: 'merged-/usr twins of file, process and fromSource paths; twins whose flags or actions differ', handling: 'KA021', note: 'all of /bin /sbin /lib /lib32 /lib64 /libx32' },
  { trap: 'ownerOnly semantics differ per enforcer', handling: 'KA025', note: 'one rule enforced differently, found by the KA020 simulation' },
  { trap: 'No selector, selector: {} or matchLabels: {} (the whole namespace)', handling: 'KA030', note: 'PolicyTarget.namespace() acknowledges it; PolicyTarget.podLabels({}) is refused' },
  { trap: 'kubearmor.io/hostname: \'\' matches no node', handling: 'refused', note: 'also an empty item of the comma list' },
  { trap: 'spec action Block next to syscall rules (syscalls always audit)', handling: 'KA031', note: 'a section-level action on syscalls is refused' },
  { trap: 'Pods annotated kubearmor-policy: disabled (policies neither enforce nor alert)', handling: 'KA032', note: 'read from the pod template of the app\'s (or the files\') workloads' },
  { trap: 'Pods annotated kubearmor-policy: audited, or labelled io.cilium/app (Block and Allow only alert)', handling: 'KA033', note: '' },
  { trap: 'kubearmor.io/container.name values that are not [a,b] lists', handling: 'refused', note: 'also empty, repeated or invalid names; a typo of a known container is named in KA001' },
  { trap: 'More than 256 BPF-LSM rule keys per container (rules lost at random)', handling: 'KA022', note: 'keys counted as dirtoMap writes them' },
  { trap: 'Directories beyond the 64-byte BPF-LSM prefix scan', handling: 'KA023', note: 'counted in UTF-8 bytes' },
  { trap: 'Paths deeper than the 20 components BPF-LSM builds (prepend_path)', handling: 'KA024', note: 'paths, fromSource and directory entries' },
  { trap: 'Regex-like values (hostnamereg, patterns neither AppArmor nor filepath.Match accepts)', handling: 'refused', note: 'Go regexp and filepath.Match acceptance ported (src/private/go-syntax.ts); AppArmor\'s glob balance' },
  { trap: 'matchPatterns Go regexp.Compile rejects (any \'**\'): the alert matcher skips them', handling: 'KA034', note: 'AppArmor still enforces; alerts do not name the policy' },
  { trap: 'Symlinked directories other than the merged-/usr twins', handling: NOT_YET, note: 'protect the resolved path' },
];
