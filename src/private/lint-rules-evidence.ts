/**
 * Lints about the evidence a policy can produce (concatenated into LINT_TABLE, lint-rules.ts). KA040: a
 * file-integrity policy whose every protected path is read-only for the selected containers anyway never
 * sees a write, because the kernel refuses it with EROFS before any LSM hook (docs/kernel-before-lsm.md).
 */
import { LintContext, policyName } from './lint-context';
import type { Finding, LintRuleRow } from './lint-rules';
import { kernelRefusesWrites } from './report-kernel';

/** Why HardenedWorkload acknowledges KA040 for its file-integrity policy (README, docs/kernel-before-lsm.md). */
export const KA040_REASON = 'HardenedWorkload: defence in depth — the read-only root filesystem refuses these writes first (EROFS, no KubeArmor alert); '
  + 'the policy blocks and alerts if the pod is ever run with a writable root filesystem';

function detectionCannotFire(ctx: LintContext): Finding[] {
  const out: Finding[] = [];
  for (const i of ctx.policies) {
    const m = ctx.manifests[i];
    const workloads = ctx.selected.get(i);
    if (m.kind === 'KubeArmorHostPolicy' || !workloads || workloads.length === 0) continue;
    const file = ctx.rules.get(i)!.filter((r) => r.list.section === 'file' && r.action !== 'Allow');
    // Only policies of readOnly rules: an all-access rule also mediates reads, which the kernel lets through.
    if (file.length === 0 || file.some((r) => r.rule.readOnly !== true)) continue;
    const targets = file.map((r) => ({ path: String(r.rule.dir ?? r.rule.path), isDir: r.list.list === 'matchDirectories' }));
    const refused = workloads.every((w) => w.filesystems !== undefined && w.filesystems.length > 0
      && w.filesystems.every((fs) => targets.every((t) => kernelRefusesWrites(fs, t))));
    if (!refused) continue;
    out.push({
      manifest: i,
      jsonPath: '/spec/file',
      message: `every path the ${file.length} read-only file ${file.length === 1 ? 'rule' : 'rules'} of ${policyName(m)} protect is on the read-only root filesystem of `
        + `${workloads.map((w) => w.name).join(', ')} (readOnlyRootFilesystem: true, no writable mount over it): writes fail with EROFS before KubeArmor's hooks, `
        + 'so it neither blocks nor alerts there and gives no detection evidence',
      related: [],
    });
  }
  return out;
}

export const EVIDENCE_LINTS: readonly LintRuleRow[] = [
  {
    id: 'KA040',
    name: 'detection-cannot-fire',
    severity: 'warning',
    summary: 'Every path a read-only file-integrity policy protects is read-only for the selected containers anyway (readOnlyRootFilesystem: true and no writable mount over it): '
      + 'the kernel refuses each write with EROFS before the LSM hooks, so KubeArmor never blocks or alerts and the policy yields no detection evidence.',
    fix: 'Acknowledge it when the policy is defence in depth (it blocks and alerts if the pod is ever run with a writable root filesystem); HardenedWorkload does so itself. '
      + 'For alerts, protect paths the container can write (under its writable mounts), and count the read-only root filesystem as the preventive control.',
    check: detectionCannotFire,
  },
];
