import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AlertExplanation, ImpactFinding, ImpactReport, SkippedTelemetry, UnexercisedRule } from './impact-report';
import { AccessRequest, PolicySimulator, PolicySimulatorOptions, SimulatedEnforcer, SimulatedPosture, SimulatedWorkload, SimulationResult } from '../simulator';
import type { Aggregator } from './private/aggregator';
import type { RuleMatcher, RuleRef } from './private/rules';
import { lazy } from '../private/lazy';

// Loaded on first use, not when the library is loaded (cold require cost).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazyTelemetryEvent = lazy((): typeof import('./private/telemetry-event') => require('./private/telemetry-event'));
const lazyStream = lazy((): typeof import('./private/stream') => require('./private/stream'));
const lazyRules = lazy((): typeof import('./private/rules') => require('./private/rules'));
const lazyRemedies = lazy((): typeof import('./private/remedies') => require('./private/remedies'));
const lazyFindings = lazy((): typeof import('./private/findings') => require('./private/findings'));
const lazyAggregator = lazy((): typeof import('./private/aggregator') => require('./private/aggregator'));
/* eslint-enable @typescript-eslint/no-require-imports */

const KUBEARMOR_KINDS = new Set(['KubeArmorPolicy', 'KubeArmorClusterPolicy', 'KubeArmorHostPolicy']);

/** Options for `PolicyImpact`: the simulator's environment, plus how the policies will be enforced. */
export interface PolicyImpactOptions extends PolicySimulatorOptions {
  /**
   * Replay every `Audit` rule (and policy-wide `action: Audit`) as `Block`: the staged-rollout question
   * "what breaks when we flip to Block?".
   *
   * @default false
   */
  readonly asBlock?: boolean;

  /**
   * Construct paths of policies synthesised by this library, by `metadata.name` or by
   * `kind/namespace/name` (cluster-scoped kinds: `kind//name`), e.g. the `resources` map of the
   * `construct-metadata.json` that `cdk8s synth` writes beside the YAML.
   *
   * @default - from the scope (`fromScope`), otherwise none
   */
  readonly constructPaths?: Record<string, string>;
}

/** A policy as replayed, with where it came from. @internal */
export interface ImpactPolicySource {
  /** The manifest as loaded. */
  readonly manifest: any;
  /** The file it was read from. */
  readonly file?: string;
  /** The 1-based line of a JSON pointer in that file. */
  readonly lineOf?: (pointer: string) => number;
  /** The construct path that synthesised it. */
  readonly constructPath?: string;
}

interface LoadedPolicy {
  readonly source: ImpactPolicySource;
  /** As replayed (Audit → Block when asked). */
  readonly manifest: any;
  readonly name: string;
  readonly kind: string;
  readonly namespace: string;
  readonly rules: RuleRef[];
  readonly constructPath?: string;
}

/**
 * Impact analysis before Block: replays recorded KubeArmor telemetry (alerts and visibility logs, as
 * `karmor logs --json` writes them) against policies as they will be enforced, and reports the observed
 * accesses that would be denied or would change their alert, grouped by workload, policy, rule and
 * access, with remedies; plus the rules no access exercised, and each observed alert traced back to its
 * policy, rule and construct.
 *
 * An observed event proves that the kernel let the access reach KubeArmor, so the replay judges the
 * policies (through `PolicySimulator`), not the pod's security context. Records are grouped before they
 * are evaluated: memory grows with the number of distinct accesses, not with the length of the file.
 *
 * @example
 * const impact = PolicyImpact.fromScope(app, { asBlock: true });
 * const report = impact.replayFile('logs.jsonl');
 * if (report.hasNewDenials) console.log(report.toText());
 */
export class PolicyImpact {
  /**
   * Replays against the KubeArmor objects synthesised under a scope (an App or a Chart), with the
   * scope's cdk8s-plus workloads and the construct path of every policy.
   *
   * @param scope the App, a Chart, or a construct inside a chart
   * @param options enforcement settings and environment
   */
  public static fromScope(scope: IConstruct, options: PolicyImpactOptions = {}): PolicyImpact {
    const all = scope.node.findAll();
    let charts = all.filter((c) => Chart.isChart(c)) as Chart[];
    if (charts.length === 0) charts = [Chart.of(scope)];
    const paths = new Map<string, string>();
    for (const c of all) {
      if (!ApiObject.isApiObject(c) || !KUBEARMOR_KINDS.has(c.kind)) continue;
      const p = c.node.path.replace(/\/Resource$/, '');
      paths.set(idOf(c.kind, c.metadata.namespace, c.name), p);
    }
    const sources: ImpactPolicySource[] = [];
    for (const chart of charts) {
      for (const m of chart.toJson()) {
        if (!KUBEARMOR_KINDS.has(m?.kind)) continue;
        sources.push({ manifest: m, constructPath: paths.get(idOf(m.kind, m.metadata?.namespace, m.metadata?.name)) });
      }
    }
    const workloads = PolicySimulator.fromScope(scope).workloads;
    return new PolicyImpact(sources, { ...options, workloads: [...workloads, ...(options.workloads ?? [])] });
  }

