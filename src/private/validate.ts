/**
 * Value validation mirroring the KubeArmor CRDs, plus what the cluster never tells you
 * (docs/kubearmor-semantics.md §3, §8): globs in literal paths, 200-character dirs, untracked namespaces, ...
 * Every check returns an {@link Issue} (problem + fix) so callers can throw at the call or collect.
 */
import { appArmorGlobError, goGlobError, goRegexpError } from './go-syntax';
import { canonicalProblem, edgeSpaceProblem, MAX_PATH_BYTES } from './path-canon';
import { FieldType, KindSpec, ListSpec, META_FIELDS } from './schema';
import { isKnownSyscall } from './syscall-names';
import { yamlTextProblem } from './yaml-text';

export interface Issue {
  /** JSON-pointer-ish location relative to the checked object, e.g. `dir` or `fromSource/0/path`. */
  readonly field: string;
  readonly value: unknown;
  readonly problem: string;
  readonly fix: string;
  /**
   * Set when the CRD accepts the value and only the library judges it wrong: the ID of the lint that
   * reports it on imported policies (KA041...). Constructs refuse it at the call all the same.
   */
  readonly lint?: string;
}

/** The lint IDs of the judgements stricter than the CRD (see {@link Issue.lint}). */
export const STRICTER_THAN_CRD = {
  glob: 'KA041',
  relativePattern: 'KA042',
  repeatedRule: 'KA043',
  repeatedTag: 'KA044',
  nonCanonicalPath: 'KA045',
} as const;

export const MAX_PATH = MAX_PATH_BYTES;
export const UNTRACKED_NAMESPACES = ['kube-system', 'kubearmor'];
const GLOB = /[*?[\]{}]/;
const CONTROL = /[\u0000-\u001f\u007f]/;

export const CAPABILITIES = new Set(['chown', 'dac_override', 'dac_read_search', 'fowner', 'fsetid', 'kill', 'setgid', 'setuid', 'setpcap',
  'linux_immutable', 'net_bind_service', 'net_broadcast', 'net_admin', 'net_raw', 'ipc_lock', 'ipc_owner', 'sys_module', 'sys_rawio',
  'sys_chroot', 'sys_ptrace', 'sys_pacct', 'sys_admin', 'sys_boot', 'sys_nice', 'sys_resource', 'sys_time', 'sys_tty_config', 'mknod',
  'lease', 'audit_write', 'audit_control', 'setfcap', 'mac_override', 'mac_admin']);
export const PROTOCOLS = new Set(['tcp', 'udp', 'raw', 'icmp', 'icmpv6', 'sctp', 'stream', 'dgram', 'rdm', 'seqpacket', 'dccp', 'packet', 'all']);
export const ACTIONS = ['Allow', 'Audit', 'Block'];

function issue(field: string, value: unknown, problem: string, fix: string, lint?: string): Issue {
  return lint === undefined ? { field, value, problem, fix } : { field, value, problem, fix, lint };
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}

/**
 * Paths already found valid (`p` or `d` + the path): validity depends on the text alone, and the same preset
 * paths are checked for every workload of an app. Bounded; only valid paths are remembered (an issue names
 * its field, so problems are always computed afresh).
 */
const VALID_PATHS = new Set<string>();
const MAX_VALID_PATHS = 50_000;

function literalPathIssues(field: string, v: string, what: 'path' | 'dir'): Issue[] {
  const key = `${what === 'path' ? 'p' : 'd'}${v}`;
  if (VALID_PATHS.has(key)) return [];
  const issues = checkLiteralPath(field, v, what);
  if (issues.length === 0) {
    if (VALID_PATHS.size >= MAX_VALID_PATHS) VALID_PATHS.clear();
    VALID_PATHS.add(key);
  }
  return issues;
}

