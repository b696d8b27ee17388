/**
 * Semantic lints: what the cluster accepts silently but does not do what its author meant
 * (docs/kubearmor-semantics.md §5–§8). Pure functions over rendered manifests, shared by the constructs (synth),
 * the lint CLI and the cdk8s validation plugin. Every lint has a stable ID and a documented fix.
 */
import { canonicalJson } from './canonical';
import { dirCovers, effectivePolicy, EffectivePolicy, EffectiveRule } from './effective';
import { PodIdentity, PodIndex } from './selection';
import { UNTRACKED_NAMESPACES } from './validate';

export type Severity = 'error' | 'warning';

export interface LintRule {
  readonly id: string;
  readonly name: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly fix: string;
}

/** The catalogue. IDs are stable; never reuse one. */
export const LINT_RULES: readonly LintRule[] = [
  { id: 'KA001', name: 'selector-matches-no-workload', severity: 'warning', summary: 'The policy selects no workload defined in this app.', fix: 'Check labels and namespace; acknowledge when the workload is deployed from elsewhere.' },
  { id: 'KA002', name: 'allow-list-flip', severity: 'warning', summary: 'An Allow rule puts every selected pod into allow-list mode: everything not allowed is then decided by the default posture (audit by default, block where configured).', fix: 'Use Block/Audit rules only, or allow-list deliberately (e.g. add an Allow for / recursive: "lenient whitelisting") and set the namespace posture annotation.' },
  { id: 'KA003', name: 'untracked-namespace', severity: 'error', summary: 'KubeArmor never enforces policies in its untracked namespaces (kube-system, kubearmor).', fix: 'Target another namespace, or remove it from KubeArmor\'s untrackedNs setting first.' },
  { id: 'KA004', name: 'merged-usr-twin', severity: 'warning', summary: 'Only one spelling of a merged-/usr directory is protected; enforcement sees resolved paths, so on merged-/usr images (/bin -> /usr/bin) a rule on the other spelling never fires.', fix: 'Protect both spellings (e.g. /bin/ and /usr/bin/) with the same flags.' },
  { id: 'KA005', name: 'conflicting-rules', severity: 'error', summary: 'Two rules for the same pod and path differ in action or flags: AppArmor keeps the first (deny wins), BPF-LSM the last, so the result depends on the enforcer and on apply order.', fix: 'Make the rules agree, or keep one of them.' },
  { id: 'KA006', name: 'audit-readonly-no-read-alerts', severity: 'warning', summary: 'Audit + readOnly alerts only on non-read access (writes, creates, deletes); reads never alert.', fix: 'Drop readOnly to alert on every access, or acknowledge: change detection is what you want.' },
  { id: 'KA007', name: 'pattern-not-enforced-by-bpf', severity: 'warning', summary: 'matchPatterns are enforced by AppArmor only; BPF-LSM (KubeArmor\'s preferred enforcer) ignores them.', fix: 'Use matchDirectories (recursive) or matchPaths, which both enforcers honour.' },
  { id: 'KA008', name: 'selector-expression-order', severity: 'error', summary: 'matchExpressions mix In and NotIn on labels: KubeArmor drops a NotIn that follows an In, and a leading NotIn decides alone.', fix: 'Use one operator per policy; split into two policies.' },
  { id: 'KA009', name: 'missing-severity', severity: 'warning', summary: 'A rule has no severity at rule, section or spec level: its alerts carry Severity "0".', fix: 'Set a severity from 1 to 10.' },
  { id: 'KA010', name: 'apparmor-field-hides-alerts', severity: 'warning', summary: 'A policy with spec.apparmor is skipped by KubeArmor\'s alert matcher: its alerts show PolicyName DefaultPosture.', fix: 'Express the rules with file/process/network sections instead of raw AppArmor.' },
  { id: 'KA011', name: 'cluster-policy-name-clash', severity: 'error', summary: 'A KubeArmorClusterPolicy has the same name as a KubeArmorPolicy: KubeArmor matches cluster policies by name only, so updates and deletes hit both.', fix: 'Rename one of them.' },
  { id: 'KA012', name: 'non-recursive-directory', severity: 'warning', summary: 'A readOnly directory rule without recursive covers only the directory\'s direct children; files deeper down can be changed.', fix: 'Set recursive: true, or acknowledge when one level is meant.' },
  { id: 'KA013', name: 'exception-by-process', severity: 'error', summary: 'An Allow rule with fromSource cannot punch a hole in a Block rule covering the same path: AppArmor copies the Block into the source\'s profile and deny wins, BPF-LSM checks the source rule first and lets it through, and any Allow flips the pod into allow-list mode. "Read-only except for writer X" is not enforced as stated under either enforcer.', fix: 'Run the writer (e.g. the package upgrade) in its own Job or pod that the policy does not select; or Audit instead of Block the paths it writes (detection, not prevention); or protect narrower directories that exclude what it writes.' },
  { id: 'KA014', name: 'duplicate-policy-name', severity: 'error', summary: 'Two policies of the same kind share a name (in the same namespace): applying one replaces the other.', fix: 'Give each policy a unique policyName.' },
  { id: 'KA015', name: 'duplicate-rule', severity: 'warning', summary: 'Two policies protect the same pods with the same rule (same action and flags). Enforcement is unaffected, but which policy an alert names depends on the order KubeArmor applied them, and removing one policy silently keeps the protection.', fix: 'Keep the rule in one policy (e.g. let FileIntegrityPolicy own file integrity), or acknowledge when the duplication is deliberate.' },
  { id: 'KA016', name: 'namespaceless-policy', severity: 'warning', summary: 'A KubeArmorPolicy has no metadata.namespace (its workload has none, e.g. in a chart without namespace): kubectl and GitOps tools put it in the namespace they deploy into, and it selects pods of that namespace only.', fix: 'Deploy it with its workloads into the same target namespace (kubectl -n, the Argo CD or Flux destination), or give the chart a namespace; acknowledge when that is how you deploy.' },
];

