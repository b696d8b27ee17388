/**
 * From the enforcer's decision and the alert matcher's outcome to what a result reports: the rules the
 * alert matcher sees, the simulated action, and the policies that matched.
 */
import { MatchedLog } from './alert-matcher';
import { CompiledRule } from './compile';
import { EMPTY, EndpointIndex } from './endpoint';
import { Enforcement } from './enforcement';
import { SimulatedAction } from '../simulation-result';

/** Candidates that the alert matcher sees (policies with spec.apparmor are skipped), plus every Allow rule, in order. */
export function mergeForFeeder(candidates: CompiledRule[], allow: CompiledRule[], ep: EndpointIndex): CompiledRule[] {
  const skipNative = ep.nativeAppArmor.length > 0;
  if (allow.length === 0 && !skipNative) return candidates;
  const out: CompiledRule[] = [];
  const seen = new Set<CompiledRule>();
  for (const r of candidates) {
    if (skipNative && r.policy.nativeAppArmor) continue;
    out.push(r);
    seen.add(r);
  }
  for (const r of allow) {
    if (seen.has(r) || (skipNative && r.policy.nativeAppArmor)) continue;
    out.push(r);
  }
  out.sort((a, b) => a.order - b.order);
  return out.length === 0 ? EMPTY : out;
}

/** The action a result reports, from the pod's mode, the enforcement and the alert raised. */
export function simulatedAction(audited: boolean, enf: Enforcement, m: MatchedLog | undefined): SimulatedAction {
  if (audited) {
    if (m?.action === 'Audit (Block)') return SimulatedAction.AUDITED_BLOCK;
    if (m?.policyName === 'DefaultPosture') return SimulatedAction.ALLOW_LIST_DEFAULT;
    if (m?.action === 'Audit') return SimulatedAction.AUDIT;
    return SimulatedAction.NONE;
  }
  if (enf.byPosture) return SimulatedAction.ALLOW_LIST_DEFAULT;
  if (enf.denied) return SimulatedAction.BLOCK;
  if (m !== undefined && m.policyName === 'DefaultPosture') return SimulatedAction.ALLOW_LIST_DEFAULT;
  if (m !== undefined && m.action === 'Audit') return SimulatedAction.AUDIT;
  if (enf.rule !== undefined && enf.rule.action === 'Allow') return SimulatedAction.ALLOW;
  return SimulatedAction.NONE;
}

/** The names of the policies of the matched rules and of the deciding rule, first seen first (a new list: it is the caller's result's). */
export function policyNames(matched: CompiledRule[], decided: CompiledRule | undefined): string[] {
  if (matched.length === 0 && decided === undefined) return [];
  if (matched.length === 1 && (decided === undefined || decided.policy === matched[0].policy)) return [matched[0].policy.name];
  const names: string[] = [];
  for (const r of matched) if (!names.includes(r.policy.name)) names.push(r.policy.name);
  if (decided !== undefined && !names.includes(decided.policy.name)) names.push(decided.policy.name);
  return names;
}
