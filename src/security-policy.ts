import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { Capability } from './capability';
import { DeviceClass } from './device-class';
import { NetworkProtocol } from './network-protocol';
import { PolicyAction } from './policy-action';
import { PolicyKind } from './policy-kind';
import { PolicyPreset } from './policy-preset';
import { PolicySection } from './policy-section';
import { PolicyTarget } from './policy-target';
import { ACK_ANNOTATION_PREFIX } from './private/ack';
import { echo as show, formatProblemList, joinField, throwProblems } from './private/errors';
import { lazy } from './private/lazy';
import type { Meta, PolicyModel } from './private/policy-model';
import type { ListSpec, SectionName } from './private/schema';
import type { Issue } from './private/validate';
import {
  CapabilityRule, DeviceOptions, DeviceRule, DnsQueryRule, FileDirectoryOptions, FileDirectoryRule, FilePathOptions, FilePathRule,
  FilePatternOptions, FilePatternRule, NetworkProtocolOptions, NetworkProtocolRule, PresetOptions, PresetRule, ProcessDirectoryOptions,
  ProcessDirectoryRule, ProcessPathOptions, ProcessPathRule, ProcessPatternOptions, ProcessPatternRule,
  SectionOptions, SourceRuleOptions, SyscallOptions, SyscallPathOptions, SyscallPathRule, SyscallRule,
} from './rule-options';
import { SecurityPolicyProps } from './security-policy-props';
import { Syscall } from './syscall';

// Loaded on first use, not when the library is loaded (cold require cost).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazyValidate = lazy((): typeof import('./private/validate') => require('./private/validate'));
const lazyTypedRules = lazy((): typeof import('./private/typed-rules') => require('./private/typed-rules'));
const lazySynthHook = lazy((): typeof import('./private/synth-hook') => require('./private/synth-hook'));
const lazySynthWindow = lazy((): typeof import('./private/synth-window') => require('./private/synth-window'));
const lazySchema = lazy((): typeof import('./private/schema') => require('./private/schema'));
const lazyPolicyRender = lazy((): typeof import('./private/policy-render') => require('./private/policy-render'));
const lazyPolicyModel = lazy((): typeof import('./private/policy-model') => require('./private/policy-model'));
const lazyNames = lazy((): typeof import('./private/names') => require('./private/names'));
const lazyManifest = lazy((): typeof import('./private/manifest') => require('./private/manifest'));
const lazyCanonical = lazy((): typeof import('./private/canonical') => require('./private/canonical'));
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * A KubeArmor policy built from typed rules. Its target decides the kind emitted; the same rules
 * produce a `KubeArmorPolicy`, `KubeArmorClusterPolicy` or `KubeArmorHostPolicy`.
 *
 * Every value is validated at the call that receives it (construct path, prop, value and fix in the
 * message). Output is deterministic: rules are de-duplicated and sorted, only fields that were set are
 * emitted, and rendering happens once, at synth.
 *
 * @example
 * new SecurityPolicy(chart, 'fim', {
 *   target: PolicyTarget.workload(mysql),
 *   action: PolicyAction.BLOCK,
 *   severity: 1,
 *   fileDirectories: [{ dir: '/usr/bin/', readOnly: true, recursive: true }],
 * });
 */
