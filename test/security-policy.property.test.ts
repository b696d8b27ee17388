/**
 * Property-based suite: generated policies (valid and invalid values, every section, every target)
 * either throw a library validation error at the call (an Error whose message starts with the
 * construct path, or with `PolicyTarget.` for target factories) or synthesise objects the CRD
 * conformance harness accepts. Nothing else: no harness failure, no crash at synth.
 */
import { App, Chart, Testing, Yaml } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import { conformanceErrors, isKubeArmorObject } from './conformance/harness';
import { PolicyLint } from '../src/lint';
import {
  Capability, DeviceClass, NetworkProtocol, PolicyAction, PolicyPreset, PolicySection, PolicyTarget, SecurityPolicy, SelectorOperator, Syscall,
} from './util/model';
import { modelOf } from '../src/private/policy-model';

const NUM_RUNS = 10_000;

// ---------- values: mostly valid, often subtly invalid ----------
const segment = fc.oneof(
  { weight: 30, arbitrary: fc.stringMatching(/^[a-z0-9._+-]{1,12}$/) },
  { weight: 1, arbitrary: fc.constantFrom('*', '**', '?', '[a]', '{a,b}', 'a b', 'é', '\n', '..', '', 'libstdc++') },
);
const absPath = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => `/${s.join('/')}`);
const longPath = fc.integer({ min: 190, max: 210 }).map((n) => `/${'a'.repeat(n - 1)}`);
/** Strings meant as file paths or dirs, covering every validation branch. */
const pathish = fc.oneof(
  { weight: 5, arbitrary: absPath },
  { weight: 3, arbitrary: absPath.map((p) => `${p}/`) },
  { weight: 1, arbitrary: longPath },
  { weight: 1, arbitrary: longPath.map((p) => `${p.slice(0, -1)}/`) },
  { weight: 1, arbitrary: fc.constantFrom('/', '//', '//etc/passwd', '/etc//', 'etc/passwd', 'etc/', '', ' ', '/etc/*.conf', '/usr/bin/') },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);
const severity = mostly(fc.integer({ min: 1, max: 10 }), fc.oneof(fc.constantFrom(0, 11, -1, 1.5, 10.0001, Number.NaN, Infinity, '5', null), fc.double()));
/**
 * Mostly valid values, sometimes invalid ones (one in twenty): a generated policy sets many values,
 * so this still makes a good share of the calls invalid.
 */
