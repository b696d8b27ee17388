import { IConstruct } from 'constructs';

/**
 * The kind of access a simulated process attempts.
 *
 * File operations are mediated by file rules, `EXEC` by process rules, `NETWORK` by
 * `network.matchProtocols` and `CAPABILITY` by `capabilities.matchCapabilities`.
 */
export enum AccessOperation {
  /** Open a file read-only (`O_RDONLY`), e.g. `cat /etc/passwd`. */
  READ = 'READ',
  /** Open an existing file for writing (`O_WRONLY`/`O_RDWR`). */
  WRITE = 'WRITE',
  /** Open an existing file for appending (`O_APPEND`). */
  APPEND = 'APPEND',
  /** Truncate a file (`truncate(2)`, `O_TRUNC`). */
  TRUNCATE = 'TRUNCATE',
  /** Create a file (`O_CREAT`, `mknod`), e.g. `touch /sbin/file`. */
  CREATE = 'CREATE',
  /** Remove a file (`unlink`). */
  DELETE = 'DELETE',
  /** Rename or move a file; the request path is the source path. */
  RENAME = 'RENAME',
  /** Create a directory. */
  MKDIR = 'MKDIR',
  /** Change a file's mode. */
  CHMOD = 'CHMOD',
  /** Change a file's owner. */
  CHOWN = 'CHOWN',
  /** Execute a binary; the request path is the executable. */
  EXEC = 'EXEC',
  /** Open a socket of a protocol (`AccessRequest.protocol`). */
  NETWORK = 'NETWORK',
  /** Use a Linux capability (`AccessRequest.capability`). */
  CAPABILITY = 'CAPABILITY',
}

/** The Linux security module KubeArmor enforces with. */
export enum SimulatedEnforcer {
  /** AppArmor profiles (alerts say `Enforcer: AppArmor`). */
  APPARMOR = 'APPARMOR',
  /** BPF-LSM maps and hooks (alerts say `Enforcer: BPFLSM`). */
  BPF_LSM = 'BPF_LSM',
}

/**
 * A KubeArmor default posture: what happens to access that no Allow rule covers
 * once a workload is in allow-list mode.
 *
 * @see https://github.com/kubearmor/KubeArmor/blob/main/getting-started/default_posture.md
 */
export enum SimulatedPosture {
  /** Permit the access and raise a `DefaultPosture` Audit alert (KubeArmor's code default). */
  AUDIT = 'AUDIT',
  /** Deny the access and raise a `DefaultPosture` Block alert. */
  BLOCK = 'BLOCK',
}

/**
 * One access to simulate.
 *
 * Identify the workload with `workload` (a cdk8s-plus workload), or with `namespace` + `labels`
 * (a pod), or with `node` (a host, for KubeArmorHostPolicy).
 */
export interface AccessRequest {
  /** The operation attempted. */
  readonly operation: AccessOperation;

  /**
   * The file path (file operations) or the executable (`EXEC`).
   *
   * @default - required for file operations and EXEC; ignored for NETWORK and CAPABILITY
   */
  readonly path?: string;

  /**
   * The protocol of a `NETWORK` request, as in `network.matchProtocols` (`tcp`, `udp`, `icmp`, `raw`, ...).
   *
   * @default - required for NETWORK
   */
  readonly protocol?: string;

  /**
   * The capability of a `CAPABILITY` request, as in `capabilities.matchCapabilities` (`net_raw`, `sys_admin`, ...).
   * A `cap_` prefix and upper case are accepted.
   *
   * @default - required for CAPABILITY
   */
  readonly capability?: string;

  /**
   * The executable of the process performing the access (the alert's `ProcessName` for file,
   * network and capability access). For `EXEC` it is the process that calls `exec`, i.e. the
   * alert's `ParentProcessName`. `fromSource` rules are matched against it.
   *
   * @default - no process: only rules without `fromSource` can match
   */
  readonly process?: string;

  /**
   * The parent of `process` (the alert's `ParentProcessName` for file access). KubeArmor's alert
   * matcher also accepts a `fromSource` that equals the parent.
   *
   * @default - unknown
   */
  readonly parentProcess?: string;

  /**
   * The arguments of an `EXEC` after the executable (`argv[1..]`; `argv[0]` is taken to be the
   * executable's base name). BPF-LSM lets an exec through when they match a rule's `allowedArgs`.
   *
   * @default - no arguments
   */
  readonly args?: string[];