export class SecurityPolicy extends Construct {
  /**
   * Imports one existing policy: a parsed `KubeArmorPolicy`, `KubeArmorClusterPolicy` or
   * `KubeArmorHostPolicy` object (e.g. from `YAML.parse`). The import is lossless: synthesis gives back
   * an object equal to `manifest` (key order aside), rules keep their order, and metadata labels and
   * annotations are kept (acknowledgement annotations `lint.cdk8s-kubearmor.io/acknowledge.<ID>` are
   * honoured by the synth-time lints). The selector is kept verbatim.
   *
   * Throws one error listing every problem (JSON pointer, value, fix): fields the CRD does not declare
   * (the apiserver would prune them silently), values it or KubeArmor rejects, duplicate or empty rule
   * sets, invalid metadata. Use `PolicyImport` for YAML files (line numbers, several documents).
   *
   * @param manifest the parsed manifest
   */
  public static fromManifest(scope: Construct, id: string, manifest: any): SecurityPolicy {
    const { decoded: d, issues } = lazyManifest().decodeManifest(manifest);
    if (!d) {
      const where = [scope.node.path, id].filter((s) => s.length > 0).join('/');
      throw new Error(formatProblemList(`${where}: cannot import the manifest (nothing was imported)`, issues.map((i) => lazyManifest().manifestProblem(i, where))));
    }
    const policy = new SecurityPolicy(scope, id, {
      target: PolicyTarget._imported(d.kind as string as PolicyKind, d.namespace, d.selector),
      policyName: d.name,
      action: d.specMeta.action as PolicyAction | undefined,
      severity: d.specMeta.severity,
      message: d.specMeta.message,
      appArmor: d.apparmor,
    });
    policy.model.load(d, 'fromManifest');
    for (const [k, v] of Object.entries(d.labels ?? {})) policy.apiObject.metadata.addLabel(k, v);
    for (const [k, v] of Object.entries(d.annotations ?? {})) {
      policy.apiObject.metadata.addAnnotation(k, v);
      if (k.startsWith(ACK_ANNOTATION_PREFIX) && v.trim().length > 0) lazySynthHook().acknowledge(policy, k.slice(ACK_ANNOTATION_PREFIX.length), v);
    }
    // An explicit empty selector (every pod of the namespace) is kept as written.
    if (d.selector && Object.keys(d.selector).length === 0) policy.apiObject.addJsonPatch(JsonPatch.add(`/spec/${policy.model.kind.selectorField}`, {}));
    return policy;
  }

  /** What the policy protects. */
  public readonly target: PolicyTarget;
  /** The kind emitted. */
  public readonly kind: PolicyKind;
  /** `metadata.name`. */
  public readonly policyName: string;
  /**
   * The emitted object (escape hatch, e.g. `addJsonPatch`). Once patched it emits like the generated L1
   * class, which drops fields outside the CRD schema, exactly as the apiserver would.
   */
  public readonly apiObject: ApiObject;
  private readonly model: PolicyModel;

  public constructor(scope: Construct, id: string, props: SecurityPolicyProps) {
    super(scope, id);
    this.target = props.target;
    this.kind = props.target.kind;
    const kind = lazySchema().kindSpecOf(this.kind);
    this.model = new (lazyPolicyModel().PolicyModel)(this, kind, true);

    this.policyName = props.policyName ?? lazyNames().defaultPolicyName(this);
    this.check('policyName', lazyValidate().policyNameIssues(this.policyName).map((i) => ({ ...i, field: '' })));
    this.check('', lazyValidate().metaIssues(kind.sections.get('file')!, { action: props.action, severity: props.severity, message: props.message }));
    if (props.action !== undefined) this.model.setSpecAction({ action: props.action, by: 'explicit', origin: 'construct action' });
    this.model.specMeta.severity = props.severity;
    this.model.specMeta.message = props.message;
    if (props.tags) this.addTags(props.tags);
    if (props.appArmor !== undefined) {
      if (props.appArmor.trim().length === 0) this.check('appArmor', [{ field: '', value: props.appArmor, problem: 'is empty', fix: 'omit appArmor' }]);
      this.model.apparmor = props.appArmor;
    }

    const namespace = this.target._namespaceFor(this);
    if (this.target._wholeNamespace) lazySynthHook().acknowledge(this, 'KA030', 'PolicyTarget.namespace(): every pod of the namespace is meant');
    if (this.kind === PolicyKind.KUBE_ARMOR_POLICY) {
      // An imported policy in an untracked namespace is reported by the lint KA003 (acknowledgeable), as in the CLI.
      const linted = namespace === undefined || (this.target._isImported && lazyValidate().UNTRACKED_NAMESPACES.includes(namespace));
      const issues = linted ? [] : lazyValidate().namespaceIssues(namespace);
      this.check('namespace', issues.map((i) => ({ ...i, field: '' })));
    }

    this.apiObject = lazyPolicyRender().policyObject(this, 'Resource', this.kind, { name: this.policyName, namespace }, () => this._toKube());
    if (namespace === undefined && Chart.of(this).namespace !== undefined) {
      // cdk8s stamps the chart namespace on every object; cluster-scoped kinds must not carry one, and the
      // policy of a workload without namespace stays as namespaceless as the workload (lint KA016).
      this.apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }

    for (const s of props.sections ?? []) this.configureSection(s.section, s);
    for (const { listId, prop } of lazyTypedRules().TYPED_LISTS) {
      const rules: object[] = (props as any)[prop] ?? [];
      rules.forEach((r, i) => this.addRule(`${prop}[${i}]`, listId, r));
    }
    for (const r of props.presets ?? []) this.addPreset(r.preset, r);

    // Once per app.synth() (cdk8s repeats every validation per chart it writes), afresh outside one.
    this.node.addValidation({ validate: () => lazySynthWindow().validateOncePerSynth(this, () => this.validateAtSynth()) });
    (this as any)[lazySynthHook().POLICY_MARKER] = true;
    lazySynthHook().registerPolicy(this);
  }

