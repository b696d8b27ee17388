/**
 * What a replayed access changes (its impact kind), and the deterministic order of findings in a report.
 */
import { SimulationResult } from '../../simulator';
import { ImpactFinding, ImpactKind } from '../impact-report';
import { MappedEvent } from './telemetry-event';

export function classify(ev: MappedEvent, res: SimulationResult): ImpactKind | undefined {
  const denied = !res.permitted;
  if (denied && !ev.observed.denied) return ImpactKind.NEWLY_DENIED;
  if (denied) return ImpactKind.STILL_DENIED;
  if (ev.observed.denied) return ImpactKind.NEWLY_PERMITTED;
  const before = ev.observed.alert ? `${ev.observed.policyName}\u0000${ev.observed.action}` : '';
  const after = res.alert ? `${res.alert.policyName}\u0000${res.alert.action}` : '';
  return before === after ? undefined : ImpactKind.ALERT_CHANGED;
}

/** Code-unit order of two strings (locale-independent, so reports are deterministic). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const KIND_ORDER: Record<string, number> = {
  [ImpactKind.NEWLY_DENIED]: 0, [ImpactKind.STILL_DENIED]: 1, [ImpactKind.NEWLY_PERMITTED]: 2, [ImpactKind.ALERT_CHANGED]: 3,
};

export function compareFindings(a: ImpactFinding, b: ImpactFinding): number {
  return cmp(a.workload, b.workload) || cmp(a.container, b.container) || cmp(a.policyName, b.policyName)
    || cmp(a.rulePointers[0] ?? '', b.rulePointers[0] ?? '') || cmp(a.operation, b.operation) || cmp(a.target, b.target)
    || cmp(a.process, b.process) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.lines[0] - b.lines[0];
}
