import { Construct } from 'constructs';
import { ComplianceControl } from './compliance';
import {
  FileIntegrityPolicyAddDirectoryOptions, FileIntegrityPolicyAddPathOptions, FileIntegrityPolicyProps,
} from './file-integrity-policy-props';
import { FileIntegrityPreset } from './file-integrity-preset';
import { PolicyAction } from './policy-action';
import { PolicyKind } from './policy-kind';
import { PolicyTarget } from './policy-target';
import { allowRefusal, echo as show, fail } from './private/errors';
import type { DirItem, PathItem } from './private/fim-items';
import { lazy } from './private/lazy';
import type { PolicyModel, ProvidedRule } from './private/policy-model';
import { ActionDecision, CONTEXT_KEY, setRollout, stagedAction } from './private/rollout';
import type { Issue } from './private/validate';
import { FileDirectoryRule, FilePathRule } from './rule-options';
import { SecurityPolicy } from './security-policy';

// Loaded on first use, not when the library is loaded (cold require cost).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazyValidate = lazy((): typeof import('./private/validate') => require('./private/validate'));
const lazySynthHook = lazy((): typeof import('./private/synth-hook') => require('./private/synth-hook'));
const lazyPolicyModel = lazy((): typeof import('./private/policy-model') => require('./private/policy-model'));
const lazyNames = lazy((): typeof import('./private/names') => require('./private/names'));
const lazyFimItems = lazy((): typeof import('./private/fim-items') => require('./private/fim-items'));
/* eslint-enable @typescript-eslint/no-require-imports */

const DEFAULT_SEVERITY = 5;
const DEFAULT_MESSAGE = 'Detected an attempt to modify a file-integrity-protected path';
const FIM = 'FileIntegrityPolicy';

/**
 * File integrity monitoring as one intent: "these directories and files must not change". It creates
 * one {@link SecurityPolicy} (`policy`) whose file rules are `readOnly: true` (directories also
 * `recursive: true`) with one spec-level action, severity, message and compliance tags.
 *
 * What KubeArmor does with each action (docs/kubearmor-semantics.md §6.7):
 * - **Block + readOnly** (default): reads and exec still work; writes, appends, truncation, create,
 *   delete, rename, mkdir, chmod and (hard/sym)links are denied with `Permission denied` under
 *   AppArmor and BPF-LSM, each with a Block alert. chown is not enforced by BPF-LSM.
 * - **Audit + readOnly**: nothing is denied; KubeArmor alerts on every non-read access (writes,
 *   creates, deletes, ...). Reads never alert. Audit alerts are throttled (10/s per container by default).
 *
 * Guarantees depend on the enforcer (BPF-LSM path hooks need `CONFIG_SECURITY_PATH`). Enforcement
 * sees resolved paths, which is why the presets list both merged-/usr spellings.
 *
 * Overlapping items collapse: a directory or file covered by a recursive ancestor directory with the
 * same flags, and duplicates, are not emitted. The construct provides its rules to `policy` when that
 * renders (it keeps no copy), so items added later still collapse; read what is protected from
 * `protectedDirectories` / `protectedPaths` or `policy`. After the first render, changes are refused.
 *
 * Staged rollout: `FileIntegrityPolicy.setRolloutAction(chart, PolicyAction.AUDIT)` (or the context key
 * `cdk8s-kubearmor:fim-action`) switches every FileIntegrityPolicy below a scope between Audit and
 * Block without editing them; a construct's own `action` wins.
 *
 * @example
 * new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.workload(mysql) });
 */
export class FileIntegrityPolicy extends Construct {
  /** The context key read for the staged rollout action (`Audit` or `Block`). */
  public static readonly ROLLOUT_CONTEXT_KEY = CONTEXT_KEY;

  /**
   * Switches every FileIntegrityPolicy in `scope` (an app, chart or any subtree) that sets no `action`
   * to `action`, including policies created before this call: it is read at synthesis. The nearest
   * scope wins; a construct's own `action` beats it; it beats the `cdk8s-kubearmor:fim-action` context.
   * @param scope the app, chart or construct whose subtree switches
   * @param action `PolicyAction.AUDIT` (detect) or `PolicyAction.BLOCK` (prevent)
   */
  public static setRolloutAction(scope: Construct, action: PolicyAction): void {
    if (action === PolicyAction.ALLOW) fail(allowRefusal(`FileIntegrityPolicy.setRolloutAction(${scope.node.path || '<app>'})`, 'action', FIM));
    if (action !== PolicyAction.AUDIT && action !== PolicyAction.BLOCK) {
      fail({ where: `FileIntegrityPolicy.setRolloutAction(${scope.node.path || '<app>'})`, field: 'action', value: action, problem: 'is not a PolicyAction', fix: 'use PolicyAction.AUDIT or PolicyAction.BLOCK' });
    }
    setRollout(scope, action);
    lazySynthHook().touch();
  }

