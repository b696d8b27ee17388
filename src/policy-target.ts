import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { PolicyKind } from './policy-kind';
import { echo as show, joinField, throwProblems } from './private/errors';
import { lazy } from './private/lazy';
import type { Issue } from './private/validate';
import type { WorkloadView } from './private/workload';

// Loaded on first use, not when the library is loaded (cold require cost).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazyWorkload = lazy((): typeof import('./private/workload') => require('./private/workload'));
const lazyValidate = lazy((): typeof import('./private/validate') => require('./private/validate'));
const lazyCanonical = lazy((): typeof import('./private/canonical') => require('./private/canonical'));
/* eslint-enable @typescript-eslint/no-require-imports */

/** Operators of a selector expression. */
export enum SelectorOperator {
  /** The pod carries at least one of the listed labels (or is in one of the listed namespaces). */
  IN = 'In',
  /** The pod carries none of the listed labels (or is in none of the listed namespaces). */
  NOT_IN = 'NotIn',
}

/** Options for {@link PolicyTarget.allNamespaces}. */
export interface AllNamespacesOptions {
  /**
   * Namespaces to leave out (`namespace NotIn [...]`).
   * @default - every namespace KubeArmor tracks
   */
  readonly except?: string[];
}

interface Expression {
  readonly key: string;
  readonly operator: string;
  readonly values: string[];
}

interface TargetData {
  readonly kind: PolicyKind;
  readonly description: string;
  readonly workload?: WorkloadView;
  readonly labels?: Record<string, string>;
  readonly namespace?: string;
  readonly nodeLabels?: Record<string, string>;
  readonly containers?: string[];
  readonly expressions: Expression[];
  /** An imported selector, rendered verbatim (lossless import). */
  readonly rawSelector?: Record<string, unknown>;
  /** PolicyTarget.namespace(): every pod of the namespace is meant (lint KA030 acknowledged). */
  readonly wholeNamespace?: boolean;
}

function fail(where: string, issues: Issue[]): void {
  throwProblems(issues.map((i) => ({ where, field: joinField('', i.field), value: i.value, problem: i.problem, fix: i.fix })));
}

function checkLabels(where: string, labels: Record<string, string>, what: string): void {
  if (Object.keys(labels ?? {}).length === 0) {
    throw new Error(`${where}: ${what} {} is empty; ${what === 'nodeLabels'
      ? 'an empty nodeSelector matches no node: give at least one node label, e.g. { \'kubernetes.io/os\': \'linux\' }'
      : 'an empty selector would select every pod of the namespace: give at least one label, or use PolicyTarget.namespace() to mean the whole namespace'}`);
  }
  fail(where, lazyValidate().labelIssues(what, labels));
}

/**
 * What a policy protects; it decides the KubeArmor kind that is emitted.
 *
 * - workload / pod labels / namespace: `KubeArmorPolicy` in one namespace;
 * - namespaces / all namespaces: `KubeArmorClusterPolicy`;
 * - nodes: `KubeArmorHostPolicy`.
 */
export class PolicyTarget {
  /**
   * The pods of a cdk8s-plus workload or pod (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod) of any
   * cdk8s-plus version from 27 to 33, recognised by its shape (kind, pod template, selector, containers):
   * a `KubeArmorPolicy` in the workload's namespace whose `selector.matchLabels` are the labels that
   * identify its pods — the workload's selector labels, which synthesis checks are all on the pod
   * template (a bare Pod: its own labels; a Job or CronJob, which Kubernetes selects itself:
   * cdk8s-plus's address label on its pod template). Read at synth, so later `select()` / `podMetadata.addLabel()`
   * calls are honoured. Synthesis fails when a selector label is missing from the pod template, or when
   * there is no label to select by.
   *
   * A workload without namespace gets a policy without namespace (both land in the namespace they are
   * applied to); synthesis warns once (lint KA016).
   *
   * @param workload the workload construct; anything else is refused with an error naming what was passed
   */
  public static workload(workload: IConstruct): PolicyTarget {
    const view = lazyWorkload().requireWorkload('PolicyTarget.workload', workload);
    const ns = view.namespace;
    if (ns !== undefined) fail(`PolicyTarget.workload(${workload.node.path})`, lazyValidate().namespaceIssues(ns));
    return new PolicyTarget({
      kind: PolicyKind.KUBE_ARMOR_POLICY,
      description: `pods of ${view.kind} ${ns ?? '(no namespace)'}/${view.name}`,
      workload: view,
      namespace: ns,
      expressions: [],
    });
  }

