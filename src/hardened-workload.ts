import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { ComplianceControl, ComplianceFramework } from './compliance';
import { FileIntegrityPolicy } from './file-integrity-policy';
import { FileIntegrityPreset } from './file-integrity-preset';
import { PolicyAction } from './policy-action';
import { PolicyTarget } from './policy-target';
import { allowRefusal, fail } from './private/errors';
import { lazy } from './private/lazy';
import { ActionDecision, stagedAction } from './private/rollout';
import type { WorkloadView } from './private/workload';
import { SecurityPolicy } from './security-policy';

// Loaded on first use, not when the library is loaded (cold require cost).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazyWorkload = lazy((): typeof import('./private/workload') => require('./private/workload'));
const lazyValidate = lazy((): typeof import('./private/validate') => require('./private/validate'));
const lazySynthHook = lazy((): typeof import('./private/synth-hook') => require('./private/synth-hook'));
const lazySelection = lazy((): typeof import('./private/selection') => require('./private/selection'));
const lazyPolicyModel = lazy((): typeof import('./private/policy-model') => require('./private/policy-model'));
const lazyLintRulesEvidence = lazy((): typeof import('./private/lint-rules-evidence') => require('./private/lint-rules-evidence'));
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * What {@link HardenedWorkload} attaches to a workload. File integrity is on by default; every extra
 * control is opt-in because each can break something, as documented on the option.
 */
export interface HardeningOptions {
  /**
   * Attach a FileIntegrityPolicy (id `FileIntegrity`) targeting exactly this workload's pods.
   * @default true
   */
  readonly fileIntegrity?: boolean;
  /**
   * File-integrity presets.
   * @default - FileIntegrityPreset.defaults(): system binaries, system libraries and boot
   */
  readonly presets?: FileIntegrityPreset[];
  /**
   * Action of every policy created (Audit to detect, Block to prevent). Allow is refused.
   * @default - the staged rollout (FileIntegrityPolicy.setRolloutAction / context `cdk8s-kubearmor:fim-action`),
   * for the file-integrity policy and the extra controls alike, else Block
   */
  readonly action?: PolicyAction;
  /**
   * Alert severity of every policy created (1-10).
   * @default - FileIntegrityPolicy's default for file integrity; 5 for the extra controls
   */
  readonly severity?: number;
  /**
   * Alert message of the file-integrity policy.
   * @default - FileIntegrityPolicy's default message
   */
  readonly message?: string;
  /**
   * Extra compliance controls claimed by the file-integrity policy.
   * @default - the presets' controls
   */
  readonly controls?: ComplianceControl[];
  /**
   * Block package-manager execution (apt, apt-get, aptitude, dpkg, apk, yum, dnf, microdnf, rpm, zypper,
   * pacman) by executable name, in a policy with id `PackageManagers` (NIST 800-53 CM-7(4), SI-4).
   * Breaks: in-container package installs and self-updating images; entrypoints that install packages
   * at start-up.
   * @default false
   */
  readonly blockPackageManagers?: boolean;
  /**
   * Block every access, reads included, to the service-account token mount
   * (`/run/secrets/kubernetes.io/serviceaccount/` and `/var/run/secrets/kubernetes.io/serviceaccount/`),
   * in a policy with id `ServiceAccountToken` (MITRE T1552 unsecured credentials). Only applied when the
   * workload mounts a token (`automountServiceAccountToken: true`); with cdk8s-plus's default (no token)
   * there is nothing to protect and no policy is created.
   * Breaks: any in-pod Kubernetes API client (operators, sidecars using client-go, kubectl).
   * @default false
   */
  readonly protectServiceAccountToken?: boolean;
  /**
   * Add FileIntegrityPreset.TRUST_STORES (CA bundles: /etc/ssl/, /etc/pki/, /usr/local/share/ca-certificates/,
   * ...) to the file-integrity policy (MITRE T1553 subvert trust controls).
   * Breaks: `update-ca-certificates` or certificate installation at container start-up.
   * @default false
   */
  readonly protectTrustStores?: boolean;
}

/**
 * Props of {@link HardenedWorkload}: a cdk8s-plus-27 Deployment plus hardening options. Users of another
 * cdk8s-plus version create the workload with their version and use {@link HardenedWorkload.harden}.
 */
export interface HardenedWorkloadProps extends kplus.DeploymentProps, HardeningOptions {}

/** Options of {@link HardenedWorkload.hardenAll}. */
export interface HardenAllOptions extends HardeningOptions {}

const EXISTING = Symbol('cdk8s-kubearmor.HardenedWorkload.existing');
const OPT_OUT = new WeakMap<IConstruct, string>();