  /** The KubeArmor policy this construct fills (escape hatch; it reads this construct's file rules when it renders). */
  public readonly policy: SecurityPolicy;
  /** What is protected. */
  public readonly target: PolicyTarget;
  /** `metadata.name` of the policy. */
  public readonly policyName: string;
  /** Alert severity. */
  public readonly severity: number;
  /** Alert message. */
  public readonly message: string;

  private readonly explicitAction?: PolicyAction;
  private readonly presetList: FileIntegrityPreset[] = [];
  private readonly controlList: ComplianceControl[] = [];
  private readonly extraTags: string[] = [];
  private readonly dirItems: DirItem[] = [];
  private readonly pathItems: PathItem[] = [];
  /** The first item of each directory / path, for the readOnly conflict check (O(1) per item added). */
  private readonly firstDir = new Map<string, DirItem>();
  private readonly firstPath = new Map<string, PathItem>();
  /** Bumped on every change of what this construct provides to `policy`. */
  private revision = 0;
  private memo?: { readonly controls: readonly ComplianceControl[]; readonly tags: readonly string[] };
  private readonly model: PolicyModel;

  public constructor(scope: Construct, id: string, props: FileIntegrityPolicyProps) {
    super(scope, id);
    if (props.target === undefined || props.target === null) {
      fail({ where: this.node.path, field: 'target', value: props.target, problem: 'is required', fix: 'use PolicyTarget.workload(deployment), .namespace(), .allNamespaces() or .nodes({...})' });
    }
    this.target = props.target;
    if (props.action !== undefined) {
      if (props.action === PolicyAction.ALLOW) fail(allowRefusal(this.node.path, 'action', FIM));
      this.check('action', lazyValidate().fieldIssues('action', 'action', props.action));
    }
    this.explicitAction = props.action;
    // Context is fixed once a construct has children, so a bad value is reported here, at the call.
    this.decideAction();
    this.severity = props.severity ?? DEFAULT_SEVERITY;
    this.check('severity', lazyValidate().fieldIssues('severity', 'severity', this.severity));
    this.message = props.message ?? DEFAULT_MESSAGE;
    this.check('message', lazyValidate().fieldIssues('message', 'message', this.message));
    this.policyName = props.policyName ?? lazyNames().defaultPolicyName(this);
    this.check('policyName', lazyValidate().policyNameIssues(this.policyName));
    if (this.target.kind === PolicyKind.KUBE_ARMOR_POLICY) {
      const ns = this.target._namespaceFor(this);
      if (ns !== undefined) this.check('target', lazyValidate().namespaceIssues(ns));
    }

    this.policy = new SecurityPolicy(this, 'Policy', {
      target: this.target,
      policyName: this.policyName,
      severity: this.severity,
      message: this.message,
    });
    this.model = lazyPolicyModel().modelOf(this.policy)!;
    this.model.addProvider({
      revision: () => this.revision,
      rules: () => this.providedRules(),
      tags: () => this.derived().tags,
      action: () => this.decideAction(),
    });

    for (const p of props.presets ?? FileIntegrityPreset.defaults()) this.addPreset(p);
    for (const d of props.directories ?? []) this.addItemDir('directories[]', d, {});
    for (const p of props.paths ?? []) this.addItemPath('paths[]', p, {});
    if (props.controls) this.addControls(props.controls);
    if (props.tags) this.addTags(props.tags);
    this.node.addValidation({ validate: () => this.validateAtSynth() });
  }

  /**
   * The action emitted (`spec.action`), resolved now: the construct's `action`, else the nearest
   * `setRolloutAction()`, else the `cdk8s-kubearmor:fim-action` context, else Block.
   */
  public get action(): PolicyAction {
    return this.decideAction().action;
  }

  /** Copies of the presets applied, in the order added. */
  public get presets(): FileIntegrityPreset[] {
    return [...this.presetList];
  }

