/**
 * CLI: validates every KubeArmor object in the given YAML files or directories against the real CRDs.
 * Usage: ts-node test/conformance/validate-files.ts <file-or-dir>...
 * Exits 1 when any object is non-conformant, when no KubeArmor object was found, or when the CRDs are missing.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { conformanceErrors, crdDirectory, isKubeArmorObject, loadedKinds } from './harness';

function files(args: string[]): string[] {
  return args.flatMap((a) => fs.statSync(a).isDirectory()
    ? fs.readdirSync(a).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => path.join(a, f))
    : [a]);
}

try {
  loadedKinds();
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
let checked = 0;
let failed = 0;
for (const file of files(process.argv.slice(2))) {
  for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    const obj = doc.toJSON();
    if (!isKubeArmorObject(obj)) continue;
    checked++;
    for (const e of conformanceErrors(obj)) {
      failed++;
      console.error(`${file}: ${e}`);
    }
  }
}
if (checked === 0) {
  console.error('no KubeArmor object found');
  process.exit(1);
}
console.log(`${checked} KubeArmor object(s) checked against ${crdDirectory()}: ${failed === 0 ? 'all conformant' : `${failed} problem(s)`}`);
process.exit(failed === 0 ? 0 : 1);