function optedOut(c: IConstruct): boolean {
  return c.node.scopes.some((s) => OPT_OUT.has(s));
}

const PACKAGE_MANAGERS = ['apk', 'apt', 'apt-get', 'aptitude', 'dnf', 'dpkg', 'microdnf', 'pacman', 'rpm', 'yum', 'zypper'];
const SA_TOKEN_DIRS = ['/run/secrets/kubernetes.io/serviceaccount/', '/var/run/secrets/kubernetes.io/serviceaccount/'];

/**
 * A workload with KubeArmor hardening attached: creates a cdk8s-plus-27 Deployment from its props, or
 * hardens an existing workload of any kind and any cdk8s-plus version (27 to 33) with
 * {@link HardenedWorkload.harden}.
 *
 * `new HardenedWorkload(...)` always creates a **cdk8s-plus-27** Deployment (the peer dependency this library
 * is built with; its props are cdk8s-plus-27's `DeploymentProps`). It synthesises the same Kubernetes
 * Deployment in an app that otherwise uses cdk8s-plus-28…33, but its props and `deployment` are
 * cdk8s-plus-27 types; with another version, create the Deployment with that version and call
 * `HardenedWorkload.harden(scope, id, deployment)`.
 *
 * Policies are named `harden-<workload name>-file-integrity-monitoring`, `harden-<workload name>-package-managers`
 * and `harden-<workload name>-service-account-token`, after KubeArmor's hardening templates.
 *
 * Construct ids inside are stable and part of the contract: `Default` (the Deployment: with id
 * `Default`, cdk8s names it after this construct, so `metadata.name` and cdk8s-plus's
 * `cdk8s.io/metadata.addr` selector label — which is immutable on a Deployment — are those of
 * `<chart>-<id>`), `FileIntegrity`, `PackageManagers`, `ServiceAccountToken`. Renaming this
 * construct's id changes them, and a changed Deployment selector cannot be applied to a live cluster.
 *
 * It never changes the workload's pod or container security context: cdk8s-plus's defaults
 * (non-root, read-only root filesystem, no privilege escalation) stay as they are.
 *
 * @example
 * const mysql = new HardenedWorkload(chart, 'mysql', {
 *   containers: [{ image: 'mysql:8' }],
 *   blockPackageManagers: true,
 * });
 */
export class HardenedWorkload extends Construct {
  /**
   * Hardens an existing workload (Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod) of any cdk8s-plus
   * version from 27 to 33.
   * @param scope where the policies are created (the workload's namespace is used, whatever the scope's)
   * @param workload the workload construct; anything else is refused with an error naming what was passed
   */
  public static harden(scope: Construct, id: string, workload: IConstruct, options: HardeningOptions = {}): HardenedWorkload {
    const view = lazyWorkload().requireWorkload('HardenedWorkload.harden', workload);
    return new HardenedWorkload(scope, id, { ...options, [EXISTING]: view } as HardenedWorkloadProps);
  }

