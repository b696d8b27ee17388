/**
 * One synth-time hook per app root. cdk8s has no Aspects: the hook is a single validation on the root
 * construct, which cdk8s runs before it writes any manifest (App.synth, App.synthYaml, Chart.toJson).
 * It first runs deferred app-wide work (e.g. hardening every unprotected workload), then the semantic
 * lints over every policy of the app — one pass over the app per validation, never one per construct.
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ACK_ANNOTATION_PREFIX } from './ack';
import { envFlag } from './env';
import { formatProblem, formatProblemBody, Problem } from './errors';
import { lazy } from './lazy';
import type { RawFinding } from './lints';
import { modelOf } from './policy-model';
import { findingIdentity, objectIdentity, writeSynthRecord } from './synth-record';
import { currentEpoch, synthInProgress, touch, watchSynth } from './synth-window';
import { workloadOf, WorkloadView } from './workload';

// Loaded on first use, not when the library is loaded (cold require cost).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazyLints = lazy((): typeof import('./lints') => require('./lints'));
/* eslint-enable @typescript-eslint/no-require-imports */

export { ACK_ANNOTATION_PREFIX, touch };

/** Marks SecurityPolicy instances without importing the class (no import cycle). */
export const POLICY_MARKER = Symbol.for('cdk8s-kubearmor.SecurityPolicy');

export interface PolicyLike extends IConstruct {
  readonly apiObject: ApiObject;
  readonly policyName: string;
  readonly kind: string;
  readonly namespace?: string;
  _toKube(): Record<string, unknown>;
}

/**
 * The manifest the lints see. Built from the policy's renderer (cached) rather than a full
 * `ApiObject.toJson()` resolution, unless escape-hatch JSON patches exist, which only toJson applies.
 */
function manifestOf(p: PolicyLike): any {
  const patches = (p.apiObject as any).patches;
  if (!Array.isArray(patches) || patches.length > 0) return p.apiObject.toJson();
  const namespace = p.namespace;
  return {
    apiVersion: p.apiObject.apiVersion,
    kind: p.kind,
    metadata: namespace === undefined || p.kind !== 'KubeArmorPolicy' ? { name: p.policyName } : { name: p.policyName, namespace },
    spec: p._toKube(),
  };
}

export interface ConstructFinding extends RawFinding {
  readonly policy: PolicyLike;
  readonly constructPath: string;
  readonly relatedPaths: string[];
  readonly acknowledgement?: string;
  /** The policy whose acknowledgement silences the finding: the one it is about or any other it names. */
  readonly acknowledgedOn?: PolicyLike;
}

interface RootState {
  readonly deferred: Array<() => void>;
  readonly acknowledgements: WeakMap<IConstruct, Map<string, string>>;
  /** Policies created by deferred work, i.e. during the validation pass (cdk8s does not validate them itself). */
  readonly late: WeakSet<IConstruct>;
  /** Charts that report the errors of their late policies. */
  readonly lateCharts: WeakSet<IConstruct>;
  /** Set while deferred work runs. */
  deferring: boolean;
  /** The unacknowledged errors of the last hook run, per policy, and the app state they were computed for. */
  last?: {
    readonly fingerprint: Fingerprint;
    readonly errors: ReadonlyMap<IConstruct, Problem[]>;
    /** The synthesis window (synth-window.ts) in which `last` was computed or last found unchanged. */
    window?: object;
  };
  /**
   * Set by the root's validation, which cdk8s runs first in every validation pass (its walk is pre-order),
   * and cleared when the synchronous pass is over: while set and no change was recorded, the policies'
   * own validations in the same pass reuse `last` without fingerprinting the app again (O(1) each, not
   * O(charts + children), which made one pass quadratic in the number of policies).
   */
  pass?: { readonly epoch: number };
}

const ROOTS = new WeakMap<IConstruct, RootState>();
const printed = new Set<string>();


function stateOf(scope: IConstruct): RootState {
  const root = scope.node.root;
  let state = ROOTS.get(root);
  if (!state) {
    state = { deferred: [], acknowledgements: new WeakMap(), late: new WeakSet(), lateCharts: new WeakSet(), deferring: false };
    ROOTS.set(root, state);
    watchSynth(root);
    const s = state;
    // The root only runs the hook (deferred work first): every lint error is reported by the policy it is
    // about, so that cdk8s prefixes it with that policy's path, never with the root's empty one.
    root.node.addValidation({
      validate: () => {
        runHook(root, s);
        if (s.pass === undefined) queueMicrotask(() => { s.pass = undefined; });
        s.pass = { epoch: currentEpoch() };
        return [];
      },
    });
  }
  return state;
}

/**
 * Installs the hook on the app of `policy` and the validation through which cdk8s reports the policy's
 * unacknowledged lint errors (`[shop/fim] ERROR KA005 conflicting-rules: ...`).
 */
