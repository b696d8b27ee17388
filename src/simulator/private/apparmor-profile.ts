/**
 * The AppArmor profile KubeArmor@510cee3 generates for one container (or the host), as data, built the
 * way `enforcer/appArmorProfile.go` `GenerateProfileBody` builds its `Profile` struct, and rendered the
 * way `enforcer/appArmorTemplate.go` `BaseTemplate` renders it.
 */
import { CompiledPolicy, CompiledRule } from './compile';

/** `RuleConfig` (appArmorTemplate.go:21-23), plus the rules that produced it (attribution only). */
export interface AppArmorRuleConfig {
  readonly dir: boolean;
  readonly recursive: boolean;
  readonly readOnly: boolean;
  readonly ownerOnly: boolean;
  readonly deny: boolean;
  readonly allow: boolean;
  readonly denyRule?: CompiledRule;
  readonly allowRule?: CompiledRule;
}

/** `ProfileHeader`: whether `file,`, `network,` and `capability,` are written. */
export interface AppArmorHeader {
  file: boolean;
  network: boolean;
  capabilities: boolean;
  privileged: boolean;
}

/** `Rules`: entity → config, in insertion order (the template renders them sorted). */
export interface AppArmorRules {
  readonly filePaths: Map<string, AppArmorRuleConfig>;
  readonly processPaths: Map<string, AppArmorRuleConfig>;
  readonly networkRules: Map<string, AppArmorRuleConfig>;
  readonly capabilitiesRules: Map<string, AppArmorRuleConfig>;
}

/** `FromSourceConfig`: one child profile. */
export interface AppArmorChildProfile extends AppArmorRules {
  /** The source was also a main-profile process path (`ResolvedProcessWhiteListConflicts`). */
  fusion: boolean;
  readonly header: AppArmorHeader;
  /** An Allow file/process rule for this source touched `file,` (allow-list mode of the child). */
  allowList: boolean;
}

/** `Profile` (appArmorTemplate.go:48-55). */
export interface AppArmorProfile extends AppArmorRules {
  readonly name: string;
  readonly header: AppArmorHeader;
  /** fromSource binary → child profile. */
  readonly fromSource: Map<string, AppArmorChildProfile>;
  /** `spec.apparmor` lines, with the policy that carries them. */
  readonly nativeRules: { readonly line: string; readonly policy: CompiledPolicy }[];
  /** Any Allow file/process rule (which sets the main `file,` header to the file posture). */
  readonly allowList: boolean;
  /** The count GenerateProfileBody returns. */
  readonly count: number;
}

/** The postures `GenerateProfileBody` reads (`defaultPosture.FileAction` etc.): 'audit' | 'block'. */
export interface AppArmorPostures {
  readonly file: string;
  readonly network: string;
  readonly capabilities: string;
}

function newHeader(privileged = false): AppArmorHeader {
  return { file: true, network: true, capabilities: true, privileged };
}

function newRules(): AppArmorRules {
  return { filePaths: new Map(), processPaths: new Map(), networkRules: new Map(), capabilitiesRules: new Map() };
}

/** addRuletoMap (appArmorProfile.go:574-584): a second rule with the other action makes the entry both; same action: first wins. */
function addRuleToMap(rule: AppArmorRuleConfig, entity: string, m: Map<string, AppArmorRuleConfig>): void {
  const old = m.get(entity);
  if (old !== undefined) {
    if (old.deny === rule.deny) return;
    m.set(entity, {
      ...rule,
      deny: true,
      allow: true,
      denyRule: rule.deny ? rule.denyRule : old.denyRule,
      allowRule: rule.allow ? rule.allowRule : old.allowRule,
    });
    return;
  }
  m.set(entity, rule);
}

/** checkIfGlobalRuleToBeAdded (appArmorProfile.go:586-607). */
export function checkIfGlobalRuleToBeAdded(p: string, val: Map<string, AppArmorRuleConfig>): boolean {
  if (val.has(p)) return false;
  const paths = p.split('/');
  for (let i = 1; i < paths.length; i++) {
    const conf = val.get(paths.slice(0, i).join('/') + '/');
    if (conf !== undefined && conf.dir) {
      if (paths.length - i > 1 && !conf.recursive) continue;
      return false;
    }
  }
  return true;
}