  /**
   * Hardens, once at synthesis, every cdk8s-plus workload (any version from 27 to 33) under `scope` that has
   * no file-integrity policy yet (no FileIntegrityPolicy or HardenedWorkload targets it) and has not opted
   * out. Workloads added after this call are included. Each gets a `HardenedWorkload` with id
   * `<workload id>-hardening` next to it. Runs in one pass over the app, linear in the number of workloads.
   *
   * Nothing is skipped silently: a workload-kind object it cannot harden — an `ApiObject` of kind
   * Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod that is not a cdk8s-plus workload (e.g. from
   * `Include` or a generated L1 class) — fails synthesis with an error naming it, until it is protected
   * otherwise and opted out with {@link HardenedWorkload.optOut} (on it or on a construct containing it).
   * So does a workload in a namespace KubeArmor does not track (kube-system, kubearmor), until opted out.
   *
   * A workload counts as covered when any FileIntegrityPolicy selects its pods (by workload, pod labels,
   * namespace or cluster-wide). A workload hardened without file integrity gets only the file-integrity
   * policy, so no policy of its HardenedWorkload is created twice.
   */
  public static hardenAll(scope: Construct, options: HardenAllOptions = {}): void {
    const unhardened: string[] = [];
    lazySynthHook().defer(scope, () => {
      const covered = new Set<IConstruct>();
      const candidates: WorkloadView[] = [];
      const partial = new Set<IConstruct>();
      // Any file-integrity policy covers the workloads whose pods it selects (by workload, pod labels, namespace or cluster-wide).
      const fims: any[] = [];
      for (const c of scope.node.root.node.findAll()) {
        if (c instanceof HardenedWorkload) (c.fileIntegrity ? covered : partial).add(c.workload);
        else if (c instanceof FileIntegrityPolicy) fims.push(c.policy.apiObject.toJson());
      }
      const recognised = new Set<IConstruct>();
      const strays: ApiObject[] = [];
      for (const c of scope.node.findAll()) {
        const view = lazyWorkload().workloadOf(c);
        if (view) {
          recognised.add(c);
          if (covered.has(c) || optedOut(c) || c.node.scope === undefined) continue;
          const pod = { namespace: view.namespace, labels: view.podLabels(), containers: view.containerNames() };
          if (fims.some((m) => lazySelection().selectsPod(m, pod))) continue;
          if (view.namespace !== undefined && lazyValidate().UNTRACKED_NAMESPACES.includes(view.namespace)) {
            unhardened.push(`${c.node.path}: HardenedWorkload.hardenAll cannot harden this ${view.kind}: namespace '${view.namespace}' is untracked by KubeArmor, so policies there are never enforced; keep it out with HardenedWorkload.optOut(it, reason), or deploy it to a tracked namespace`);
            continue;
          }
          candidates.push(view);
        } else if (ApiObject.isApiObject(c) && lazyWorkload().WORKLOAD_KINDS.includes(c.kind)) {
          strays.push(c);
        }
      }
      for (const w of candidates) {
        // Already hardened without file integrity (HardenedWorkload.harden with fileIntegrity: false): add only that,
        // so that no policy the user's HardenedWorkload already has is created twice under the same name.
        const only = partial.has(w.construct)
          ? { blockPackageManagers: false, protectServiceAccountToken: false, protectTrustStores: false, fileIntegrity: true } : {};
        HardenedWorkload.harden(w.construct.node.scope as Construct, `${w.construct.node.id}-hardening`, w.construct, { ...options, ...only });
      }
      for (const o of strays) {
        // A cdk8s-plus workload's own ApiObject sits below it; anything else is a workload hardenAll cannot read.
        if (o.node.scopes.some((s) => recognised.has(s)) || optedOut(o)) continue;
        unhardened.push(`${o.node.path}: HardenedWorkload.hardenAll cannot harden this ${o.kind} (an ApiObject, not a cdk8s-plus workload: no pod template to read), so it has no file-integrity policy; protect it with a SecurityPolicy or FileIntegrityPolicy targeting PolicyTarget.podLabels({...}), then HardenedWorkload.optOut(it, reason) — or create it with cdk8s-plus`);
      }
    });
    scope.node.addValidation({ validate: () => unhardened });
  }

  /**
   * Keeps a workload out of {@link HardenedWorkload.hardenAll}. Also accepted: a construct containing
   * workloads (e.g. an `Include`), which opts out every workload below it.
   * @param workload the workload, or a construct containing workloads
   * @param reason why this workload is not hardened (required, at least 10 characters)
   */
  public static optOut(workload: IConstruct, reason: string): void {
    if (workload === null || typeof workload !== 'object' || typeof (workload as any).node?.path !== 'string') {
      throw new Error(`HardenedWorkload.optOut: workload ${String(workload)} is not a construct; pass the workload (or a construct containing workloads) to keep out of hardenAll`);
    }
    if (typeof reason !== 'string' || reason.trim().length < 10) {
      fail({ where: workload.node.path, field: 'reason', value: reason ?? '', problem: 'for opting out of hardening is too short', fix: 'say why this workload is not hardened (at least 10 characters)' });
    }
    OPT_OUT.set(workload, reason.trim());
  }

