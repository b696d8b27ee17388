/**
 * One side of a diff (BEFORE or AFTER): its policies as effective policies, its workloads (from the
 * manifests, or — when none is given on either side — one pseudo-workload per policy selector), which
 * policies select which workload (selection.ts, KubeArmor's rules), the simulator over it, its lint
 * findings and its compliance controls per workload. Built once per side; the comparison reads it.
 */
import { ComplianceControl } from '../../compliance';
import { canonicalJson } from '../../private/canonical';
import { effectivePolicy, EffectivePolicy } from '../../private/effective';
import { lintManifests } from '../../private/lints';
import { compileSelector, makeEndpoint, PodIndex, policyApplies } from '../../private/selection';
import { PolicySimulator, SimulatedNamespace, SimulatedWorkload } from '../../simulator';
import { manifestWorkload } from '../../simulator/private/manifest-workloads';

/** A workload as the diff identifies it across the two sides. */
export interface DiffWorkload {
  /** Stable identity: `Deployment/ns/name`, `pods/ns/{labels}` or `host/{labels}`. */
  readonly key: string;
  /** What the report prints: `Deployment wordpress-mysql/mysql {app=mysql}`. */
  readonly label: string;
  readonly host: boolean;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly containers: string[];
}

export interface SidePolicy {
  readonly index: number;
  readonly effective: EffectivePolicy;
  /** Keys of the workloads it selects. */
  readonly selects: string[];
  /** Spec without selector, rule lists sorted: equal for a renamed or reordered copy (computed when asked). */
  readonly content: () => string;
  /** Kind, spec without selector (as written, in order) and the containers its selector names: what decides a probe, the name aside. */
  readonly shape: string;
}

export interface SideLint {
  readonly id: string;
  readonly severity: string;
  readonly policy: string;
  /** The rule (value at the pointer) the finding is about, canonical: stable under reorders. */
  readonly subject: string;
  readonly message: string;
}

export interface Side {
  readonly manifests: readonly any[];
  readonly policies: readonly SidePolicy[];
  readonly byName: ReadonlyMap<string, SidePolicy>;
  readonly workloads: ReadonlyMap<string, DiffWorkload>;
  /** Policies (indices into `policies`) per workload key, in application order. */
  readonly applying: ReadonlyMap<string, readonly SidePolicy[]>;
  readonly namespaces: ReadonlyMap<string, Record<string, string>>;
  readonly lints: ReadonlyMap<string, readonly SideLint[]>;
  /** Lint findings of policies that select no workload. */
  readonly unattachedLints: readonly SideLint[];
  readonly simulator: PolicySimulator;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

export function labelText(labels: Record<string, string>): string {
  return `{${Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(', ')}}`;
}

function record(v: unknown): Record<string, string> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** Workloads named by the manifests (Deployments, ..., Pods). */
export function manifestWorkloads(manifests: readonly any[]): DiffWorkload[] {
  const out: DiffWorkload[] = [];
  for (const m of manifests) {
    if (!WORKLOAD_KINDS.has(m?.kind)) continue;
    const w: SimulatedWorkload | undefined = manifestWorkload(m);
    if (w === undefined) continue;
    const name = `${w.namespace}/${w.name ?? '<unnamed>'}`;
    out.push({
      key: `${m.kind}/${name}`,
      label: `${m.kind} ${name} ${labelText(w.labels ?? {})}`,
      host: false,
      namespace: w.namespace,
      labels: w.labels ?? {},
      annotations: w.annotations ?? {},
      containers: w.containers ?? [],
    });
  }
  return out;
}

/** Pseudo-workloads: the pods a KubeArmorPolicy's matchLabels describe, or the node a host policy's nodeSelector does. */
export function selectorWorkloads(manifests: readonly any[]): DiffWorkload[] {
  const out: DiffWorkload[] = [];
  for (const m of manifests) {
    const e = effectivePolicy(m);
    if (!e) continue;
    if (e.kind === 'KubeArmorHostPolicy') {
      const labels = record(m.spec?.nodeSelector?.matchLabels);
      out.push({ key: `host/${labelText(labels)}`, label: `host ${labelText(labels)}`, host: true, namespace: '', labels, annotations: {}, containers: [] });
    } else if (e.kind === 'KubeArmorPolicy') {
      const labels = record(m.spec?.selector?.matchLabels);
      const ns = e.namespace ?? 'default';
      out.push({ key: `pods/${ns}/${labelText(labels)}`, label: `pods ${ns} ${labelText(labels)}`, host: false, namespace: ns, labels, annotations: {}, containers: [] });
    }
  }
  return out;
}

/** Hosts are known only by the host policies' nodeSelectors (the manifests hold no nodes). */
export function hostWorkloads(manifests: readonly any[]): DiffWorkload[] {
  return selectorWorkloads(manifests.filter((m) => m?.kind === 'KubeArmorHostPolicy'));
}

function sortedSpec(m: any): string {
  const spec = { ...(m.spec ?? {}) };
  delete spec.selector;
  delete spec.nodeSelector;
  for (const [section, body] of Object.entries<any>(spec)) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) continue;
    const copy: Record<string, unknown> = { ...body };
    for (const [k, v] of Object.entries(copy)) if (Array.isArray(v)) copy[k] = v.map((x) => canonicalJson(x)).sort();
    spec[section] = copy;
  }
  if (Array.isArray(spec.presets)) spec.presets = spec.presets.map((x: unknown) => canonicalJson(x)).sort();
  return canonicalJson({ kind: m.kind, namespace: m.kind === 'KubeArmorPolicy' ? m.metadata?.namespace ?? 'default' : '', spec });
}

