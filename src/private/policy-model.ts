/**
 * The one internal rule model behind every policy construct: rules are stored as raw KubeArmor
 * objects (CRD field names) per rule list, de-duplicated, each with its origin, and rendered in one
 * place. Intent layers (FileIntegrityPolicy, HardenedWorkload) are providers: they contribute rules,
 * tags and the spec action, read at render; they keep no copy of the rules. The model freezes at its
 * first render: a later change is refused, naming the construct (rules already emitted cannot change).
 */
import { IConstruct } from 'constructs';
import { canonicalJson, compact, deepCopy } from './canonical';
import { Provenance, RuleOrigin, SpecActionDecision } from './effective';
import { fail } from './errors';
import { DecodedPolicy } from './manifest';
import { KindSpec, ListSpec, META_FIELDS, SECTIONS, SectionName } from './schema';

export interface Meta {
  action?: string;
  severity?: number;
  tags?: string[];
  message?: string;
}

/** A rule a provider contributes (already validated by the provider, with the same validators). */
export interface ProvidedRule {
  readonly listId: string;
  readonly rule: Record<string, unknown>;
  readonly origin: RuleOrigin;
  /** `canonicalJson(rule)` when the provider builds it more cheaply (it must be exactly that string). */
  readonly key?: string;
}

/** What an intent layer contributes to a policy; read at render, never copied into the model. */
export interface PolicyProvider {
  /** Changes whenever what it provides changes (keys the render cache). */
  revision(): number;
  rules?(): readonly ProvidedRule[];
  /** Spec tags, emitted after the policy's own (duplicates dropped). */
  tags?(): readonly string[];
  /** The spec action and how it was decided; beats the construct's `action` prop. */
  action?(): SpecActionDecision | undefined;
}

interface Stored {
  readonly rule: Record<string, unknown>;
  readonly origin: RuleOrigin;
  /** `canonicalJson(rule)`, computed once when the rule is stored (its identity and last sort key). */
  readonly key: string;
}

interface StoredList {
  readonly keys: Set<string>;
  readonly rules: Stored[];
}

export interface ModelRule {
  readonly list: ListSpec;
  readonly rule: Record<string, unknown>;
  readonly index: number;
  readonly origin: RuleOrigin;
}

/**
 * Sorts a list's rules in output order: by the canonical JSON of each key field of the list (absent
 * first), then by the whole rule's. The keys are computed once per rule, not once per comparison.
 */
function sortRules(list: ListSpec, stored: Stored[]): Stored[] {
  const decorated = stored.map((s) => ({ s, fields: list.key.map((k) => (s.rule[k] === undefined ? '' : canonicalJson(s.rule[k]))) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < a.fields.length; i++) {
      const x = a.fields[i];
      const y = b.fields[i];
      if (x !== y) return x < y ? -1 : 1;
    }
    const x = a.s.key;
    const y = b.s.key;
    return x === y ? 0 : x < y ? -1 : 1;
  });
  return decorated.map((d) => d.s);
}

const MODELS = new WeakMap<IConstruct, PolicyModel>();

/** The model of a policy construct (registered by the construct itself). */
export function modelOf(policy: IConstruct): PolicyModel | undefined {
  return MODELS.get(policy);
}

export class PolicyModel {
  public readonly specMeta: Meta = {};
  public apparmor?: string;
  public readonly sectionMeta = new Map<SectionName, Meta>();
  /** Where imported rules came from (set by PolicyImport after `fromManifest`). */
  private source?: { readonly file: string; readonly document: number; readonly lineOf: (pointer: string) => number };
  private readonly lists = new Map<string, StoredList>();
  private readonly presetList: StoredList = { keys: new Set(), rules: [] };
  private readonly providers: PolicyProvider[] = [];
  private specDecision?: SpecActionDecision;
  /** Bumped on every rule change; with the meta and the providers' revisions it keys the render cache. */
  private version = 0;
  private cache?: { readonly key: string; readonly spec: Record<string, unknown>; readonly origins: Map<string, RuleOrigin> };
  private provided?: { readonly version: number; readonly revisions: readonly number[]; readonly rules: Map<string, Stored[]> };
  private frozen = false;
  /** Whether rules are sorted on output (builder); imported policies keep their order. */
  private sortedOutput: boolean;

  /**
   * @param owner the construct the model belongs to (named in errors)
   * @param kind the KubeArmor kind being modelled
   * @param sorted sort rules on output (builder); imported policies keep their order, which decides
   *               which rule names an alert (docs/kubearmor-semantics.md §6.4)
   */
  constructor(private readonly owner: IConstruct, public readonly kind: KindSpec, sorted: boolean) {
    this.sortedOutput = sorted;
    MODELS.set(owner, this);
  }

