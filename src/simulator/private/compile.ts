/**
 * Turns KubeArmor manifests into flat, ordered rule lists, applying the daemon's normalisation
 * (docs/kubearmor-semantics.md §4) and the alert matcher's flattening order (§6.4, `UpdateSecurityPolicies`).
 */
import { appArmorGlob, goFilepathMatch, goRegexpCompiles, hasGlob } from './glob';
import { effectivePolicy, EffectiveRule, kubeArmorKind } from '../../private/effective';
import { compileSelector, PolicySelector } from '../../private/selection';

export type RuleAction = 'Allow' | 'Audit' | 'Block';
export type Domain = 'file' | 'process' | 'network' | 'capability';
export type RuleKind = 'path' | 'dir' | 'pattern' | 'execname' | 'protocol' | 'capability';

export interface CompiledRule {
  /** Global order: policies in application order, rules in matcher order, fromSource expanded. */
  readonly order: number;
  readonly policy: CompiledPolicy;
  readonly domain: Domain;
  readonly kind: RuleKind;
  /** path, dir (with trailing '/'), pattern, execname, protocol (lower case) or capability (lower case, no cap_). */
  readonly value: string;
  readonly recursive: boolean;
  readonly readOnly: boolean;
  readonly ownerOnly: boolean;
  readonly pts: boolean;
  /** `pts: false` (BPF-LSM's PTS flag: `path.Pts != nil && !*path.Pts`, rulesHandling.go:132). */
  readonly ptsFalse: boolean;
  /** `allowedArgs` of a process path rule (BPF-LSM's ARGSET flag, rulesHandling.go:135). */
  readonly args: string[];
  readonly action: RuleAction;
  readonly severity: string;
  readonly tags: string[];
  readonly tagsJoined: string;
  readonly message: string;
  /** fromSource path, '' for a global rule. */
  readonly source: string;
  /** AppArmor glob for patterns, globbed paths and execname. */
  readonly aaGlob?: RegExp;
  /** Go filepath.Match for patterns (alert matcher). */
  readonly goGlob?: RegExp;
  /** The alert matcher ignores this rule (pattern rejected by Go regexp.Compile). */
  readonly feederSkip: boolean;
  /** The original value as written (capability before normalisation, ...). */
  readonly raw: string;
  /** JSON pointer of the rule in its manifest (`/spec/file/matchDirectories/0`). */
  readonly pointer: string;
}

export interface CompiledPolicy extends PolicySelector {
  readonly index: number;
  /** `spec.apparmor` set: the alert matcher skips the policy. */
  readonly nativeAppArmor: boolean;
  /** `spec.apparmor` split into trimmed lines (appArmorProfile.go:323-329 `NativeRules`). */
  readonly nativeLines: string[];
  readonly rules: CompiledRule[];
}

/** bufio.Scanner with ScanLines, then strings.TrimSpace per line: no element after a final newline. */
function scanLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return lines.map((l) => l.trim());
}

function str(v: any): string {
  return typeof v === 'string' ? v : '';
}

/** Comma expansion of protocols and capabilities (§4.4, ObjCommaExpandFirstDupOthers). */
function commaExpand(v: string): string[] {
  return v.split(',').map((s) => s.replace(/ /g, '')).filter((s) => s.length > 0);
}

export function normaliseCapability(v: string): string {
  const l = v.toLowerCase();
  return l.startsWith('cap_') ? l.slice(4) : l;
}

/** Whether the simulator loads the object: {@link kubeArmorKind} (strict), the library's one recognition. */
export function isKubeArmorManifest(obj: any): boolean {
  return kubeArmorKind(obj) !== undefined;
}