  /**
   * Replays against manifests (parsed JSON or YAML objects); objects that are not KubeArmor policies
   * are ignored.
   *
   * @param manifests the objects, in the order they were applied
   * @param options enforcement settings, environment and construct paths
   */
  public static fromManifests(manifests: any[], options: PolicyImpactOptions = {}): PolicyImpact {
    return new PolicyImpact(manifests.filter((m) => KUBEARMOR_KINDS.has(m?.kind)).map((manifest) => ({ manifest })), options);
  }

  /** @internal policies read from files, with their locations (the CLI). */
  public static _fromSources(sources: ImpactPolicySource[], options: PolicyImpactOptions = {}): PolicyImpact {
    return new PolicyImpact(sources, options);
  }

  private readonly policies: LoadedPolicy[];
  private readonly simulator: PolicySimulator;
  private readonly matcher: RuleMatcher;
  private readonly options: PolicyImpactOptions;
  private readonly workloads: SimulatedWorkload[];

  private constructor(sources: ImpactPolicySource[], options: PolicyImpactOptions) {
    this.options = options;
    this.workloads = options.workloads ?? [];
    const cp = options.constructPaths ?? {};
    this.policies = sources.map((source) => {
      const m = source.manifest;
      const manifest = options.asBlock ? lazyRules().auditAsBlock(m) : m;
      const name = String(m.metadata?.name ?? '');
      const namespace = m.kind === 'KubeArmorPolicy' ? String(m.metadata?.namespace ?? 'default') : '';
      return {
        source,
        manifest,
        name,
        kind: m.kind,
        namespace,
        rules: lazyRules().rulesOf(manifest),
        constructPath: source.constructPath ?? cp[idOf(m.kind, namespace, name)] ?? cp[name],
      };
    });
    this.simulator = PolicySimulator.fromManifests(this.policies.map((p) => p.manifest), options);
    this.matcher = new (lazyRules().RuleMatcher)(options);
  }

  /** The names of the policies replayed, in application order. */
  public get policyNames(): string[] {
    return this.policies.map((p) => p.name);
  }

  /**
   * Replays a telemetry file: JSON lines (one alert or log per line) or one JSON array, read in chunks.
   * Lines that cannot be replayed are counted by reason in `ImpactReport.skipped`; only I/O errors throw.
   *
   * @param file the path of the file
   */
  public replayFile(file: string): ImpactReport {
    const agg = new (lazyAggregator().Aggregator)();
    try {
      lazyStream().readTelemetryFile(file, agg);
    } catch (e) {
      throw new Error(`PolicyImpact.replayFile: cannot read telemetry '${file}': ${(e as Error).message}; give an existing JSON-lines file`);
    }
    return this.report(agg);
  }

  /**
   * Replays telemetry text (JSON lines or a JSON array).
   *
   * @param text the telemetry
   */
  public replayText(text: string): ImpactReport {
    const agg = new (lazyAggregator().Aggregator)();
    const s = new (lazyStream().TelemetrySplitter)(agg);
    s.feed(text);
    s.end();
    return this.report(agg);
  }

  /**
   * Replays parsed telemetry records (KubeArmor alert or log objects); line numbers are 1-based indices.
   *
   * @param records the records
   */
  public replayRecords(records: any[]): ImpactReport {
    const agg = new (lazyAggregator().Aggregator)();
    records.forEach((r, i) => agg.record(r, i + 1));
    return this.report(agg);
  }