/**
 * GenerateProfileBody (appArmorProfile.go:310-469) over the policies selecting one container, in
 * application order. `rules` are those policies' compiled rules (fromSource expanded, matcher order,
 * which is also GenerateProfileBody's order: process paths, dirs, patterns; file paths, dirs, patterns;
 * protocols; capabilities). Audit rules are not written.
 */
export function buildAppArmorProfile(policies: readonly CompiledPolicy[], postures: AppArmorPostures,
  name = 'kubearmor-profile', privileged = false): AppArmorProfile {
  const header = newHeader(privileged);
  const main = newRules();
  const fromSource = new Map<string, AppArmorChildProfile>();
  const nativeRules: { line: string; policy: CompiledPolicy }[] = [];
  let allowList = false;
  const child = (source: string): AppArmorChildProfile => {
    let c = fromSource.get(source);
    if (c === undefined) {
      c = { ...newRules(), fusion: false, header: newHeader(), allowList: false };
      fromSource.set(source, c);
    }
    return c;
  };
  for (const p of policies) {
    for (const line of p.nativeLines) nativeRules.push({ line, policy: p });
    for (const r of p.rules) {
      if (r.action !== 'Allow' && r.action !== 'Block') continue;
      const deny = r.action === 'Block';
      const isFile = r.domain === 'file';
      const isProc = r.domain === 'process';
      // `if !deny { prof.File = head }` (or Network / Capabilities), before the per-source loop
      const head = r.domain === 'network' ? postures.network !== 'block'
        : r.domain === 'capability' ? postures.capabilities !== 'block' : postures.file !== 'block';
      if (!deny) {
        if (isFile || isProc) { header.file = head; allowList = true; } else if (r.domain === 'network') {header.network = head;} else {header.capabilities = head;}
      }
      const target: AppArmorRules = r.source === '' ? main : child(r.source);
      if (r.source !== '' && !deny) {
        const c = target as AppArmorChildProfile;
        if (isFile || isProc) { c.header.file = head; c.allowList = true; } else if (r.domain === 'network') {c.header.network = head;} else {c.header.capabilities = head;}
      }
      const config: AppArmorRuleConfig = {
        dir: r.kind === 'dir',
        recursive: r.kind === 'dir' && r.recursive,
        readOnly: isFile && r.readOnly,
        ownerOnly: (isFile || isProc) && r.ownerOnly,
        deny,
        allow: !deny,
        denyRule: deny ? r : undefined,
        allowRule: deny ? undefined : r,
      };
      if (r.kind === 'pattern') {
        // SetProcessMatchPatterns / SetFileMatchPatterns: main profile only, first wins, no merge
        const m = isProc ? main.processPaths : main.filePaths;
        if (!m.has(r.value)) m.set(r.value, config);
      } else if (isProc) {
        addRuleToMap(config, r.kind === 'execname' ? `/**/${r.value}` : r.value, target.processPaths);
      } else if (isFile) {
        addRuleToMap(config, r.value, target.filePaths);
      } else if (r.domain === 'network') {
        const proto = r.value === 'icmpv6' ? 'icmp' : r.value;
        addRuleToMap(config, proto, target.networkRules);
      } else {
        addRuleToMap(config, r.value, target.capabilitiesRules);
      }
    }
  }
  let count = main.processPaths.size + main.filePaths.size + main.networkRules.size + main.capabilitiesRules.size;
  // ResolvedProcessWhiteListConflicts (appArmorProfile.go:23-31)
  for (const [source, c] of fromSource) {
    if (main.processPaths.has(source)) { c.fusion = true; main.processPaths.delete(source); }
  }
  // copy the global rules into every child profile (appArmorProfile.go:434-466)
  for (const c of fromSource.values()) {
    const own = { processPaths: new Map(c.processPaths), filePaths: new Map(c.filePaths) };
    for (const [k, v] of main.processPaths) if (checkIfGlobalRuleToBeAdded(k, own.processPaths)) c.processPaths.set(k, v);
    for (const [k, v] of main.filePaths) if (checkIfGlobalRuleToBeAdded(k, own.filePaths)) c.filePaths.set(k, v);
    for (const [k, v] of main.networkRules) if (!c.networkRules.has(k)) c.networkRules.set(k, v);
    for (const [k, v] of main.capabilitiesRules) if (!c.capabilitiesRules.has(k)) c.capabilitiesRules.set(k, v);
    count += c.processPaths.size + c.filePaths.size + c.networkRules.size + c.capabilitiesRules.size;
  }
  return { name, header, ...main, fromSource, nativeRules, allowList, count };
}

