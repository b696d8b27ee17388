/**
 * The lint rules as a table (cdk-nag's shape): each row is a catalogue entry (stable ID, name, severity,
 * summary, fix — docs/lints.md is generated from it) plus a pure `check` over the shared
 * {@link LintContext}. What each rule detects is what the cluster accepts silently but does not do what
 * its author meant (docs/kubearmor-semantics.md). IDs are stable; never reuse one.
 */
import { dirCovers } from './effective';
import { describeRule, differs, FlatRule, LintContext, policyName, ruleKey } from './lint-context';
import { ENFORCER_LINTS } from './lint-rules-enforcer';
import { EVIDENCE_LINTS } from './lint-rules-evidence';
import { IMPORT_LINT_ROWS } from './lint-rules-import';
import { containerHint, SELECTION_LINTS } from './lint-rules-selection';
import { UNTRACKED_NAMESPACES } from './validate';

export type Severity = 'error' | 'warning';

/** A finding of one rule: the manifest it is about (index), where in it, what, and the other manifests involved. */
export interface Finding {
  readonly manifest: number;
  readonly jsonPath: string;
  readonly message: string;
  readonly related: number[];
}

export interface LintRuleRow {
  readonly id: string;
  readonly name: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly fix: string;
  /** Pure: reads the context, returns the findings. */
  readonly check: (ctx: LintContext) => Finding[];
}

const TWINS: Array<[string, string]> = [['/bin/', '/usr/bin/'], ['/sbin/', '/usr/sbin/'], ['/lib/', '/usr/lib/'], ['/lib64/', '/usr/lib64/']];

function at(manifest: number, jsonPath: string, message: string, related: number[] = []): Finding {
  return { manifest, jsonPath, message, related };
}

function perPolicy(f: (ctx: LintContext, i: number, m: any) => Finding[]): (ctx: LintContext) => Finding[] {
  return (ctx) => ctx.policies.flatMap((i) => f(ctx, i, ctx.manifests[i]));
}

function perRule(f: (r: FlatRule, m: any) => string | undefined): (ctx: LintContext) => Finding[] {
  return (ctx) => ctx.policies.flatMap((i) => ctx.rules.get(i)!.flatMap((r) => {
    const message = f(r, ctx.manifests[i]);
    return message === undefined ? [] : [at(i, r.pointer, message)];
  }));
}

/** Each rule compared with the first rule of the same key for the same pods (each pair once). */
function samePods(ctx: LintContext, f: (first: FlatRule, r: FlatRule) => Finding | undefined): Finding[] {
  const out: Finding[] = [];
  const reported = new Set<string>();
  for (const group of ctx.podGroups) {
    const byKey = new Map<string, FlatRule>();
    for (const i of group) {
      for (const r of ctx.rules.get(i)!) {
        const key = ruleKey(r);
        const first = byKey.get(key);
        if (!first) {
          byKey.set(key, r);
          continue;
        }
        const pair = `${first.manifest}/${first.pointer}|${r.manifest}/${r.pointer}`;
        const finding = reported.has(pair) ? undefined : f(first, r);
        if (finding) {
          reported.add(pair);
          out.push(finding);
        }
      }
    }
  }
  return out;
}

/** Whether a Block rule's path or directory covers the path or directory of `target`. */
function covers(block: FlatRule, target: FlatRule): boolean {
  const p: string | undefined = target.rule.path ?? target.rule.dir;
  if (p === undefined) return false;
  if (block.rule.path !== undefined) return block.rule.path === p;
  const d: string | undefined = block.rule.dir;
  return d !== undefined && dirCovers(d, block.rule.recursive === true, p);
}