function valueAt(m: any, pointer: string): unknown {
  let v = m;
  for (const seg of pointer.split('/').slice(1)) v = v?.[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  return v;
}

/**
 * Builds one side. `workloads` is the union of both sides' workload identities; each side evaluates its
 * own version of a workload (its labels), or does not have it.
 */
export function buildSide(manifests: readonly any[], workloads: readonly DiffWorkload[]): Side {
  const namespaces = new Map<string, Record<string, string>>();
  for (const m of manifests) {
    if (m?.kind === 'Namespace' && typeof m.metadata?.name === 'string') namespaces.set(m.metadata.name, record(m.metadata.annotations));
  }
  const byKey = new Map(workloads.map((w) => [w.key, w]));
  const pods = workloads.filter((w) => !w.host);
  const hosts = workloads.filter((w) => w.host);
  const index = new PodIndex(pods);
  const policies: SidePolicy[] = [];
  const applying = new Map<string, SidePolicy[]>();
  manifests.forEach((m, i) => {
    const effective = effectivePolicy(m);
    if (!effective) return;
    let selects: string[];
    if (effective.kind === 'KubeArmorHostPolicy') {
      const sel = compileSelector(m);
      selects = hosts.filter((h) => policyApplies(sel, makeEndpoint(true, '', h.labels, undefined, 'node'), [])).map((h) => h.key);
    } else {
      selects = index.selectedBy(m).map((w) => w.key);
    }
    const spec = { ...(m.spec ?? {}) };
    delete spec.selector;
    delete spec.nodeSelector;
    // JSON.stringify, not canonicalJson: a shape only tells "the same as written" (a reorder merely costs a probe run).
    const shape = JSON.stringify([effective.kind, spec, compileSelector(m).containers ?? null]);
    let content: string | undefined;
    const p: SidePolicy = { index: i, effective, selects, content: () => (content ??= sortedSpec(m)), shape };
    policies.push(p);
    for (const k of selects) {
      const l = applying.get(k);
      if (l) l.push(p);
      else applying.set(k, [p]);
    }
  });
  const byName = new Map(policies.map((p) => [p.effective.key, p]));
  const byIndex = new Map(policies.map((p) => [p.index, p]));

  const lints = new Map<string, SideLint[]>();
  const unattached: SideLint[] = [];
  const raw = lintManifests([...manifests], { workloads: pods.length > 0 ? pods.map((w) => ({ ...w, name: w.key })) : undefined });
  for (const f of raw) {
    const p = byIndex.get(f.manifest);
    if (!p) continue;
    const reason = p.effective.manifest.metadata?.annotations?.[`lint.cdk8s-kubearmor.io/acknowledge.${f.id}`];
    if (typeof reason === 'string' && reason.trim() !== '') continue;
    const subject = canonicalJson(valueAt(p.effective.manifest, f.jsonPath) ?? null);
    const lint: SideLint = { id: f.id, severity: f.severity, policy: p.effective.name, subject, message: f.message };
    if (p.selects.length === 0) unattached.push(lint);
    for (const k of p.selects) {
      const l = lints.get(k);
      if (l) l.push(lint);
      else lints.set(k, [lint]);
    }
  }
  const simNamespaces: SimulatedNamespace[] = [...namespaces].map(([name, annotations]) => ({ name, annotations }));
  const simulator = PolicySimulator.fromManifests(policies.map((p) => p.effective.manifest), { namespaces: simNamespaces });
  return { manifests, policies, byName, workloads: byKey, applying, namespaces, lints, unattachedLints: unattached, simulator };
}

const RANK: Record<string, number> = { 'prevention': 3, 'detection': 2, 'allow-list': 1 };
/** The control tags of a rule's effective tags (`ComplianceControl._fromTag`, as the evidence reads them), by tag list. */
const CONTROL_TAGS = new Map<string, string[]>();

function controlTags(tags: readonly string[]): string[] {
  const key = tags.join('\u0000');
  let out = CONTROL_TAGS.get(key);
  if (!out) {
    out = [...new Set(tags.map((t) => ComplianceControl._fromTag(t)?.tag).filter((t): t is string => t !== undefined))];
    CONTROL_TAGS.set(key, out);
  }
  return out;
}

/**
 * Compliance controls a workload's policies evidence (a rule evidences the controls of its effective tags,
 * evidence.ts): tag → `prevention` (a Block rule carries it), `detection` (Audit rules only) or `allow-list`.
 */
export function controlsOf(policies: readonly SidePolicy[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of policies) {
    for (const r of p.effective.rules) {
      if (r.tags.length === 0) continue;
      const level = r.action === 'Block' ? 'prevention' : r.action === 'Audit' ? 'detection' : 'allow-list';
      for (const tag of controlTags(r.tags)) {
        const prev = out.get(tag);
        if (prev === undefined || RANK[level] > RANK[prev]) out.set(tag, level);
      }
    }
  }
  return out;
}