function checkLiteralPath(field: string, v: string, what: 'path' | 'dir'): Issue[] {
  if (CONTROL.test(v)) return [issue(field, v, 'contains a control character', 'remove newlines and control characters')];
  const edge = edgeSpaceProblem(v);
  if (edge) return [issue(field, v, edge.problem, edge.fix)];
  if (!v.startsWith('/')) {
    const abs = `/${v}`;
    if (what === 'path' && abs.endsWith('/')) {
      return [issue(field, v, 'must be absolute', `use '${abs.replace(/\/+$/, '')}' (a file), or a directory rule with dir '${abs}'`)];
    }
    return [issue(field, v, what === 'dir' && !v.endsWith('/') ? 'must be absolute and end in \'/\'' : 'must be absolute',
      `use '${what === 'dir' && !abs.endsWith('/') ? `${abs}/` : abs}'`)];
  }
  if (what === 'dir' && !v.endsWith('/')) return [issue(field, v, 'must end in \'/\' (a directory)', `use '${v}/', or a file rule (matchPaths) for a single file`)];
  if (what === 'path' && v.endsWith('/')) {
    return [issue(field, v, 'must not end in \'/\' (a file path)', v === '/' ? 'use a directory rule with dir \'/\'' : `use a directory rule (matchDirectories) with dir '${v}', or the file path '${v.replace(/\/+$/, '')}'`)];
  }
  const canon = canonicalProblem(v);
  if (canon) return [issue(field, v, canon.problem, canon.fix, STRICTER_THAN_CRD.nonCanonicalPath)];
  if (GLOB.test(v)) {
    return [issue(field, v, 'contains glob characters (BPF-LSM matches them literally, AppArmor expands them: the enforcers disagree)',
      'use a pattern rule (matchPatterns, AppArmor only) or list the concrete paths / a recursive directory', STRICTER_THAN_CRD.glob)];
  }
  return [];
}

function fromSourceIssues(field: string, v: unknown, syscallStyle: boolean): Issue[] {
  if (!Array.isArray(v)) return [issue(field, v, 'must be a list of sources', 'use [{ path: \'/usr/bin/app\' }]')];
  if (v.length === 0) return [issue(field, v, 'is empty', 'omit fromSource to match every process, or list at least one source binary')];
  const out: Issue[] = [];
  v.forEach((src, i) => {
    const at = `${field}/${i}`;
    if (src === null || typeof src !== 'object' || Array.isArray(src)) {
      out.push(issue(at, src, 'must be an object', 'use { path: \'/usr/bin/app\' }'));
      return;
    }
    const allowed = syscallStyle ? ['path', 'dir', 'recursive'] : ['path'];
    for (const k of Object.keys(src)) {
      if (!allowed.includes(k)) out.push(unknownField(`${at}/${k}`, k, allowed));
    }
    if (src.path !== undefined) {
      if (!isString(src.path)) out.push(issue(`${at}/path`, src.path, 'must be a string', 'use an absolute executable path'));
      else out.push(...literalPathIssues(`${at}/path`, src.path, 'path'));
    }
    if (syscallStyle) {
      if (src.dir !== undefined) {
        if (!isString(src.dir)) out.push(issue(`${at}/dir`, src.dir, 'must be a string', 'use an absolute directory ending in \'/\''));
        else out.push(...literalPathIssues(`${at}/dir`, src.dir, 'dir'));
      }
      if (src.recursive !== undefined && typeof src.recursive !== 'boolean') out.push(issue(`${at}/recursive`, src.recursive, 'must be a boolean', 'use true or false'));
      if (src.path === undefined && src.dir === undefined) out.push(issue(at, src, 'names no source', 'set path (an executable) or dir (a directory of executables)'));
    } else if (src.path === undefined) {
      out.push(issue(`${at}/path`, undefined, 'is required', 'set the absolute path of the source executable'));
    }
  });
  return out;
}

function commaList(field: string, v: unknown, known: Set<string>, what: string, fix: (bad: string) => string, caseInsensitive: boolean): Issue[] {
  if (!isString(v) || v.length === 0) return [issue(field, v, `must be a ${what} name`, fix(String(v)))];
  // KubeArmor expands comma-separated values into one rule each (docs/kubearmor-semantics.md §4.4).
  for (const part of v.split(',')) {
    const name = part.trim();
    // The CRD accepts the lowercase spelling, and for protocols also the all-uppercase one.
    const ok = known.has(name) || (caseInsensitive && name === name.toUpperCase() && known.has(name.toLowerCase()));
    if (!ok) return [issue(field, v, `is not a KubeArmor ${what}${part !== v ? ` ('${part}')` : ''}`, fix(name))];
  }
  return [];
}

function capabilityFix(bad: string): string {
  const guess = bad.toLowerCase().replace(/^cap_/, '');
  return CAPABILITIES.has(guess) ? `use '${guess}' (lowercase, without CAP_)` : `use one of ${[...CAPABILITIES].slice(0, 6).join(', ')}, ... (the Capability enum)`;
}

function protocolFix(bad: string): string {
  return PROTOCOLS.has(bad.toLowerCase()) ? `use '${bad.toLowerCase()}'` : `use one of ${[...PROTOCOLS].join(', ')}`;
}

export function levenshtein(a: string, b: string): number {
  const d: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length];
}

