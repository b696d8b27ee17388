/**
 * Schema-conformance harness: validates synthesised KubeArmor objects against the real CRDs'
 * openAPIV3Schema (ajv: patterns, enums, min/max, maxLength, maxItems, required) and fails on
 * fields the schema does not declare (the apiserver would silently prune them).
 *
 * CRDs are read from the repository's vendored copy in `crds/` (provenance: crds/README.md). A missing
 * CRD is a failure of every check, never a skip.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import * as YAML from 'yaml';

export const KUBEARMOR_API_VERSION = 'security.kubearmor.com/v1';
export const KUBEARMOR_KINDS = ['KubeArmorPolicy', 'KubeArmorClusterPolicy', 'KubeArmorHostPolicy'];

interface LoadedCrd {
  readonly kind: string;
  readonly namespaced: boolean;
  readonly validate: ValidateFunction;
}

/** The directory the CRDs are read from: the vendored copy in the repository. */
export function crdDirectory(): string {
  return path.resolve(__dirname, '..', '..', 'crds');
}

let cache: Map<string, LoadedCrd> | undefined;

/** Deep-copies a schema, closing every object that declares `properties` (pruning = rejection here). */
function closeSchema(node: any): any {
  if (Array.isArray(node)) return node.map(closeSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: any = {};
  for (const [k, v] of Object.entries(node)) out[k] = closeSchema(v);
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined
    && !out['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

function load(): Map<string, LoadedCrd> {
  if (cache !== undefined) return cache;
  const dir = crdDirectory();
  const files = KUBEARMOR_KINDS.map((k) => path.join(dir, `${k}.yaml`));
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length > 0) {
    throw new Error(`KubeArmor CRDs not found: ${missing.join(', ')}; schema conformance cannot run. `
      + 'Restore them with `git checkout -- crds` (or `npx projen crds:refresh -- <KubeArmor checkout>`).');
  }
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  cache = new Map();
  for (const file of files) {
    const crd = YAML.parse(fs.readFileSync(file, 'utf8'));
    const version = crd.spec.versions.find((v: any) => v.storage) ?? crd.spec.versions[0];
    const schema = closeSchema(version.schema.openAPIV3Schema);
    // metadata and status are validated by the apiserver itself, not by the CRD schema.
    delete schema.properties.metadata;
    schema.properties.metadata = { type: 'object' };
    cache.set(crd.spec.names.kind, {
      kind: crd.spec.names.kind,
      namespaced: crd.spec.scope === 'Namespaced',
      validate: ajv.compile(schema),
    });
  }
  return cache;
}

/** The loaded CRDs' kinds; throws when any vendored CRD is missing. */
export function loadedKinds(): string[] {
  return [...load().keys()].sort();
}

export function isKubeArmorObject(obj: any): boolean {
  return obj !== null && typeof obj === 'object' && typeof obj.apiVersion === 'string'
    && obj.apiVersion.startsWith('security.kubearmor.com/');
}

function describeError(e: ErrorObject): string {
  const at = e.instancePath || '/';
  switch (e.keyword) {
    case 'additionalProperties':
      return `${at === '/' ? '' : at}/${(e.params as any).additionalProperty} is not declared by the CRD (the apiserver would silently prune it)`;
    case 'required':
      return `${at === '/' ? '' : at}/${(e.params as any).missingProperty} is required`;
    case 'pattern':
      return `${at} must match pattern ${JSON.stringify((e.params as any).pattern)}`;
    case 'enum':
      return `${at} must be one of ${JSON.stringify((e.params as any).allowedValues)}`;
    default:
      return `${at} ${e.message}`;
  }
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Validates one object. Returns the list of problems (empty when conformant), each naming the JSON path.
 * Non-KubeArmor objects return an empty list.
 */
export function conformanceErrors(obj: any): string[] {
  if (!isKubeArmorObject(obj)) return [];
  const crds = load();
  const errors: string[] = [];
  if (obj.apiVersion !== KUBEARMOR_API_VERSION) errors.push(`/apiVersion must be ${KUBEARMOR_API_VERSION}, got ${JSON.stringify(obj.apiVersion)}`);
  const crd = crds.get(obj.kind);
  if (!crd) return [...errors, `/kind ${JSON.stringify(obj.kind)} is not one of ${KUBEARMOR_KINDS.join(', ')}`];
  const md = obj.metadata ?? {};
  if (typeof md.name !== 'string' || md.name.length === 0) errors.push('/metadata/name is required');
  else if (md.name.length > 253 || !DNS1123_SUBDOMAIN.test(md.name)) errors.push(`/metadata/name ${JSON.stringify(md.name)} is not a DNS-1123 subdomain`);
  if (crd.namespaced && md.namespace !== undefined && !DNS1123_SUBDOMAIN.test(md.namespace)) {
    errors.push(`/metadata/namespace ${JSON.stringify(md.namespace)} is not a valid namespace name`);
  }
  if (!crd.namespaced && md.namespace !== undefined) {
    errors.push(`/metadata/namespace must not be set: ${crd.kind} is cluster-scoped`);
  }
  if (!crd.validate(obj)) {
    for (const e of crd.validate.errors ?? []) errors.push(describeError(e));
  }
  return errors.map((e) => `${obj.kind}/${md.name ?? '<unnamed>'}: ${e}`);
}

/** Throws one error listing every problem of every KubeArmor object in `objs` (others are ignored). */
export function expectConformant(objs: any[] | any): void {
  const list = Array.isArray(objs) ? objs : [objs];
  const errors = list.flatMap(conformanceErrors);
  if (errors.length > 0) throw new Error(`KubeArmor schema conformance failed:\n  ${errors.join('\n  ')}`);
}

/** The KubeArmor objects among synthesised manifests. */
export function kubeArmorObjects(manifests: any[]): any[] {
  return manifests.filter(isKubeArmorObject);
}