export function registerPolicy(policy: PolicyLike): void {
  const state = stateOf(policy);
  if (state.deferring) {
    // Created during the validation pass: cdk8s has already listed the constructs it validates, so the
    // policy's chart (which existed before) reports its errors.
    state.late.add(policy);
    const chart = Chart.of(policy);
    if (!state.lateCharts.has(chart)) {
      state.lateCharts.add(chart);
      chart.node.addValidation({ validate: () => lateErrors(chart, state) });
    }
    return;
  }
  policy.node.addValidation({ validate: () => (inPass(state) ?? runHook(policy.node.root, state)).get(policy)?.map(formatProblemBody) ?? [] });
}

/** The errors of the validation pass in progress, if one is and nothing changed since its root ran. */
function inPass(state: RootState): ReadonlyMap<IConstruct, Problem[]> | undefined {
  return state.pass?.epoch === currentEpoch() && !state.deferring ? state.last?.errors : undefined;
}

function lateErrors(chart: IConstruct, state: RootState): string[] {
  const out: string[] = [];
  for (const [policy, problems] of inPass(state) ?? runHook(chart.node.root, state)) {
    if (state.late.has(policy) && Chart.of(policy) === chart) out.push(...problems.map(formatProblem));
  }
  return out;
}

/** Queues work that must see the final app; it runs once, at the first synth-time validation. */
export function defer(scope: IConstruct, work: () => void): void {
  stateOf(scope).deferred.push(work);
}

export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  const acks = stateOf(scope).acknowledgements;
  const map = acks.get(scope) ?? new Map<string, string>();
  map.set(id, reason);
  acks.set(scope, map);
  touch();
}

function acknowledgementFor(state: RootState, c: IConstruct, id: string): string | undefined {
  const scopes = c.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const reason = state.acknowledgements.get(scopes[i])?.get(id);
    if (reason !== undefined) return reason;
  }
  return undefined;
}

function runDeferred(state: RootState): void {
  if (state.deferring) return;
  state.deferring = true;
  try {
    while (state.deferred.length > 0) state.deferred.shift()!();
  } finally {
    state.deferring = false;
  }
}

function isPolicy(c: IConstruct): c is PolicyLike {
  return (c as any)[POLICY_MARKER] === true;
}

/**
 * Brings the app `scope` belongs to into the state synthesis writes: deferred work, then the lints, which
 * carry acknowledgements into the manifests. Readers of the manifests (ComplianceReport) call it first.
 */
export function prepareAsSynth(scope: IConstruct): void {
  runHook(scope.node.root, stateOf(scope.node.root));
}

interface AppInput {
  readonly policies: PolicyLike[];
  readonly workloads: WorkloadView[];
  /** Number of constructs in the app. */
  readonly size: number;
}

/** What the lints read from the app: its policies and its workloads. */
function appInput(root: IConstruct): AppInput {
  const policies: PolicyLike[] = [];
  const workloads: WorkloadView[] = [];
  const all = root.node.findAll();
  for (const c of all) {
    if (isPolicy(c)) {
      policies.push(c);
      continue;
    }
    const w = workloadOf(c);
    if (w) workloads.push(w);
  }
  return { policies, workloads, size: all.length };
}

function findingsOf(state: RootState, input: AppInput): ConstructFinding[] {
  const { policies } = input;
  const workloads = input.workloads.map((w) => ({
    name: w.construct.node.path,
    namespace: w.namespace,
    labels: w.podLabels(),
    containers: w.containerNames(),
    annotations: w.podAnnotations(),
    filesystems: w.containerFilesystems(),
  }));
  const raw = lazyLints().lintManifests(policies.map(manifestOf), { workloads, provenance: policies.map((p) => modelOf(p)?.provenance()) });
  return raw.map((f) => {
    const policy = policies[f.manifest];
    // A pairwise finding is acknowledged by an acknowledgement on any policy it names, as in the lint CLI.
    const acknowledgedOn = [policy, ...f.related.map((i) => policies[i])].find((p) => acknowledgementFor(state, p, f.id) !== undefined);
    return {
      ...f,
      policy,
      constructPath: policy.node.path,
      relatedPaths: f.related.map((i) => policies[i].node.path),
      acknowledgement: acknowledgedOn === undefined ? undefined : acknowledgementFor(state, acknowledgedOn, f.id),
      acknowledgedOn,
    };
  });
}

/** Every finding of the app that `scope` belongs to (deferred work runs first). */
export function computeFindings(scope: IConstruct): ConstructFinding[] {
  const root = scope.node.root;
  const state = stateOf(root);
  runDeferred(state);
  return findingsOf(state, appInput(root));
}

/** A construct finding as a {@link Problem}: `shop/fim: ERROR KA005 conflicting-rules: <message> (also: shop/other); <fix>`. */
export function findingProblem(f: ConstructFinding): Problem {
  return {
    where: f.constructPath,
    severity: f.severity,
    id: f.id,
    name: lazyLints().LINT_BY_ID.get(f.id)?.name,
    problem: `${f.message}${f.relatedPaths.length ? ` (also: ${f.relatedPaths.join(', ')})` : ''}`,
    fix: f.fix,
  };
}