/** The catalogue and its checks. */
export const LINT_TABLE: readonly LintRuleRow[] = [
  {
    id: 'KA001',
    name: 'selector-matches-no-workload',
    severity: 'warning',
    summary: 'The policy selects no workload defined in this app.',
    fix: 'Check labels and namespace; acknowledge when the workload is deployed from elsewhere.',
    check: (ctx) => ctx.policies.filter((i) => ctx.selected.get(i)?.length === 0).map((i) => {
      const m = ctx.manifests[i];
      return at(i, '/spec/selector', `${policyName(m)} selects no workload defined in this app${m.kind === 'KubeArmorPolicy' ? ` (namespace ${m.metadata?.namespace ?? 'default'}, labels ${JSON.stringify(m.spec?.selector?.matchLabels ?? {})})` : ''}${containerHint(ctx, m)}; the workload may live elsewhere`);
    }),
  },
  {
    id: 'KA002',
    name: 'allow-list-flip',
    severity: 'warning',
    summary: 'An Allow rule puts every selected pod into allow-list mode: everything not allowed is then decided by the default posture (audit by default, block where configured).',
    fix: 'Use Block/Audit rules only, or allow-list deliberately (e.g. add an Allow for / recursive: "lenient whitelisting") and set the namespace posture annotation.',
    check: perPolicy((ctx, i, m) => {
      const allow = ctx.rules.get(i)!.find((r) => r.action === 'Allow');
      return allow ? [at(i, allow.pointer, `${describeRule(allow)} makes every pod selected by ${policyName(m)} allow-list only for ${allow.list.section === 'network' || allow.list.section === 'capabilities' ? allow.list.section : 'files and processes'}; everything not allowed follows the default posture`)] : [];
    }),
  },
  {
    id: 'KA003',
    name: 'untracked-namespace',
    severity: 'error',
    summary: 'KubeArmor never enforces policies in its untracked namespaces (kube-system, kubearmor).',
    fix: 'Protect workloads in another namespace; if your KubeArmor no longer lists the namespace in untrackedNs (the kubearmor-config ConfigMap), acknowledge KA003 (PolicyLint.acknowledge, or the annotation lint.cdk8s-kubearmor.io/acknowledge.KA003 on the policy).',
    check: perPolicy((_ctx, i, m) => {
      const out: Finding[] = [];
      if (m.kind === 'KubeArmorPolicy' && UNTRACKED_NAMESPACES.includes(m.metadata?.namespace)) {
        out.push(at(i, '/metadata/namespace', `${policyName(m)} is in untracked namespace '${m.metadata.namespace}': KubeArmor will not enforce it`));
      }
      if (m.kind === 'KubeArmorClusterPolicy') {
        (m.spec?.selector?.matchExpressions ?? []).forEach((e: any, k: number) => {
          const bad = e.key === 'namespace' && e.operator === 'In' ? (e.values ?? []).filter((v: string) => UNTRACKED_NAMESPACES.includes(v)) : [];
          if (bad.length) out.push(at(i, `/spec/selector/matchExpressions/${k}`, `${policyName(m)} selects untracked namespace(s) ${bad.join(', ')}: KubeArmor will not enforce it there`));
        });
      }
      return out;
    }),
  },
  {
    id: 'KA004',
    name: 'merged-usr-twin',
    severity: 'warning',
    summary: 'Only one spelling of a merged-/usr directory is protected; enforcement sees resolved paths, so on merged-/usr images (/bin -> /usr/bin) a rule on the other spelling never fires.',
    fix: 'Protect both spellings (e.g. /bin/ and /usr/bin/) with the same flags.',
    check: perPolicy((ctx, i, m) => {
      const out: Finding[] = [];
      const dirs = new Map<string, FlatRule>();
      for (const r of ctx.rules.get(i)!) if (r.list.list === 'matchDirectories') dirs.set(`${r.list.section}|${r.rule.dir}`, r);
      for (const [a, b] of TWINS) {
        for (const section of ['file', 'process']) {
          const ra = dirs.get(`${section}|${a}`);
          const rb = dirs.get(`${section}|${b}`);
          const one = ra ?? rb;
          if (one && !(ra && rb)) {
            out.push(at(i, one.pointer, `${policyName(m)} protects ${one.rule.dir} but not ${ra ? b : a} (${section} rules); on merged-/usr images one of them is a symlink and enforcement sees the resolved path`));
          }
        }
      }
      return out;
    }),
  },
  {
    id: 'KA005',
    name: 'conflicting-rules',
    severity: 'error',
    summary: 'Two rules for the same pod and path differ in action or flags: AppArmor keeps the first (deny wins), BPF-LSM the last, so the result depends on the enforcer and on apply order.',
    fix: 'Make the rules agree, or keep one of them.',
    check: (ctx) => samePods(ctx, (first, r) => (differs(first, r)
      ? at(r.manifest, r.pointer, `${describeRule(r)} in ${policyName(ctx.manifests[r.manifest])} conflicts with ${describeRule(first)} in ${policyName(ctx.manifests[first.manifest])}`, first.manifest === r.manifest ? [] : [first.manifest])
      : undefined)),
  },
  {
    id: 'KA006',
    name: 'audit-readonly-no-read-alerts',
    severity: 'warning',
    summary: 'Audit + readOnly alerts only on non-read access (writes, creates, deletes); reads never alert.',
    fix: 'Drop readOnly to alert on every access, or acknowledge: change detection is what you want.',
    check: perRule((r, m) => (r.list.section === 'file' && r.action === 'Audit' && r.rule.readOnly === true
      ? `${describeRule(r)} in ${policyName(m)} alerts on writes, creates and deletes only; reads never alert` : undefined)),
  },
  {
    id: 'KA007',
    name: 'pattern-not-enforced-by-bpf',
    severity: 'warning',
    summary: 'matchPatterns are enforced by AppArmor only; BPF-LSM (KubeArmor\'s preferred enforcer) ignores them.',
    fix: 'Use matchDirectories (recursive) or matchPaths, which both enforcers honour.',
    check: perPolicy((ctx, i, m) => {
      const pattern = ctx.rules.get(i)!.find((r) => r.list.list === 'matchPatterns');
      return pattern ? [at(i, pattern.pointer, `${describeRule(pattern)} in ${policyName(m)} is not enforced by BPF-LSM`)] : [];
    }),
  },
  {
    id: 'KA008',
    name: 'selector-expression-order',
    severity: 'error',
    summary: 'matchExpressions mix In and NotIn on labels: KubeArmor drops a NotIn that follows an In, and a leading NotIn decides alone.',
    fix: 'Use one operator per policy; split into two policies.',
    check: perPolicy((_ctx, i, m) => {
      const ops = (m.spec?.selector?.matchExpressions ?? []).filter((e: any) => e.key === 'label').map((e: any) => e.operator);
      return ops.includes('In') && ops.includes('NotIn') ? [at(i, '/spec/selector/matchExpressions', `${policyName(m)} mixes In and NotIn label expressions (${ops.join(', ')})`)] : [];
    }),
  },
  {
    id: 'KA009',
    name: 'missing-severity',
    severity: 'warning',
    summary: 'A rule has no severity at rule, section or spec level: its alerts carry Severity "0".',
    fix: 'Set a severity from 1 to 10.',
    check: perPolicy((ctx, i, m) => {
    // Syscall rules included: they inherit the spec's and section's severity too.
      const unrated = ctx.rules.get(i)!.find((r) => r.severity === 0);
      return unrated ? [at(i, unrated.pointer, `${describeRule(unrated)} in ${policyName(m)} has no severity; its alerts carry Severity "0"`)] : [];
    }),
  },
  {
    id: 'KA010',
    name: 'apparmor-field-hides-alerts',
    severity: 'warning',
    summary: 'A policy with spec.apparmor is skipped by KubeArmor\'s alert matcher: its alerts show PolicyName DefaultPosture.',
    fix: 'Express the rules with file/process/network sections instead of raw AppArmor.',
    check: perPolicy((_ctx, i, m) => (m.spec?.apparmor !== undefined ? [at(i, '/spec/apparmor', `${policyName(m)} has spec.apparmor; its alerts will not name it`)] : [])),
  },
  {
    id: 'KA011',
    name: 'cluster-policy-name-clash',
    severity: 'error',
    summary: 'A KubeArmorClusterPolicy has the same name as a KubeArmorPolicy: KubeArmor matches cluster policies by name only, so updates and deletes hit both.',
    fix: 'Rename one of them.',
    check: (ctx) => {
      const kspNames = new Map<string, number>();
      for (const i of ctx.policies) if (ctx.manifests[i].kind === 'KubeArmorPolicy') kspNames.set(ctx.manifests[i].metadata?.name, i);
      return ctx.policies.filter((i) => ctx.manifests[i].kind === 'KubeArmorClusterPolicy' && kspNames.has(ctx.manifests[i].metadata?.name)).map((i) => {
        const other = kspNames.get(ctx.manifests[i].metadata.name)!;
        return at(i, '/metadata/name', `${policyName(ctx.manifests[i])} has the same name as ${policyName(ctx.manifests[other])}`, [other]);
      });
    },
  },
  {
    id: 'KA012',
    name: 'non-recursive-directory',
    severity: 'warning',
    summary: 'A readOnly directory rule without recursive covers only the directory\'s direct children; files deeper down can be changed.',
    fix: 'Set recursive: true, or acknowledge when one level is meant.',
    check: perRule((r, m) => (r.list.id === 'file.matchDirectories' && r.rule.readOnly === true && r.rule.recursive !== true
      ? `${describeRule(r)} in ${policyName(m)} covers only direct children of ${r.rule.dir}` : undefined)),
  },
  {
    id: 'KA013',
    name: 'exception-by-process',
    severity: 'error',
    summary: 'An Allow rule with fromSource cannot punch a hole in a Block rule covering the same path: AppArmor copies the Block into the source\'s profile and deny wins, BPF-LSM checks the source rule first and lets it through, and any Allow flips the pod into allow-list mode. "Read-only except for writer X" is not enforced as stated under either enforcer.',
    fix: 'Run the writer (e.g. the package upgrade) in its own Job or pod that the policy does not select; or Audit instead of Block the paths it writes (detection, not prevention); or protect narrower directories that exclude what it writes.',
    check: (ctx) => {
      const out: Finding[] = [];
      const reported = new Set<string>();
      for (const group of ctx.podGroups) {
        const all = group.flatMap((i) => ctx.rules.get(i)!).filter((r) => r.list.section === 'file' || r.list.section === 'process');
        const blocks = all.filter((r) => r.action === 'Block' && r.rule.fromSource === undefined && r.list.list !== 'matchPatterns');
        for (const allow of all.filter((r) => r.action === 'Allow' && r.rule.fromSource !== undefined)) {
          const block = blocks.find((b) => b.list.section === allow.list.section && covers(b, allow));
          const key = `${allow.manifest}${allow.pointer}`;
          if (block && !reported.has(key)) {
            reported.add(key);
            out.push(at(allow.manifest, allow.pointer, `${describeRule(allow)} from ${allow.rule.fromSource.map((x: any) => x.path).join(', ')} in ${policyName(ctx.manifests[allow.manifest])} tries to except a source from ${describeRule(block)} in ${policyName(ctx.manifests[block.manifest])}; the enforcers disagree and neither does what it says`, block.manifest === allow.manifest ? [] : [block.manifest]));
          }
        }
      }
      return out;
    },
  },
  {
    id: 'KA014',
    name: 'duplicate-policy-name',
    severity: 'error',
    summary: 'Two policies of the same kind share a name (in the same namespace): applying one replaces the other.',
    fix: 'Give each policy a unique policyName.',
    check: (ctx) => {
      const seen = new Map<string, number>();
      const out: Finding[] = [];
      for (const i of ctx.policies) {
        const first = seen.get(ctx.effective[i]!.key);
        if (first === undefined) seen.set(ctx.effective[i]!.key, i);
        else out.push(at(i, '/metadata/name', `${policyName(ctx.manifests[i])} is defined twice`, [first]));
      }
      return out;
    },
  },
  {
    id: 'KA015',
    name: 'duplicate-rule',
    severity: 'warning',
    summary: 'Two policies protect the same pods with the same rule (same action and flags). Enforcement is unaffected, but which policy an alert names depends on the order KubeArmor applied them, and removing one policy silently keeps the protection.',
    fix: 'Keep the rule in one policy (e.g. let FileIntegrityPolicy own file integrity), or acknowledge when the duplication is deliberate.',
    check: (ctx) => samePods(ctx, (first, r) => (!differs(first, r) && first.manifest !== r.manifest
      ? at(r.manifest, r.pointer, `${describeRule(r)} in ${policyName(ctx.manifests[r.manifest])} repeats ${policyName(ctx.manifests[first.manifest])} for the same pods`, [first.manifest])
      : undefined)),
  },
  {
    id: 'KA016',
    name: 'namespaceless-policy',
    severity: 'warning',
    summary: 'A KubeArmorPolicy has no metadata.namespace (its workload has none, e.g. in a chart without namespace): kubectl and GitOps tools put it in the namespace they deploy into, and it selects pods of that namespace only.',
    fix: 'Deploy it with its workloads into the same target namespace (kubectl -n, the Argo CD or Flux destination), or give the chart a namespace; acknowledge when that is how you deploy.',
    check: perPolicy((_ctx, i, m) => (m.kind === 'KubeArmorPolicy' && (m.metadata?.namespace === undefined || m.metadata.namespace === '')
      ? [at(i, '/metadata', `${policyName(m)} has no namespace: it lands in the namespace it is applied to (kubectl's current one, or the GitOps destination) and selects pods of that namespace only`)]
      : [])),
  },
  ...ENFORCER_LINTS,
  ...SELECTION_LINTS,
  ...EVIDENCE_LINTS,
  // KA041-KA045: stricter than the CRD (reported on imported policies; constructs refuse them at the call).
  ...IMPORT_LINT_ROWS,
];
