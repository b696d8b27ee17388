/**
 * Workload recognition by shape, for every place the library takes a workload (PolicyTarget.workload,
 * HardenedWorkload, the lints, ComplianceReport, the simulator). A cdk8s-plus workload of any version
 * (27 … 33) is a construct whose `kind` is a pod-running kind and which exposes its pod template the way
 * every cdk8s-plus release does: `podMetadata` (getLabel/toJson), `containers`, `metadata`, `name`, and
 * for the kinds that select their pods, `matchLabels`. No `instanceof` against one cdk8s-plus version:
 * classes of two versions are different classes (and TypeScript refuses to mix them).
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/** The kinds a workload may have; their pods are what a KubeArmorPolicy selects. */
export const WORKLOAD_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'];

/** cdk8s-plus's per-workload pod label (`Pod.ADDRESS_LABEL` in every version). */
export const ADDRESS_LABEL = 'cdk8s.io/metadata.addr';

/** Set on HardenedWorkload instances, so the error for one passed as a workload can say what to do. */
export const HARDENED_MARKER = Symbol.for('cdk8s-kubearmor.HardenedWorkload');

const WHAT = 'a Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod of cdk8s-plus (27 to 33), e.g. PolicyTarget.workload(deployment)';

/** A recognised workload, read through the shape every cdk8s-plus version shares. */
export class WorkloadView {
  public constructor(
    /** The workload construct itself. */
    public readonly construct: IConstruct,
    /** `Deployment`, `StatefulSet`, `DaemonSet`, `Job`, `CronJob` or `Pod`. */
    public readonly kind: string,
  ) {}

  private get w(): any {
    return this.construct as any;
  }

  /** The Kubernetes name (`metadata.name`). */
  public get name(): string {
    return this.w.name;
  }

  /** The workload's own namespace, read now (undefined: none, i.e. the namespace it is applied to). */
  public get namespace(): string | undefined {
    return this.w.metadata.namespace;
  }

  /** Whether the workload selects its pods by label (every kind but Pod). */
  public get selects(): boolean {
    return this.kind !== 'Pod';
  }

  /** The workload's selector labels (`spec.selector.matchLabels`); `{}` for a Pod. */
  public matchLabels(): Record<string, string> {
    return this.selects ? { ...(this.w.matchLabels ?? {}) } : {};
  }

  /** One label of the pod template, without resolving the whole metadata. */
  public podLabel(key: string): string | undefined {
    return this.w.podMetadata.getLabel(key);
  }

  /** The pod template's labels. */
  public podLabels(): Record<string, string> {
    return { ...(this.w.podMetadata.toJson()?.labels ?? {}) };
  }

  /** The pod template's annotations. */
  public podAnnotations(): Record<string, string> {
    return { ...(this.w.podMetadata.toJson()?.annotations ?? {}) };
  }

  /**
   * A cheap key of the pod identity (namespace, pod labels and annotations, containers) that changes when any of
   * them does: reads the pod metadata's maps as stored (cdk8s ApiObjectMetadataDefinition), without resolving
   * them as `toJson()` does, which costs a resolution pass over the workload.
   */
  public identityKey(): string {
    const md = this.w.podMetadata;
    const maps = md.labels !== undefined && md.annotations !== undefined ? [md.labels, md.annotations] : [this.podLabels(), this.podAnnotations()];
    return JSON.stringify([this.namespace ?? null, ...maps, this.containerNames()]);
  }

  /** The names of the pod's containers (unnamed containers left out). */
  public containerNames(): string[] {
    return (this.w.containers as Array<{ name?: string }>).map((c) => c.name).filter((n): n is string => typeof n === 'string');
  }

  /**
   * Each container's root filesystem as the kernel sees it: `securityContext.readOnlyRootFilesystem`, the uid
   * (container `securityContext.user`, else the pod's), and the paths of its writable volume mounts.
   */
  public containerFilesystems(): Array<{ name?: string; readOnlyRootFilesystem: boolean; user?: number; writableMounts: string[] }> {
    const podUser = this.w.securityContext?.user;
    return (this.w.containers as any[]).map((c) => ({
      name: c.name,
      readOnlyRootFilesystem: c.securityContext?.readOnlyRootFilesystem === true,
      user: c.securityContext?.user ?? podUser,
      writableMounts: ((c.mounts ?? []) as any[]).filter((m) => m.options?.readOnly !== true).map((m) => m.path as string),
    }));
  }

  /** Whether the pod mounts a service-account token. */
  public get automountServiceAccountToken(): boolean {
    return this.w.automountServiceAccountToken === true;
  }