function mostly<T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<unknown>): fc.Arbitrary<T> {
  return fc.oneof({ weight: 19, arbitrary: valid }, { weight: 1, arbitrary: invalid as fc.Arbitrary<T> });
}
const action = mostly<PolicyAction>(fc.constantFrom(PolicyAction.ALLOW, PolicyAction.AUDIT, PolicyAction.BLOCK), fc.constantFrom('block', 'AUDIT', 'Deny', '', null));
const tag = mostly(fc.oneof(fc.constantFrom('NIST', 'MITRE_T1565', 'PCI-DSS'), fc.string({ minLength: 1, maxLength: 8 })), fc.constantFrom('A,B', '', ' ', 7));
const tags = fc.array(tag, { maxLength: 3 });
const message = mostly(fc.oneof(fc.constantFrom('Detected'), fc.string({ maxLength: 12 })), fc.constantFrom('', ' ', 42));
/** Rule meta: each field absent, valid or invalid. */
const metaArb = fc.record({ action, severity, tags, message }, { requiredKeys: [] });
const flag = mostly(fc.boolean(), fc.constantFrom('yes', 1, null));
/** A file path: usually well-formed, else anything pathish. */
const filePath = fc.oneof({ weight: 4, arbitrary: absPath }, { weight: 1, arbitrary: pathish });
/** A directory: usually well-formed, else anything pathish. */
const dirPath = fc.oneof({ weight: 4, arbitrary: absPath.map((p) => `${p}/`) }, { weight: 1, arbitrary: pathish });
const fromSource = fc.array(filePath, { maxLength: 3 });
const capability = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...Object.values(Capability)) },
  { weight: 1, arbitrary: fc.constantFrom('CAP_NET_RAW', 'NET_RAW', 'cap_net_raw', 'net_raw,sys_admin', 'net_raw,', ',', '', 'xnet_raw') },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
) as fc.Arbitrary<Capability>;
const protocol = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...Object.values(NetworkProtocol)) },
  { weight: 1, arbitrary: fc.constantFrom('TCP', 'Tcp', 'tcp,udp', 'tcp,', 'xtcp', 'ICMPV6', 'icmpV6', '') },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
) as fc.Arbitrary<NetworkProtocol>;
const syscall = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('open', 'openat', 'unlink', 'unlinkat', 'rmdir', 'chmod', 'execve', 'ptrace').map((n) => Syscall.of(n)) },
  { weight: 1, arbitrary: fc.constantFrom('OPEN', 'bogus', '').map((name) => ({ name }) as unknown as Syscall) },
);
const syscallSource = fc.record({ path: filePath, dir: dirPath, recursive: flag }, { requiredKeys: [] });
const int32 = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(-1, 1.5, 2 ** 31, -(2 ** 31)));
const level = fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constantFrom(0, -1, 1.5, 2 ** 31));
const shortString = fc.oneof(fc.constantFrom('apt', 'curl', '/usr/bin/apt', '', 'a b', 'example.com', '.example.com.', '/tmp/**', 'tmp/*'), fc.string({ maxLength: 10 }));

// ---------- operations: one per builder method ----------
type Op = (p: SecurityPolicy) => void;
/** An operation with a readable label (shown in counterexamples). */
function named<A extends unknown[]>(name: string, args: fc.Arbitrary<A>, op: (a: A) => Op): fc.Arbitrary<[string, Op]> {
  return args.map((a) => {
    const label = `${name}${fc.stringify(a)}`;
    return [label, labelled(op(a), label)] as [string, Op];
  });
}