export function compilePolicies(manifests: any[], startOrder = 0): CompiledPolicy[] {
  const out: CompiledPolicy[] = [];
  let order = startOrder;
  manifests.forEach((m) => {
    const effective = effectivePolicy(m);
    if (!effective) return;
    const spec = m.spec ?? {};
    const rules: CompiledRule[] = [];
    const policy: CompiledPolicy = {
      ...compileSelector(m),
      index: out.length,
      nativeAppArmor: str(spec.apparmor).length > 0,
      nativeLines: scanLines(str(spec.apparmor)),
      rules,
    };

    // Inherited action, severity, tags and message: resolved once, in the effective policy.
    const rulesOf = (listId: string): EffectiveRule[] => effective.rules.filter((r) => r.list.id === listId);

    const add = (domain: Domain, kind2: RuleKind, value: string, eff: EffectiveRule, source: string, raw: string) => {
      const r = eff.rule;
      const action = eff.action;
      let aaGlob: RegExp | undefined;
      let goGlob: RegExp | undefined;
      let feederSkip = false;
      if (kind2 === 'pattern') {
        aaGlob = appArmorGlob(value);
        goGlob = goFilepathMatch(value);
        feederSkip = !goRegexpCompiles(value);
      } else if (kind2 === 'path' && hasGlob(value)) {
        aaGlob = appArmorGlob(value);
      } else if (kind2 === 'execname') {
        aaGlob = appArmorGlob(`/**/${value}`);
      }
      rules.push({
        order: order++,
        policy,
        domain,
        kind: kind2,
        value,
        recursive: r?.recursive === true,
        readOnly: r?.readOnly === true,
        ownerOnly: r?.ownerOnly === true,
        pts: r?.pts !== undefined,
        ptsFalse: r?.pts === false,
        args: Array.isArray(r?.allowedArgs) ? r.allowedArgs.filter((a: any) => typeof a === 'string') : [],
        action,
        severity: String(eff.severity),
        tags: [...eff.tags],
        tagsJoined: eff.tags.join(','),
        message: eff.message,
        source,
        aaGlob,
        goGlob,
        feederSkip,
        raw,
        pointer: eff.pointer,
      });
    };

    const withSources = (r: any, fn: (source: string) => void) => {
      const sources = Array.isArray(r?.fromSource) ? r.fromSource : [];
      if (sources.length === 0) { fn(''); return; }
      for (const s of sources) {
        const p = str(s?.path);
        if (p) fn(p);
      }
    };

    // Matcher order (feeder/policyMatcher.go UpdateSecurityPolicies): process paths, dirs, patterns;
    // file paths, dirs, patterns; network protocols; capabilities.
    for (const eff of rulesOf('process.matchPaths')) {
      const execname = str(eff.rule.execname);
      const path = str(eff.rule.path);
      if (!execname && !path) continue;
      withSources(eff.rule, (s) => add('process', execname ? 'execname' : 'path', execname || path, eff, s, execname || path));
    }
    for (const eff of rulesOf('process.matchDirectories')) {
      const dir = str(eff.rule.dir);
      if (dir) withSources(eff.rule, (s) => add('process', 'dir', dir, eff, s, dir));
    }
    for (const eff of rulesOf('process.matchPatterns')) {
      const p = str(eff.rule.pattern);
      if (p) add('process', 'pattern', p, eff, '', p);
    }
    // File rules: the same three lists as process dirs/patterns, one field each.
    const FILE_LISTS: Array<[string, RuleKind, string]> = [['file.matchPaths', 'path', 'path'], ['file.matchDirectories', 'dir', 'dir'], ['file.matchPatterns', 'pattern', 'pattern']];
    for (const [listId, kind2, field] of FILE_LISTS) {
      for (const eff of rulesOf(listId)) {
        const v = str(eff.rule[field]);
        if (!v) continue;
        if (kind2 === 'pattern') add('file', kind2, v, eff, '', v);
        else withSources(eff.rule, (s) => add('file', kind2, v, eff, s, v));
      }
    }
    for (const eff of rulesOf('network.matchProtocols')) {
      for (const proto of commaExpand(str(eff.rule.protocol))) {
        withSources(eff.rule, (s) => add('network', 'protocol', proto.toLowerCase(), eff, s, proto));
      }
    }
    for (const eff of rulesOf('capabilities.matchCapabilities')) {
      for (const cap of commaExpand(str(eff.rule.capability))) {
        withSources(eff.rule, (s) => add('capability', 'capability', normaliseCapability(cap), eff, s, cap));
      }
    }
    out.push(policy);
  });
  return out;
}
