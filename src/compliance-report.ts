import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ComplianceControl } from './compliance';
import { FileIntegrityPolicy } from './file-integrity-policy';
import { HardenedWorkload } from './hardened-workload';
import { fail } from './private/errors';
import type { PolicyEvidence } from './private/evidence';
import { lazy } from './private/lazy';
import type { ReportWorkload } from './private/report-workloads';
import { SecurityPolicy } from './security-policy';

// Loaded on first use, not when the library is loaded (cold require cost).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazyWorkload = lazy((): typeof import('./private/workload') => require('./private/workload'));
const lazySynthHook = lazy((): typeof import('./private/synth-hook') => require('./private/synth-hook'));
const lazyReportWorkloads = lazy((): typeof import('./private/report-workloads') => require('./private/report-workloads'));
const lazyReportModel = lazy((): typeof import('./private/report-model') => require('./private/report-model'));
const lazyReportMarkdown = lazy((): typeof import('./private/report-markdown') => require('./private/report-markdown'));
const lazyReportHtml = lazy((): typeof import('./private/report-html') => require('./private/report-html'));
const lazyPolicyModel = lazy((): typeof import('./private/policy-model') => require('./private/policy-model'));
const lazyEvidence = lazy((): typeof import('./private/evidence') => require('./private/evidence'));
const lazyEffective = lazy((): typeof import('./private/effective') => require('./private/effective'));
/* eslint-enable @typescript-eslint/no-require-imports */

/** Options of {@link ComplianceReport.of}: the provenance the report records. */
export interface ComplianceReportOptions {
  /**
   * When the evidence was produced, as an ISO 8601 UTC time (`2026-01-31T12:00:00Z`). Give a fixed value
   * (e.g. the commit time) to keep the report byte-identical across runs.
   * @default - `SOURCE_DATE_EPOCH` (seconds) when set, else the current time
   */
  readonly generatedAt?: string;

  /**
   * The commit of the application's source the manifests were synthesised from (7 to 40 hex digits).
   * @default - not recorded (the report says so)
   */
  readonly commit?: string;

  /**
   * The build that synthesised the manifests, e.g. a CI run URL or number.
   * @default - not recorded (the report says so)
   */
  readonly buildId?: string;
}

function libraryVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function generatedAt(where: string, given: string | undefined): string {
  if (given !== undefined) {
    if (typeof given !== 'string' || !ISO_UTC.test(given) || Number.isNaN(Date.parse(given))) {
      fail({ where, field: 'generatedAt', value: given, problem: 'is not an ISO 8601 UTC time', fix: "write it as '2026-01-31T12:00:00Z'" });
    }
    return given;
  }
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d{1,12}$/.test(epoch)) fail({ where, field: 'SOURCE_DATE_EPOCH', value: epoch, problem: 'is not a number of seconds', fix: 'unset it or set it to e.g. 1767225600' });
    return new Date(Number(epoch) * 1000).toISOString().replace('.000Z', 'Z');
  }
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Compliance evidence for the policies under a scope (an app, a chart or any construct), read from the
 * synthesised manifests: provenance (date, library version, commit or build id, framework versions, sha256
 * of each chart's YAML and of each policy); a workload × control matrix with its gaps (not covered, opted out
 * with reason, untracked namespace, `kubearmor-policy: audited`/`disabled` pods, detection that cannot fire on
 * a read-only root filesystem); per control the coverage level under Block and Audit, what is not met and the
 * customer's part; per policy, once, its protected set, the rules that carry each control after KubeArmor's
 * inheritance and how their action was decided, and how to verify it (a command and the simulator's
 * prediction under AppArmor and BPF-LSM, the kernel's EROFS first where it applies).
 *
 * Output is deterministic apart from the date: give `generatedAt` (or set `SOURCE_DATE_EPOCH`) for
 * byte-identical reports. Create it after all constructs: it runs what synthesis runs first (deferred work
 * such as hardenAll, the lints that write acknowledgements into the manifests), so what it digests is what
 * `app.synth()` writes; it can be called before or after `app.synth()`.
 *
 * @example
 * app.synth();
 * ComplianceReport.of(app, { commit: process.env.GITHUB_SHA }).writeFiles(app.outdir);
 */
export class ComplianceReport {
  /**
   * The report for every policy under `scope`.
   * @param scope an app, a chart or any construct
   * @param options provenance: date, commit, build id
   */
  public static of(scope: IConstruct, options: ComplianceReportOptions = {}): ComplianceReport {
    return new ComplianceReport(scope, options);
  }

  private readonly scopePath: string;
  private readonly evidence: PolicyEvidence[];
  private readonly model: any;

  private constructor(scope: IConstruct, options: ComplianceReportOptions) {
    this.scopePath = scope.node.path || '<app>';
    const where = `ComplianceReport.of(${this.scopePath})`;
    if (options.commit !== undefined && (typeof options.commit !== 'string' || !/^[0-9a-f]{7,40}$/.test(options.commit))) {
      fail({ where, field: 'commit', value: options.commit, problem: 'is not a git commit id', fix: 'give 7 to 40 lower-case hex digits (git rev-parse HEAD), or use buildId' });
    }
    if (options.buildId !== undefined && (typeof options.buildId !== 'string' || options.buildId.trim().length === 0 || /[\u0000-\u001f]/.test(options.buildId))) {
      fail({ where, field: 'buildId', value: options.buildId, problem: 'must be non-empty text on one line', fix: 'give the CI run id or URL' });
    }
    const at = generatedAt(where, options.generatedAt);
    const out: PolicyEvidence[] = [];
    lazySynthHook().prepareAsSynth(scope);
    const all = scope.node.findAll();
    for (const c of all) {
      const e = c instanceof SecurityPolicy ? evidenceOf(c) : undefined;
      if (e) out.push(e);
    }
    this.evidence = out.sort((a, b) => (a.constructPath < b.constructPath ? -1 : a.constructPath > b.constructPath ? 1 : 0));
    let charts = all.filter((c) => Chart.isChart(c)) as Chart[];
    if (charts.length === 0) charts = [Chart.of(scope)];
    const optOut = new Map<string, string>();
    for (const v of lazyWorkload().workloadsIn(scope.node.root.node.findAll())) {
      const reason = HardenedWorkload.optOutReason(v.construct);
      if (reason !== undefined) optOut.set(`${v.kind}/${v.namespace ?? 'default'}/${v.name}`, reason);
    }
    charts = [...charts].sort((a, b) => (a.node.path < b.node.path ? -1 : a.node.path > b.node.path ? 1 : 0));
    const chartObjects = charts.map((c) => ({ path: c.node.path || '<app>', objects: c.toJson() }));
    const workloads = chartObjects.flatMap((c) => c.objects).map((m) => lazyReportWorkloads().reportWorkload(m, (k) => optOut.get(k)))
      .filter((w): w is ReportWorkload => w !== undefined).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.model = lazyReportModel().buildReport({
      scope: this.scopePath,
      generatedAt: at,
      libraryVersion: libraryVersion(),
      commit: options.commit,
      buildId: options.buildId,
      charts: chartObjects,
      policies: this.evidence,
      workloads,
    });
  }

  /** The controls claimed by at least one policy, in tag order. */
  public get controls(): ComplianceControl[] {
    return ComplianceControl._canonical(this.evidence.flatMap((e) => e.controls));
  }

  /** Names of the policies that claim at least one control, by construct path. */
  public get policyNames(): string[] {
    return this.evidence.map((e) => e.name);
  }

  /**
   * The report as a JSON-serialisable object (schema version 2): `provenance`, `summary`, `matrix` (a row per
   * workload, a cell per claimed control, with gaps), `controls[]` (coverage, claims, gaps), `policies[]`
   * (protected set, digest, acknowledgements, how to verify) and `notCovered[]`.
   */
  public toJson(): any {
    return JSON.parse(JSON.stringify(this.model));
  }

  /** The report as Markdown: provenance, the workload × control matrix, each control, each policy once. */
  public toMarkdown(): string {
    return lazyReportMarkdown().reportMarkdown(this.model);
  }

  /** The report as one self-contained HTML page (no scripts, no external resources) an auditor can open. */
  public toHtml(): string {
    return lazyReportHtml().reportHtml(this.model);
  }

  /**
   * Writes `compliance-report.md`, `compliance-report.json` and `compliance-report.html` into `directory`
   * (created if missing).
   * @returns the paths written
   */
  public writeFiles(directory: string): string[] {
    fs.mkdirSync(directory, { recursive: true });
    const md = path.join(directory, 'compliance-report.md');
    const json = path.join(directory, 'compliance-report.json');
    const html = path.join(directory, 'compliance-report.html');
    fs.writeFileSync(md, this.toMarkdown());
    fs.writeFileSync(json, `${JSON.stringify(this.model, null, 2)}\n`);
    fs.writeFileSync(html, this.toHtml());
    return [md, json, html];
  }
}

function evidenceOf(p: SecurityPolicy): PolicyEvidence | undefined {
  const manifest = p.apiObject.toJson();
  const effective = lazyEffective().effectivePolicy(manifest, lazyPolicyModel().modelOf(p)?.provenance());
  if (!effective) return undefined;
  const rules = lazyEvidence().ruleEvidence(effective);
  if (rules.length === 0) return undefined;
  const owner = p.node.scope;
  const fim = owner instanceof FileIntegrityPolicy && owner.policy === p ? owner : undefined;
  return {
    name: effective.name,
    kind: effective.kind,
    namespace: effective.namespace,
    constructPath: (fim ?? p).node.path,
    construct: fim ? 'FileIntegrityPolicy' : 'SecurityPolicy',
    target: (fim ?? p).target.description,
    severity: typeof manifest.spec?.severity === 'number' ? manifest.spec.severity : undefined,
    rules,
    controls: ComplianceControl._canonical(rules.flatMap((r) => r.controls)),
    effective,
  };
}
