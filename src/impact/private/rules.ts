/**
 * The rules of a KubeArmor manifest with their JSON pointers, and which of them match an access.
 * Matching is asked of the simulator itself (a copy of the policy holding only that rule), so the
 * replay never re-implements KubeArmor's path, glob or fromSource semantics.
 */
import { AccessOperation, AccessRequest, PolicySimulator, PolicySimulatorOptions } from '../../simulator';

export interface RuleRef {
  readonly pointer: string;
  /** 'file' | 'process' | 'network' | 'capabilities' */
  readonly section: string;
  readonly list: string;
  readonly index: number;
  readonly value: string;
  readonly rule: any;
}

const SECTIONS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['file', ['matchPaths', 'matchDirectories', 'matchPatterns']],
  ['process', ['matchPaths', 'matchDirectories', 'matchPatterns']],
  ['network', ['matchProtocols']],
  ['capabilities', ['matchCapabilities']],
];
const VALUE_KEYS = ['path', 'dir', 'pattern', 'protocol', 'capability', 'execname'];

/** Every rule of a manifest, in document order. */
export function rulesOf(manifest: any): RuleRef[] {
  const out: RuleRef[] = [];
  const spec = manifest?.spec;
  if (spec === null || typeof spec !== 'object') return out;
  for (const [section, lists] of SECTIONS) {
    const s = spec[section];
    if (s === null || typeof s !== 'object') continue;
    for (const list of lists) {
      const items = s[list];
      if (!Array.isArray(items)) continue;
      items.forEach((rule, index) => {
        const key = VALUE_KEYS.find((k) => typeof rule?.[k] === 'string');
        out.push({ pointer: `/spec/${section}/${list}/${index}`, section, list, index, value: key ? rule[key] : '', rule });
      });
    }
  }
  return out;
}

/** The section whose rules mediate an operation. */
export function sectionOf(op: AccessOperation): string {
  if (op === AccessOperation.EXEC) return 'process';
  if (op === AccessOperation.NETWORK) return 'network';
  if (op === AccessOperation.CAPABILITY) return 'capabilities';
  return 'file';
}

/** The manifest with every `action: Audit` (policy-wide and per rule) replaced by `Block`. */
export function auditAsBlock(manifest: any): any {
  const copy = JSON.parse(JSON.stringify(manifest));
  const visit = (node: any) => {
    if (Array.isArray(node)) {node.forEach(visit);} else if (node !== null && typeof node === 'object') {
      for (const k of Object.keys(node)) {
        if (k === 'action' && node[k] === 'Audit') node[k] = 'Block';
        else visit(node[k]);
      }
    }
  };
  visit(copy.spec);
  return copy;
}

/**
 * A necessary condition for a rule to match (so the simulator is not asked about rules that cannot):
 * a path rule names the target, a directory rule is a prefix of it, an execname is its base name, a
 * protocol or capability is equal (or `all`). Patterns are always asked.
 */
function mayMatch(r: RuleRef, target: string): boolean {
  const v = r.value;
  if (r.list === 'matchPatterns' || v === '') return true;
  const rule = r.rule;
  if (typeof rule?.execname === 'string') return target.slice(target.lastIndexOf('/') + 1) === v;
  if (typeof rule?.path === 'string') return target === v;
  if (typeof rule?.dir === 'string') return target.startsWith(v) || `${target}/` === v;
  return target === v.toLowerCase() || v.toLowerCase() === 'all' || `cap_${target}` === v.toLowerCase() || target === v.toLowerCase().replace(/^cap_/, '');
}

/** Finds the rules of loaded policies that match a request, with one cached single-rule simulator per rule. */
export class RuleMatcher {
  private readonly sims = new Map<RuleRef, PolicySimulator>();

  constructor(private readonly options: PolicySimulatorOptions) {}

  /** The rules of `manifest` (in `section`) that match `request`. */
  public matching(manifest: any, rules: readonly RuleRef[], request: AccessRequest): RuleRef[] {
    const section = sectionOf(request.operation);
    const name = manifest.metadata?.name;
    const target = request.path ?? request.protocol ?? request.capability ?? '';
    const out: RuleRef[] = [];
    for (const r of rules) {
      if (r.section !== section || !mayMatch(r, target)) continue;
      let sim = this.sims.get(r);
      if (sim === undefined) {
        const { file: _f, process: _p, network: _n, capabilities: _c, syscalls: _s, ...rest } = manifest.spec ?? {};
        const single = { ...manifest, spec: { ...rest, [r.section]: { [r.list]: [r.rule] } } };
        sim = PolicySimulator.fromManifests([single], this.options);
        this.sims.set(r, sim);
      }
      let res;
      try {
        res = sim.evaluate(request);
      } catch {
        continue;
      }
      if (res.matchedPolicies.includes(name)) out.push(r);
    }
    return out;
  }
}
