/**
 * "How to verify" for each policy of a compliance report, as the use-case card does it: a command to run in
 * a selected pod and what KubeArmor does, predicted by the simulator from the emitted manifests under both
 * enforcers. Where the kernel refuses first (a read-only root filesystem: EROFS before any LSM hook) the
 * report says so, and adds what KubeArmor would do were the root filesystem writable.
 */
import { EffectivePolicy, EffectiveRule } from './effective';
import { ReportWorkload, execTarget } from './report-workloads';
import { AccessOperation, SimulatedEnforcer } from '../simulator/access-request';
import { PolicySimulator } from '../simulator/policy-simulator';
import { SimulatedAction } from '../simulator/simulation-result';

/** The probe file created in a protected directory. */
export const PROBE_NAME = 'kubearmor-verify';

export interface VerifyOutcome {
  /** `AppArmor` or `BPFLSM`, as alerts spell it. */
  readonly enforcer: string;
  /** `BLOCK`, `AUDIT`, `KERNEL`, ... (SimulatedAction). */
  readonly action: string;
  /** What the command gets: `Permission denied`, `Read-only file system`, `Passed`. */
  readonly result: string;
  /** The predicted alert (KubeArmor's JSON fields), or undefined when none is raised. */
  readonly alert?: any;
  readonly caveats: string[];
}

export interface Verification {
  readonly workload: string;
  readonly container?: string;
  readonly rule: string;
  readonly operation: string;
  readonly path: string;
  readonly command?: string;
  /** Why there is no command (e.g. a CronJob has no pod to exec into). */
  readonly noCommand?: string;
  readonly outcomes: VerifyOutcome[];
  /** Whether the kernel refuses the access before KubeArmor sees it, under every enforcer. */
  readonly kernelFirst: boolean;
  /** With kernelFirst: the outcomes with a writable root filesystem (how the seed's pod ran). */
  readonly withWritableRootFilesystem?: VerifyOutcome[];
}

interface Probe {
  readonly rule: EffectiveRule;
  readonly operation: AccessOperation;
  readonly path: string;
  readonly process: string;
  readonly argv: string[];
}

function probeOf(policy: EffectivePolicy): Probe | undefined {
  const plain = policy.rules.filter((r) => !Array.isArray(r.rule.fromSource) || r.rule.fromSource.length === 0);
  const dir = plain.find((r) => r.list.id === 'file.matchDirectories' && typeof r.rule.dir === 'string');
  if (dir) {
    const p = `${dir.rule.dir}${PROBE_NAME}`;
    return { rule: dir, operation: AccessOperation.CREATE, path: p, process: '/bin/touch', argv: ['touch', p] };
  }
  const file = plain.find((r) => r.list.id === 'file.matchPaths' && typeof r.rule.path === 'string');
  if (file) return { rule: file, operation: AccessOperation.APPEND, path: file.rule.path, process: '/bin/sh', argv: ['sh', '-c', `'echo >> ${file.rule.path}'`] };
  const exec = plain.find((r) => r.list.id === 'process.matchPaths' && typeof r.rule.path === 'string');
  if (exec) return { rule: exec, operation: AccessOperation.EXEC, path: exec.rule.path, process: '/bin/sh', argv: [exec.rule.path, '--version'] };
  return undefined;
}

const ENFORCERS: ReadonlyArray<[SimulatedEnforcer, string]> = [[SimulatedEnforcer.APPARMOR, 'AppArmor'], [SimulatedEnforcer.BPF_LSM, 'BPFLSM']];

/** The verification of `policy` in each of `workloads` (the workloads it selects); none when no rule has a command-line probe. */
export function verificationsOf(sim: PolicySimulator, policy: EffectivePolicy, workloads: readonly ReportWorkload[]): Verification[] {
  const probe = probeOf(policy);
  if (probe === undefined) return [];
  return workloads.map((w) => {
    const fs = w.filesystems.find((f) => f.name !== undefined && w.containers.includes(f.name)) ?? w.filesystems[0];
    const container = fs?.name;
    const run = (writable: boolean): VerifyOutcome[] => ENFORCERS.map(([enforcer, name]) => {
      const r = sim.evaluate({
        namespace: w.namespace,
        labels: w.labels,
        podAnnotations: w.annotations,
        container,
        operation: probe.operation,
        path: probe.path,
        process: probe.process,
        uid: fs?.user ?? 0,
        readOnlyRootFilesystem: writable ? false : fs?.readOnlyRootFilesystem ?? false,
        writableMounts: [...(fs?.writableMounts ?? [])],
        enforcer,
      });
      return { enforcer: name, action: r.action, result: r.result, alert: r.toKubeArmorJson(), caveats: [...r.caveats] };
    });
    const outcomes = run(false);
    const kernelFirst = outcomes.every((o) => o.action === SimulatedAction.KERNEL);
    const target = execTarget(w);
    return {
      workload: w.id,
      ...(container !== undefined ? { container } : {}),
      rule: probe.rule.pointer,
      operation: probe.operation,
      path: probe.path,
      ...(target !== undefined
        ? { command: `kubectl exec -n ${w.namespace} ${target}${container !== undefined ? ` -c ${container}` : ''} -- ${probe.argv.join(' ')}` }
        : { noCommand: `a ${w.kind} has no pod until it runs: create a Job from it (kubectl create job --from=cronjob/${w.name}) and exec into its pod` }),
      outcomes,
      kernelFirst,
      ...(kernelFirst ? { withWritableRootFilesystem: run(true) } : {}),
    };
  });
}