/** Gives a generated function a readable form in counterexamples. */
function labelled<F extends object>(f: F, label: string): F {
  return Object.assign(f, { [fc.toStringMethod]: () => label });
}
const op: fc.Arbitrary<[string, Op]> = fc.oneof(
  named('addFilePath', fc.tuple(filePath, fc.record({ readOnly: flag, ownerOnly: flag, pts: flag, fromSource }, { requiredKeys: [] }), metaArb), ([path, o, m]) => (p: SecurityPolicy) => p.addFilePath(path, { ...o, ...m })),
  named('addFileDirectory', fc.tuple(dirPath, fc.record({ recursive: flag, readOnly: flag, ownerOnly: flag, pts: flag, fromSource }, { requiredKeys: [] }), metaArb), ([dir, o, m]) => (p: SecurityPolicy) => p.addFileDirectory(dir, { ...o, ...m })),
  named('addFilePattern', fc.tuple(fc.oneof(pathish, shortString), fc.record({ readOnly: flag, ownerOnly: flag }, { requiredKeys: [] }), metaArb), ([pattern, o, m]) => (p: SecurityPolicy) => p.addFilePattern(pattern, { ...o, ...m })),
  named('addProcessPath', fc.tuple(filePath, fc.record({ ownerOnly: flag, pts: flag, fromSource, allowedArgs: fc.array(fc.string({ maxLength: 6 }), { maxLength: 22 }) }, { requiredKeys: [] }), metaArb), ([path, o, m]) => (p: SecurityPolicy) => p.addProcessPath(path, { ...o, ...m })),
  named('addProcessExecname', fc.tuple(shortString, fc.record({ ownerOnly: flag, pts: flag, fromSource }, { requiredKeys: [] }), metaArb), ([name, o, m]) => (p: SecurityPolicy) => p.addProcessExecname(name, { ...o, ...m })),
  named('addProcessDirectory', fc.tuple(dirPath, fc.record({ recursive: flag, ownerOnly: flag, pts: flag, fromSource }, { requiredKeys: [] }), metaArb), ([dir, o, m]) => (p: SecurityPolicy) => p.addProcessDirectory(dir, { ...o, ...m })),
  named('addProcessPattern', fc.tuple(fc.oneof(pathish, shortString), fc.record({ ownerOnly: flag }, { requiredKeys: [] }), metaArb), ([pattern, o, m]) => (p: SecurityPolicy) => p.addProcessPattern(pattern, { ...o, ...m })),
  named('addNetworkProtocol', fc.tuple(protocol, fc.record({ pts: flag, fromSource }, { requiredKeys: [] }), metaArb), ([proto, o, m]) => (p: SecurityPolicy) => p.addNetworkProtocol(proto, { ...o, ...m })),
  named('addDnsQuery', fc.tuple(shortString, fc.option(fromSource, { nil: undefined }), metaArb), ([domain, fs, m]) => (p: SecurityPolicy) => p.addDnsQuery(domain, { fromSource: fs, ...m })),
  named('addCapability', fc.tuple(capability, fc.option(fromSource, { nil: undefined }), metaArb), ([cap, fs, m]) => (p: SecurityPolicy) => p.addCapability(cap, { fromSource: fs, ...m })),
  named('addSyscalls', fc.tuple(fc.array(syscall, { maxLength: 3 }), fc.option(fc.array(syscallSource, { maxLength: 2 }), { nil: undefined })), ([s, fs]) => (p: SecurityPolicy) => p.addSyscalls(s, { fromSource: fs })),
  named('addSyscallPath', fc.tuple(fc.oneof(filePath, dirPath), fc.option(fc.array(syscall, { maxLength: 3 }), { nil: undefined }), flag, fc.option(fc.array(syscallSource, { maxLength: 2 }), { nil: undefined })), ([path, s, r, fs]) => (p: SecurityPolicy) => p.addSyscallPath(path, { syscalls: s, recursive: r, fromSource: fs })),
  named('addPreset', fc.tuple(fc.constantFrom(PolicyPreset.FILELESS_EXEC, PolicyPreset.EXEC, PolicyPreset.PROTECT_ENV, PolicyPreset.PROTECT_PROC, PolicyPreset.ANONYMOUS_MAP_EXEC,
    PolicyPreset.custom('futurePreset')), fc.option(action, { nil: undefined })), ([preset, a]) => (p: SecurityPolicy) => p.addPreset(preset, { action: a })),
  named('addDevice', fc.tuple(fc.constantFrom(DeviceClass.MASS_STORAGE, DeviceClass.HID, DeviceClass.ALL, DeviceClass.custom('VENDOR-SPECIFIC')),
    fc.record({ subClass: int32, protocol: int32, level }, { requiredKeys: [] }), metaArb),
  ([cls, o, m]) => (p: SecurityPolicy) => p.addDevice(cls, { ...o, ...m })),
  named('configureSection', fc.tuple(fc.constantFrom(...Object.values(PolicySection)), metaArb), ([section, m]) => (p: SecurityPolicy) => p.configureSection(section, m)),
  named('addTags', fc.tuple(tags), ([t]) => (p: SecurityPolicy) => p.addTags(t)),
);

// ---------- targets ----------
const labelKey = mostly(fc.constantFrom('app', 'tier', 'example.com/team', 'kubernetes.io/os'), fc.constantFrom('bad key', '-x', 'a/b/c'));
const labelValue = mostly(fc.constantFrom('web', 'linux', 'v1.2', ''), fc.constantFrom('not ok', '-x', 'x'.repeat(64)));
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 3 });
const ns = mostly(fc.constantFrom('shop', 'payments', 'a'.repeat(63)), fc.constantFrom('kube-system', 'kubearmor', 'Shop', 'a'.repeat(64)));
type TargetSpec = (chart: Chart) => PolicyTarget;
const workloadTarget = (kind: 'Deployment' | 'Job') => labelled((c: Chart) => PolicyTarget.workload(kind === 'Job'
  ? new kplus.Job(c, 'job', { containers: [{ image: 'busybox' }] })
  : new kplus.Deployment(c, 'web', { containers: [{ image: 'nginx' }] })), `workload(${kind})`);