  /**
   * For `EXEC`: `process` replaces itself by the new program without forking first (`exec cmd`, or
   * `bash -c "one command"`). BPF-LSM compares `fromSource` with the binary of the parent of the task
   * that calls exec (BPF/enforcer.bpf.c:79): after a fork that is `process`; without one it is
   * `parentProcess`.
   *
   * @default false - the process forks, then the child calls exec
   */
  readonly execsDirectly?: boolean;

  /**
   * `process` was started by the container runtime: it is the container's entrypoint or the command
   * of a `kubectl exec`. runc applies the container's AppArmor profile when it starts it, so it runs in
   * the main profile even when its binary is a `fromSource` (the dispatcher's `px` line is not used).
   *
   * @default false - `process` was exec'd by a process inside the container
   */
  readonly containerEntry?: boolean;

  /**
   * A cdk8s-plus workload (Deployment, StatefulSet, Pod, ... of any version from 27 to 33) whose namespace,
   * pod labels, pod annotations and containers identify the pod. Anything else is refused with an error
   * naming what was passed.
   *
   * @default - use `namespace` and `labels`, or `node`
   */
  readonly workload?: IConstruct;

  /**
   * The pod's namespace.
   *
   * @default - the namespace of `workload`; required when neither `workload` nor `node` is given
   */
  readonly namespace?: string;

  /**
   * The pod's labels.
   *
   * @default - the pod labels of `workload`, or no labels
   */
  readonly labels?: Record<string, string>;

  /**
   * The pod's annotations. Only `kubearmor-policy` (`enabled`, `audited`, `disabled`) matters.
   *
   * @default - the pod annotations of `workload`, or none (`enabled`)
   */
  readonly podAnnotations?: Record<string, string>;

  /**
   * The container the process runs in (matched against `kubearmor.io/container.name`).
   *
   * @default - the only container of `workload` when it has exactly one; otherwise none
   */
  readonly container?: string;

  /**
   * The node name, for a host access evaluated against KubeArmorHostPolicy objects.
   * Its labels come from `nodeLabels` or from `PolicySimulatorOptions.nodes`.
   *
   * @default - a container access
   */
  readonly node?: string;

  /**
   * The node's labels, for a host access.
   *
   * @default - the labels given for `node` in `PolicySimulatorOptions.nodes`
   */
  readonly nodeLabels?: Record<string, string>;

  /**
   * The caller's user id (alert `UID`).
   *
   * @default 0 (the kernel check alone uses the container's `securityContext.user` when the request is for a cdk8s-plus `workload`)
   */
  readonly uid?: number;

  /**
   * The owner uid of the file (alert `OID`); for `CREATE` and `MKDIR` under BPF-LSM, the owner of
   * the parent directory. Only matters for `ownerOnly` rules.
   *
   * @default - the caller owns the file (`uid`)
   */
  readonly ownerUid?: number;

  /**
   * Mode bits of the file (for CREATE, DELETE, RENAME and MKDIR: of the parent directory), e.g. `0o755`. With it the
   * kernel's DAC check is simulated, before or after the LSM hook as the kernel orders them (docs/kernel-before-lsm.md).
   *
   * @default - DAC is not simulated
   */
  readonly fileMode?: number;

  /**
   * Whether the container's root filesystem is read-only (overrides the workload's).
   *
   * @default - for a cdk8s-plus `workload`, its container's `securityContext.readOnlyRootFilesystem`; else false
   */
  readonly readOnlyRootFilesystem?: boolean;

  /**
   * Writable mount paths of the container (overrides the workload's).
   *
   * @default - for a cdk8s-plus `workload`, its container's volume mounts that are not read-only; else none
   */
  readonly writableMounts?: string[];

  /**
   * The enforcer.
   *
   * @default - `PolicySimulatorOptions.enforcer`, which defaults to APPARMOR
   */
  readonly enforcer?: SimulatedEnforcer;

  /**
   * The cluster-wide default file (and process) posture. A namespace annotation
   * `kubearmor-file-posture` given in `PolicySimulatorOptions.namespaces` takes precedence.
   *
   * @default - `PolicySimulatorOptions.defaultFilePosture`, which defaults to AUDIT
   */
  readonly defaultFilePosture?: SimulatedPosture;

  /**
   * The cluster-wide default network posture (namespace annotation `kubearmor-network-posture` wins).
   *
   * @default - `PolicySimulatorOptions.defaultNetworkPosture`, which defaults to AUDIT
   */
  readonly defaultNetworkPosture?: SimulatedPosture;

  /**
   * The cluster-wide default capabilities posture (namespace annotation `kubearmor-capabilities-posture` wins).
   *
   * @default - `PolicySimulatorOptions.defaultCapabilitiesPosture`, which defaults to AUDIT
   */
  readonly defaultCapabilitiesPosture?: SimulatedPosture;
}