  private report(agg: Aggregator): ImpactReport {
    const findings: ImpactFinding[] = [];
    const explanations: AlertExplanation[] = [];
    const exercised = new Set<RuleRef>();
    let unchanged = 0;
    let replayed = 0;
    const unknown = new Map<string, number>();
    for (const g of agg.groups.values()) {
      const ev = g.event;
      let res: SimulationResult;
      try {
        res = this.simulator.evaluate(ev.request);
      } catch (e) {
        agg.skip(`the simulator refuses the access: ${(e as Error).message}`, g.lines[0], g.count);
        continue;
      }
      replayed += g.count;
      if (this.workloads.length > 0 && ev.request.namespace !== undefined && !this.knownWorkload(ev.request, ev.ownerName)) {
        unknown.set(ev.workload, (unknown.get(ev.workload) ?? 0) + g.count);
      }
      const matched = new Set<string>([...res.matchedPolicies, ...(res.decidedBy ? [res.decidedBy] : [])]);
      const rulesByPolicy = new Map<string, RuleRef[]>();
      for (const name of matched) {
        for (const p of this.lookup(name, ev.request)) {
          const rs = this.matcher.matching(p.manifest, p.rules, ev.request);
          for (const r of rs) exercised.add(r);
          rulesByPolicy.set(name, [...(rulesByPolicy.get(name) ?? []), ...rs]);
        }
      }
      const ruleInfo = (name: string) => {
        const p = this.lookup(name, ev.request)[0];
        const rs = rulesByPolicy.get(name) ?? (p ? this.matcher.matching(p.manifest, p.rules, ev.request) : []);
        const src = p?.source;
        const ruleSource = src?.file ? `${src.file}:${src.lineOf ? src.lineOf(rs[0]?.pointer ?? '') : 1}` : undefined;
        return { p, rs, ruleSource };
      };
      if (ev.observed.alert) {
        const { p, rs, ruleSource } = ruleInfo(ev.observed.policyName);
        explanations.push({
          policyName: ev.observed.policyName,
          found: p !== undefined,
          rulePointers: rs.map((r) => r.pointer),
          source: ruleSource,
          constructPath: p?.constructPath,
          workload: ev.workload,
          operation: ev.operation,
          target: ev.target,
          process: ev.process,
          action: ev.observed.action,
          count: g.count,
          lines: g.lines,
        });
      }
      const kind = lazyFindings().classify(ev, res);
      if (kind === undefined) {
        unchanged += g.count;
        continue;
      }
      const policyName = res.decidedBy ?? res.alert?.policyName ?? (res.permitted ? '' : 'DefaultPosture');
      const { p, rs, ruleSource } = ruleInfo(policyName);
      const deciding = rs[0];
      findings.push({
        kind,
        workload: ev.workload,
        container: ev.container,
        policyName,
        rulePointers: rs.map((r) => r.pointer),
        ruleSource,
        constructPath: p?.constructPath,
        operation: ev.operation,
        target: ev.target,
        process: ev.process,
        count: g.count,
        firstSeen: lazyTelemetryEvent().isoTime(g.first),
        lastSeen: lazyTelemetryEvent().isoTime(g.last),
        observed: `${ev.observed.alert ? ev.observed.action : 'log'}/${ev.observed.result || '-'}`,
        predicted: `${res.alert?.action ?? (res.permitted ? 'none' : 'Block')}/${res.result}`,
        lines: g.lines,
        remedy: res.permitted ? undefined : lazyRemedies().remedyFor({
          operation: ev.operation, target: ev.target, process: ev.process, rule: deciding?.rule, list: deciding?.list, policyName,
        }),
      });
    }
    const { cmp, compareFindings } = lazyFindings();
    findings.sort(compareFindings);
    explanations.sort((a, b) => cmp(a.policyName, b.policyName) || cmp(a.workload, b.workload) || cmp(a.target, b.target)
      || cmp(a.process, b.process) || a.lines[0] - b.lines[0]);
    const unexercisedRules: UnexercisedRule[] = [];
    for (const p of this.policies) {
      for (const r of p.rules) {
        if (exercised.has(r)) continue;
        unexercisedRules.push({
          policyName: p.name,
          kind: p.kind,
          pointer: r.pointer,
          value: r.value,
          source: p.source.file ? `${p.source.file}:${p.source.lineOf ? p.source.lineOf(r.pointer) : 1}` : undefined,
          constructPath: p.constructPath,
        });
      }
    }
    const skipped: SkippedTelemetry[] = [...agg.skipped.entries()]
      .map(([reason, s]) => ({ reason, count: s.count, lines: s.lines }))
      .sort((a, b) => b.count - a.count || lazyFindings().cmp(a.reason, b.reason));
    return new ImpactReport({
      settings: {
        asBlock: this.options.asBlock ?? false,
        enforcer: this.options.enforcer ?? SimulatedEnforcer.APPARMOR,
        filePosture: this.options.defaultFilePosture ?? SimulatedPosture.AUDIT,
        policies: this.policies.length,
      },
      records: agg.records,
      replayed,
      distinctAccesses: agg.groups.size,
      unchanged,
      findings,
      unexercisedRules,
      skipped,
      explanations,
      unknownWorkloads: [...unknown.keys()].sort().map((workload) => ({ workload, count: unknown.get(workload)! })),
    });
  }

  private lookup(name: string, request: AccessRequest): LoadedPolicy[] {
    return this.policies.filter((p) => p.name === name && (p.kind !== 'KubeArmorPolicy' || p.namespace === request.namespace));
  }

  private knownWorkload(request: AccessRequest, ownerName: string): boolean {
    const labels = request.labels ?? {};
    if (ownerName !== '') {
      // KubeArmor names the owner (Deployment, StatefulSet...): compare names, not labels.
      return this.workloads.some((w) => w.namespace === request.namespace && (w.name === ownerName || (w.name ?? '').endsWith(`/${ownerName}`)));
    }
    return this.workloads.some((w) => w.namespace === request.namespace
      && Object.entries(w.labels ?? {}).every(([k, v]) => labels[k] === v)
      && (request.container === undefined || w.containers === undefined || w.containers.length === 0 || w.containers.includes(request.container)));
  }
}

function idOf(kind: string, namespace: string | undefined, name: string | undefined): string {
  return `${kind}/${kind === 'KubeArmorPolicy' ? (namespace ?? 'default') : ''}/${name ?? ''}`;
}