  /** The compliance controls claimed (presets' and explicit), in tag order. */
  public get controls(): ComplianceControl[] {
    return [...this.derived().controls];
  }

  /** `spec.tags` as emitted: each framework's tag then its controls' tags, in framework and table order, then the free tags. */
  public get tags(): string[] {
    return [...this.derived().tags];
  }

  /** The controls and tags, computed once per change (every change clears them; the policy reads them per render check). */
  private derived(): { readonly controls: readonly ComplianceControl[]; readonly tags: readonly string[] } {
    if (this.memo) return this.memo;
    const controls = ComplianceControl._canonical([...this.presetList.flatMap((p) => p.controls), ...this.controlList]);
    const tags = ComplianceControl._tagsOf(controls);
    for (const t of this.extraTags) if (!tags.includes(t)) tags.push(t);
    this.memo = { controls, tags };
    return this.memo;
  }

  /** The directory rules emitted (overlaps collapsed, sorted). */
  public get protectedDirectories(): FileDirectoryRule[] {
    const { directories } = lazyFimItems().collapse(this.dirItems, this.pathItems);
    return directories.map((d) => ({ dir: d.dir, recursive: d.recursive, readOnly: d.readOnly }));
  }

  /** The file rules emitted (overlaps collapsed, sorted). */
  public get protectedPaths(): FilePathRule[] {
    return lazyFimItems().collapse(this.dirItems, this.pathItems).paths.map((p) => ({ path: p.path, readOnly: p.readOnly }));
  }

  /** Protects a preset's directories and files, and claims its compliance controls. */
  public addPreset(preset: FileIntegrityPreset): void {
    this.assertOpen('addPreset', preset?.name);
    if (!(preset instanceof FileIntegrityPreset)) {
      fail({ where: this.node.path, field: 'presets[]', value: preset, problem: 'is not a FileIntegrityPreset', fix: 'use a constant such as FileIntegrityPreset.SYSTEM_BINARIES or FileIntegrityPreset.custom({...})' });
    }
    if (this.presetList.includes(preset)) return;
    this.changed();
    const origin = `preset ${preset.name}`;
    for (const d of preset.directories) this.addItemDir(origin, d, {});
    for (const p of preset.paths) this.addItemPath(origin, p, {});
    this.presetList.push(preset);
    this.memo = undefined;
  }

  /**
   * Protects a directory: read-only and recursive unless `options` say otherwise.
   * @param dir absolute, ending in `/`, at most 200 characters, no glob characters
   */
  public addDirectory(dir: string, options: FileIntegrityPolicyAddDirectoryOptions = {}): void {
    this.addItemDir('dir', dir, options);
  }

  /**
   * Protects one file: read-only unless `options` say otherwise.
   * @param path absolute, not ending in `/`, at most 200 characters, no glob characters
   */
  public addPath(path: string, options: FileIntegrityPolicyAddPathOptions = {}): void {
    this.addItemPath('path', path, options);
  }

  /** Claims compliance controls (tags are emitted in framework and table order, whatever the order added). */
  public addControls(controls: ComplianceControl[]): void {
    this.assertOpen('addControls', controls);
    for (const c of controls) {
      if (!(c instanceof ComplianceControl)) {
        fail({ where: this.node.path, field: 'controls[]', value: c, problem: 'is not a ComplianceControl', fix: 'use a constant such as ComplianceControl.NIST_SI_7 or ComplianceControl.custom(...)' });
      }
      this.controlList.push(c);
      this.memo = undefined;
    }
    this.changed();
  }

  /** Adds free tags, emitted after the compliance tags in the order given (duplicates ignored). */
  public addTags(tags: string[]): void {
    this.assertOpen('addTags', tags);
    this.check('tags', lazyValidate().fieldIssues('tags', 'tags', tags));
    for (const t of tags) if (!this.extraTags.includes(t)) this.extraTags.push(t);
    this.changed();
  }

  private decideAction(): ActionDecision {
    if (this.explicitAction !== undefined) return { action: this.explicitAction, by: 'explicit', origin: 'construct action' };
    return stagedAction(this, FIM) ?? { action: PolicyAction.BLOCK, by: 'default', origin: 'default' };
  }

