import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AccessOperation, AccessRequest, SimulatedEnforcer, SimulatedPosture } from './access-request';
import { PolicySimulatorOptions, SimulatedNode, SimulatedWorkload } from './environment';
import { PredictedAlert } from './predicted-alert';
import type { LogCtx, MatchOutcome } from './private/alert-matcher';
import type { CompiledPolicy, CompiledRule } from './private/compile';
import type { LsmPostures } from './private/decide';
import type { CachedEndpoint, EndpointCache } from './private/endpoint-cache';
import type { Ctx, Enforcement } from './private/enforcement';
import { SimulatedAction, SimulationResult } from './simulation-result';
import { lazy } from '../private/lazy';

// Loaded on first use, not when the library is loaded (cold require cost).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazyWorkload = lazy((): typeof import('../private/workload') => require('../private/workload'));
const lazySelection = lazy((): typeof import('../private/selection') => require('../private/selection'));
const lazyVerdict = lazy((): typeof import('./private/verdict') => require('./private/verdict'));
const lazyScopeWorkloads = lazy((): typeof import('./private/scope-workloads') => require('./private/scope-workloads'));
const lazyRequestTarget = lazy((): typeof import('./private/request-target') => require('./private/request-target'));
const lazyRequestShape = lazy((): typeof import('./private/request-shape') => require('./private/request-shape'));
const lazyManifestWorkloads = lazy((): typeof import('./private/manifest-workloads') => require('./private/manifest-workloads'));
const lazyKernelHook = lazy((): typeof import('./private/kernel-hook') => require('./private/kernel-hook'));
const lazyEnforcement = lazy((): typeof import('./private/enforcement') => require('./private/enforcement'));
const lazyEndpointCache = lazy((): typeof import('./private/endpoint-cache') => require('./private/endpoint-cache'));
const lazyDecisionAdmission = lazy((): typeof import('./private/decision-admission') => require('./private/decision-admission'));
const lazyDecisionCache = lazy((): typeof import('./private/decision-cache') => require('./private/decision-cache'));
const lazyDecide = lazy((): typeof import('./private/decide') => require('./private/decide'));
const lazyCompile = lazy((): typeof import('./private/compile') => require('./private/compile'));
const lazyCaveats = lazy((): typeof import('./private/caveats') => require('./private/caveats'));
const lazyAlertMatcher = lazy((): typeof import('./private/alert-matcher') => require('./private/alert-matcher'));
/* eslint-enable @typescript-eslint/no-require-imports */

/** Where an access happens: the endpoint KubeArmor selects policies for, and the pod's mode. */
interface Site {
  readonly host: boolean;
  readonly namespace: string;
  readonly container: string | undefined;
  readonly audited: boolean;
  readonly cached: CachedEndpoint;
}

/** The namespace's posture annotation when valid, else the request's or the simulator's default. */
function resolvePosture(ann: string | undefined, global: SimulatedPosture | undefined): string {
  if (ann === 'audit' || ann === 'block') return ann;
  return global === SimulatedPosture.BLOCK ? 'block' : 'audit';
}

// Every list in a result is new: the caller may change it, and no later result may see that.

/** A result KubeArmor does not mediate (untracked namespace, kubearmor-policy: disabled). */
function unmediated(requestText: string, caveat: string): SimulationResult {
  return new SimulationResult({
    permitted: true, action: SimulatedAction.NONE, result: 'Passed', matchedPolicies: [], request: requestText, caveats: [caveat],
  });
}

/**
 * An offline KubeArmor policy simulator: predicts whether an access is permitted, how it is
 * decided, and the alert KubeArmor raises, from synthesised (or imported) KubeArmor policies.
 *
 * It reproduces the selection (docs/kubearmor-semantics.md §5), enforcement (§6, per enforcer and posture) and
 * alert matching (§6.4, §7) of KubeArmor, and reports where behaviour is unknown or
 * version-dependent in `SimulationResult.caveats`.
 *
 * @example
 * const sim = PolicySimulator.fromScope(app);
 * const result = sim.evaluate({
 *   namespace: 'wordpress-mysql', labels: { app: 'mysql' }, container: 'mysql',
 *   operation: AccessOperation.CREATE, path: '/sbin/file', process: '/bin/touch',
 * });
 * // result.permitted === false, result.alert?.policyName === 'harden-mysql-file-integrity-monitoring'
 */