const baseTarget: fc.Arbitrary<TargetSpec> = fc.oneof(
  fc.constant(workloadTarget('Deployment')),
  fc.constant(workloadTarget('Job')),
  fc.tuple(labels, fc.option(ns, { nil: undefined })).map(([l, n]) => labelled(() => PolicyTarget.podLabels(l, n), `podLabels${fc.stringify([l, n])}`)),
  fc.tuple(labels, fc.option(ns, { nil: undefined }))
    .map(([l, n]) => labelled(() => PolicyTarget.podLabels({ app: 'web', ...l }, n), `podLabels${fc.stringify([{ app: 'web', ...l }, n])}`)),
  fc.option(ns, { nil: undefined }).map((n) => labelled(() => PolicyTarget.namespace(n), `namespace(${fc.stringify(n)})`)),
  fc.array(ns, { minLength: 1, maxLength: 3 }).map((names) => labelled(() => PolicyTarget.namespaces(names), `namespaces(${fc.stringify(names)})`)),
  fc.array(ns, { maxLength: 2 }).map((except) => labelled(() => PolicyTarget.allNamespaces({ except }), `allNamespaces(${fc.stringify({ except })})`)),
  labels.map((l) => labelled(() => PolicyTarget.nodes({ 'kubernetes.io/os': 'linux', ...l }), `nodes(${fc.stringify({ 'kubernetes.io/os': 'linux', ...l })})`)),
  labels.map((l) => labelled(() => PolicyTarget.nodes(l), `nodes(${fc.stringify(l)})`)),
);
const labelExpr = fc.array(mostly(fc.constantFrom('app=web', 'tier=db', 'a=b=c', 'app='), fc.constantFrom('app', '=x', 'bad key=x', 'app=not ok')), { minLength: 1, maxLength: 2 });
/** Undefined four times in five. */
function sometimes<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}
const target: fc.Arbitrary<TargetSpec> = fc.tuple(
  baseTarget,
  sometimes(fc.array(mostly(fc.constantFrom('main', 'sidecar'), fc.constantFrom('Main', '')), { minLength: 1, maxLength: 2 })),
  sometimes(fc.tuple(fc.constantFrom(SelectorOperator.IN, SelectorOperator.NOT_IN), labelExpr)),
).map(([base, containers, expr]) => labelled((c: Chart) => {
  let t = base(c);
  if (containers) t = t.inContainers(containers);
  if (expr) t = t.withLabelExpression(expr[0], expr[1]);
  return t;
}, `${fc.stringify(base)}${containers ? `.inContainers(${fc.stringify(containers)})` : ''}${expr ? `.withLabelExpression(${fc.stringify(expr)})` : ''}`));

const config = fc.record({
  chartNamespace: fc.constantFrom<string | undefined>(undefined, 'shop'),
  target,
  policyName: fc.option(mostly(fc.oneof(fc.constantFrom('fim', 'a.b'), fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/)), fc.constantFrom('Harden_MySQL', '-x', '', 'a'.repeat(254))), { nil: undefined }),
  spec: metaArb,
  appArmor: sometimes(mostly(fc.constant('deny /tmp/x w,'), fc.constantFrom('', ' '))),
  ops: fc.array(op, { minLength: 1, maxLength: 6 }),
});

/** Runs `call`; returns whether it succeeded. A throw must be an Error whose message starts with `prefix`. */
function atTheCall(prefix: string, what: string, call: () => void): boolean {
  try {
    call();
    return true;
  } catch (e: any) {
    if (!(e instanceof Error) || !e.message.startsWith(prefix)) {
      throw new Error(`${what} threw something other than a validation error at ${prefix}: ${e?.stack ?? e}`);
    }
    return false;
  }
}