/** The template's glob test (appArmorTemplate.go:70): an Allow process line matching it is written as a comment. */
export const TEMPLATE_GLOB = /^.*?(\[|\*|\+|\?|\$|\|)+.*/;

/** `{{$v := $.Name | split "."}}{{$v._0}}_{{ regexReplaceAllLiteral "[^a-z A-Z 0-9]" $source "" }}`. */
export function childProfileName(profileName: string, source: string): string {
  return `${profileName.split('.')[0]}_${source.replace(/[^a-z A-Z0-9]/g, '')}`;
}

export function suffixOf(c: AppArmorRuleConfig): string {
  if (c.dir && c.recursive) return '{,**}';
  if (c.dir) return '{,*}';
  return '';
}

function sorted<V>(m: Map<string, V>): [string, V][] {
  return [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function preSection(h: AppArmorHeader): string[] {
  const out = ['## == PRE START == ##', '#include <abstractions/base>'];
  if (h.privileged) out.push('## == For privileged workloads == ##', 'umount,', 'mount,', 'signal,', 'unix,', 'ptrace,', 'dbus,');
  if (h.file) out.push('file,');
  if (h.network) out.push('network,');
  if (h.capabilities) out.push('capability,');
  out.push('## == PRE END == ##');
  return out;
}

/** The file-section lines of one config (template `file-section`). */
export function fileLines(v: string, c: AppArmorRuleConfig): string[] {
  const p = v + suffixOf(c);
  const out: string[] = [];
  if (c.deny) {
    if (c.readOnly && c.ownerOnly) out.push(`deny owner ${p} klw,`, `deny other ${p} klmrw,`);
    else if (c.ownerOnly) out.push(`owner ${p} klmrw,`, `deny other ${p} klmrw,`);
    else if (c.readOnly) out.push(`deny ${p} klw,`);
    else out.push(`deny ${p} klmrw,`);
  }
  if (c.allow) {
    if (c.readOnly && c.ownerOnly) out.push(`owner ${p} klr,`);
    else if (c.ownerOnly) out.push(`owner ${p} klmrw,`);
    else if (c.readOnly) out.push(`${p} klr,`);
    else out.push(`${p} klmrw,`);
  }
  return out;
}

function fileSection(r: AppArmorRules): string[] {
  const out = ['## == File/Dir START == ##'];
  for (const [v, c] of sorted(r.filePaths)) out.push(...fileLines(v, c));
  out.push('## == File/Dir END == ##');
  return out;
}

function denyExecLines(v: string, c: AppArmorRuleConfig): string[] {
  if (!c.deny) return [];
  const p = v + suffixOf(c);
  return c.ownerOnly ? [`owner ${p} ix,`, `deny other ${p} x,`] : [`deny ${p} x,`];
}

/** The main profile's dispatcher lines of one process config. */
export function mainExecLines(name: string, v: string, c: AppArmorRuleConfig): string[] {
  const out = denyExecLines(v, c);
  if (c.allow) {
    const suffix = suffixOf(c);
    const glob = TEMPLATE_GLOB.test(v);
    if (suffix === '' && !glob) out.push(c.ownerOnly ? `owner ${v} ix,` : `${v} ix,`);
    else if (!glob) out.push(`${v}${suffix} ix,`);
    else out.push(`## ${v} px -> ${name}-${v}`);
  }
  return out;
}

function networkSection(r: AppArmorRules): string[] {
  const out = ['## == Network START == ##'];
  for (const [v, c] of sorted(r.networkRules)) {
    if (c.deny) out.push(v === 'all' ? 'deny network,' : `deny network ${v},`);
    if (c.allow) out.push(`network ${v},`);
  }
  out.push('## == Network END == ##');
  return out;
}

function capabilitiesSection(r: AppArmorRules): string[] {
  const out = ['## == Capabilities START == ##'];
  for (const [v, c] of sorted(r.capabilitiesRules)) {
    if (c.deny) out.push('deny capability', `${v},`);
    if (c.allow) out.push(`capability ${v},`);
  }
  out.push('## == Capabilities END == ##');
  return out;
}

const POST_SECTION = ['## == POST START == ##', '/lib/x86_64-linux-gnu/{*,**} rm,', '## == POST END == ##'];

const UNPRIVILEGED_POST = [
  'deny @{PROC}/{*,**^[0-9*],sys/kernel/shm*} wkx,', 'deny @{PROC}/sysrq-trigger rwklx,', 'deny @{PROC}/mem rwklx,',
  'deny @{PROC}/kmem rwklx,', 'deny @{PROC}/kcore rwklx,', 'deny mount,', 'deny /sys/[^f]*/** wklx,',
  'deny /sys/f[^s]*/** wklx,', 'deny /sys/fs/[^c]*/** wklx,', 'deny /sys/fs/c[^g]*/** wklx,', 'deny /sys/fs/cg[^r]*/** wklx,',
  'deny /sys/firmware/efi/efivars/** rwklx,', 'deny /sys/kernel/security/** rwklx,',
];

/**
 * The profile text as BaseTemplate renders it, one trimmed non-empty line per element (the template's
 * indentation and blank lines are not reproduced: compare line by line after trimming).
 */
export function renderAppArmorProfile(p: AppArmorProfile): string[] {
  const out = ['## == Managed by KubeArmor == ##', '#include <tunables/global>', '## == Dispatcher profile START == ##',
    `profile ${p.name} flags=(attach_disconnected,mediate_deleted) {`, ...preSection(p.header), ...fileSection(p),
    '## == DISPATCHER START == ##'];
  for (const [source] of sorted(p.fromSource)) out.push(`${source} px -> ${childProfileName(p.name, source)},`);
  for (const [v, c] of sorted(p.processPaths)) out.push(...mainExecLines(p.name, v, c));
  out.push('## == DISPATCHER END == ##', ...networkSection(p), ...capabilitiesSection(p), '## == Native Policy START == ##');
  if (p.nativeRules.length > 0) {
    out.push('## == NATIVE POLICY START == ##');
    for (const n of p.nativeRules) if (n.line !== '') out.push(n.line);
  }
  out.push('## == Native Policy END == ##', '## == POST START == ##', '/lib/x86_64-linux-gnu/{*,**} rm,');
  if (!p.header.privileged) out.push(...UNPRIVILEGED_POST);
  out.push('## == POST END == ##', '}', '## == Dispatcher profile END == ##', '## == FromSource per binary profiles START == ##');
  const sources = new Set(p.fromSource.keys());
  for (const [source, c] of sorted(p.fromSource)) {
    out.push(`profile ${childProfileName(p.name, source)} {`, `${source} rix,`, ...preSection(c.header), ...fileSection(c), '## == DISPATCHER START == ##');
    for (const [v, rc] of sorted(c.processPaths)) out.push(...childExecLines(p, sources, v, rc));
    out.push('## == DISPATCHER END == ##', ...networkSection(c), ...capabilitiesSection(c), ...POST_SECTION, '}');
  }
  out.push('## == FromSource per binary profiles END == ##', '## == Templates section START == ##');
  return out;
}

/** A child profile's dispatcher lines of one process config (Allow dirs are not written). */
export function childExecLines(p: AppArmorProfile, sources: Set<string>, v: string, c: AppArmorRuleConfig): string[] {
  const out = denyExecLines(v, c);
  if (c.allow && suffixOf(c) === '') {
    if (sources.has(v)) {
      out.push(c.ownerOnly ? `owner ${v} px -> ${p.name}-${v},` : `${v} px -> ${p.name}-${v},`);
    } else if (c.ownerOnly) {
      out.push(`owner ${v} cx,`);
    } else {
      out.push(`${v} cx,`, `profile ${v} {`, `${v} rix,`, ...preSection(p.header), ...fileSection(p), ...networkSection(p),
        ...capabilitiesSection(p), ...POST_SECTION, '}');
    }
  }
  return out;
}