export class PolicySimulator {
  /**
   * Builds a simulator from a construct scope (an App or a Chart): every KubeArmor object synthesised
   * by the charts under it (`chart.toJson()`), and every cdk8s-plus workload under it, of any version from
   * 27 to 33 (namespace, pod labels, pod annotations and containers).
   *
   * @param scope the App, a Chart, or a construct inside a chart
   * @param options extra workloads, nodes, namespaces and defaults
   */
  public static fromScope(scope: IConstruct, options: PolicySimulatorOptions = {}): PolicySimulator {
    const all = scope.node.findAll();
    let charts = all.filter((c) => Chart.isChart(c)) as Chart[];
    if (charts.length === 0) charts = [Chart.of(scope)];
    const manifests: any[] = [];
    for (const chart of charts) {
      for (const obj of chart.toJson()) {
        if (lazyCompile().isKubeArmorManifest(obj)) manifests.push(obj);
      }
    }
    const workloads = lazyWorkload().workloadsIn(all).map(lazyScopeWorkloads().simulatedWorkloadOf);
    return new PolicySimulator(manifests, [...workloads, ...(options.workloads ?? [])], options);
  }

  /**
   * Builds a simulator from manifests (parsed JSON or YAML objects). The Deployments, StatefulSets,
   * DaemonSets, ReplicaSets, Jobs, CronJobs and Pods among them are the known workloads (namespace, pod
   * template labels and annotations, containers), as for the lint CLI; other objects are ignored. The
   * array order is the order the policies were applied in.
   *
   * @param manifests the objects, e.g. `YAML.parseAllDocuments(text).map(d => d.toJSON())`
   * @param options workloads, nodes, namespaces and defaults
   */
  public static fromManifests(manifests: any[], options: PolicySimulatorOptions = {}): PolicySimulator {
    const found: SimulatedWorkload[] = [];
    for (const m of manifests) {
      const w = lazyManifestWorkloads().manifestWorkload(m);
      if (w !== undefined) found.push(w);
    }
    return new PolicySimulator(manifests, [...found, ...(options.workloads ?? [])], options);
  }

  private readonly policies: CompiledPolicy[];
  private readonly endpoints: EndpointCache;
  private readonly knownWorkloads: SimulatedWorkload[];
  private readonly nodes = new Map<string, SimulatedNode>();
  private readonly namespacePostures = new Map<string, Record<string, string>>();
  private readonly untracked: Set<string>;
  private readonly defaultEnforcer: SimulatedEnforcer;
  private readonly options: PolicySimulatorOptions;
  private readonly resolver = new (lazyScopeWorkloads().WorkloadResolver)();
  private readonly decisions = new (lazyDecisionCache().DecisionCache)();
  private readonly admission = new (lazyDecisionAdmission().DecisionAdmission)();

  private constructor(manifests: any[], workloads: SimulatedWorkload[], options: PolicySimulatorOptions) {
    // Same kind/namespace/name twice: the later object replaces the earlier one (an update), in place.
    const byId = new Map<string, any>();
    for (const m of manifests) {
      if (!lazyCompile().isKubeArmorManifest(m)) continue;
      byId.set(`${m.kind}/${m.kind === 'KubeArmorPolicy' ? (m.metadata?.namespace ?? 'default') : ''}/${m.metadata?.name}`, m);
    }
    this.policies = lazyCompile().compilePolicies([...byId.values()]);
    this.endpoints = new (lazyEndpointCache().EndpointCache)(this.policies);
    this.knownWorkloads = workloads;
    for (const n of options.nodes ?? []) this.nodes.set(n.name, n);
    for (const ns of options.namespaces ?? []) this.namespacePostures.set(ns.name, ns.annotations ?? {});
    this.untracked = new Set(options.untrackedNamespaces ?? ['kube-system', 'kubearmor']);
    this.defaultEnforcer = options.enforcer ?? SimulatedEnforcer.APPARMOR;
    this.options = options;
  }

  /** The names of the KubeArmor policies loaded, in application order. */
  public get policyNames(): string[] {
    return this.policies.map((p) => p.name);
  }

  /** The workloads known to the simulator (from the scope and the options). */
  public get workloads(): SimulatedWorkload[] {
    return [...this.knownWorkloads];
  }