export const LINT_BY_ID: ReadonlyMap<string, LintRule> = new Map(LINT_RULES.map((r) => [r.id, r]));

export interface RawFinding {
  readonly id: string;
  readonly severity: Severity;
  /** Index of the manifest (in the input list) the finding is about. */
  readonly manifest: number;
  /** JSON pointer inside that manifest, e.g. `/spec/file/matchDirectories/0`. */
  readonly jsonPath: string;
  readonly message: string;
  readonly fix: string;
  /** Other manifests involved (e.g. the other side of a conflict). */
  readonly related: number[];
}

export interface LintContext {
  /** The workloads of the app; lints that need them are skipped when undefined. */
  readonly workloads?: ReadonlyArray<PodIdentity & { readonly name: string }>;
}

const TWINS: Array<[string, string]> = [['/bin/', '/usr/bin/'], ['/sbin/', '/usr/sbin/'], ['/lib/', '/usr/lib/'], ['/lib64/', '/usr/lib64/']];
const FLAG_FIELDS = ['readOnly', 'ownerOnly', 'recursive', 'pts'];

/** An effective rule of one of the linted manifests. */
interface FlatRule extends EffectiveRule {
  readonly manifest: number;
}

function flatten(policy: EffectivePolicy, i: number): FlatRule[] {
  return policy.rules.map((r) => ({ ...r, manifest: i }));
}

function ruleKey(r: FlatRule): string {
  const target = r.list.key.map((k) => canonicalJson(r.rule[k] ?? null)).join('|');
  const src = canonicalJson([...(r.rule.fromSource ?? [])].map((s: any) => canonicalJson(s)).sort());
  return `${r.list.id}|${target}|${src}`;
}

function ptr(r: FlatRule): string {
  return `/spec/${r.list.section}/${r.list.list}/${r.index}`;
}

function describeRule(r: FlatRule): string {
  const what = r.list.key.map((k) => r.rule[k]).filter((v) => v !== undefined).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ');
  const flags = FLAG_FIELDS.filter((f) => r.rule[f] !== undefined).map((f) => `${f}=${r.rule[f]}`);
  return `${r.list.id} ${what} (${[`action=${r.action}`, ...flags].join(', ')})`;
}

function policyName(m: any): string {
  return `${m.kind}/${m.metadata?.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata?.name}`;
}