  /** The namespace of a `KubeArmorPolicy` (undefined for cluster-scoped kinds, or when kubectl's default applies). */
  public get namespace(): string | undefined {
    return this.target._namespaceFor(this);
  }

  /**
   * `spec.action` as it will be emitted.
   * @default - not emitted (KubeArmor applies Block)
   */
  public get action(): PolicyAction | undefined {
    return this.model.specAction()?.action as PolicyAction | undefined;
  }

  /** `spec.severity`, if set. */
  public get severity(): number | undefined {
    return this.model.specMeta.severity;
  }

  /** `spec.message`, if set. */
  public get message(): string | undefined {
    return this.model.specMeta.message;
  }

  /** A copy of `spec.tags`, in output order. */
  public get tags(): string[] {
    return this.model.specTags();
  }

  /** Copies of the `file.matchPaths` rules, in output order. */
  public get filePaths(): FilePathRule[] {
    return this.rulesOf('file.matchPaths');
  }

  /** Copies of the `file.matchDirectories` rules, in output order. */
  public get fileDirectories(): FileDirectoryRule[] {
    return this.rulesOf('file.matchDirectories');
  }

  /** Copies of the `file.matchPatterns` rules. */
  public get filePatterns(): FilePatternRule[] {
    return this.rulesOf('file.matchPatterns');
  }

  /** Copies of the `process.matchPaths` rules. */
  public get processPaths(): ProcessPathRule[] {
    return this.rulesOf('process.matchPaths');
  }

  /** Copies of the `process.matchDirectories` rules. */
  public get processDirectories(): ProcessDirectoryRule[] {
    return this.rulesOf('process.matchDirectories');
  }

  /** Copies of the `process.matchPatterns` rules. */
  public get processPatterns(): ProcessPatternRule[] {
    return this.rulesOf('process.matchPatterns');
  }

  /** Copies of the `network.matchProtocols` rules. */
  public get networkProtocols(): NetworkProtocolRule[] {
    return this.rulesOf('network.matchProtocols');
  }

  /** Copies of the `network.matchDNSQueries` rules. */
  public get dnsQueries(): DnsQueryRule[] {
    return this.rulesOf('network.matchDNSQueries');
  }

  /** Copies of the `capabilities.matchCapabilities` rules. */
  public get capabilities(): CapabilityRule[] {
    return this.rulesOf('capabilities.matchCapabilities');
  }

  /** Copies of the `syscalls.matchSyscalls` rules. */
  public get syscalls(): SyscallRule[] {
    return this.rulesOf('syscalls.matchSyscalls');
  }

  /** Copies of the `syscalls.matchPaths` rules. */
  public get syscallPaths(): SyscallPathRule[] {
    return this.rulesOf('syscalls.matchPaths');
  }