  /**
   * The known workloads a policy applies to (any of their containers), following KubeArmor's
   * selection rules. An empty list means the policy silently protects nothing.
   *
   * @param policyName the policy's `metadata.name`
   */
  public workloadsSelectedBy(policyName: string): SimulatedWorkload[] {
    const policies = this.policies.filter((p) => p.name === policyName);
    if (policies.length === 0) throw new Error(`PolicySimulator: no KubeArmor policy named '${policyName}' (loaded: ${this.policyNames.join(', ') || 'none'})`);
    return this.knownWorkloads.filter((w) => {
      if (this.untracked.has(w.namespace)) return false;
      const containers = w.containers && w.containers.length > 0 ? w.containers : [undefined];
      return containers.some((c) => {
        const ep = lazySelection().makeEndpoint(false, w.namespace, w.labels ?? {}, c);
        return policies.some((p) => lazySelection().policyApplies(p, ep, []));
      });
    });
  }

  /**
   * Simulates one access.
   *
   * @param request the workload (or node), the operation and its target
   */
  public evaluate(request: AccessRequest): SimulationResult {
    if (request === null || typeof request !== 'object') throw new Error(`PolicySimulator.evaluate: the request must be an AccessRequest, got ${String(request)}`);
    const shaped = lazyRequestShape().shapeRequest(request);
    const site = this.siteOf(shaped);
    if (site instanceof SimulationResult) return lazyKernelHook().withKernel(shaped, site);
    const ann = this.namespacePostures.get(site.namespace);
    const file = resolvePosture(ann?.['kubearmor-file-posture'], shaped.defaultFilePosture ?? this.options.defaultFilePosture);
    const network = resolvePosture(ann?.['kubearmor-network-posture'], shaped.defaultNetworkPosture ?? this.options.defaultNetworkPosture);
    const capabilities = resolvePosture(ann?.['kubearmor-capabilities-posture'], shaped.defaultCapabilitiesPosture ?? this.options.defaultCapabilitiesPosture);
    const appArmor = (shaped.enforcer ?? this.defaultEnforcer) === SimulatedEnforcer.APPARMOR;
    // The memo (decision-cache.ts) is keyed by everything the result depends on; requests it cannot key are decided afresh.
    // A hit implies a request with the same operation and target fields was accepted before (requestTarget).
    const hit = this.decisions.get(shaped, site.cached, site.audited, appArmor, file, network, capabilities);
    if (hit !== undefined) return hit;
    const postures: LsmPostures = { file, network, capabilities };
    const result = lazyKernelHook().withKernel(shaped, this.evaluateByLsm(shaped, site, appArmor, postures));
    // Stored on the second occurrence only (decision-admission.ts): requests that never repeat cost no stored copy.
    if (this.admission.admit(lazyDecisionAdmission().accessHash(shaped, site.cached.id, site.audited, appArmor, postures))) {
      this.decisions.set(shaped, site.cached, site.audited, appArmor, postures, result);
    }
    return result;
  }

  /** Where the access happens (the endpoint and the pod's mode), or the result when KubeArmor does not mediate it. */
  private siteOf(request: AccessRequest): Site | SimulationResult {
    const op = request.operation;
    const host = request.node !== undefined;
    let namespace = '';
    let labels: Record<string, string>;
    let annotations: Record<string, string> | undefined;
    let container: string | undefined;
    if (host) {
      labels = request.nodeLabels ?? this.nodes.get(request.node!)?.labels ?? {};
    } else {
      const wl = request.workload !== undefined ? this.resolver.resolve(request.workload) : undefined;
      const ns = request.namespace ?? wl?.namespace;
      if (ns === undefined || ns === '') {
        throw new Error(`PolicySimulator.evaluate: ${op} request names no workload: give 'workload', 'namespace' (+ 'labels'), or 'node'`);
      }
      namespace = ns;
      labels = request.labels ?? wl?.labels ?? {};
      annotations = request.podAnnotations ?? wl?.annotations;
      container = request.container ?? (wl !== undefined && wl.containers.length === 1 ? wl.containers[0] : undefined);
    }

    // §5: untracked namespaces are never enforced; pods annotated kubearmor-policy: disabled neither.
    if (!host && this.untracked.has(namespace)) {
      return unmediated(`${op} ${lazyRequestTarget().requestTarget(request)}`, `namespace ${namespace} is untracked by KubeArmor (untrackedNs, default kube-system,kubearmor): policies there are not enforced and raise no alerts`);
    }
    const mode = annotations?.['kubearmor-policy'];
    if (mode === 'disabled') return unmediated(`${op} ${lazyRequestTarget().requestTarget(request)}`, 'the pod is annotated kubearmor-policy: disabled: KubeArmor neither enforces nor alerts');
    const cached = this.endpoints.endpoint(host, namespace, labels, container, request.node);
    return { host, namespace, container, audited: mode === 'audited', cached };
  }