export function unknownField(field: string, name: string, allowed: readonly string[]): Issue {
  const best = [...allowed].sort((x, y) => levenshtein(name, x) - levenshtein(name, y))[0];
  const close = best !== undefined && levenshtein(name.toLowerCase(), best.toLowerCase()) <= Math.max(2, Math.floor(name.length / 4));
  return issue(field, name, 'is not declared by the CRD (the apiserver would silently prune it)',
    close ? `did you mean '${best}'?` : `remove it; allowed here: ${allowed.join(', ')}`);
}

/** Checks one field value of the given type. */
export function fieldIssues(field: string, type: FieldType, v: unknown): Issue[] {
  switch (type) {
    case 'path':
      return isString(v) ? literalPathIssues(field, v, 'path') : [issue(field, v, 'must be a string', 'use an absolute file path such as \'/etc/passwd\'')];
    case 'dir':
      return isString(v) ? literalPathIssues(field, v, 'dir') : [issue(field, v, 'must be a string', 'use an absolute directory ending in \'/\' such as \'/etc/\'')];
    case 'pathOrDir':
      if (!isString(v)) return [issue(field, v, 'must be a string', 'use an absolute file path or a directory ending in \'/\'')];
      return literalPathIssues(field, v, v.endsWith('/') ? 'dir' : 'path');
    case 'pattern':
      if (!isString(v) || v.trim().length === 0) return [issue(field, v, 'must be a non-empty glob pattern', 'use an AppArmor glob such as \'/tmp/**\'')];
      if (!v.startsWith('/')) {
        return [issue(field, v, 'must be absolute', `use '/${v}'`, STRICTER_THAN_CRD.relativePattern)];
      }
      return patternIssues(field, v);
    case 'bool':
      return typeof v === 'boolean' ? [] : [issue(field, v, 'must be a boolean', 'use true or false')];
    case 'action':
      if (isString(v) && ACTIONS.includes(v)) return [];
      return [issue(field, v, 'is not a KubeArmor action', isString(v) && ACTIONS.some((a) => a.toLowerCase() === v.toLowerCase())
        ? `use '${ACTIONS.find((a) => a.toLowerCase() === v.toLowerCase())}' (the CRD is case-sensitive)` : 'use Allow, Audit or Block')];
    case 'severity':
      return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 10 ? []
        : [issue(field, v, 'must be an integer from 1 to 10', typeof v === 'number' && v > 10 ? 'use 10 (the most severe)' : 'use 1 (least) to 10 (most severe)')];
    case 'tags': {
      if (!Array.isArray(v)) return [issue(field, v, 'must be a list of strings', 'use [\'NIST\', \'NIST_800-53_SI-4\']')];
      const out: Issue[] = [];
      v.forEach((t, i) => {
        if (!isString(t) || t.trim().length === 0) {out.push(issue(`${field}/${i}`, t, 'must be a non-empty string', 'remove the empty tag'));} else if (t.includes(',')) {out.push(issue(`${field}/${i}`, t, 'contains a comma (KubeArmor joins tags with commas in alerts)', `split it into ${t.split(',').map((s) => `'${s.trim()}'`).join(', ')}`));} else {
          const unsafe = yamlTextProblem(t);
          if (unsafe) out.push(issue(`${field}/${i}`, t, unsafe.problem, unsafe.fix));
        }
      });
      return out;
    }
    case 'message': {
      if (!isString(v) || v.trim().length === 0) return [issue(field, v, 'must be a non-empty string', 'describe what the alert means')];
      const unsafe = yamlTextProblem(v);
      return unsafe ? [issue(field, v, unsafe.problem, unsafe.fix)] : [];
    }
    case 'execname':
      if (!isString(v) || v.length === 0) return [issue(field, v, 'must be a non-empty executable name', 'use a base name such as \'apt\'')];
      if (v.includes('/')) return [issue(field, v, 'must be a base name without \'/\'', `use execname '${v.split('/').pop()}' or a path rule with path '${v}'`)];
      return [];
    case 'allowedArgs':
      if (!Array.isArray(v) || v.some((a) => !isString(a))) return [issue(field, v, 'must be a list of strings', 'use [\'--version\']')];
      return v.length > 20 ? [issue(field, v, `has ${v.length} entries (the CRD allows at most 20)`, 'split the rule or allow fewer arguments')] : [];
    case 'fromSource':
      return fromSourceIssues(field, v, false);
    case 'syscallFromSource':
      return fromSourceIssues(field, v, true);
    case 'protocol':
      return commaList(field, v, PROTOCOLS, 'protocol', protocolFix, true);
    case 'capability':
      return commaList(field, v, CAPABILITIES, 'capability', capabilityFix, false);
    case 'domain':
      if (!isString(v) || v.trim().length === 0) return [issue(field, v, 'must be a non-empty domain name', 'use a domain such as \'example.com\'')];
      return /\s/.test(v) ? [issue(field, v, 'contains whitespace', 'use one domain per rule')] : [];
    case 'syscalls': {
      if (!Array.isArray(v) || v.length === 0) return [issue(field, v, 'must list at least one syscall', 'use [\'unlink\', \'unlinkat\']')];
      const bad = v.find((s) => !isString(s) || !isKnownSyscall(s));
      return bad === undefined ? [] : [issue(`${field}/${v.indexOf(bad)}`, bad, 'is not in the CRD\'s syscall enum', 'use a lowercase x86_64 syscall name (Syscall.of)')];
    }
    case 'presetName':
      return isString(v) && /^[A-Za-z][A-Za-z0-9_-]*$/.test(v) ? [] : [issue(field, v, 'is not a preset name', 'use a PolicyPreset such as \'filelessExec\'')];
    case 'deviceClass':
      return isString(v) && /^\S+$/.test(v) ? [] : [issue(field, v, 'must be a device class name', 'use a DeviceClass such as \'MASS-STORAGE\'')];
    case 'int32':
      return typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31 ? [] : [issue(field, v, 'must be a 32-bit integer', 'use a USB code such as 6')];
    case 'level':
      return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v < 2 ** 31 ? [] : [issue(field, v, 'must be an integer >= 1', 'use 1 for the device itself')];
  }
}