  private addItemDir(prop: string, dir: string, options: FileIntegrityPolicyAddDirectoryOptions): void {
    this.assertOpen(prop === 'dir' ? 'addDirectory' : prop, dir);
    this.check(prop, lazyValidate().fieldIssues('', 'dir', dir));
    const item: DirItem = { dir, recursive: options.recursive ?? true, readOnly: options.readOnly ?? true, origin: prop.startsWith('preset') ? prop : `${prop} ${show(dir)}` };
    this.checkBool(prop, 'recursive', item.recursive);
    this.checkBool(prop, 'readOnly', item.readOnly);
    // One readOnly flag per directory (a clash throws), so the first item of a directory decides: O(1).
    const clash = this.firstDir.get(dir);
    if (clash && clash.readOnly !== item.readOnly) this.conflict(prop, dir, item.readOnly, clash.origin, clash.readOnly);
    if (!clash) this.firstDir.set(dir, item);
    this.dirItems.push(item);
    this.changed();
  }

  private addItemPath(prop: string, path: string, options: FileIntegrityPolicyAddPathOptions): void {
    this.assertOpen(prop === 'path' ? 'addPath' : prop, path);
    this.check(prop, lazyValidate().fieldIssues('', 'path', path));
    const item: PathItem = { path, readOnly: options.readOnly ?? true, origin: prop.startsWith('preset') ? prop : `${prop} ${show(path)}` };
    this.checkBool(prop, 'readOnly', item.readOnly);
    const clash = this.firstPath.get(path);
    if (clash && clash.readOnly !== item.readOnly) this.conflict(prop, path, item.readOnly, clash.origin, clash.readOnly);
    if (!clash) this.firstPath.set(path, item);
    this.pathItems.push(item);
    this.changed();
  }

  private conflict(prop: string, value: string, readOnly: boolean, otherOrigin: string, otherReadOnly: boolean): never {
    fail({
      where: this.node.path,
      field: prop,
      value,
      problem: `with readOnly ${readOnly} conflicts with the same item protected with readOnly ${otherReadOnly} (${otherOrigin}); `
        + 'AppArmor keeps the first of two rules for one path and BPF-LSM the last, so the enforcers would disagree',
      fix: 'protect it with one readOnly setting, or put the other in a second policy',
    });
  }

  private checkBool(prop: string, name: string, v: unknown): void {
    if (typeof v !== 'boolean') fail({ where: this.node.path, field: `${prop} option ${name}`, value: v, problem: 'must be a boolean', fix: 'use true or false' });
  }

  private assertOpen(method: string, value: unknown): void {
    // Before `policy` exists (constructor checks) nothing has rendered.
    this.model?.assertOpen(method, value, this.node.path);
  }

  private check(prop: string, issues: Issue[]): void {
    const i = issues[0];
    if (!i) return;
    const field = i.field && i.field !== prop ? i.field.replace(/^.*\//, '') : '';
    const name = field && /^\d+$/.test(field) ? `${prop}[${field}]` : prop;
    fail({ where: this.node.path, field: name, value: i.value, problem: i.problem, fix: i.fix });
  }

  private validateAtSynth(): string[] {
    const errors: string[] = [];
    // Collapsing never empties a non-empty item list, so this needs no (costly) collapse per validation.
    if (this.dirItems.length + this.pathItems.length === 0) {
      errors.push('protects nothing (presets [] and no directories or paths); add a preset such as FileIntegrityPreset.SYSTEM_BINARIES, or addDirectory()/addPath()');
    }
    return errors;
  }

  private changed(): void {
    this.memo = undefined;
    this.revision++;
    lazySynthHook().touch();
  }

  /** The collapsed items as file rules, each with the item it came from (read by `policy` when it renders). */
  private providedRules(): ProvidedRule[] {
    const { directories, paths } = lazyFimItems().collapse(this.dirItems, this.pathItems);
    // Every item was validated when it was added (addItemDir / addItemPath, presets at definition).
    const construct = this.node.path;
    return [
      ...directories.map((d) => ({
        listId: 'file.matchDirectories',
        rule: { dir: d.dir, recursive: d.recursive || undefined, readOnly: d.readOnly || undefined },
        origin: { construct, via: d.origin },
        key: lazyFimItems().dirRuleKey(d.dir, d.recursive, d.readOnly),
      })),
      ...paths.map((p) => ({
        listId: 'file.matchPaths', rule: { path: p.path, readOnly: p.readOnly || undefined }, origin: { construct, via: p.origin }, key: lazyFimItems().pathRuleKey(p.path, p.readOnly),
      })),
    ];
  }
}
