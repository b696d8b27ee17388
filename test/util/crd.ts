/** Reads the vendored CRD schemas (the harness's `crdDirectory()`). */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { crdDirectory } from '../conformance/harness';

/** `spec` of the stored version's openAPIV3Schema of one kind. */
export function specSchema(kind: string): any {
  const crd = YAML.parse(fs.readFileSync(path.join(crdDirectory(), `${kind}.yaml`), 'utf8'));
  const version = crd.spec.versions.find((v: any) => v.storage) ?? crd.spec.versions[0];
  return version.schema.openAPIV3Schema.properties.spec;
}

/** The alternatives of a `(a|b|c)$` pattern. */
export function alternatives(pattern: string): string[] {
  const m = /^\((.*)\)\$$/.exec(pattern);
  if (!m) throw new Error(`unexpected pattern ${pattern}`);
  return m[1].split('|');
}
