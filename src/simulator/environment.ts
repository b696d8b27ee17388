import { SimulatedEnforcer, SimulatedPosture } from './access-request';

/** A workload (its pods) known to the simulator. */
export interface SimulatedWorkload {
  /**
   * A name used in messages (the workload's `metadata.name`).
   *
   * @default - no name
   */
  readonly name?: string;

  /** The pods' namespace. */
  readonly namespace: string;

  /**
   * The pod labels (the pod template labels, not the workload's own labels).
   *
   * @default - no labels
   */
  readonly labels?: Record<string, string>;

  /**
   * The pod annotations; only `kubearmor-policy` (`enabled` | `audited` | `disabled`) matters.
   *
   * @default - none (`kubearmor-policy: enabled`)
   */
  readonly annotations?: Record<string, string>;

  /**
   * The container names.
   *
   * @default - unknown
   */
  readonly containers?: string[];
}

/** A node known to the simulator, for KubeArmorHostPolicy. */
export interface SimulatedNode {
  /** The node name (matched by `kubearmor.io/hostname`). */
  readonly name: string;

  /**
   * The node labels (matched by `spec.nodeSelector.matchLabels`).
   *
   * @default - no labels
   */
  readonly labels?: Record<string, string>;
}

/** A namespace and its KubeArmor posture annotations. */
export interface SimulatedNamespace {
  /** The namespace name. */
  readonly name: string;

  /**
   * The namespace annotations: `kubearmor-file-posture`, `kubearmor-network-posture` and
   * `kubearmor-capabilities-posture` take `audit` or `block`; any other value is ignored
   * (KubeArmor rewrites it to the global default).
   *
   * @default - no annotations
   */
  readonly annotations?: Record<string, string>;
}

/** Options for `PolicySimulator.fromScope` and `PolicySimulator.fromManifests`. */
export interface PolicySimulatorOptions {
  /**
   * Workloads in addition to those found in the scope (cdk8s-plus workloads) or among the manifests.
   *
   * @default - none
   */
  readonly workloads?: SimulatedWorkload[];

  /**
   * Nodes, for host policies.
   *
   * @default - none
   */
  readonly nodes?: SimulatedNode[];

  /**
   * Namespaces with posture annotations.
   *
   * @default - none: every namespace uses the default postures
   */
  readonly namespaces?: SimulatedNamespace[];

  /**
   * The enforcer used when a request does not name one.
   *
   * @default SimulatedEnforcer.APPARMOR
   */
  readonly enforcer?: SimulatedEnforcer;

  /**
   * The global default file posture (`defaultFilePosture`).
   *
   * @default SimulatedPosture.AUDIT (KubeArmor/config/config.go)
   */
  readonly defaultFilePosture?: SimulatedPosture;

  /**
   * The global default network posture.
   *
   * @default SimulatedPosture.AUDIT
   */
  readonly defaultNetworkPosture?: SimulatedPosture;

  /**
   * The global default capabilities posture.
   *
   * @default SimulatedPosture.AUDIT
   */
  readonly defaultCapabilitiesPosture?: SimulatedPosture;

  /**
   * Namespaces KubeArmor never enforces (`untrackedNs`).
   *
   * @default ['kube-system', 'kubearmor']
   */
  readonly untrackedNamespaces?: string[];
}