  /**
   * Pods carrying all of these labels (`selector.matchLabels`, AND) in one namespace: a `KubeArmorPolicy`.
   * @param labels at least one label
   * @param namespace the namespace; default: the namespace of the policy's chart
   */
  public static podLabels(labels: Record<string, string>, namespace?: string): PolicyTarget {
    checkLabels('PolicyTarget.podLabels', labels, 'labels');
    if (namespace !== undefined) fail('PolicyTarget.podLabels', lazyValidate().namespaceIssues(namespace));
    return new PolicyTarget({
      kind: PolicyKind.KUBE_ARMOR_POLICY,
      description: `pods labelled ${Object.entries(labels).map(([k, v]) => `${k}=${v}`).sort().join(',')} in ${namespace ?? 'the chart namespace'}`,
      labels: { ...labels },
      namespace,
      expressions: [],
    });
  }

  /**
   * Every pod of one namespace: a `KubeArmorPolicy` without selector. This is the only way to get an
   * empty selector.
   * @param namespace the namespace; default: the namespace of the policy's chart
   */
  public static namespace(namespace?: string): PolicyTarget {
    if (namespace !== undefined) fail('PolicyTarget.namespace', lazyValidate().namespaceIssues(namespace));
    return new PolicyTarget({
      kind: PolicyKind.KUBE_ARMOR_POLICY,
      description: `every pod in namespace ${namespace ?? '(chart namespace)'}`,
      namespace,
      expressions: [],
      wholeNamespace: true,
    });
  }

  /**
   * Every pod of the listed namespaces: a `KubeArmorClusterPolicy` with `namespace In [...]`.
   * @param names at least one namespace
   */
  public static namespaces(names: string[]): PolicyTarget {
    if (names.length === 0) throw new Error('PolicyTarget.namespaces: names [] is empty; list at least one namespace, or use PolicyTarget.allNamespaces()');
    for (const n of names) fail('PolicyTarget.namespaces', lazyValidate().namespaceIssues(n));
    const values = [...new Set(names)].sort();
    return new PolicyTarget({
      kind: PolicyKind.KUBE_ARMOR_CLUSTER_POLICY,
      description: `every pod in namespaces ${values.join(', ')}`,
      expressions: [{ key: 'namespace', operator: SelectorOperator.IN, values }],
    });
  }

