/**
 * Turns KubeArmor manifests into flat, ordered rule lists, applying the daemon's normalisation
 * (docs/kubearmor-semantics.md §4) and the alert matcher's flattening order (§6.4, `UpdateSecurityPolicies`).
 */
import { appArmorGlob, goFilepathMatch, goRegexpCompiles, hasGlob } from './glob';
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

function sev(v: any): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0;
}

function tagsOf(v: any): string[] {
  return Array.isArray(v) ? v.filter((t) => typeof t === 'string') : [];
}

function normaliseSpecAction(v: any): RuleAction {
  const s = str(v);
  if (s === '') return 'Block';
  const lower = s.toLowerCase();
  if (lower === 'allow') return 'Allow';
  if (lower === 'audit') return 'Audit';
  if (lower === 'block') return 'Block';
  return s as RuleAction;
}

interface Meta {
  readonly severity: number;
  readonly tags: string[];
  readonly message: string;
  readonly action: string;
}

function metaOf(o: any): Meta {
  return { severity: sev(o?.severity), tags: tagsOf(o?.tags), message: str(o?.message), action: str(o?.action) };
}

/** §4.2: rule value if set, else the block's if set, else the spec's. Tags replace, never merge. */
function inherit(rule: Meta, block: Meta, spec: Meta, specAction: RuleAction) {
  return {
    severity: rule.severity || block.severity || spec.severity,
    tags: rule.tags.length ? rule.tags : block.tags.length ? block.tags : spec.tags,
    message: rule.message || block.message || spec.message,
    action: (rule.action || block.action || specAction) as RuleAction,
  };
}

/** Comma expansion of protocols and capabilities (§4.4, ObjCommaExpandFirstDupOthers). */
function commaExpand(v: string): string[] {
  return v.split(',').map((s) => s.replace(/ /g, '')).filter((s) => s.length > 0);
}

export function normaliseCapability(v: string): string {
  const l = v.toLowerCase();
  return l.startsWith('cap_') ? l.slice(4) : l;
}

export function isKubeArmorManifest(obj: any): boolean {
  return obj !== null && typeof obj === 'object' && typeof obj.apiVersion === 'string'
    && obj.apiVersion.startsWith('security.kubearmor.com/')
    && (obj.kind === 'KubeArmorPolicy' || obj.kind === 'KubeArmorClusterPolicy' || obj.kind === 'KubeArmorHostPolicy');
}

export function compilePolicies(manifests: any[], startOrder = 0): CompiledPolicy[] {
  const out: CompiledPolicy[] = [];
  let order = startOrder;
  manifests.forEach((m) => {
    if (!isKubeArmorManifest(m)) return;
    const spec = m.spec ?? {};
    const rules: CompiledRule[] = [];
    const policy: CompiledPolicy = {
      ...compileSelector(m),
      index: out.length,
      nativeAppArmor: str(spec.apparmor).length > 0,
      nativeLines: scanLines(str(spec.apparmor)),
      rules,
    };

    const specMeta = metaOf(spec);
    const specAction = normaliseSpecAction(spec.action);

    const add = (domain: Domain, kind2: RuleKind, value: string, r: any, block: Meta, source: string, raw: string, fixedAction?: RuleAction) => {
      const eff = inherit(metaOf(r), block, specMeta, specAction);
      const action = fixedAction ?? eff.action;
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
        tags: eff.tags,
        tagsJoined: eff.tags.join(','),
        message: eff.message,
        source,
        aaGlob,
        goGlob,
        feederSkip,
        raw,
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
    const proc = spec.process ?? {};
    const procMeta = metaOf(proc);
    for (const r of proc.matchPaths ?? []) {
      const execname = str(r?.execname);
      const path = str(r?.path);
      if (!execname && !path) continue;
      withSources(r, (s) => add('process', execname ? 'execname' : 'path', execname || path, r, procMeta, s, execname || path));
    }
    for (const r of proc.matchDirectories ?? []) {
      const dir = str(r?.dir);
      if (dir) withSources(r, (s) => add('process', 'dir', dir, r, procMeta, s, dir));
    }
    for (const r of proc.matchPatterns ?? []) {
      const p = str(r?.pattern);
      if (p) add('process', 'pattern', p, r, procMeta, '', p);
    }
    const file = spec.file ?? {};
    const fileMeta = metaOf(file);
    for (const r of file.matchPaths ?? []) {
      const p = str(r?.path);
      if (p) withSources(r, (s) => add('file', 'path', p, r, fileMeta, s, p));
    }
    for (const r of file.matchDirectories ?? []) {
      const dir = str(r?.dir);
      if (dir) withSources(r, (s) => add('file', 'dir', dir, r, fileMeta, s, dir));
    }
    for (const r of file.matchPatterns ?? []) {
      const p = str(r?.pattern);
      if (p) add('file', 'pattern', p, r, fileMeta, '', p);
    }
    const net = spec.network ?? {};
    const netMeta = metaOf(net);
    for (const r of net.matchProtocols ?? []) {
      for (const proto of commaExpand(str(r?.protocol))) {
        withSources(r, (s) => add('network', 'protocol', proto.toLowerCase(), r, netMeta, s, proto));
      }
    }
    const caps = spec.capabilities ?? {};
    const capMeta = metaOf(caps);
    for (const r of caps.matchCapabilities ?? []) {
      for (const cap of commaExpand(str(r?.capability))) {
        withSources(r, (s) => add('capability', 'capability', normaliseCapability(cap), r, capMeta, s, cap));
      }
    }
    out.push(policy);
  });
  return out;
}
