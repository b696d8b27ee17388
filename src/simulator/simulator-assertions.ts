import { AccessRequest } from './access-request';
import { PolicySimulator } from './policy-simulator';
import { ExpectedAlert, PredictedAlert } from './predicted-alert';
import { SimulationResult } from './simulation-result';
import { lazy } from '../private/lazy';

// Loaded on first use, not when the library is loaded (cold require cost).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazyWorkload = lazy((): typeof import('../private/workload') => require('../private/workload'));
/* eslint-enable @typescript-eslint/no-require-imports */

function describeRequest(r: AccessRequest): string {
  const w = r.workload !== undefined ? lazyWorkload().workloadOf(r.workload) : undefined;
  const who = r.node !== undefined
    ? `node ${r.node}`
    : `${r.namespace ?? w?.namespace ?? '?'}/${r.labels ? Object.entries(r.labels).map(([k, v]) => `${k}=${v}`).join(',') : (w?.name ?? '')}${r.container ? ` (container ${r.container})` : ''}`;
  const target = r.path ?? r.protocol ?? r.capability ?? '';
  const proc = r.process ? ` by ${r.process}` : '';
  return `${r.operation} ${target}${proc} in ${who} under ${r.enforcer ?? 'the default enforcer'}`;
}

function describeResult(res: SimulationResult): string {
  const a = res.alert;
  const lines = [
    `  verdict:  ${res.permitted ? 'PERMITTED' : 'DENIED'} (action ${res.action}, Result "${res.result}")`,
    `  alert:    ${a ? JSON.stringify(res.toKubeArmorJson()) : 'none'}`,
  ];
  if (res.decidedBy) lines.push(`  decided by: ${res.decidedBy}`);
  if (res.caveats.length > 0) lines.push(`  caveats:\n    - ${res.caveats.join('\n    - ')}`);
  return lines.join('\n');
}

const FIELDS: (keyof ExpectedAlert)[] = [
  'type', 'policyName', 'severity', 'tags', 'aTags', 'message', 'action', 'result', 'enforcer', 'operation',
  'resource', 'namespaceName', 'labels', 'containerName', 'processName', 'parentProcessName', 'hostName', 'uid',
];

function alertMismatches(alert: PredictedAlert, expected: ExpectedAlert): string[] {
  const out: string[] = [];
  for (const f of FIELDS) {
    const want = (expected as any)[f];
    if (want === undefined) continue;
    const got = (alert as any)[f];
    if (JSON.stringify(got) !== JSON.stringify(want)) out.push(`${f}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
  }
  return out;
}

/**
 * Assertions for tests (jest, mocha, node:test, ...) that throw descriptive errors. They need no
 * test framework at runtime and return the `SimulationResult` for further checks.
 *
 * @example
 * SimulatorAssertions.assertDenied(sim, { namespace: 'shop', labels: { app: 'web' },
 *   operation: AccessOperation.WRITE, path: '/etc/passwd', process: '/bin/sh' }, { policyName: 'web-fim' });
 */
export class SimulatorAssertions {
  /**
   * Asserts that the access is denied and, when `expected` is given, that an alert is raised whose
   * given fields equal `expected`.
   *
   * @param simulator the simulator
   * @param request the access
   * @param expected alert fields to compare (others are ignored)
   */
  public static assertDenied(simulator: PolicySimulator, request: AccessRequest, expected?: ExpectedAlert): SimulationResult {
    const res = simulator.evaluate(request);
    if (res.permitted) {
      throw new Error(`expected ${describeRequest(request)} to be DENIED, but it is permitted\n${describeResult(res)}`);
    }
    if (expected !== undefined) SimulatorAssertions.checkAlert(request, res, expected);
    return res;
  }

  /**
   * Asserts that the access is permitted and, when `expected` is given, that an alert is raised
   * whose given fields equal `expected` (e.g. an Audit alert).
   *
   * @param simulator the simulator
   * @param request the access
   * @param expected alert fields to compare (others are ignored)
   */
  public static assertPermitted(simulator: PolicySimulator, request: AccessRequest, expected?: ExpectedAlert): SimulationResult {
    const res = simulator.evaluate(request);
    if (!res.permitted) {
      throw new Error(`expected ${describeRequest(request)} to be PERMITTED, but it is denied\n${describeResult(res)}`);
    }
    if (expected !== undefined) SimulatorAssertions.checkAlert(request, res, expected);
    return res;
  }

  /**
   * Asserts that KubeArmor raises no alert for the access (whatever the verdict).
   *
   * @param simulator the simulator
   * @param request the access
   */
  public static assertNoAlert(simulator: PolicySimulator, request: AccessRequest): SimulationResult {
    const res = simulator.evaluate(request);
    if (res.alert !== undefined) {
      throw new Error(`expected no alert for ${describeRequest(request)}, but KubeArmor would raise one\n${describeResult(res)}`);
    }
    return res;
  }

  /**
   * Asserts that an alert is raised whose given fields equal `expected` (whatever the verdict).
   *
   * @param simulator the simulator
   * @param request the access
   * @param expected alert fields to compare (others are ignored)
   */
  public static assertAlert(simulator: PolicySimulator, request: AccessRequest, expected: ExpectedAlert): SimulationResult {
    const res = simulator.evaluate(request);
    SimulatorAssertions.checkAlert(request, res, expected);
    return res;
  }

  private static checkAlert(request: AccessRequest, res: SimulationResult, expected: ExpectedAlert): void {
    if (res.alert === undefined) {
      throw new Error(`expected an alert for ${describeRequest(request)}, but KubeArmor would raise none\n${describeResult(res)}`);
    }
    const diffs = alertMismatches(res.alert, expected);
    if (diffs.length > 0) {
      throw new Error(`alert for ${describeRequest(request)} differs:\n  - ${diffs.join('\n  - ')}\n${describeResult(res)}`);
    }
  }

  private constructor() {}
}
