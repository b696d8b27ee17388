/**
 * The KubeArmor CRDs (security.kubearmor.com/v1 at KubeArmor 510cee3) as one table: which sections,
 * rule lists and fields each kind declares, and the type of every field. The validator, the renderer,
 * the importer and the lints all read this table; nothing else knows KubeArmor field names.
 */

export const API_VERSION = 'security.kubearmor.com/v1';

export type KindName = 'KubeArmorPolicy' | 'KubeArmorClusterPolicy' | 'KubeArmorHostPolicy';
export const KINDS: readonly KindName[] = ['KubeArmorPolicy', 'KubeArmorClusterPolicy', 'KubeArmorHostPolicy'];
export const CLUSTER_SCOPED: ReadonlySet<string> = new Set(['KubeArmorClusterPolicy', 'KubeArmorHostPolicy']);

export type FieldType =
  | 'path' | 'dir' | 'pathOrDir' | 'pattern' | 'bool' | 'action' | 'severity' | 'tags' | 'message'
  | 'execname' | 'allowedArgs' | 'fromSource' | 'syscallFromSource' | 'protocol' | 'capability'
  | 'domain' | 'syscalls' | 'presetName' | 'deviceClass' | 'int32' | 'level';

export type SectionName = 'file' | 'process' | 'network' | 'capabilities' | 'syscalls' | 'device';
export const SECTIONS: readonly SectionName[] = ['process', 'file', 'network', 'capabilities', 'syscalls', 'device'];

export interface ListSpec {
  /** e.g. `file.matchPaths` */
  readonly id: string;
  readonly section: SectionName;
  readonly list: string;
  readonly fields: Readonly<Record<string, FieldType>>;
  readonly required: readonly string[];
  /** At least one of these must be present (process.matchPaths: path or execname). */
  readonly oneOf?: readonly string[];
  /** Fields that identify what a rule protects (sorting, conflicts). */
  readonly key: readonly string[];
}

const META: Record<string, FieldType> = { action: 'action', severity: 'severity', tags: 'tags', message: 'message' };
export const META_FIELDS = ['action', 'severity', 'tags', 'message'];

function list(section: SectionName, name: string, fields: Record<string, FieldType>, required: string[], key: string[], oneOf?: string[]): ListSpec {
  return { id: `${section}.${name}`, section, list: name, fields, required, key, oneOf };
}

const COMMON_LISTS: ListSpec[] = [
  list('file', 'matchPaths', { path: 'path', readOnly: 'bool', ownerOnly: 'bool', pts: 'bool', fromSource: 'fromSource', ...META }, ['path'], ['path']),
  list('file', 'matchDirectories', { dir: 'dir', recursive: 'bool', readOnly: 'bool', ownerOnly: 'bool', pts: 'bool', fromSource: 'fromSource', ...META }, ['dir'], ['dir']),
  list('file', 'matchPatterns', { pattern: 'pattern', readOnly: 'bool', ownerOnly: 'bool', ...META }, ['pattern'], ['pattern']),
  list('process', 'matchPaths', { path: 'path', execname: 'execname', allowedArgs: 'allowedArgs', ownerOnly: 'bool', pts: 'bool', fromSource: 'fromSource', ...META }, [], ['path', 'execname'], ['path', 'execname']),
  list('process', 'matchDirectories', { dir: 'dir', recursive: 'bool', ownerOnly: 'bool', pts: 'bool', fromSource: 'fromSource', ...META }, ['dir'], ['dir']),
  list('process', 'matchPatterns', { pattern: 'pattern', ownerOnly: 'bool', ...META }, ['pattern'], ['pattern']),
  list('network', 'matchDNSQueries', { domain: 'domain', fromSource: 'fromSource', ...META }, ['domain'], ['domain']),
  list('syscalls', 'matchSyscalls', { syscall: 'syscalls', fromSource: 'syscallFromSource' }, [], ['syscall']),
  list('syscalls', 'matchPaths', { path: 'pathOrDir', recursive: 'bool', syscall: 'syscalls', fromSource: 'syscallFromSource' }, [], ['path']),
];

const WORKLOAD_LISTS: ListSpec[] = [
  ...COMMON_LISTS,
  list('network', 'matchProtocols', { protocol: 'protocol', pts: 'bool', fromSource: 'fromSource', ...META }, ['protocol'], ['protocol']),
  list('capabilities', 'matchCapabilities', { capability: 'capability', fromSource: 'fromSource', ...META }, ['capability'], ['capability']),
];

const HOST_LISTS: ListSpec[] = [
  ...COMMON_LISTS,
  list('network', 'matchProtocols', { protocol: 'protocol', fromSource: 'fromSource', ...META }, ['protocol', 'fromSource'], ['protocol']),
  list('capabilities', 'matchCapabilities', { capability: 'capability', fromSource: 'fromSource', ...META }, ['capability', 'fromSource'], ['capability']),
  list('device', 'matchDevice', { class: 'deviceClass', subClass: 'int32', protocol: 'int32', level: 'level', ...META }, ['class'], ['class', 'subClass', 'protocol', 'level']),
];

export interface KindSpec {
  readonly kind: KindName;
  readonly lists: ReadonlyMap<string, ListSpec>;
  /** Section-level fields, per section (meta; syscalls has no action). */
  readonly sections: ReadonlyMap<SectionName, Readonly<Record<string, FieldType>>>;
  readonly presets: boolean;
  /** `selector` (KSP, CSP) or `nodeSelector` (HSP). */
  readonly selectorField: 'selector' | 'nodeSelector';
  readonly matchLabels: boolean;
  readonly expressionKeys: readonly string[];
}

function kindSpec(kind: KindName, lists: ListSpec[]): KindSpec {
  const sections = new Map<SectionName, Record<string, FieldType>>();
  for (const l of lists) {
    const fields: Record<string, FieldType> = { ...META };
    if (l.section === 'syscalls') delete fields.action;
    sections.set(l.section, fields);
  }
  return {
    kind,
    lists: new Map(lists.map((l) => [l.id, l])),
    sections,
    presets: kind !== 'KubeArmorHostPolicy',
    selectorField: kind === 'KubeArmorHostPolicy' ? 'nodeSelector' : 'selector',
    matchLabels: kind !== 'KubeArmorClusterPolicy',
    expressionKeys: kind === 'KubeArmorPolicy' ? ['label'] : kind === 'KubeArmorClusterPolicy' ? ['namespace', 'label'] : [],
  };
}

export const KIND_SPECS: ReadonlyMap<string, KindSpec> = new Map([
  ['KubeArmorPolicy', kindSpec('KubeArmorPolicy', WORKLOAD_LISTS)],
  ['KubeArmorClusterPolicy', kindSpec('KubeArmorClusterPolicy', WORKLOAD_LISTS)],
  ['KubeArmorHostPolicy', kindSpec('KubeArmorHostPolicy', HOST_LISTS)],
]);

export function kindSpecOf(kind: string): KindSpec {
  const spec = KIND_SPECS.get(kind);
  if (!spec) throw new Error(`unknown KubeArmor kind '${kind}'`);
  return spec;
}

/** The spec-level fields each kind declares, beyond sections. */
export function specFields(k: KindSpec): string[] {
  return [...META_FIELDS, 'apparmor', k.selectorField, ...(k.presets ? ['presets'] : []), ...k.sections.keys()];
}