  /** Every pod of every tracked namespace (optionally except some): a `KubeArmorClusterPolicy`. */
  public static allNamespaces(options: AllNamespacesOptions = {}): PolicyTarget {
    const except = [...new Set(options.except ?? [])].sort();
    for (const n of except) {
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(n)) fail('PolicyTarget.allNamespaces', [{ field: 'except', value: n, problem: 'is not a valid namespace name', fix: 'use a DNS-1123 label' }]);
    }
    return new PolicyTarget({
      kind: PolicyKind.KUBE_ARMOR_CLUSTER_POLICY,
      description: except.length ? `every pod in every namespace except ${except.join(', ')}` : 'every pod in every namespace',
      expressions: except.length ? [{ key: 'namespace', operator: SelectorOperator.NOT_IN, values: except }] : [],
    });
  }

  /**
   * Nodes carrying all of these labels: a `KubeArmorHostPolicy` (`nodeSelector.matchLabels`).
   * Host policies are enforced only when KubeArmor runs with `enableKubeArmorHostPolicy=true`.
   * @param nodeLabels at least one label (an empty nodeSelector matches no node)
   */
  public static nodes(nodeLabels: Record<string, string>): PolicyTarget {
    checkLabels('PolicyTarget.nodes', nodeLabels, 'nodeLabels');
    return new PolicyTarget({
      kind: PolicyKind.KUBE_ARMOR_HOST_POLICY,
      description: `nodes labelled ${Object.entries(nodeLabels).map(([k, v]) => `${k}=${v}`).sort().join(',')}`,
      nodeLabels: { ...nodeLabels },
      expressions: [],
    });
  }

  /** @internal an imported selector, kept verbatim */
  public static _imported(kind: PolicyKind, namespace: string | undefined, rawSelector: Record<string, unknown> | undefined): PolicyTarget {
    return new PolicyTarget({ kind, description: 'imported selector', namespace, expressions: [], rawSelector: lazyCanonical().deepCopy(rawSelector ?? {}) });
  }

  private constructor(private readonly data: TargetData) {}

  /** The KubeArmor kind this target produces. */
  public get kind(): PolicyKind {
    return this.data.kind;
  }

  /** A human-readable description of what is selected (for reports). */
  public get description(): string {
    const c = this.data.containers ? ` (containers ${this.data.containers.join(', ')})` : '';
    const e = this.data.expressions.filter((x) => x.key === 'label').map((x) => ` (labels ${x.operator} ${x.values.join(', ')})`).join('');
    return `${this.data.description}${c}${e}`;
  }

  /**
   * The namespace given explicitly or taken from the workload.
   * @default - the policy's chart namespace (namespaced kinds other than workload targets), none for a workload
   * without namespace (the policy is as namespaceless as the workload) and for cluster-scoped kinds
   */
  public get selectedNamespace(): string | undefined {
    return this.data.namespace;
  }

  /** The workload whose pods are selected, for workload targets (a cdk8s-plus workload of any version). */
  public get selectedWorkload(): IConstruct | undefined {
    return this.data.workload?.construct;
  }

  /**
   * Restricts the policy to some containers of the selected pods
   * (`kubearmor.io/container.name: "[a,b]"`). Supported by `KubeArmorPolicy` targets only.
   * @returns a new target; this one is unchanged
   */
  public inContainers(names: string[]): PolicyTarget {
    if (this.data.kind !== PolicyKind.KUBE_ARMOR_POLICY || this.data.rawSelector) {
      throw new Error(`PolicyTarget.inContainers: containers ${show(names)} cannot restrict a ${this.data.kind}; KubeArmor supports container targeting only in KubeArmorPolicy selectors (matchLabels)`);
    }
    if (names.length === 0) throw new Error('PolicyTarget.inContainers: names [] is empty; list at least one container name');
    for (const n of names) {
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(n)) throw new Error(`PolicyTarget.inContainers: container name ${show(n)} is not a DNS-1123 label; use the container's name from the pod spec`);
    }
    return new PolicyTarget({ ...this.data, containers: [...new Set([...(this.data.containers ?? []), ...names])].sort() });
  }

  /**
   * Further restricts selection with a label expression (`matchExpressions`, key `label`):
   * `IN` = the pod carries at least one of the labels; `NOT_IN` = it carries none.
   * Not for host policies. A target may use one operator only: KubeArmor drops a `NotIn` that
   * follows an `In`, and lets a `NotIn` decide alone when it comes first (docs/kubearmor-semantics.md §5).
   * @param labels labels as `key=value`
   * @returns a new target; this one is unchanged
   */
  public withLabelExpression(operator: SelectorOperator, labels: string[]): PolicyTarget {
    const where = 'PolicyTarget.withLabelExpression';
    if (this.data.kind === PolicyKind.KUBE_ARMOR_HOST_POLICY || this.data.rawSelector) {
      throw new Error(`${where}: a ${this.data.kind} selects nodes by nodeSelector.matchLabels only; use PolicyTarget.nodes({...})`);
    }
    if (labels.length === 0) throw new Error(`${where}: labels [] is empty; list at least one 'key=value' label`);
    for (const l of labels) {
      const [k, ...rest] = l.split('=');
      if (rest.length === 0 || k.length === 0) throw new Error(`${where}: label ${show(l)} must be 'key=value'; e.g. 'app=web'`);
      fail(where, lazyValidate().labelIssues('labels', { [k]: rest.join('=') }));
    }
    const other = this.data.expressions.find((x) => x.key === 'label' && x.operator !== operator);
    if (other) {
      throw new Error(`${where}: operator ${show(operator)} cannot be combined with ${other.operator} on labels in one selector (KubeArmor ignores a NotIn after an In, and a leading NotIn decides alone); use two policies`);
    }
    const expressions = this.data.expressions.map((x) => x.key === 'label' && x.operator === operator
      ? { ...x, values: [...new Set([...x.values, ...labels])].sort() } : x);
    if (!expressions.some((x) => x.key === 'label')) expressions.push({ key: 'label', operator, values: [...new Set(labels)].sort() });
    return new PolicyTarget({ ...this.data, expressions });
  }

  /** @internal Whether every pod of the namespace is meant (PolicyTarget.namespace()). */
  public get _wholeNamespace(): boolean {
    return this.data.wholeNamespace === true;
  }

  /** @internal Whether the selector was imported (its namespace is then linted, KA003, not refused). */
  public get _isImported(): boolean {
    return this.data.rawSelector !== undefined;
  }

  /**
   * The namespace a namespaced policy for this target lives in, for a policy created in `scope`.
   * @internal
   */
  public _namespaceFor(scope: Construct): string | undefined {
    if (this.data.kind !== PolicyKind.KUBE_ARMOR_POLICY) return undefined;
    // A workload's policy is exactly as namespaced as the workload: a workload without namespace (a chart
    // without namespace) lands in the namespace it is applied to, and so must its policy (lint KA016).
    if (this.data.workload) return this.data.namespace;
    return this.data.namespace ?? Chart.of(scope).namespace;
  }

  /**
   * Checks the workload's selector against its pod template (needs the final app, so runs at synth).
   * @internal
   */
  public _validate(): string[] {
    const w = this.data.workload;
    if (!w) return [];
    const errors: string[] = [];
    if (Object.keys(w.podSelectorLabels()).length === 0) {
      errors.push(`workload ${w.construct.node.path} has no selector labels, so a policy cannot select its pods (an empty selector would select the whole namespace); keep cdk8s-plus's default select: true, or call select(LabelSelector.of({ labels: { app: '${w.name}' } })) and podMetadata.addLabel('app', '${w.name}')`);
      return errors;
    }
    if (w.selects) {
      // podLabel reads the template's labels without resolving the whole metadata (this runs once per
      // chart synthesised, for every policy).
      const missing = Object.entries(w.matchLabels()).filter(([k, v]) => w.podLabel(k) !== v);
      if (missing.length > 0) {
        errors.push(`workload ${w.construct.node.path} selects pods by ${missing.map(([k, v]) => `${k}=${v}`).join(', ')} but its pod template does not carry ${missing.length > 1 ? 'them' : 'it'} (Kubernetes rejects such a workload); add podMetadata.addLabel(${show(missing[0][0])}, ${show(missing[0][1])}) next to select()`);
      }
    }
    return errors;
  }

  /**
   * The selector (`selector` or `nodeSelector`) to emit, or undefined. Called at synth.
   * @internal
   */
  public _renderSelector(): Record<string, unknown> | undefined {
    const d = this.data;
    if (d.rawSelector) return Object.keys(d.rawSelector).length ? lazyCanonical().deepCopy(d.rawSelector) : undefined;
    if (d.kind === PolicyKind.KUBE_ARMOR_HOST_POLICY) return { matchLabels: { ...d.nodeLabels } };
    const out: Record<string, unknown> = {};
    let labels: Record<string, string> = {};
    if (d.workload) labels = d.workload.podSelectorLabels();
    else if (d.labels) labels = { ...d.labels };
    if (d.containers) labels[lazyValidate().CONTAINER_LABEL] = `[${d.containers.join(',')}]`;
    if (Object.keys(labels).length > 0) out.matchLabels = labels;
    // NotIn expressions first: KubeArmor ignores a NotIn that follows an In (docs/kubearmor-semantics.md §5).
    const expr = [...d.expressions].sort((a, b) => (a.operator === b.operator ? 0 : a.operator === 'NotIn' ? -1 : 1));
    if (expr.length > 0) out.matchExpressions = expr.map((x) => ({ key: x.key, operator: x.operator, values: [...x.values] }));
    return Object.keys(out).length > 0 ? out : undefined;
  }
}
