/**
 * The caveats a simulation result carries about what it cannot know for certain: symlinks, mediation the
 * simulator approximates, host-policy settings, alert attribution and throttling (docs/kubearmor-semantics.md §6).
 */
import { AccessOperation } from '../access-request';
import { MatchedLog } from './alert-matcher';
import { CompiledRule } from './compile';
import { CachedEndpoint } from './endpoint-cache';
import { Ctx, Enforcement, note } from './enforcement';

const MERGED_USR = /^\/(bin|sbin|lib|lib32|lib64|libx32)\//;

export function fileCaveats(ctx: Ctx, op: AccessOperation, appArmor: boolean, path: string): void {
  if (MERGED_USR.test(path)) {
    note(ctx, 'symlinks: enforcement uses the resolved path; on merged-/usr images /bin, /sbin and /lib point into /usr, so list both the link and its target (§6.7, #984, #2319)');
  }
  if (appArmor && (op === AccessOperation.CHMOD || op === AccessOperation.CHOWN)) {
    note(ctx, `AppArmor mediates ${op.toLowerCase()} through the 'w' permission in this simulation; not covered by KubeArmor's tests`);
  }
  if (op === AccessOperation.RENAME) note(ctx, 'RENAME is evaluated on the source path only; the destination is mediated as a create');
}

export function resultCaveats(ctx: Ctx, cached: CachedEndpoint, enf: Enforcement, m: MatchedLog | undefined,
  matchedPolicies: string[], audited: boolean, host: boolean, matchedRules: CompiledRule[]): void {
  const ep = cached.index;
  if (host) {
    note(ctx, 'host policies are enforced only when KubeArmor runs with enableKubeArmorHostPolicy=true (default false)');
    note(ctx, "host enforcement follows KubeArmor's hostDefault*Posture settings, while the alert matcher's host branch uses defaultFilePosture (policyMatcher.go:2328-2332): the simulation uses the request's postures for both");
  }
  for (const p of ep.nativeAppArmor) {
    note(ctx, `policy ${p.name} has spec.apparmor: its lines are written into the AppArmor profile (enforced; not by BPF-LSM), and KubeArmor's alert matcher skips the policy`);
  }
  if (matchedPolicies.length > 1) {
    note(ctx, `several policies match (${matchedPolicies.join(', ')}): the alert names the first matching rule in the order the policies were applied (simulated: manifest order); under BPF-LSM the last rule written for a path wins (§6.3, §6.4)`);
  }
  if (m?.rule !== undefined && enf.denied && enf.rule !== undefined && m.rule.policy !== enf.rule.policy) {
    note(ctx, `alert attribution: KubeArmor names ${m.policyName} (first matching rule) although ${enf.rule.policy.name} decides the denial (§6.4, #1370)`);
  }
  if (enf.denied && m === undefined) {
    note(ctx, 'denied, but KubeArmor\'s alert matcher attributes the event to no rule: it is logged as ContainerLog/HostLog, not as an alert');
  }
  if (m !== undefined && (m.action === 'Audit' || m.action.startsWith('Audit ('))) {
    note(ctx, 'Audit alerts are throttled (alertThrottling, maxAlertPerSec=10) and need visibility enabled for the entity (#2090)');
  }
  if (audited && matchedRules.some((r) => r.readOnly || r.ownerOnly)) {
    note(ctx, "audited pod with a readOnly/ownerOnly rule: recent KubeArmor matcher code raises 'Audit (Block)' when the flags do NOT match (e.g. on reads), the opposite of enforcement; verify against your KubeArmor version");
  }
}