  /** Copies of the `presets` entries. */
  public get presets(): PresetRule[] {
    return this.model.presets().map((r: any) => ({ preset: PolicyPreset.custom(r.name), action: r.action }));
  }

  /** Copies of the host `device.matchDevice` rules. */
  public get devices(): DeviceRule[] {
    return this.rulesOf('device.matchDevice');
  }

  /** Appends tags to `spec.tags` (duplicates are ignored; order is kept). */
  public addTags(tags: string[]): void {
    this.check('tags', lazyValidate().fieldIssues('', 'tags', tags));
    this.model.change('addTags', tags);
    const own = this.model.specMeta.tags ?? [];
    for (const t of tags) if (!own.includes(t)) own.push(t);
    this.model.specMeta.tags = own;
    lazySynthHook().touch();
  }

  /** Sets the defaults of one section (`spec.file`, `spec.process`, ...); rules without their own values inherit them. */
  public configureSection(section: PolicySection, options: SectionOptions): void {
    const kind = this.model.kind;
    const fields = kind.sections.get(section as string as SectionName);
    if (!fields) this.sectionUnsupported(section as string as SectionName);
    const tags = options.tags && lazyCanonical().unique(options.tags);
    const m: Meta = { action: options.action, severity: options.severity, tags, message: options.message };
    this.check(`${section}`, lazyValidate().metaIssues(fields!, m as Record<string, unknown>));
    this.model.change('configureSection', section);
    const current = this.model.sectionMeta.get(section as string as SectionName) ?? {};
    const set = Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined));
    this.model.sectionMeta.set(section as string as SectionName, { ...current, ...set });
    lazySynthHook().touch();
  }

  /** Adds a `file.matchPaths` rule. */
  public addFilePath(path: string, options: FilePathOptions = {}): void {
    this.addRule('addFilePath', 'file.matchPaths', { ...options, path });
  }

  /** Adds a `file.matchDirectories` rule. */
  public addFileDirectory(dir: string, options: FileDirectoryOptions = {}): void {
    this.addRule('addFileDirectory', 'file.matchDirectories', { ...options, dir });
  }

  /** Adds a `file.matchPatterns` rule (enforced by AppArmor only; BPF-LSM ignores patterns). */
  public addFilePattern(pattern: string, options: FilePatternOptions = {}): void {
    this.addRule('addFilePattern', 'file.matchPatterns', { ...options, pattern });
  }

  /** Adds a `process.matchPaths` rule for an executable path. */
  public addProcessPath(path: string, options: ProcessPathOptions = {}): void {
    this.addRule('addProcessPath', 'process.matchPaths', { ...options, path });
  }

  /** Adds a `process.matchPaths` rule for an executable name in any directory (`execname`). */
  public addProcessExecname(execname: string, options: ProcessPathOptions = {}): void {
    this.addRule('addProcessExecname', 'process.matchPaths', { ...options, execname });
  }

  /** Adds a `process.matchDirectories` rule. */
  public addProcessDirectory(dir: string, options: ProcessDirectoryOptions = {}): void {
    this.addRule('addProcessDirectory', 'process.matchDirectories', { ...options, dir });
  }

  /** Adds a `process.matchPatterns` rule (enforced by AppArmor only). */
  public addProcessPattern(pattern: string, options: ProcessPatternOptions = {}): void {
    this.addRule('addProcessPattern', 'process.matchPatterns', { ...options, pattern });
  }

  /** Adds a `network.matchProtocols` rule. */
  public addNetworkProtocol(protocol: NetworkProtocol, options: NetworkProtocolOptions = {}): void {
    this.addRule('addNetworkProtocol', 'network.matchProtocols', { ...options, protocol });
  }

  /** Adds a `network.matchDNSQueries` rule (enforced by BPF-LSM only). */
  public addDnsQuery(domain: string, options: SourceRuleOptions = {}): void {
    this.addRule('addDnsQuery', 'network.matchDNSQueries', { ...options, domain });
  }

  /** Adds a `capabilities.matchCapabilities` rule. */
  public addCapability(capability: Capability, options: SourceRuleOptions = {}): void {
    this.addRule('addCapability', 'capabilities.matchCapabilities', { ...options, capability });
  }

  /** Adds a `syscalls.matchSyscalls` rule (syscall rules always audit). */
  public addSyscalls(syscalls: Syscall[], options: SyscallOptions = {}): void {
    this.addRule('addSyscalls', 'syscalls.matchSyscalls', { ...options, syscalls });
  }

  /** Adds a `syscalls.matchPaths` rule (syscall rules always audit). */
  public addSyscallPath(path: string, options: SyscallPathOptions = {}): void {
    this.addRule('addSyscallPath', 'syscalls.matchPaths', { ...options, path });
  }

  /** Adds a `presets` entry (not accepted by host policies). */
  public addPreset(preset: PolicyPreset, options: PresetOptions = {}): void {
    if (!this.model.kind.presets) {
      throw new Error(`${this.node.path}: presets ${show(preset.name)} are not accepted by ${this.kind}; use a PolicyTarget for pods (workload, podLabels, namespace, namespaces, allNamespaces)`);
    }
    const raw = { name: preset.name, action: options.action };
    this.check('presets[]', [...lazyValidate().fieldIssues('name', 'presetName', raw.name), ...(raw.action !== undefined ? lazyValidate().fieldIssues('action', 'action', raw.action) : [])]);
    this.model.addPreset(raw, { construct: this.node.path, via: 'addPreset' });
    lazySynthHook().touch();
  }

  /** Adds a host `device.matchDevice` rule (host policies only). */
  public addDevice(deviceClass: DeviceClass, options: DeviceOptions = {}): void {
    this.addRule('addDevice', 'device.matchDevice', { ...options, deviceClass });
  }

  /** @internal */
  public _toKube(): Record<string, unknown> {
    const spec = this.model.renderSpec();
    const selector = this.target._renderSelector();
    if (selector !== undefined) spec[this.model.kind.selectorField] = selector;
    return spec;
  }

  /** The typed copies of one list's rules (converted by the CRD table). */
  private rulesOf(listId: string): any[] {
    const list = this.model.kind.lists.get(listId);
    return list ? this.model.rulesOf(list).map((r) => lazyTypedRules().typedRule(list, r)) : [];
  }

  private addRule(via: string, listId: string, typed: object): void {
    const list: ListSpec | undefined = this.model.kind.lists.get(listId);
    if (!list) {
      const section = listId.split('.')[0] as SectionName;
      if (!this.model.kind.sections.has(section)) this.sectionUnsupported(section);
      throw new Error(`${this.node.path}: ${listId} is not accepted by ${this.kind}`);
    }
    const clean = lazyTypedRules().rawRule(list, typed);
    this.model.assertOpen(via, clean);
    this.check(`${listId}[]`, lazyValidate().ruleIssues(this.model.kind, list, clean));
    this.model.addRule(list, clean, { construct: this.node.path, via });
    lazySynthHook().touch();
  }

  private sectionUnsupported(section: SectionName): never {
    throw new Error(section === 'device'
      ? `${this.node.path}: device rules exist only in host policies (KubeArmorHostPolicy), not in ${this.kind}; use PolicyTarget.nodes({...})`
      : `${this.node.path}: section '${section}' is not accepted by ${this.kind}`);
  }

  private check(prop: string, issues: Issue[]): void {
    throwProblems(issues.map((i) => ({ where: this.node.path, field: joinField(prop, i.field) || 'value', value: i.value, problem: i.problem, fix: i.fix })));
  }

  private validateAtSynth(): string[] {
    const errors = this.target._validate();
    if (this.model.ruleCount() === 0 && this.model.apparmor === undefined) {
      errors.push(`policy '${this.policyName}' has no rules; add at least one (e.g. addFileDirectory('/usr/bin/', { readOnly: true, recursive: true })) or remove the policy`);
    }
    return errors;
  }
}
