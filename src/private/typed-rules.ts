/**
 * The typed rule options of SecurityPolicy and the raw KubeArmor rules the model stores, converted both
 * ways by the CRD table (schema.ts): each field's type says how its value is written and read back, so a
 * new CRD field needs its schema row and its typed option, not new adder or getter code.
 */
import { DeviceClass } from '../device-class';
import { Syscall } from '../syscall';
import { unique } from './canonical';
import { FieldType, ListSpec } from './schema';

/**
 * Each rule list's typed prop of SecurityPolicyProps (and of the import codegen), in props order. The
 * lists themselves, their fields and types are the CRD table's.
 */
const LIST_PROPS: Readonly<Record<string, string>> = {
  'file.matchPaths': 'filePaths',
  'file.matchDirectories': 'fileDirectories',
  'file.matchPatterns': 'filePatterns',
  'process.matchPaths': 'processPaths',
  'process.matchDirectories': 'processDirectories',
  'process.matchPatterns': 'processPatterns',
  'network.matchProtocols': 'networkProtocols',
  'network.matchDNSQueries': 'dnsQueries',
  'capabilities.matchCapabilities': 'capabilities',
  'syscalls.matchSyscalls': 'syscalls',
  'syscalls.matchPaths': 'syscallPaths',
  'device.matchDevice': 'devices',
};
export const TYPED_LISTS: ReadonlyArray<{ readonly listId: string; readonly prop: string }> = Object.entries(LIST_PROPS)
  .map(([listId, prop]) => ({ listId, prop }));

/** The typed option name of a CRD rule field (`syscall` → `syscalls`, `class` → `deviceClass`; others are the same). */
export function typedName(field: string): string {
  return TYPED_NAME[field] ?? field;
}

/** Typed option names that differ from the CRD field name. */
const TYPED_NAME: Readonly<Record<string, string>> = { syscall: 'syscalls', class: 'deviceClass' };
const CRD_NAME: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(TYPED_NAME).map(([crd, typed]) => [typed, crd]));

interface Conversion {
  readonly toRaw: (v: any) => unknown;
  readonly toTyped: (v: any) => unknown;
}

const identity = (v: unknown) => v;

/** Per field type; types not listed are copied as they are. */
const CONVERSIONS: Partial<Record<FieldType, Conversion>> = {
  // Source binaries are de-duplicated and sorted (deterministic output), and read back as paths.
  fromSource: {
    toRaw: (v: string[]) => (Array.isArray(v) ? unique(v).sort().map((path) => ({ path })) : v),
    toTyped: (v: unknown) => (Array.isArray(v) ? v.map((s: any) => s.path) : v),
  },
  syscallFromSource: {
    toRaw: (v: unknown) => (Array.isArray(v) ? v.map((s: any) => ({ path: s?.path, dir: s?.dir, recursive: s?.recursive })) : v),
    toTyped: identity,
  },
  syscalls: {
    toRaw: (v: unknown) => (Array.isArray(v) ? unique(v.map((s: any) => (s instanceof Syscall ? s.name : s))).sort() : v),
    toTyped: (v: unknown) => (Array.isArray(v) ? v.map((s: string) => Syscall.of(s)) : v),
  },
  deviceClass: { toRaw: (v: unknown) => (v instanceof DeviceClass ? v.name : v), toTyped: (v: string) => DeviceClass.custom(v) },
  tags: { toRaw: (v: unknown) => (Array.isArray(v) ? unique(v) : v), toTyped: identity },
  allowedArgs: { toRaw: (v: unknown) => (Array.isArray(v) ? [...v] : v), toTyped: identity },
};

/**
 * The raw rule of `list` for typed options: fields in the table's order, unset ones omitted. Keys the
 * list does not declare are kept (after the declared ones) so that the validator refuses them.
 */
export function rawRule(list: ListSpec, typed: object): Record<string, unknown> {
  const t = typed as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [field, type] of Object.entries(list.fields)) {
    const v = t[TYPED_NAME[field] ?? field];
    if (v !== undefined) out[field] = (CONVERSIONS[type]?.toRaw ?? identity)(v);
  }
  for (const [k, v] of Object.entries(t)) {
    const field = CRD_NAME[k] ?? k;
    if (v !== undefined && !(field in list.fields)) out[field] = v;
  }
  return out;
}

/** The typed form of a stored raw rule (what the getters return). */
export function typedRule(list: ListSpec, raw: Record<string, unknown>): any {
  const out: Record<string, unknown> = {};
  for (const [field, v] of Object.entries(raw)) {
    const type = list.fields[field];
    out[TYPED_NAME[field] ?? field] = type ? (CONVERSIONS[type]?.toTyped ?? identity)(v) : v;
  }
  return out;
}