process.env.CDK8S_KUBEARMOR_QUIET = '1'; // app-wide lints print warnings at synth; they are not under test here

let runs = 0;
let synthesised = 0;
let refusedAtCall = 0;
let refusedTargets = 0;
let refusedConstructors = 0;
let noRules = 0;

/** One generated configuration: returns normally iff the property holds. */
function check(cfg: typeof config extends fc.Arbitrary<infer C> ? C : never): void {
  runs++;
  const app = new App();
  const chart = new Chart(app, 'gen', { namespace: cfg.chartNamespace });
  // Conflicting rules inside one generated policy are lint findings whatever it selects; this property is about validation.
  for (const id of ['KA005', 'KA020']) PolicyLint.acknowledge(chart, id, 'generated rules may conflict; not what this property checks');
  let t: PolicyTarget | undefined;
  if (!atTheCall('PolicyTarget.', 'a target factory', () => { t = cfg.target(chart); })) {
    refusedTargets++;
    return;
  }
  const prefix = 'gen/policy: ';
  let policy: SecurityPolicy | undefined;
  const props: any = { target: t!, policyName: cfg.policyName, ...cfg.spec, appArmor: cfg.appArmor };
  // Through props, every op becomes one rule list entry: replay them by recording the method calls.
  if (!atTheCall(prefix, 'the constructor', () => { policy = new SecurityPolicy(chart, 'policy', props); })) {
    refusedConstructors++;
    return;
  }
  let accepted = 0;
  for (const [name, call] of cfg.ops) {
    if (atTheCall(prefix, name, () => call(policy!))) accepted++;
    else refusedAtCall++;
  }
  const hasRules = modelOf(policy!)!.ruleCount() > 0 || modelOf(policy!)!.apparmor !== undefined;
  let manifests: any[] = [];
  try {
    manifests = Testing.synth(chart);
    Yaml.stringify(...manifests);
  } catch (e: any) {
    if (!hasRules && /^Validation failed with the following errors:\n {2}\[gen\/policy\] policy '.*' has no rules;/.test(e.message)) {
      noRules++;
      return;
    }
    throw new Error(`synth failed (${accepted} calls accepted): ${e.stack}`);
  }
  if (!hasRules) throw new Error('a policy without rules was synthesised');
  const objs = manifests.filter(isKubeArmorObject);
  if (objs.length !== 1) throw new Error(`expected one KubeArmor object, got ${objs.length}`);
  if (objs[0].kind !== t!.kind) throw new Error(`kind ${objs[0].kind} is not the target's ${t!.kind}`);
  const errors = conformanceErrors(objs[0]);
  if (errors.length > 0) throw new Error(`the harness refused a synthesised object:\n${errors.join('\n')}\n${JSON.stringify(objs[0], null, 1)}`);
  synthesised++;
}


describe('property: validation at the call, or a conformant object', () => {
  test(`${NUM_RUNS} generated policies`, () => {
    const started = Date.now();
    fc.assert(fc.property(config, (cfg) => check(cfg)), { numRuns: NUM_RUNS, seed: Number(process.env.FC_SEED ?? 20260724) });
    // eslint-disable-next-line no-console
    console.log(`${runs} runs in ${Date.now() - started} ms: ${synthesised} synthesised, ${noRules} refused at synth for having no rule, `
      + `${refusedTargets} targets, ${refusedConstructors} constructors and ${refusedAtCall} builder calls refused at the call`);
    // Both outcomes must be well represented, otherwise the generators drifted.
    expect(runs).toBeGreaterThanOrEqual(NUM_RUNS);
    expect(synthesised).toBeGreaterThan(NUM_RUNS / 5);
    expect(refusedAtCall).toBeGreaterThan(NUM_RUNS / 5);
  }, 120_000);
});
