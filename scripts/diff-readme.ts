/**
 * Regenerates the pull-request comment example in README.md (between the diff-example markers): the
 * example app's dist diffed against its staged rollout (every hardening in Audit), as `cdk8s-kubearmor
 * diff --format markdown` prints it. test/cli/diff.test.ts checks the README matches.
 * Usage: npx ts-node --project test/tsconfig.json scripts/diff-readme.ts
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { run } from '../src/cli/main';
import { variantManifests } from '../test/diff/example-variants';

process.env.CDK8S_KUBEARMOR_QUIET = '1';
const root = path.join(__dirname, '..');
process.chdir(root);
const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ka-diff-')), 'audit.yaml');
fs.writeFileSync(file, variantManifests({ audit: true }).map((m) => YAML.stringify(m)).join('---\n'));
let out = '';
void run(['diff', '--format', 'markdown', 'examples/wordpress-mysql/dist', file], { out: (t) => (out += t), err: (t) => process.stderr.write(t) }).then(() => {
  const readme = path.join(root, 'README.md');
  const text = fs.readFileSync(readme, 'utf8');
  const block = `<!-- diff-example:start -->\n\`\`\`\`markdown\n${out}\`\`\`\`\n<!-- diff-example:end -->`;
  const next = text.replace(/<!-- diff-example:start -->[\s\S]*?<!-- diff-example:end -->/, block);
  if (next === text && !text.includes(block)) throw new Error('README.md has no <!-- diff-example:start --> ... <!-- diff-example:end --> markers');
  fs.writeFileSync(readme, next);
  // eslint-disable-next-line no-console
  console.log('wrote the diff example in README.md');
});
