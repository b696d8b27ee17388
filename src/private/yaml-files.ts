/** The YAML files under a list of paths, for the commands and APIs that read manifests from disk. */
import * as fs from 'fs';
import * as path from 'path';

/**
 * Every .yaml/.yml file under the given paths (directories recursively; node_modules and dot-directories
 * skipped); throws on a path that cannot be read. For commands that stop at the first unreadable path;
 * lint uses {@link readSources}, which reports each and goes on.
 */
export function yamlFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const pending: Array<[string, boolean]> = paths.map((p) => [p, true] as [string, boolean]).reverse();
  while (pending.length > 0) {
    const [p, explicit] = pending.pop()!;
    if (fs.statSync(p).isDirectory()) {
      const entries = fs.readdirSync(p).sort();
      for (let j = entries.length - 1; j >= 0; j--) {
        if (entries[j] !== 'node_modules' && !entries[j].startsWith('.')) pending.push([path.join(p, entries[j]), false]);
      }
    } else if (explicit || /\.ya?ml$/i.test(p)) {
      out.push(p);
    }
  }
  return out;
}