/** Runs every lint over a set of manifests (non-KubeArmor manifests are ignored). */
export function lintManifests(manifests: any[], ctx: LintContext = {}): RawFinding[] {
  const findings: RawFinding[] = [];
  const add = (id: string, manifest: number, jsonPath: string, message: string, related: number[] = []) => {
    const rule = LINT_BY_ID.get(id)!;
    findings.push({ id, severity: rule.severity, manifest, jsonPath, message, fix: rule.fix, related });
  };
  const effective = manifests.map((m) => effectivePolicy(m));
  const policies = effective.map((e, i) => (e ? i : -1)).filter((i) => i >= 0);
  const rules = new Map<number, FlatRule[]>(policies.map((i) => [i, flatten(effective[i]!, i)]));

  for (const i of policies) {
    const m = manifests[i];
    const spec = m.spec ?? {};
    const flat = rules.get(i)!;
    // KA002 allow-list flip
    const allow = flat.find((r) => r.action === 'Allow');
    if (allow) add('KA002', i, ptr(allow), `${describeRule(allow)} makes every pod selected by ${policyName(m)} allow-list only for ${allow.list.section === 'network' || allow.list.section === 'capabilities' ? allow.list.section : 'files and processes'}; everything not allowed follows the default posture`);
    // KA003 untracked namespace
    if (m.kind === 'KubeArmorPolicy' && UNTRACKED_NAMESPACES.includes(m.metadata?.namespace)) {
      add('KA003', i, '/metadata/namespace', `${policyName(m)} is in untracked namespace '${m.metadata.namespace}': KubeArmor will not enforce it`);
    }
    if (m.kind === 'KubeArmorClusterPolicy') {
      (spec.selector?.matchExpressions ?? []).forEach((e: any, k: number) => {
        const bad = e.key === 'namespace' && e.operator === 'In' ? (e.values ?? []).filter((v: string) => UNTRACKED_NAMESPACES.includes(v)) : [];
        if (bad.length) add('KA003', i, `/spec/selector/matchExpressions/${k}`, `${policyName(m)} selects untracked namespace(s) ${bad.join(', ')}: KubeArmor will not enforce it there`);
      });
    }
    // KA016 namespaceless KubeArmorPolicy
    if (m.kind === 'KubeArmorPolicy' && (m.metadata?.namespace === undefined || m.metadata.namespace === '')) {
      add('KA016', i, '/metadata', `${policyName(m)} has no namespace: it lands in the namespace it is applied to (kubectl's current one, or the GitOps destination) and selects pods of that namespace only`);
    }
    // KA004 merged-/usr twins (file and process directory rules)
    const dirs = new Map<string, FlatRule>();
    for (const r of flat) if (r.list.list === 'matchDirectories') dirs.set(`${r.list.section}|${r.rule.dir}`, r);
    for (const [a, b] of TWINS) {
      for (const section of ['file', 'process']) {
        const ra = dirs.get(`${section}|${a}`);
        const rb = dirs.get(`${section}|${b}`);
        const one = ra ?? rb;
        if (one && !(ra && rb)) {
          const missing = ra ? b : a;
          add('KA004', i, ptr(one), `${policyName(m)} protects ${one.rule.dir} but not ${missing} (${section} rules); on merged-/usr images one of them is a symlink and enforcement sees the resolved path`);
        }
      }
    }
    // KA006 Audit + readOnly; KA012 non-recursive readOnly dir
    for (const r of flat) {
      if (r.list.section === 'file' && r.action === 'Audit' && r.rule.readOnly === true) {
        add('KA006', i, ptr(r), `${describeRule(r)} in ${policyName(m)} alerts on writes, creates and deletes only; reads never alert`);
      }
      if (r.list.id === 'file.matchDirectories' && r.rule.readOnly === true && r.rule.recursive !== true) {
        add('KA012', i, ptr(r), `${describeRule(r)} in ${policyName(m)} covers only direct children of ${r.rule.dir}`);
      }
    }
    // KA007 patterns
    const pattern = flat.find((r) => r.list.list === 'matchPatterns');
    if (pattern) add('KA007', i, ptr(pattern), `${describeRule(pattern)} in ${policyName(m)} is not enforced by BPF-LSM`);
    // KA008 expression order
    const ops = (spec.selector?.matchExpressions ?? []).filter((e: any) => e.key === 'label').map((e: any) => e.operator);
    if (ops.includes('In') && ops.includes('NotIn')) {
      add('KA008', i, '/spec/selector/matchExpressions', `${policyName(m)} mixes In and NotIn label expressions (${ops.join(', ')})`);
    }
    // KA009 missing severity (syscall rules included: they inherit spec/section severity)
    const unrated = flat.find((r) => r.severity === 0);
    if (unrated) add('KA009', i, ptr(unrated), `${describeRule(unrated)} in ${policyName(m)} has no severity; its alerts carry Severity "0"`);
    // KA010 apparmor
    if (spec.apparmor !== undefined) add('KA010', i, '/spec/apparmor', `${policyName(m)} has spec.apparmor; its alerts will not name it`);
  }

  // KA011 cluster policy name clash
  const kspNames = new Map<string, number>();
  for (const i of policies) if (manifests[i].kind === 'KubeArmorPolicy') kspNames.set(manifests[i].metadata?.name, i);
  for (const i of policies) {
    const m = manifests[i];
    if (m.kind === 'KubeArmorClusterPolicy' && kspNames.has(m.metadata?.name)) {
      add('KA011', i, '/metadata/name', `${policyName(m)} has the same name as ${policyName(manifests[kspNames.get(m.metadata.name)!])}`, [kspNames.get(m.metadata.name)!]);
    }
  }

  // KA014 duplicate names
  const seen = new Map<string, number>();
  for (const i of policies) {
    const m = manifests[i];
    const key = effective[i]!.key;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else add('KA014', i, '/metadata/name', `${policyName(m)} is defined twice`, [first]);
  }

  // KA001 selects no workload, and the per-pod view used by KA005
  const podPolicies = new Map<string, number[]>();
  if (ctx.workloads) {
    const index = new PodIndex(ctx.workloads);
    for (const i of policies) {
      const m = manifests[i];
      if (m.kind === 'KubeArmorHostPolicy') continue;
      const hit = index.selectedBy(m);
      if (hit.length === 0) {
        add('KA001', i, m.kind === 'KubeArmorPolicy' ? '/spec/selector' : '/spec/selector', `${policyName(m)} selects no workload defined in this app${m.kind === 'KubeArmorPolicy' ? ` (namespace ${m.metadata?.namespace ?? 'default'}, labels ${JSON.stringify(m.spec?.selector?.matchLabels ?? {})})` : ''}; the workload may live elsewhere`);
      }
      for (const w of hit) {
        const key = `${w.namespace ?? 'default'}/${w.name}`;
        const list = podPolicies.get(key);
        if (list) list.push(i);
        else podPolicies.set(key, [i]);
      }
    }
  } else {
    // Without workloads, policies conflict when they have the same kind, namespace and selector.
    const groups = new Map<string, number[]>();
    for (const i of policies) {
      const m = manifests[i];
      const key = `${m.kind}|${m.metadata?.namespace ?? ''}|${canonicalJson(m.spec?.selector ?? m.spec?.nodeSelector ?? {})}`;
      const list = groups.get(key);
      if (list) list.push(i);
      else groups.set(key, [i]);
    }
    for (const [key, idx] of groups) podPolicies.set(key, idx);
  }
  for (const i of policies) {
    if (manifests[i].kind === 'KubeArmorHostPolicy' && ctx.workloads) podPolicies.set(`host|${i}`, [i]);
  }

  // KA005 conflicts: same pod, same rule key, different action or flags
  const reported = new Set<string>();
  for (const group of podPolicies.values()) {
    const byKey = new Map<string, FlatRule>();
    for (const i of group) {
      for (const r of rules.get(i)!) {
        const key = ruleKey(r);
        const first = byKey.get(key);
        if (!first) {
          byKey.set(key, r);
          continue;
        }
        const differs = first.action !== r.action || FLAG_FIELDS.some((f) => (first.rule[f] ?? false) !== (r.rule[f] ?? false));
        const id = `${first.manifest}/${ptr(first)}|${r.manifest}/${ptr(r)}`;
        if (differs && !reported.has(id)) {
          reported.add(id);
          const a = manifests[first.manifest];
          const b = manifests[r.manifest];
          add('KA005', r.manifest, ptr(r), `${describeRule(r)} in ${policyName(b)} conflicts with ${describeRule(first)} in ${policyName(a)}`, first.manifest === r.manifest ? [] : [first.manifest]);
        } else if (!differs && first.manifest !== r.manifest && !reported.has(id)) {
          reported.add(id);
          add('KA015', r.manifest, ptr(r), `${describeRule(r)} in ${policyName(manifests[r.manifest])} repeats ${policyName(manifests[first.manifest])} for the same pods`, [first.manifest]);
        }
      }
    }
  }
  // KA013 exception by process: Allow + fromSource on a path a Block rule covers, for the same pods
  const covers = (block: FlatRule, target: FlatRule): boolean => {
    const p: string | undefined = target.rule.path ?? target.rule.dir;
    if (p === undefined) return false;
    if (block.rule.path !== undefined) return block.rule.path === p;
    const d: string | undefined = block.rule.dir;
    if (d === undefined) return false;
    return dirCovers(d, block.rule.recursive === true, p);
  };
  const reportedExceptions = new Set<string>();
  for (const group of podPolicies.values()) {
    const all = group.flatMap((i) => rules.get(i)!).filter((r) => r.list.section === 'file' || r.list.section === 'process');
    const blocks = all.filter((r) => r.action === 'Block' && r.rule.fromSource === undefined && r.list.list !== 'matchPatterns');
    for (const allow of all.filter((r) => r.action === 'Allow' && r.rule.fromSource !== undefined)) {
      const block = blocks.find((b) => b.list.section === allow.list.section && covers(b, allow));
      const key = `${allow.manifest}${ptr(allow)}`;
      if (block && !reportedExceptions.has(key)) {
        reportedExceptions.add(key);
        add('KA013', allow.manifest, ptr(allow), `${describeRule(allow)} from ${allow.rule.fromSource.map((x: any) => x.path).join(', ')} in ${policyName(manifests[allow.manifest])} tries to except a source from ${describeRule(block)} in ${policyName(manifests[block.manifest])}; the enforcers disagree and neither does what it says`, block.manifest === allow.manifest ? [] : [block.manifest]);
      }
    }
  }
  return findings.sort((x, y) => x.manifest - y.manifest || x.id.localeCompare(y.id) || x.jsonPath.localeCompare(y.jsonPath));
}