  public get sorted(): boolean {
    return this.sortedOutput;
  }

  /** Refuses a change after the first render, naming the construct and the call. */
  public assertOpen(call: string, value?: unknown, where: string = this.owner.node.path): void {
    if (!this.frozen) return;
    fail({ where, field: call, value, problem: 'came after the policy was synthesised (its rules are already rendered)', fix: 'make every change before synth' });
  }

  /** Adds a provider (an intent layer filling this policy). */
  public addProvider(provider: PolicyProvider): void {
    this.assertOpen('provider');
    this.providers.push(provider);
  }

  /** Sets how the construct decided the spec action (its `action` prop). */
  public setSpecAction(decision: SpecActionDecision | undefined): void {
    this.specDecision = decision;
  }

  /** The spec action and how it was decided: a provider's, else the construct's own. */
  public specAction(): SpecActionDecision | undefined {
    for (const p of this.providers) {
      const a = p.action?.();
      if (a !== undefined) return a;
    }
    return this.specDecision;
  }

  /** The spec tags: the construct's own, then the providers' (duplicates dropped). */
  public specTags(): string[] {
    const out = [...(this.specMeta.tags ?? [])];
    for (const p of this.providers) for (const t of p.tags?.() ?? []) if (!out.includes(t)) out.push(t);
    return out;
  }

  /**
   * Loads a decoded manifest (checked by decodeManifest with the validators the builder uses): the
   * model built from YAML. Rule order is kept, and so are repeated rules and presets (the CRD accepts
   * them; lint KA043 reports them): synthesis gives back what was read.
   */
  public load(d: DecodedPolicy, via: string): void {
    this.assertOpen(via);
    this.sortedOutput = false;
    if (d.specMeta.tags) this.specMeta.tags = [...d.specMeta.tags];
    for (const [section, m] of d.sectionMeta) this.sectionMeta.set(section, deepCopy(m));
    const origin = { construct: this.owner.node.path, via };
    for (const r of d.rules) this.store(this.listOf(r.list), r.rule, origin, true);
    for (const p of d.presets) this.store(this.presetList, p, origin, true);
  }

  /** Records the YAML source of a loaded manifest: rules then carry file, document and line. */
  public locate(file: string, document: number, lineOf: (pointer: string) => number): void {
    this.source = { file, document, lineOf };
  }

  /** Adds a rule; returns false when an identical rule already exists (it is not added twice). */
  public addRule(list: ListSpec, rule: Record<string, unknown>, origin: RuleOrigin): boolean {
    this.assertOpen(origin.via, rule);
    return this.store(this.listOf(list), rule, origin);
  }

  private listOf(list: ListSpec): StoredList {
    let stored = this.lists.get(list.id);
    if (!stored) {
      stored = { keys: new Set(), rules: [] };
      this.lists.set(list.id, stored);
    }
    return stored;
  }

  public addPreset(preset: Record<string, unknown>, origin: RuleOrigin): boolean {
    this.assertOpen(origin.via, preset);
    return this.store(this.presetList, preset, origin);
  }

  /** Records a change of meta (tags, section defaults) after checking the model is open. */
  public change(call: string, value?: unknown): void {
    this.assertOpen(call, value);
    this.version++;
  }

  private store(stored: StoredList, rule: Record<string, unknown>, origin: RuleOrigin, keepRepeats = false): boolean {
    const key = canonicalJson(rule);
    if (stored.keys.has(key) && !keepRepeats) return false;
    stored.keys.add(key);
    this.version++;
    stored.rules.push({ rule: deepCopy(compact(rule)), origin, key });
    return true;
  }

  private revisions(): string {
    return this.providers.map((p) => p.revision()).join(',');
  }

  /** The providers' rules per list, de-duplicated against the model's own (cached per revision). */
  private providedRules(): Map<string, Stored[]> {
    // Compared number by number, not as a joined string: validation asks for the rule count once per
    // chart synthesised, for every policy.
    const revisions = this.providers.map((p) => p.revision());
    const last = this.provided;
    if (last !== undefined && last.version === this.version && last.revisions.length === revisions.length
      && last.revisions.every((r, i) => r === revisions[i])) return last.rules;
    const rules = new Map<string, Stored[]>();
    const seen = new Map<string, Set<string>>();
    for (const p of this.providers) {
      for (const r of p.rules?.() ?? []) {
        const own = this.lists.get(r.listId);
        const k = r.key ?? canonicalJson(r.rule);
        const set = seen.get(r.listId) ?? new Set<string>();
        seen.set(r.listId, set);
        if (own?.keys.has(k) || set.has(k)) continue;
        set.add(k);
        const list = rules.get(r.listId) ?? [];
        list.push({ rule: compact(r.rule), origin: r.origin, key: k });
        rules.set(r.listId, list);
      }
    }
    this.provided = { version: this.version, revisions, rules };
    return rules;
  }