/**
 * What the lints depend on: the library's change counter (bumped by every rule, target, tag, action and
 * acknowledgement change made through it), the constructs of the app, and every workload's pod identity
 * (labels, annotations, containers, namespace), which cdk8s-plus changes without the library seeing it.
 * Kept as the constructs themselves (a construct's path never changes, so the same objects in the same order
 * are the same paths) and each workload's identity: an edit of a workload's labels or a construct added
 * anywhere re-lints, and nothing else does. Compared by reference, not hashed: cdk8s validates the whole app
 * once per chart, so this runs once per chart.
 */
interface Fingerprint {
  readonly epoch: number;
  readonly size: number;
  readonly policies: readonly IConstruct[];
  readonly workloads: readonly IConstruct[];
  readonly identities: readonly string[];
}

function fingerprintOf(input: AppInput): Fingerprint {
  return {
    epoch: currentEpoch(),
    size: input.size,
    policies: input.policies,
    workloads: input.workloads.map((w) => w.construct),
    identities: input.workloads.map((w) => w.identityKey()),
  };
}

function unchanged(last: Fingerprint, input: AppInput): boolean {
  if (last.epoch !== currentEpoch() || last.size !== input.size || last.policies.length !== input.policies.length
    || last.workloads.length !== input.workloads.length) return false;
  for (let i = 0; i < input.policies.length; i++) if (last.policies[i] !== input.policies[i]) return false;
  for (let i = 0; i < input.workloads.length; i++) {
    const w = input.workloads[i];
    if (last.workloads[i] !== w.construct || last.identities[i] !== w.identityKey()) return false;
  }
  return true;
}

function runHook(root: IConstruct, state: RootState): ReadonlyMap<IConstruct, Problem[]> {
  runDeferred(state);
  // cdk8s validates the whole app once per chart it synthesises (App._synthChart): reuse the last result
  // while the app's content is unchanged, so N charts do not cost N lint passes. Inside one app.synth(),
  // once the result was computed or checked, nothing but the library's own (counted) changes can alter it:
  // the per-chart revalidations then skip the walk of the app (synth-window.ts).
  const window = synthInProgress(root);
  const last = state.last;
  if (last !== undefined && window !== undefined && last.window === window && last.fingerprint.epoch === currentEpoch()) return last.errors;
  const input = appInput(root);
  if (last !== undefined && unchanged(last.fingerprint, input)) {
    last.window = window;
    return last.errors;
  }
  const findings = findingsOf(state, input);
  const errors = new Map<IConstruct, Problem[]>();
  const reported: string[] = [];
  for (const f of findings) {
    if (f.acknowledgement !== undefined) {
      // Carried into the manifest so the lint CLI and the cdk8s validation plugin honour it too.
      (f.acknowledgedOn ?? f.policy).apiObject.metadata.addAnnotation(ACK_ANNOTATION_PREFIX + f.id, f.acknowledgement);
      continue;
    }
    reported.push(findingIdentity(f.id, policyIdentity(f.policy), f.jsonPath));
    if (f.severity === 'error') {
      const list = errors.get(f.policy) ?? [];
      list.push(findingProblem(f));
      errors.set(f.policy, list);
    } else {
      const line = formatProblem(findingProblem(f));
      if (!printed.has(line) && !envFlag('CDK8S_KUBEARMOR_QUIET')) {
        printed.add(line);
        // eslint-disable-next-line no-console
        console.error(`cdk8s-kubearmor: ${line}`);
      }
    }
  }
  // Rendering during the lint may itself add rules (intent layers flush on first render): fingerprint after.
  state.last = { fingerprint: fingerprintOf(appInput(root)), errors, window };
  // cdk8s-cli sets this when it will run validation plugins on the output (and reads construct-metadata.json).
  if (process.env.CDK8S_RECORD_CONSTRUCT_METADATA === 'true' && root instanceof App) recordSynth(root, reported);
  return errors;
}

/** The identity of a policy's emitted object (as in {@link manifestOf}). */
function policyIdentity(p: PolicyLike): string {
  return objectIdentity(p.kind, p.kind === 'KubeArmorPolicy' ? p.namespace : undefined, p.policyName);
}

/** Tells the validation plugin which construct emitted which object, and what the app has reported. */
function recordSynth(app: App, reported: readonly string[]): void {
  const policies = new Map<ApiObject, PolicyLike>();
  const objects: Array<{ identity: string; path: string }> = [];
  const all = app.node.findAll();
  for (const c of all) if (isPolicy(c)) policies.set(c.apiObject, c);
  for (const c of all) {
    if (!(c instanceof ApiObject)) continue;
    const policy = policies.get(c);
    objects.push({ identity: policy ? policyIdentity(policy) : objectIdentity(c.kind, c.metadata.namespace, c.name), path: c.node.path });
  }
  writeSynthRecord(app.outdir, objects, reported);
}