  /** KubeArmor's verdict alone (enforcer and alert matcher); `evaluate` adds what the kernel decides around it. */
  private evaluateByLsm(request: AccessRequest, site: Site, appArmor: boolean, lsmPostures: LsmPostures): SimulationResult {
    const op = request.operation;
    const { host, namespace, container, audited, cached } = site;
    const target = lazyRequestTarget().requestTarget(request);
    const isFile = lazyRequestTarget().FILE_OPS.has(op);
    const requestText = `${op} ${target}`;
    const ep = cached.index;
    const uid = request.uid ?? 0;
    const oid = request.ownerUid ?? uid;
    const process = request.process ?? '';
    const parent = request.parentProcess ?? '';
    // AppArmor mediates a create with the creator as owner (fsuid); BPF-LSM checks the parent's owner (§6.3).
    const isOwner = lazyDecide().ownerFor(appArmor, op, uid, oid);
    const execSource = request.execsDirectly === true ? request.parentProcess : (process === '' ? undefined : process);
    const ctx: Ctx = {
      op, path: target, process, parent, isOwner, entry: request.containerEntry === true, execSource, args: request.args, caveats: undefined,
    };
    if (cached.notes.length > 0) for (const n of cached.notes) lazyEnforcement().note(ctx, n);

    let enf: Enforcement;
    let outcome: MatchOutcome;
    let matchedRules: CompiledRule[] | undefined;
    let operation: string;
    let resource = target;
    let processName = process;
    let parentProcessName = parent;
    let posture: string;
    const enforcerName = appArmor ? 'AppArmor' : 'BPFLSM';
    /** The event as KubeArmor's alert matcher sees it (feeder/policyMatcher.go), once enforcement is decided. */
    const logCtx = (rdonly: boolean): LogCtx => ({
      operation, resource, processName, parentProcessName, rdonly, uid, oid, passed: !enf.denied, audited, posture, enforcer: enforcerName,
    });

    if (isFile || op === AccessOperation.EXEC) {
      posture = lsmPostures.file;
      const exec = op === AccessOperation.EXEC;
      const index = exec ? ep.process : ep.file;
      const candidates = index.candidates(target);
      const postures = audited ? undefined : lsmPostures;
      if (postures === undefined) {
        enf = lazyEnforcement().PERMITTED;
      } else if (appArmor) {
        enf = lazyDecide().appArmorDecision(cached.index, host, ctx, exec, postures);
      } else {
        for (const r of candidates) {
          if (r.kind === 'pattern' && r.action !== 'Audit' && lazyEnforcement().appArmorMatches(r, target, false)) {
            lazyEnforcement().note(ctx, `rule ${r.policy.name} ${r.value}: matchPatterns are not enforced by BPF-LSM (UpdateContainerRules writes no pattern rules; #1592)`);
          }
        }
        if (exec && request.execsDirectly === true && request.parentProcess === undefined) {
          lazyEnforcement().note(ctx, "BPF-LSM compares an exec's fromSource with the parent of the exec'ing task (enforcer.bpf.c:79); execsDirectly without parentProcess leaves it unknown: only global rules are simulated");
        }
        enf = lazyDecide().bpfDecision(ep, ctx, exec, postures);
      }
      if (exec) {
        operation = 'Process';
        processName = target;
        parentProcessName = process;
        const fileCands = ep.file.candidates(target);
        for (const r of fileCands) {
          if (r.action === 'Block' && !r.readOnly && lazyEnforcement().appArmorMatches(r, target, false)) {
            lazyEnforcement().note(ctx, `file rule ${r.policy.name} ${r.value} blocks reads of the executable; whether that also stops exec (file_open on the binary) is not simulated`);
            break;
          }
        }
      } else {
        operation = 'File';
      }
      const feederRules = lazyVerdict().mergeForFeeder(candidates, index.allow, ep);
      const log = logCtx(op === AccessOperation.READ);
      outcome = lazyAlertMatcher().matchFileOrProcess(feederRules, log, ep.anyFileAllow || ep.anyProcessAllow);
      for (const r of candidates) {
        if (lazyAlertMatcher().sourceMatches(r, log) && (lazyAlertMatcher().feederMatches(r, log) || (r.kind !== 'execname' && lazyEnforcement().appArmorMatches(r, target, false)))) {
          (matchedRules ??= []).push(r);
        }
      }
      if (outcome.orderQuirk) {
        lazyEnforcement().note(ctx, 'KubeArmor\'s alert matcher reports DefaultPosture here although an Allow rule matches: an earlier Allow rule that does not match set DefaultPosture first (order-dependent, feeder/policyMatcher.go)');
      }
      lazyCaveats().fileCaveats(ctx, op, appArmor, target);
    } else if (op === AccessOperation.NETWORK) {
      posture = lsmPostures.network;
      operation = 'Network';
      resource = lazyAlertMatcher().networkResource(target);
      enf = audited ? lazyEnforcement().PERMITTED : lazyEnforcement().simpleEnforce(ep.network, target, process, ep.anyNetworkAllow, posture, true);
      if (ep.network.some((r) => r.value === 'all')) lazyEnforcement().note(ctx, "protocol 'all': matched by KubeArmor's alert matcher; how each enforcer renders it is not documented");
      let rules = ep.network;
      let pos = ep.feederPos;
      let existAllow = ep.anyNetworkAllow;
      if (appArmor) {
        lazyEndpointCache().appArmorNetworkView(cached);
        rules = cached.aaNetwork!;
        pos = cached.aaNetworkPos!;
        existAllow = rules.some((r) => r.action === 'Allow');
      }
      outcome = lazyAlertMatcher().matchNetwork(rules, pos, ep.feederLength, logCtx(false), lazyAlertMatcher().fetchProtocol(resource), existAllow);
      lazyEnforcement().note(ctx, 'network alert Resource is approximated (e.g. "domain=AF_INET type=SOCK_STREAM protocol=TCP"); compare Action/Result/PolicyName rather than Resource');
    } else {
      posture = lsmPostures.capabilities;
      operation = 'Capabilities';
      resource = `CAP_${target.toUpperCase()}`;
      const { PERMITTED, simpleEnforce } = lazyEnforcement();
      enf = audited ? PERMITTED : simpleEnforce(ep.capability, target, process, ep.anyCapabilityAllow, posture, false);
      if (!appArmor) lazyEnforcement().note(ctx, 'capability enforcement by BPF-LSM is not described in docs/kubearmor-semantics.md; simulated like AppArmor (deny on Block, allow-list on Allow)');
      if (appArmor) {
        // newMatchPolicy: under AppArmor only net_raw is kept, as Operation Network / Resource raw.
        outcome = { matched: ep.capability.filter((r) => r.value === target), orderQuirk: false };
        if (ep.capability.length > 0) lazyEnforcement().note(ctx, "under AppArmor KubeArmor's alert matcher maps capability rules only for net_raw (as Network/raw): capability alerts are not raised");
      } else {
        outcome = lazyAlertMatcher().matchCapabilities(ep.capability, logCtx(false), ep.anyCapabilityAllow);
      }
    }

    const passed = !enf.denied;
    const result = passed ? 'Passed' : 'Permission denied';
    const m = outcome.alert;
    let alert: PredictedAlert | undefined;
    if (m !== undefined) {
      alert = {
        type: host ? 'MatchedHostPolicy' : 'MatchedPolicy',
        policyName: m.policyName,
        severity: m.severity,
        tags: m.tags,
        // the matched rule's own list: the caller gets a copy
        aTags: m.aTags.slice(),
        message: m.message,
        action: m.action,
        result,
        enforcer: m.enforcer,
        operation,
        resource,
        namespaceName: namespace,
        labels: host ? '' : cached.labels,
        containerName: container ?? '',
        processName,
        parentProcessName,
        hostName: host ? request.node! : '',
        uid,
      };
    }

    const action = lazyVerdict().simulatedAction(audited, enf, m);

    matchedRules ??= outcome.matched;
    const matchedPolicies = lazyVerdict().policyNames(matchedRules, enf.rule);
    lazyCaveats().resultCaveats(ctx, cached, enf, m, matchedPolicies, audited, host, matchedRules);

    return new SimulationResult({
      permitted: passed,
      action,
      result,
      alert,
      decidedBy: enf.rule !== undefined && (enf.denied || enf.rule.action === 'Allow') ? enf.rule.policy.name : undefined,
      matchedPolicies,
      caveats: ctx.caveats ?? [],
      request: requestText,
    });
  }
}
