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
import { compact, deepCopy, unique } from './private/canonical';
import { echo as show, formatProblemList, joinField, throwProblems } from './private/errors';
import { decodeManifest, manifestProblem } from './private/manifest';
import { defaultPolicyName } from './private/names';
import { Meta, PolicyModel } from './private/policy-model';
import { meta, plainSources, policyObject, sources, syscallSources } from './private/policy-render';
import { kindSpecOf, ListSpec, SectionName } from './private/schema';
import { ACK_ANNOTATION_PREFIX, acknowledge, POLICY_MARKER, registerPolicy, touch } from './private/synth-hook';
import { fieldIssues, Issue, metaIssues, namespaceIssues, policyNameIssues, ruleIssues } from './private/validate';
import {
  CapabilityRule, DeviceOptions, DeviceRule, DnsQueryRule, FileDirectoryOptions, FileDirectoryRule, FilePathOptions, FilePathRule,
  FilePatternOptions, FilePatternRule, NetworkProtocolOptions, NetworkProtocolRule, PresetOptions, PresetRule, ProcessDirectoryOptions,
  ProcessDirectoryRule, ProcessPathOptions, ProcessPathRule, ProcessPatternOptions, ProcessPatternRule,
  SectionOptions, SourceRuleOptions, SyscallOptions, SyscallPathOptions, SyscallPathRule, SyscallRule,
} from './rule-options';
import { SecurityPolicyProps } from './security-policy-props';
import { Syscall } from './syscall';

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
    const { decoded: d, issues } = decodeManifest(manifest);
    if (!d) {
      const where = [scope.node.path, id].filter((s) => s.length > 0).join('/');
      throw new Error(formatProblemList(`${where}: cannot import the manifest (nothing was imported)`, issues.map((i) => manifestProblem(i, where))));
    }
    const policy = new SecurityPolicy(scope, id, {
      target: PolicyTarget._imported(d.kind as string as PolicyKind, d.namespace, d.selector),
      policyName: d.name,
      action: d.specMeta.action as PolicyAction | undefined,
      severity: d.specMeta.severity,
      message: d.specMeta.message,
      appArmor: d.apparmor,
    });
    policy._model.sorted = false; // imported rule order decides which rule an alert names
    policy.specTags.push(...(d.specMeta.tags ?? []));
    for (const [section, m] of d.sectionMeta) policy._model.sectionMeta.set(section, deepCopy(m));
    for (const r of d.rules) policy._addRawRule(r.list.id, r.rule);
    for (const p of d.presets) policy._model.addPreset(p);
    for (const [k, v] of Object.entries(d.labels ?? {})) policy.apiObject.metadata.addLabel(k, v);
    for (const [k, v] of Object.entries(d.annotations ?? {})) {
      policy.apiObject.metadata.addAnnotation(k, v);
      if (k.startsWith(ACK_ANNOTATION_PREFIX) && v.trim().length > 0) acknowledge(policy, k.slice(ACK_ANNOTATION_PREFIX.length), v);
    }
    // An explicit empty selector (every pod of the namespace) is kept as written.
    if (d.selector && Object.keys(d.selector).length === 0) policy.apiObject.addJsonPatch(JsonPatch.add(`/spec/${policy._model.kind.selectorField}`, {}));
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
  /** @internal */
  public readonly _model: PolicyModel;
  private readonly specTags: string[] = [];
  private readonly specAction?: PolicyAction;
  private actionResolver?: () => PolicyAction | undefined;
  private readonly beforeRender: Array<() => void> = [];

  public constructor(scope: Construct, id: string, props: SecurityPolicyProps) {
    super(scope, id);
    this.target = props.target;
    this.kind = props.target.kind;
    const kind = kindSpecOf(this.kind);
    this._model = new PolicyModel(kind, true);

    this.policyName = props.policyName ?? defaultPolicyName(this);
    this.check('policyName', policyNameIssues(this.policyName).map((i) => ({ ...i, field: '' })));
    this.check('', metaIssues(kind.sections.get('file')!, { action: props.action, severity: props.severity, message: props.message }));
    this.specAction = props.action;
    this._model.specMeta.severity = props.severity;
    this._model.specMeta.message = props.message;
    if (props.tags) this.addTags(props.tags);
    if (props.appArmor !== undefined) {
      if (props.appArmor.trim().length === 0) this.check('appArmor', [{ field: '', value: props.appArmor, problem: 'is empty', fix: 'omit appArmor' }]);
      this._model.apparmor = props.appArmor;
    }

    const namespace = this.target._namespaceFor(this);
    if (this.kind === PolicyKind.KUBE_ARMOR_POLICY) {
      if (namespace !== undefined) this.check('namespace', namespaceIssues(namespace).map((i) => ({ ...i, field: '' })));
    }

    this.apiObject = policyObject(this, 'Resource', this.kind, { name: this.policyName, namespace }, () => this._toKube());
    if (namespace === undefined && Chart.of(this).namespace !== undefined) {
      // cdk8s stamps the chart namespace on every object; cluster-scoped kinds must not carry one, and the
      // policy of a workload without namespace stays as namespaceless as the workload (lint KA016).
      this.apiObject.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }

    for (const s of props.sections ?? []) this.configureSection(s.section, s);
    for (const r of props.filePaths ?? []) this.addFilePath(r.path, r);
    for (const r of props.fileDirectories ?? []) this.addFileDirectory(r.dir, r);
    for (const r of props.filePatterns ?? []) this.addFilePattern(r.pattern, r);
    for (const r of props.processPaths ?? []) this.addProcessRule(r);
    for (const r of props.processDirectories ?? []) this.addProcessDirectory(r.dir, r);
    for (const r of props.processPatterns ?? []) this.addProcessPattern(r.pattern, r);
    for (const r of props.networkProtocols ?? []) this.addNetworkProtocol(r.protocol, r);
    for (const r of props.dnsQueries ?? []) this.addDnsQuery(r.domain, r);
    for (const r of props.capabilities ?? []) this.addCapability(r.capability, r);
    for (const r of props.syscalls ?? []) this.addSyscalls(r.syscalls, r);
    for (const r of props.syscallPaths ?? []) this.addSyscallPath(r.path, r);
    for (const r of props.presets ?? []) this.addPreset(r.preset, r);
    for (const r of props.devices ?? []) this.addDevice(r.deviceClass, r);

    this.node.addValidation({ validate: () => this.validateAtSynth() });
    (this as any)[POLICY_MARKER] = true;
    registerPolicy(this);
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
    return this.actionResolver?.() ?? this.specAction;
  }

  /** `spec.severity`, if set. */
  public get severity(): number | undefined {
    return this._model.specMeta.severity;
  }

  /** `spec.message`, if set. */
  public get message(): string | undefined {
    return this._model.specMeta.message;
  }

  /** A copy of `spec.tags`, in output order. */
  public get tags(): string[] {
    return [...this.specTags];
  }

  /** Copies of the `file.matchPaths` rules, in output order. */
  public get filePaths(): FilePathRule[] {
    return this.rulesOf('file.matchPaths').map((r) => ({ ...r, fromSource: plainSources(r.fromSource) }) as FilePathRule);
  }

  /** Copies of the `file.matchDirectories` rules, in output order. */
  public get fileDirectories(): FileDirectoryRule[] {
    return this.rulesOf('file.matchDirectories').map((r) => ({ ...r, fromSource: plainSources(r.fromSource) }) as FileDirectoryRule);
  }

  /** Copies of the `file.matchPatterns` rules. */
  public get filePatterns(): FilePatternRule[] {
    return this.rulesOf('file.matchPatterns') as unknown as FilePatternRule[];
  }

  /** Copies of the `process.matchPaths` rules. */
  public get processPaths(): ProcessPathRule[] {
    return this.rulesOf('process.matchPaths').map((r) => ({ ...r, fromSource: plainSources(r.fromSource) }) as ProcessPathRule);
  }

  /** Copies of the `process.matchDirectories` rules. */
  public get processDirectories(): ProcessDirectoryRule[] {
    return this.rulesOf('process.matchDirectories').map((r) => ({ ...r, fromSource: plainSources(r.fromSource) }) as ProcessDirectoryRule);
  }

  /** Copies of the `process.matchPatterns` rules. */
  public get processPatterns(): ProcessPatternRule[] {
    return this.rulesOf('process.matchPatterns') as unknown as ProcessPatternRule[];
  }

  /** Copies of the `network.matchProtocols` rules. */
  public get networkProtocols(): NetworkProtocolRule[] {
    return this.rulesOf('network.matchProtocols').map((r) => ({ ...r, fromSource: plainSources(r.fromSource) }) as NetworkProtocolRule);
  }

  /** Copies of the `network.matchDNSQueries` rules. */
  public get dnsQueries(): DnsQueryRule[] {
    return this.rulesOf('network.matchDNSQueries').map((r) => ({ ...r, fromSource: plainSources(r.fromSource) }) as DnsQueryRule);
  }

  /** Copies of the `capabilities.matchCapabilities` rules. */
  public get capabilities(): CapabilityRule[] {
    return this.rulesOf('capabilities.matchCapabilities').map((r) => ({ ...r, fromSource: plainSources(r.fromSource) }) as CapabilityRule);
  }

  /** Copies of the `syscalls.matchSyscalls` rules. */
  public get syscalls(): SyscallRule[] {
    return this.rulesOf('syscalls.matchSyscalls').map((r: any) => ({ syscalls: (r.syscall ?? []).map(Syscall.of), fromSource: r.fromSource }));
  }

  /** Copies of the `syscalls.matchPaths` rules. */
  public get syscallPaths(): SyscallPathRule[] {
    return this.rulesOf('syscalls.matchPaths').map((r: any) => ({ path: r.path, recursive: r.recursive, syscalls: r.syscall?.map(Syscall.of), fromSource: r.fromSource }));
  }

  /** Copies of the `presets` entries. */
  public get presets(): PresetRule[] {
    return this._model.presets().map((r: any) => ({ preset: PolicyPreset.custom(r.name), action: r.action }));
  }

  /** Copies of the host `device.matchDevice` rules. */
  public get devices(): DeviceRule[] {
    return this.rulesOf('device.matchDevice').map((r: any) => {
      const { class: cls, ...rest } = r;
      return { ...rest, deviceClass: DeviceClass.custom(cls) };
    });
  }

  /** Appends tags to `spec.tags` (duplicates are ignored; order is kept). */
  public addTags(tags: string[]): void {
    this.check('tags', fieldIssues('', 'tags', tags));
    for (const t of tags) if (!this.specTags.includes(t)) this.specTags.push(t);
    touch();
  }

  /** Sets the defaults of one section (`spec.file`, `spec.process`, ...); rules without their own values inherit them. */
  public configureSection(section: PolicySection, options: SectionOptions): void {
    const kind = this._model.kind;
    const fields = kind.sections.get(section as string as SectionName);
    if (!fields) this.sectionUnsupported(section as string as SectionName);
    const m: Meta = { action: options.action, severity: options.severity, tags: options.tags && unique(options.tags), message: options.message };
    this.check(`${section}`, metaIssues(fields!, m as Record<string, unknown>));
    const current = this._model.sectionMeta.get(section as string as SectionName) ?? {};
    const set = Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined));
    this._model.sectionMeta.set(section as string as SectionName, { ...current, ...set });
    touch();
  }

  /** Adds a `file.matchPaths` rule. */
  public addFilePath(path: string, options: FilePathOptions = {}): void {
    this.addRule('file.matchPaths', { path, readOnly: options.readOnly, ownerOnly: options.ownerOnly, pts: options.pts, fromSource: sources(options.fromSource), ...meta(options) });
  }

  /** Adds a `file.matchDirectories` rule. */
  public addFileDirectory(dir: string, options: FileDirectoryOptions = {}): void {
    this.addRule('file.matchDirectories', {
      dir,
      recursive: options.recursive,
      readOnly: options.readOnly,
      ownerOnly: options.ownerOnly,
      pts: options.pts,
      fromSource: sources(options.fromSource),
      ...meta(options),
    });
  }

  /** Adds a `file.matchPatterns` rule (enforced by AppArmor only; BPF-LSM ignores patterns). */
  public addFilePattern(pattern: string, options: FilePatternOptions = {}): void {
    this.addRule('file.matchPatterns', { pattern, readOnly: options.readOnly, ownerOnly: options.ownerOnly, ...meta(options) });
  }

  /** Adds a `process.matchPaths` rule for an executable path. */
  public addProcessPath(path: string, options: ProcessPathOptions = {}): void {
    this.addProcessRule({ ...options, path });
  }

  /** Adds a `process.matchPaths` rule for an executable name in any directory (`execname`). */
  public addProcessExecname(execname: string, options: ProcessPathOptions = {}): void {
    this.addProcessRule({ ...options, execname });
  }

  /** Adds a `process.matchDirectories` rule. */
  public addProcessDirectory(dir: string, options: ProcessDirectoryOptions = {}): void {
    this.addRule('process.matchDirectories', {
      dir, recursive: options.recursive, ownerOnly: options.ownerOnly, pts: options.pts, fromSource: sources(options.fromSource), ...meta(options),
    });
  }

  /** Adds a `process.matchPatterns` rule (enforced by AppArmor only). */
  public addProcessPattern(pattern: string, options: ProcessPatternOptions = {}): void {
    this.addRule('process.matchPatterns', { pattern, ownerOnly: options.ownerOnly, ...meta(options) });
  }

  /** Adds a `network.matchProtocols` rule. */
  public addNetworkProtocol(protocol: NetworkProtocol, options: NetworkProtocolOptions = {}): void {
    this.addRule('network.matchProtocols', { protocol, pts: options.pts, fromSource: sources(options.fromSource), ...meta(options) });
  }

  /** Adds a `network.matchDNSQueries` rule (enforced by BPF-LSM only). */
  public addDnsQuery(domain: string, options: SourceRuleOptions = {}): void {
    this.addRule('network.matchDNSQueries', { domain, fromSource: sources(options.fromSource), ...meta(options) });
  }

  /** Adds a `capabilities.matchCapabilities` rule. */
  public addCapability(capability: Capability, options: SourceRuleOptions = {}): void {
    this.addRule('capabilities.matchCapabilities', { capability, fromSource: sources(options.fromSource), ...meta(options) });
  }

  /** Adds a `syscalls.matchSyscalls` rule (syscall rules always audit). */
  public addSyscalls(syscalls: Syscall[], options: SyscallOptions = {}): void {
    this.addRule('syscalls.matchSyscalls', { syscall: unique(syscalls.map((s) => s.name)).sort(), fromSource: syscallSources(options.fromSource) });
  }

  /** Adds a `syscalls.matchPaths` rule (syscall rules always audit). */
  public addSyscallPath(path: string, options: SyscallPathOptions = {}): void {
    this.addRule('syscalls.matchPaths', {
      path,
      recursive: options.recursive,
      syscall: options.syscalls && unique(options.syscalls.map((s) => s.name)).sort(),
      fromSource: syscallSources(options.fromSource),
    });
  }

  /** Adds a `presets` entry (not accepted by host policies). */
  public addPreset(preset: PolicyPreset, options: PresetOptions = {}): void {
    if (!this._model.kind.presets) {
      throw new Error(`${this.node.path}: presets ${show(preset.name)} are not accepted by ${this.kind}; use a PolicyTarget for pods (workload, podLabels, namespace, namespaces, allNamespaces)`);
    }
    const raw = { name: preset.name, action: options.action };
    this.check('presets[]', [...fieldIssues('name', 'presetName', raw.name), ...(raw.action !== undefined ? fieldIssues('action', 'action', raw.action) : [])]);
    this._model.addPreset(raw);
    touch();
  }

  /** Adds a host `device.matchDevice` rule (host policies only). */
  public addDevice(deviceClass: DeviceClass, options: DeviceOptions = {}): void {
    this.addRule('device.matchDevice', { class: deviceClass.name, subClass: options.subClass, protocol: options.protocol, level: options.level, ...meta(options) });
  }

  /**
   * Resolves `spec.action` at synth (staged rollouts).
   * @internal
   */
  public _setActionResolver(resolver: () => PolicyAction | undefined): void {
    this.actionResolver = resolver;
    touch();
  }

  /**
   * Adds a raw rule (already in CRD field names) after validating it.
   * @internal
   */
  public _addRawRule(listId: string, raw: Record<string, unknown>): void {
    this.addRule(listId, raw);
  }

  /**
   * Adds file rules whose values an intent layer has already checked with the same validator
   * (`validate.ts`); skips the per-rule re-validation, which dominated FIM synthesis at scale.
   * @internal
   */
  public _addCheckedFileRules(directories: Array<{ dir: string; recursive?: boolean; readOnly?: boolean }>,
    paths: Array<{ path: string; readOnly?: boolean }>): void {
    const kind = this._model.kind;
    for (const d of directories) this._model.addRule(kind.lists.get('file.matchDirectories')!, compact({ dir: d.dir, recursive: d.recursive, readOnly: d.readOnly }));
    for (const p of paths) this._model.addRule(kind.lists.get('file.matchPaths')!, compact({ path: p.path, readOnly: p.readOnly }));
    touch();
  }

  /**
   * Registers work that must run before the first render (e.g. an intent layer that collapses its
   * items once they are all known). Runs once, at the first of: lint, render, synth.
   * @internal
   */
  public _onBeforeRender(hook: () => void): void {
    this.beforeRender.push(hook);
  }

  /** @internal */
  public _toKube(): Record<string, unknown> {
    while (this.beforeRender.length > 0) this.beforeRender.shift()!();
    const tags = this.specTags.length ? [...this.specTags] : undefined;
    const spec = this._model.renderSpec({ ...this._model.specMeta, action: this.action, tags });
    const selector = this.target._renderSelector();
    if (selector !== undefined) spec[this._model.kind.selectorField] = selector;
    return spec;
  }

  private addProcessRule(r: ProcessPathRule): void {
    this.addRule('process.matchPaths', {
      path: r.path,
      execname: r.execname,
      allowedArgs: r.allowedArgs && [...r.allowedArgs],
      ownerOnly: r.ownerOnly,
      pts: r.pts,
      fromSource: sources(r.fromSource),
      ...meta(r),
    });
  }

  private rulesOf(listId: string): Array<Record<string, any>> {
    const list = this._model.kind.lists.get(listId);
    return list ? this._model.rulesOf(list) : [];
  }

  private addRule(listId: string, raw: Record<string, unknown>): void {
    const list: ListSpec | undefined = this._model.kind.lists.get(listId);
    if (!list) {
      const section = listId.split('.')[0] as SectionName;
      if (!this._model.kind.sections.has(section)) this.sectionUnsupported(section);
      throw new Error(`${this.node.path}: ${listId} is not accepted by ${this.kind}`);
    }
    const clean = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
    this.check(`${listId}[]`, ruleIssues(this._model.kind, list, clean));
    this._model.addRule(list, clean);
    touch();
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
    if (this._model.ruleCount() === 0 && this._model.apparmor === undefined) {
      errors.push(`policy '${this.policyName}' has no rules; add at least one (e.g. addFileDirectory('/usr/bin/', { readOnly: true, recursive: true })) or remove the policy`);
    }
    return errors;
  }
}
