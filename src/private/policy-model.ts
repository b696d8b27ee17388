/**
 * The one internal rule model behind every policy construct: rules are stored as raw KubeArmor
 * objects (CRD field names) per rule list, de-duplicated, and rendered in one place.
 */
import { canonicalJson, compact, deepCopy } from './canonical';
import { KindSpec, ListSpec, META_FIELDS, SECTIONS, SectionName } from './schema';

export interface Meta {
  action?: string;
  severity?: number;
  tags?: string[];
  message?: string;
}

interface StoredList {
  readonly keys: Set<string>;
  readonly rules: Record<string, unknown>[];
}

export interface ModelRule {
  readonly list: ListSpec;
  readonly rule: Record<string, unknown>;
  readonly index: number;
}

function compareRules(list: ListSpec, a: Record<string, unknown>, b: Record<string, unknown>): number {
  for (const k of list.key) {
    const x = a[k] === undefined ? '' : canonicalJson(a[k]);
    const y = b[k] === undefined ? '' : canonicalJson(b[k]);
    if (x !== y) return x < y ? -1 : 1;
  }
  const x = canonicalJson(a);
  const y = canonicalJson(b);
  return x === y ? 0 : x < y ? -1 : 1;
}

export class PolicyModel {
  public readonly specMeta: Meta = {};
  public apparmor?: string;
  public readonly sectionMeta = new Map<SectionName, Meta>();
  private readonly lists = new Map<string, StoredList>();
  private readonly presetList: StoredList = { keys: new Set(), rules: [] };
  /** Bumped on every rule change; with the meta it keys the render cache. */
  private version = 0;
  private cache?: { readonly key: string; readonly spec: Record<string, unknown> };

  /**
   * @param kind the KubeArmor kind being modelled
   * @param sorted sort rules on output (builder); imported policies set it to false and keep their
   *               order, which decides which rule names an alert (docs/kubearmor-semantics.md §6.4)
   */
  constructor(public readonly kind: KindSpec, public sorted: boolean) {}

  /** Adds a rule; returns false when an identical rule already exists (it is not added twice). */
  public addRule(list: ListSpec, rule: Record<string, unknown>): boolean {
    let stored = this.lists.get(list.id);
    if (!stored) {
      stored = { keys: new Set(), rules: [] };
      this.lists.set(list.id, stored);
    }
    return this.store(stored, rule);
  }

  public addPreset(preset: Record<string, unknown>): boolean {
    return this.store(this.presetList, preset);
  }

  private store(stored: StoredList, rule: Record<string, unknown>): boolean {
    const key = canonicalJson(rule);
    if (stored.keys.has(key)) return false;
    stored.keys.add(key);
    this.version++;
    stored.rules.push(deepCopy(compact(rule)));
    return true;
  }

  /** Copies of the rules of one list, in output order. */
  public rulesOf(list: ListSpec): Record<string, unknown>[] {
    const stored = this.lists.get(list.id);
    if (!stored) return [];
    const rules = deepCopy(stored.rules);
    return this.sorted ? rules.sort((a, b) => compareRules(list, a, b)) : rules;
  }

  public presets(): Record<string, unknown>[] {
    const rules = deepCopy(this.presetList.rules);
    return this.sorted ? rules.sort((a, b) => canonicalJson(a) < canonicalJson(b) ? -1 : 1) : rules;
  }

  /** Every rule in output order, with its list. */
  public allRules(): ModelRule[] {
    const out: ModelRule[] = [];
    for (const list of this.kind.lists.values()) {
      this.rulesOf(list).forEach((rule, index) => out.push({ list, rule, index }));
    }
    return out;
  }

  public ruleCount(): number {
    let n = this.presetList.rules.length;
    for (const l of this.lists.values()) n += l.rules.length;
    return n;
  }

  /**
   * Renders `spec` without the selector (the target renders that). The result is cached until a rule
   * or any meta changes (lints and synthesis both render every policy); callers get a fresh top-level
   * object and must not mutate nested values.
   */
  public renderSpec(specMeta: Meta): Record<string, unknown> {
    const key = `${this.version}|${canonicalJson(specMeta)}|${canonicalJson([...this.sectionMeta])}|${this.apparmor ?? ''}|${this.sorted}`;
    if (this.cache?.key !== key) this.cache = { key, spec: this.render(specMeta) };
    return { ...this.cache.spec };
  }

  private render(specMeta: Meta): Record<string, unknown> {
    const spec: Record<string, unknown> = {};
    for (const k of META_FIELDS) {
      const v = (specMeta as any)[k];
      if (v !== undefined) spec[k] = deepCopy(v);
    }
    if (this.apparmor !== undefined) spec.apparmor = this.apparmor;
    const presets = this.presets();
    if (presets.length > 0) spec.presets = presets;
    for (const section of SECTIONS) {
      const body: Record<string, unknown> = {};
      const meta = this.sectionMeta.get(section);
      if (meta) Object.assign(body, deepCopy(compact(meta as Record<string, unknown>)));
      for (const list of this.kind.lists.values()) {
        if (list.section !== section) continue;
        const rules = this.rulesOf(list);
        if (rules.length > 0) body[list.list] = rules;
      }
      if (Object.keys(body).length > 0) spec[section] = body;
    }
    return spec;
  }
}