/**
 * A pattern AppArmor cannot parse fails the container's whole profile; one Go's filepath.Match rejects never
 * matches in the alert matcher (its ErrBadPattern is ignored). Both are refused.
 */
function patternIssues(field: string, v: string): Issue[] {
  const aa = appArmorGlobError(v);
  if (aa) return [issue(field, v, `${aa}: apparmor_parser refuses it and the container's whole AppArmor profile fails to load`, 'balance the braces and brackets, or escape a literal one with \\')];
  const glob = goGlobError(v);
  if (glob) return [issue(field, v, `is refused by Go's filepath.Match (${glob}), so KubeArmor's alert matcher never matches it`, 'close each [...] class, give each range both ends, and escape a literal \'-\' or \']\' with \\')];
  return [];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Checks one rule (raw KubeArmor object) of a list of a kind. */
export function ruleIssues(kind: KindSpec, list: ListSpec, rule: unknown): Issue[] {
  if (!isObject(rule)) return [issue('', rule, 'must be an object', `write a ${list.id} rule as a mapping`)];
  const out: Issue[] = [];
  const allowed = Object.keys(list.fields);
  for (const [k, v] of Object.entries(rule)) {
    const type = list.fields[k];
    if (!type) {
      out.push(unknownField(k, k, allowed));
    } else if (list.id === 'process.matchPaths' && k === 'path' && isString(v) && /^[^/\s]+$/.test(v)) {
      // A bare name such as 'nc' means "this executable anywhere": that is execname, not '/nc'.
      out.push(issue(k, v, 'must be absolute', `use execname '${v}' (addProcessExecname) for the executable in any directory, or its absolute path such as '/usr/bin/${v}'`));
    } else {
      out.push(...fieldIssues(k, type, v));
    }
  }
  for (const req of list.required) {
    if (rule[req] === undefined) {
      out.push(issue(req, undefined, 'is required', req === 'fromSource'
        ? `${kind.kind} ${list.id} rules must name the source binaries (fromSource); add fromSource: [{ path: '/usr/bin/app' }]`
        : `set ${req}`));
    }
  }
  if (list.oneOf && list.oneOf.every((k) => rule[k] === undefined)) {
    out.push(issue(list.oneOf[0], undefined, `is required (or ${list.oneOf.slice(1).join(', ')})`, `set ${list.oneOf.join(' or ')}`));
  }
  return out;
}

/** Checks the meta fields of a section or of the spec. */
export function metaIssues(fields: Readonly<Record<string, FieldType>>, meta: Record<string, unknown>): Issue[] {
  const out: Issue[] = [];
  for (const k of META_FIELDS) {
    if (meta[k] === undefined) continue;
    const type = fields[k];
    if (!type) out.push(issue(k, meta[k], 'is not accepted here', k === 'action' ? 'syscall rules always audit; remove the action' : `remove ${k}`));
    else out.push(...fieldIssues(k, type, meta[k]));
  }
  return out;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function policyNameIssues(name: unknown): Issue[] {
  if (!isString(name) || name.length === 0) return [issue('name', name, 'is required', 'set a DNS-1123 name such as \'harden-mysql-fim\'')];
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    const fixed = name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 253);
    return [issue('name', name, 'is not a DNS-1123 name (lowercase letters, digits, \'-\' and \'.\', starting and ending alphanumeric, at most 253 characters)', `use '${fixed || 'my-policy'}'`)];
  }
  return [];
}