  /**
   * Why `workload` (or a construct containing it) was opted out of {@link HardenedWorkload.hardenAll}.
   * @returns the reason, or undefined when it was not opted out
   */
  public static optOutReason(workload: IConstruct): string | undefined {
    for (const s of [...workload.node.scopes].reverse()) {
      const reason = OPT_OUT.get(s);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }

  /** The workload hardened (the Deployment created, or the existing workload of any cdk8s-plus version). */
  public readonly workload: IConstruct;
  /**
   * The cdk8s-plus-27 Deployment this construct created; undefined for {@link HardenedWorkload.harden}.
   * @default - none (an existing workload was hardened)
   */
  public readonly deployment?: kplus.Deployment;
  /** The file-integrity policy, unless `fileIntegrity: false`. */
  public readonly fileIntegrity?: FileIntegrityPolicy;
  /** The package-manager policy, when `blockPackageManagers` is set. */
  public readonly packageManagers?: SecurityPolicy;
  /** The service-account-token policy, when `protectServiceAccountToken` is set and a token is mounted. */
  public readonly serviceAccountToken?: SecurityPolicy;
  private readonly view: WorkloadView;

  public constructor(scope: Construct, id: string, props: HardenedWorkloadProps = {}) {
    super(scope, id);
    (this as any)[lazyWorkload().HARDENED_MARKER] = true;
    const existing: WorkloadView | undefined = (props as any)[EXISTING];
    if (props.action === PolicyAction.ALLOW) {
      fail(allowRefusal(this.node.path, 'action', 'HardenedWorkload'));
    }
    let view: WorkloadView;
    if (existing) {
      this.workload = existing.construct;
      view = existing;
    } else {
      const {
        fileIntegrity: _f, presets: _p, action: _a, severity: _s, message: _m, controls: _c,
        blockPackageManagers: _b, protectServiceAccountToken: _t, protectTrustStores: _ts, ...deploymentProps
      } = props;
      this.deployment = new kplus.Deployment(this, 'Default', deploymentProps);
      this.workload = this.deployment;
      view = lazyWorkload().requireWorkload(this.node.path, this.deployment);
    }
    this.view = view;
    const target = PolicyTarget.workload(this.workload);

    if (props.fileIntegrity ?? true) {
      const presets = [...(props.presets ?? FileIntegrityPreset.defaults())];
      if (props.protectTrustStores && !presets.includes(FileIntegrityPreset.TRUST_STORES)) presets.push(FileIntegrityPreset.TRUST_STORES);
      this.fileIntegrity = new FileIntegrityPolicy(this, 'FileIntegrity', {
        target, presets, policyName: this.nameFor('file-integrity-monitoring'), action: props.action, severity: props.severity, message: props.message, controls: props.controls,
      });
    } else if (props.protectTrustStores) {
      this.fileIntegrity = new FileIntegrityPolicy(this, 'FileIntegrity', {
        target, presets: [FileIntegrityPreset.TRUST_STORES], policyName: this.nameFor('file-integrity-monitoring'), action: props.action, severity: props.severity, message: props.message, controls: props.controls,
      });
    }

    // KA040 (detection-cannot-fire) on a read-only root filesystem: acknowledged, with the reason in lint output and the report.
    if (this.fileIntegrity) lazySynthHook().acknowledge(this.fileIntegrity, 'KA040', lazyLintRulesEvidence().KA040_REASON);

    if (props.blockPackageManagers) {
      this.packageManagers = new SecurityPolicy(this, 'PackageManagers', {
        target,
        policyName: this.nameFor('package-managers'),
        severity: props.severity ?? 5,
        message: 'Package manager execution in a hardened container',
        tags: ComplianceControl._tagsOf([ComplianceControl.NIST_CM_7_4, ComplianceControl.NIST_SI_4]),
        processPaths: PACKAGE_MANAGERS.map((execname) => ({ execname })),
      });
      this.followRollout(this.packageManagers, props.action);
    }

    if (props.protectServiceAccountToken && view.automountServiceAccountToken) {
      this.serviceAccountToken = new SecurityPolicy(this, 'ServiceAccountToken', {
        target,
        policyName: this.nameFor('service-account-token'),
        severity: props.severity ?? 5,
        message: 'Access to the service account token of a hardened workload',
        tags: ComplianceControl._tagsOf([ComplianceControl.custom(ComplianceFramework.MITRE_ATTACK, 'T1552', 'unsecured credentials')]),
        fileDirectories: SA_TOKEN_DIRS.map((dir) => ({ dir, recursive: true })),
      });
      this.followRollout(this.serviceAccountToken, props.action);
    }
  }

  /**
   * `harden-<workload name>-<purpose>`, the naming of KubeArmor's own hardening templates (e.g.
   * `harden-mysql-file-integrity-monitoring`): stable, readable in alerts (`PolicyName`), and unique per
   * workload name in a namespace.
   */
  private nameFor(purpose: string): string {
    return `harden-${this.view.name}-${purpose}`.slice(0, 253).replace(/[-.]+$/, '');
  }

  /** The extra controls follow the same action as file integrity: explicit, else the staged rollout, else Block. */
  private followRollout(policy: SecurityPolicy, action: PolicyAction | undefined): void {
    const decide = (): ActionDecision => (action !== undefined ? { action, by: 'explicit', origin: 'construct action' }
      : stagedAction(this, 'HardenedWorkload') ?? { action: PolicyAction.BLOCK, by: 'default', origin: 'default' });
    lazyPolicyModel().modelOf(policy)!.addProvider({ revision: () => 0, action: decide });
  }

  /** Every KubeArmor policy this construct created. */
  public get policies(): SecurityPolicy[] {
    return [this.fileIntegrity?.policy, this.packageManagers, this.serviceAccountToken].filter((p): p is SecurityPolicy => p !== undefined);
  }
}
