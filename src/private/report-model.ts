/**
 * The compliance report as one data model (the JSON the report writes; Markdown and HTML render it):
 * provenance, the workload × control matrix with its gaps, per control the coverage level and what is not
 * met, per policy its protected set (listed once, referenced by anchor) and how to verify it. Everything is
 * read from the synthesised manifests; only the constructs' descriptions (construct path, target, action
 * origin) and opt-out reasons come from the construct tree.
 */
import { createHash } from 'crypto';
import { Yaml } from 'cdk8s';
import { ComplianceControl } from '../compliance';
import { NOT_COVERED_ROWS } from './compliance-gaps';
import { FRAMEWORKS, frameworkTitle } from './compliance-table';
import { distinct, PolicyEvidence, policyJson, RuleEvidence } from './evidence';
import { kernelRefusesWrites } from './report-kernel';
import { verificationsOf } from './report-verify';
import { ReportWorkload, WorkloadStatus, workloadMode } from './report-workloads';
import { selectsPod } from './selection';
import { PolicySimulator } from '../simulator/policy-simulator';

export interface ReportInput {
  readonly scope: string;
  readonly generatedAt: string;
  readonly libraryVersion: string;
  readonly commit?: string;
  readonly buildId?: string;
  /** Each chart's path and synthesised objects, in app order. */
  readonly charts: ReadonlyArray<{ readonly path: string; readonly objects: readonly any[] }>;
  readonly policies: readonly PolicyEvidence[];
  readonly workloads: readonly ReportWorkload[];
}

const LEVEL_RANK: Record<string, number> = { SATISFIES: 4, PARTIAL: 3, SUPPORTS: 2, NOT_ADDRESSED: 1, NOT_ASSESSED: 0 };
const ACK_PREFIX = 'lint.cdk8s-kubearmor.io/acknowledge.';

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** An id usable in an HTML anchor and a URL fragment. */
export function slug(prefix: string, s: string): string {
  return `${prefix}-${s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}`;
}

export function controlAnchor(c: ComplianceControl): string {
  return slug('control', `${c.framework}-${c.id}`);
}

export function policyAnchor(e: { kind: string; namespace?: string; name: string }): string {
  return slug('policy', `${e.kind}-${e.namespace ?? ''}-${e.name}`);
}

export function workloadAnchor(id: string): string {
  return slug('workload', id);
}

/** The level a set of rules provides for a control: under Block or Audit, capped in a container, NOT_ASSESSED for custom controls. */
function levelOf(c: ComplianceControl, rules: readonly RuleEvidence[], kind: string, audited: boolean): string {
  if (!c.isBuiltIn) return 'NOT_ASSESSED';
  const blocks = !audited && rules.some((r) => r.action === 'Block');
  const audits = rules.some((r) => r.action === 'Audit' || r.action === 'Block');
  if (!blocks && !audits) return 'NOT_ASSESSED';
  let level: string = blocks ? c.coverageUnderBlock! : c.coverageUnderAudit!;
  const inContainer = ComplianceControl._inContainer(c);
  if (kind !== 'KubeArmorHostPolicy' && inContainer !== undefined && LEVEL_RANK[inContainer] < LEVEL_RANK[level]) level = inContainer;
  return level;
}

function best(levels: string[]): string | undefined {
  return levels.sort((a, b) => LEVEL_RANK[b] - LEVEL_RANK[a])[0];
}

function fileTargets(rules: readonly RuleEvidence[]): Array<{ path: string; isDir: boolean }> {
  return rules.filter((r) => r.list === 'file.matchDirectories' || r.list === 'file.matchPaths').map((r) => ({ path: r.target, isDir: r.list === 'file.matchDirectories' }));
}

/** Whether every write the policy's file rules watch fails with EROFS in every container of the workload first. */
export function detectionCannotFire(rules: readonly RuleEvidence[], w: ReportWorkload): boolean {
  const targets = fileTargets(rules.filter((r) => r.readOnly));
  if (targets.length === 0 || w.filesystems.length === 0) return false;
  return w.filesystems.every((fs) => targets.every((t) => kernelRefusesWrites(fs, t)));
}

function acknowledgements(manifest: any): Array<{ lint: string; reason: string }> {
  const ann = manifest?.metadata?.annotations ?? {};
  return Object.keys(ann).filter((k) => k.startsWith(ACK_PREFIX)).sort().map((k) => ({ lint: k.slice(ACK_PREFIX.length), reason: String(ann[k]) }));
}

