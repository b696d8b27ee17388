import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { PolicyDiffReport } from './diff-report';
import { lazy } from '../private/lazy';

// Loaded on first use, not when the library is loaded (cold require cost).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazyRead = lazy((): typeof import('./private/read') => require('./private/read'));
const lazyCompare = lazy((): typeof import('./private/compare') => require('./private/compare'));
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * A semantic diff of two synthesised apps (or any two sets of KubeArmor policies and workloads): what a
 * change does to enforcement, per workload (namespace + pod labels, or node for host policies) — the
 * effective rules added, removed or changed; allow-list mode entered or left and default posture
 * changes; pods newly or no longer selected; the alerts' policy name, severity, tags and message; new and
 * resolved lint findings; compliance controls gained or lost; and every concrete access the simulator
 * decides or alerts on differently, under both enforcers (AppArmor, BPF-LSM) and both default postures.
 *
 * Equivalence is decided by effect, not by text: renamed policies and reordered rule lists report
 * "no enforcement change". docs/diff.md says how the probes are chosen and where they can be fooled.
 *
 * @example
 * const report = PolicyDiff.compareFiles(['base/dist'], ['dist']);
 * if (report.hasChanges) console.log(report.toMarkdown());
 */
export class PolicyDiff {
  /**
   * Compares manifests (parsed YAML or JSON objects, each array in application order). Workloads
   * (Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs, Pods) and Namespaces (posture
   * annotations) among them are used; other non-KubeArmor objects are ignored. Without any workload on
   * either side, each policy's selector stands for a workload.
   *
   * @param before the manifests before the change
   * @param after the manifests after the change
   */
  public static compareManifests(before: any[], after: any[]): PolicyDiffReport {
    return new PolicyDiffReport(lazyCompare().compareManifests(before, after));
  }

  /**
   * Compares synthesised YAML: files, or directories (every .yaml/.yml below them, e.g. the `dist/` of
   * the base branch and of the pull request). Throws, naming file:line, field and fix, when a file
   * cannot be read or holds a KubeArmor policy that is not valid (run `cdk8s-kubearmor lint`).
   *
   * @param before files or directories before the change
   * @param after files or directories after the change
   */
  public static compareFiles(before: string[], after: string[]): PolicyDiffReport {
    return PolicyDiff.compareManifests(lazyRead().readManifests(before, 'before'), lazyRead().readManifests(after, 'after'));
  }

  /**
   * Compares two construct scopes (Apps or Charts), through what their charts synthesise.
   *
   * @param before the app before the change
   * @param after the app after the change
   */
  public static compareScopes(before: IConstruct, after: IConstruct): PolicyDiffReport {
    return PolicyDiff.compareManifests(manifestsOf(before), manifestsOf(after));
  }

  private constructor() {}
}

function manifestsOf(scope: IConstruct): any[] {
  let charts = scope.node.findAll().filter((c) => Chart.isChart(c)) as Chart[];
  if (charts.length === 0) charts = [Chart.of(scope)];
  return charts.flatMap((c) => c.toJson());
}

