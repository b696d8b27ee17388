/**
 * Reads the YAML of one side of a diff: every document of every .yaml/.yml file under the paths, in
 * order. A KubeArmor policy with any problem (YAML, schema, duplicate object) stops the diff: comparing
 * a policy the cluster would refuse, or half of one, would report a change that cannot happen.
 */
import * as fs from 'fs';
import { formatProblemList } from '../../private/errors';
import { CheckedDocument, checkSource, duplicateObjectIssues, LocatedIssue, locatedProblem } from '../../private/policy-source';
import { yamlFiles } from '../../private/yaml-files';

export function readManifests(paths: readonly string[], side: string): any[] {
  if (paths.length === 0) throw new Error(`PolicyDiff: no ${side} files or directories given; give the synthesised YAML (e.g. dist/)`);
  let files: string[];
  try {
    files = yamlFiles(paths);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new Error(`PolicyDiff: cannot read ${side} '${err.path ?? paths.join(', ')}': ${err.code === 'ENOENT' ? 'no such file or directory' : err.message}; give existing files or directories`);
  }
  if (files.length === 0) throw new Error(`PolicyDiff: no .yaml or .yml files under ${side} ${paths.join(', ')}; give the synthesised YAML (e.g. dist/)`);
  const docs: CheckedDocument[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`PolicyDiff: cannot read ${side} file '${file}': ${(e as Error).message}; check the path and its permissions`);
    }
    for (const d of checkSource(text, file).documents) docs.push(d);
  }
  const issues: LocatedIssue[] = [];
  for (const d of docs) if (d.kubeArmor) for (const i of d.issues) issues.push(i);
  for (const i of duplicateObjectIssues(docs)) issues.push(i);
  if (issues.length > 0) throw new Error(formatProblemList(`PolicyDiff: ${issues.length} problem${issues.length === 1 ? '' : 's'} in the ${side} policies (nothing was compared; cdk8s-kubearmor lint checks them)`, issues.map(locatedProblem)));
  return docs.filter((d) => !d.doc.refused && d.value !== null && typeof d.value === 'object').map((d) => d.value);
}