  private storedOf(list: ListSpec): Stored[] {
    const own = this.lists.get(list.id)?.rules ?? [];
    const provided = this.providers.length > 0 ? this.providedRules().get(list.id) ?? [] : [];
    const all = provided.length > 0 ? [...own, ...provided] : [...own];
    return this.sortedOutput ? sortRules(list, all) : all;
  }

  /** Copies of the rules of one list, in output order. */
  public rulesOf(list: ListSpec): Record<string, unknown>[] {
    return this.storedOf(list).map((s) => deepCopy(s.rule));
  }

  private presetsStored(): Stored[] {
    const all = [...this.presetList.rules];
    return this.sortedOutput ? all.sort((a, b) => a.key < b.key ? -1 : 1) : all;
  }

  public presets(): Record<string, unknown>[] {
    return this.presetsStored().map((s) => deepCopy(s.rule));
  }

  /** Every rule in output order, with its list and origin. */
  public allRules(): ModelRule[] {
    const out: ModelRule[] = [];
    for (const list of this.kind.lists.values()) {
      this.storedOf(list).forEach((s, index) => out.push({ list, rule: deepCopy(s.rule), index, origin: s.origin }));
    }
    return out;
  }

  public ruleCount(): number {
    let n = this.presetList.rules.length;
    for (const l of this.lists.values()) n += l.rules.length;
    if (this.providers.length > 0) for (const l of this.providedRules().values()) n += l.length;
    return n;
  }

  /**
   * Renders `spec` without the selector (the target renders that) and freezes the model. The result is
   * cached until a rule, a provider or any meta changes (lints and synthesis both render every policy);
   * callers get a fresh top-level object and must not mutate nested values.
   */
  public renderSpec(): Record<string, unknown> {
    this.ensureRendered();
    return { ...this.cache!.spec };
  }

  /** The origin of each rendered rule and how the spec action was decided (for the effective policy). */
  public provenance(): Provenance {
    this.ensureRendered();
    const origins = this.cache!.origins;
    const source = this.source;
    return {
      specAction: this.specAction(),
      originOf: (pointer) => {
        const o = origins.get(pointer);
        return o && source ? { ...o, file: source.file, document: source.document, line: source.lineOf(pointer) } : o;
      },
    };
  }

  private ensureRendered(): void {
    const specMeta: Meta = { ...this.specMeta, action: this.specAction()?.action, tags: this.specTags() };
    if (specMeta.tags!.length === 0) specMeta.tags = undefined;
    const key = `${this.version}|${this.revisions()}|${canonicalJson(specMeta)}|${canonicalJson([...this.sectionMeta])}|${this.apparmor ?? ''}|${this.sortedOutput}`;
    if (this.cache?.key !== key) this.cache = { key, ...this.render(specMeta) };
    this.frozen = true;
  }

  private render(specMeta: Meta): { spec: Record<string, unknown>; origins: Map<string, RuleOrigin> } {
    const spec: Record<string, unknown> = {};
    const origins = new Map<string, RuleOrigin>();
    for (const k of META_FIELDS) {
      const v = (specMeta as any)[k];
      if (v !== undefined) spec[k] = deepCopy(v);
    }
    if (this.apparmor !== undefined) spec.apparmor = this.apparmor;
    const presets = this.presetsStored();
    if (presets.length > 0) spec.presets = presets.map((s) => deepCopy(s.rule));
    presets.forEach((s, i) => origins.set(`/spec/presets/${i}`, s.origin));
    for (const section of SECTIONS) {
      const body: Record<string, unknown> = {};
      const meta = this.sectionMeta.get(section);
      if (meta) Object.assign(body, deepCopy(compact(meta as Record<string, unknown>)));
      for (const list of this.kind.lists.values()) {
        if (list.section !== section) continue;
        const stored = this.storedOf(list);
        if (stored.length === 0) continue;
        body[list.list] = stored.map((s) => deepCopy(s.rule));
        stored.forEach((s, i) => origins.set(`/spec/${section}/${list.list}/${i}`, s.origin));
      }
      if (Object.keys(body).length > 0) spec[section] = body;
    }
    return { spec, origins };
  }
}