export function namespaceIssues(ns: unknown): Issue[] {
  if (!isString(ns) || ns.length > 63 || !DNS1123_LABEL.test(ns)) {
    return [issue('namespace', ns, 'is not a valid namespace name (DNS-1123 label)', 'use lowercase letters, digits and \'-\', at most 63 characters')];
  }
  if (UNTRACKED_NAMESPACES.includes(ns)) {
    return [issue('namespace', ns, 'is untracked by KubeArmor: policies there are never enforced ("Policy cannot be enforced in untracked namespace")',
      'protect workloads in another namespace, or remove the namespace from KubeArmor\'s untrackedNs setting first')];
  }
  return [];
}

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** KubeArmor's special selector keys whose values are not Kubernetes label values. */
export const CONTAINER_LABEL = 'kubearmor.io/container.name';
const HOSTNAME_LABEL = 'kubearmor.io/hostname';
const HOSTNAME_REG_LABELS = ['kubearmor.io/hostnamereg', 'kubernetes.io/hostnamereg'];
const SPECIAL_KEYS = new Set([CONTAINER_LABEL, HOSTNAME_LABEL, ...HOSTNAME_REG_LABELS]);

/**
 * The syntax of the special keys' values, which KubeArmor parses without checking (KubeArmor/core/kubeUpdate.go:
 * the container list loses its first and last character whatever they are; the host name regex is a Go regexp).
 */
function specialValueIssues(field: string, k: string, v: string): Issue[] {
  if (k === CONTAINER_LABEL) {
    const bracketed = v.length >= 2 && v.startsWith('[') && v.endsWith(']');
    const items = (bracketed ? v.slice(1, -1) : v.replace(/^\[|\]$/g, '')).split(',').map((x) => x.trim());
    const fix = `use '[${[...new Set(items.filter((x) => x !== ''))].join(',')}]' with the containers' names from the pod spec (PolicyTarget.inContainers)`;
    if (!bracketed) return [issue(field, v, 'is not a bracketed list such as \'[web,sidecar]\': KubeArmor strips its first and last character whatever they are', fix)];
    // '[]' means every container (as no key does).
    if (v === '[]') return [];
    const bad = items.find((x, i) => x === '' || !DNS1123_LABEL.test(x) || items.indexOf(x) !== i);
    if (bad === undefined) return [];
    return [issue(field, v, bad === '' ? 'has an empty container name' : `lists '${bad}', which is repeated or not a container name (DNS-1123 label)`, fix)];
  }
  if (k === HOSTNAME_LABEL) {
    const parts = v.split(',').map((x) => x.trim());
    if (parts.some((x) => x === '')) return [issue(field, v, v.trim() === '' ? 'is empty: it matches no node' : 'has an empty host name: it matches no node', 'use \'*\' for every node, or a comma list of node names')];
    return [];
  }
  if (v === '') return [issue(field, v, 'is empty: it matches no node', 'use a Go regular expression for the node names, such as \'worker-.*\'')];
  const error = goRegexpError(v);
  return error ? [issue(field, v, `is not a Go regular expression (${error}): KubeArmor cannot match any node with it`, 'fix the expression (Go RE2 syntax: no look-around or back-references), e.g. \'worker-.*\'')] : [];
}

export function labelIssues(field: string, labels: unknown): Issue[] {
  if (!isObject(labels)) return [issue(field, labels, 'must be a map of label keys to values', 'use { app: \'mysql\' }')];
  const out: Issue[] = [];
  for (const [k, v] of Object.entries(labels)) {
    if (!LABEL_KEY.test(k) || k.split('/').pop()!.length > 63) out.push(issue(`${field}/${k}`, k, 'is not a valid label key', 'use a key such as \'app\' or \'example.com/tier\''));
    else if (!isString(v)) out.push(issue(`${field}/${k}`, v, 'must be a string', `quote it: '${String(v)}'`));
    else if (SPECIAL_KEYS.has(k)) out.push(...specialValueIssues(`${field}/${k}`, k, v));
    else if (v.length > 63 || !LABEL_VALUE.test(v)) out.push(issue(`${field}/${k}`, v, 'is not a valid label value', 'use at most 63 alphanumerics, \'-\', \'_\' or \'.\''));
  }
  return out;
}