/** Builds the report's data model (the JSON). Deterministic: the inputs' order, no clock. */
export function buildReport(input: ReportInput): any {
  const policies = input.policies;
  const controls = ComplianceControl._canonical(policies.flatMap((e) => e.controls));
  const manifests = input.charts.flatMap((c) => c.objects);
  const sim = PolicySimulator.fromManifests([...manifests], { workloads: [] });
  const selects = new Map<PolicyEvidence, ReportWorkload[]>(policies.map((e) => [e, e.kind === 'KubeArmorHostPolicy' ? []
    : input.workloads.filter((w) => selectsPod(e.effective.manifest, w))]));

  const cellOf = (w: ReportWorkload, c: ComplianceControl): any => {
    const claims = policies.filter((e) => selects.get(e)!.includes(w) && e.controls.some((x) => x.key === c.key));
    const mode = workloadMode(w);
    if (mode === 'UNTRACKED_NAMESPACE') return { status: mode };
    const rulesOf = (e: PolicyEvidence) => e.rules.filter((r) => r.controls.some((x) => x.key === c.key));
    if (claims.length === 0) return w.optOutReason !== undefined ? { status: 'OPTED_OUT', reason: w.optOutReason } : { status: 'NOT_COVERED' };
    const names = claims.map((e) => e.name);
    if (mode === 'POLICY_DISABLED') return { status: mode, policies: names };
    const level = best(claims.map((e) => levelOf(c, rulesOf(e), e.kind, mode === 'POLICY_AUDITED')))!;
    const kernelFirst = claims.every((e) => detectionCannotFire(rulesOf(e), w));
    return { status: mode ?? 'COVERED', level, policies: names, ...(kernelFirst ? { detection: 'kernel refuses writes first (read-only root filesystem): no KubeArmor alert' } : {}) };
  };

  const rows = input.workloads.map((w) => {
    const cells = controls.map((c) => cellOf(w, c));
    const covering = policies.filter((e) => selects.get(e)!.includes(w)).map((e) => e.name);
    const status: WorkloadStatus = workloadMode(w) ?? (covering.length > 0 ? 'COVERED' : w.optOutReason !== undefined ? 'OPTED_OUT' : 'NOT_COVERED');
    return {
      workload: w.id,
      anchor: workloadAnchor(w.id),
      kind: w.kind,
      namespace: w.namespace,
      name: w.name,
      status,
      ...(w.optOutReason !== undefined ? { optOutReason: w.optOutReason } : {}),
      kubearmorPolicy: w.kubearmorPolicy,
      policies: covering,
      containers: w.filesystems.map((f) => ({
        ...(f.name !== undefined ? { name: f.name } : {}),
        readOnlyRootFilesystem: f.readOnlyRootFilesystem,
        writableMounts: [...f.writableMounts],
        ...(f.user !== undefined ? { user: f.user } : {}),
      })),
      cells,
    };
  });

  const controlJson = controls.map((c, k) => {
    const claims = policies.filter((e) => e.controls.some((x) => x.key === c.key)).map((e) => {
      const rules = e.rules.filter((r) => r.controls.some((x) => x.key === c.key));
      return {
        policy: e.name,
        anchor: policyAnchor(e),
        kind: e.kind,
        action: distinct(rules, (r) => r.action, '/'),
        level: levelOf(c, rules, e.kind, false),
        rules: rules.map((r) => r.pointer),
        workloads: selects.get(e)!.map((w) => w.id),
      };
    });
    const gaps = rows.filter((r) => r.cells[k].status !== 'COVERED')
      .map((r) => ({ workload: r.workload, status: r.cells[k].status, ...(r.cells[k].reason !== undefined ? { reason: r.cells[k].reason } : {}) }));
    return {
      framework: c.framework,
      frameworkTitle: c.frameworkTitle,
      id: c.id,
      title: c.title,
      tag: c.tag,
      anchor: controlAnchor(c),
      builtIn: c.isBuiltIn,
      ...(c.isBuiltIn ? {
        requirement: c.requirement,
        source: c.sourceReference,
        coverage: {
          block: c.coverageUnderBlock,
          audit: c.coverageUnderAudit,
          ...(ComplianceControl._inContainer(c) ? { inContainer: ComplianceControl._inContainer(c) } : {}),
        },
        needsBlock: c.needsBlock,
        notMet: c.notMet,
        customer: c.customerResponsibility,
      } : { coverage: { block: 'NOT_ASSESSED', audit: 'NOT_ASSESSED' } }),
      claims,
      gaps,
    };
  });

  const policyJsonOut = policies.map((e) => {
    const j = policyJson(e);
    const yaml = Yaml.stringify(e.effective.manifest);
    const sel = selects.get(e)!;
    return {
      ...j,
      anchor: policyAnchor(e),
      sha256: sha256(yaml),
      acknowledgements: acknowledgements(e.effective.manifest),
      controls: e.controls.map((c) => c.tag),
      selects: sel.map((w) => w.id),
      otherRules: e.rules.filter((r) => r.list !== 'file.matchDirectories' && r.list !== 'file.matchPaths').map((r) => ({ list: r.list, target: r.target, action: r.action })),
      verify: verificationsOf(sim, e.effective, sel.filter((w) => w.kubearmorPolicy !== 'disabled')),
    };
  });

  const usedFrameworks = new Set(controls.map((c) => c.framework as string));
  return {
    generator: 'cdk8s-kubearmor ComplianceReport',
    schemaVersion: 2,
    scope: input.scope,
    provenance: {
      generatedAt: input.generatedAt,
      library: { name: 'cdk8s-kubearmor', version: input.libraryVersion },
      ...(input.commit !== undefined ? { commit: input.commit } : {}),
      ...(input.buildId !== undefined ? { buildId: input.buildId } : {}),
      frameworks: FRAMEWORKS.filter((f) => usedFrameworks.has(f.key))
        .map((f) => ({ framework: f.key, title: frameworkTitle(f), version: f.version, reference: f.reference })),
      manifests: input.charts.map((c) => ({ chart: c.path, objects: c.objects.length, sha256: sha256(Yaml.stringify(...c.objects)) })),
    },
    summary: {
      policies: policies.length,
      controls: controls.length,
      workloads: rows.length,
      gaps: rows.reduce((n, r) => n + r.cells.filter((x: any) => x.status !== 'COVERED').length, 0),
    },
    matrix: { columns: controls.map((c) => c.tag), rows },
    controls: controlJson,
    policies: policyJsonOut,
    notCovered: NOT_COVERED_ROWS.map((r) => ({ framework: r.framework, id: r.id, title: r.title, source: r.source, why: r.why })),
  };
}