  /**
   * The labels that identify the workload's pods: the selector of a workload that selects its pods, a bare
   * Pod's own labels; for a Job or CronJob without selector (Kubernetes generates theirs), cdk8s-plus's address
   * label on its pod template, which identifies exactly its pods.
   */
  public podSelectorLabels(): Record<string, string> {
    if (this.kind === 'Job' || this.kind === 'CronJob') {
      const own = this.matchLabels();
      if (Object.keys(own).length > 0) return own;
      const address = this.podLabel(ADDRESS_LABEL);
      return address === undefined ? {} : { [ADDRESS_LABEL]: address };
    }
    if (this.selects) return this.matchLabels();
    return this.podLabels();
  }
}

const VIEWS = new WeakMap<IConstruct, WorkloadView | null>();

function isConstruct(x: unknown): x is IConstruct {
  return typeof x === 'object' && x !== null && typeof (x as any).node === 'object' && typeof (x as any).node?.path === 'string';
}

function has(x: any, key: string, type: string): boolean {
  try {
    return typeof x[key] === type && x[key] !== null;
  } catch {
    return false;
  }
}

function kindOf(c: any): string | undefined {
  try {
    return typeof c.kind === 'string' ? c.kind : undefined;
  } catch {
    return undefined;
  }
}

/** The workload view of `c`, or undefined when `c` is not a cdk8s-plus workload (of any version). */
export function workloadOf(c: IConstruct): WorkloadView | undefined {
  const cached = VIEWS.get(c);
  if (cached !== undefined) return cached ?? undefined;
  const x = c as any;
  let view: WorkloadView | null = null;
  const kind = ApiObject.isApiObject(c) ? undefined : kindOf(x);
  if (kind !== undefined && WORKLOAD_KINDS.includes(kind)
    && has(x, 'podMetadata', 'object') && typeof x.podMetadata.getLabel === 'function' && typeof x.podMetadata.toJson === 'function'
    && Array.isArray(x.containers) && has(x, 'metadata', 'object') && typeof x.name === 'string'
    && (kind === 'Pod' || has(x, 'matchLabels', 'object'))) {
    view = new WorkloadView(c, kind);
  }
  VIEWS.set(c, view);
  return view ?? undefined;
}

function article(word: string): string {
  return /^[AEIOU]/.test(word) ? 'an' : 'a';
}

/** What was passed, for error messages: `shop/settings (a cdk8s-plus ConfigMap)`. */
export function describePassed(x: unknown): string {
  if (!isConstruct(x)) return x === null || x === undefined ? String(x) : `${typeof x} ${JSON.stringify(x)?.slice(0, 60)}`;
  const ctor = (x as any).constructor?.name || 'Construct';
  if ((x as any)[HARDENED_MARKER] === true) return `${x.node.path} (a HardenedWorkload)`;
  if (ApiObject.isApiObject(x)) return `${x.node.path} (${ctor === 'ApiObject' ? 'an ApiObject' : `${article(ctor)} ${ctor}`} of kind ${x.kind})`;
  const kind = kindOf(x);
  if (kind !== undefined && has(x, 'apiVersion', 'string')) return `${x.node.path} (a cdk8s-plus ${kind})`;
  return `${x.node.path} (${article(ctor)} ${ctor})`;
}

/**
 * The workload view of what a caller passed where a workload is expected; throws naming what was passed.
 * @param where the call, e.g. `PolicyTarget.workload`
 */
export function requireWorkload(where: string, x: unknown): WorkloadView {
  const view = isConstruct(x) ? workloadOf(x) : undefined;
  if (view) return view;
  const passed = describePassed(x);
  if (!isConstruct(x)) throw new Error(`${where}: ${passed} is not a construct; pass ${WHAT}`);
  if ((x as any)[HARDENED_MARKER] === true) throw new Error(`${where}: ${passed} is not a workload; pass its workload: PolicyTarget.workload(hardened.workload)`);
  if (ApiObject.isApiObject(x) && WORKLOAD_KINDS.includes(x.kind)) {
    throw new Error(`${where}: ${passed} is not a cdk8s-plus workload: it has no pod template this library can read (podMetadata, containers); create it with cdk8s-plus, or select its pods with PolicyTarget.podLabels({...}, namespace)`);
  }
  throw new Error(`${where}: ${passed} is not a workload; pass ${WHAT}`);
}

/** Every cdk8s-plus workload among `constructs`, in order. */
export function workloadsIn(constructs: readonly IConstruct[]): WorkloadView[] {
  const out: WorkloadView[] = [];
  for (const c of constructs) {
    const v = workloadOf(c);
    if (v) out.push(v);
  }
  return out;
}
