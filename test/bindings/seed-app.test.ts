import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { buildSeedApp } from './seed-app';
import { expectConformant, kubeArmorObjects } from '../conformance/harness';
import { seedPolicy } from '../fixtures/seed';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

const ROOT = path.resolve(__dirname, '..', '..');

describe('the seed app the language bindings build (test/bindings/seed-app.ts)', () => {
  const yaml = buildSeedApp().synthYaml();
  const manifests = YAML.parseAllDocuments(yaml).map((d) => d.toJSON());

  test('holds the mysql Deployment and the seed FIM policy, and nothing else', () => {
    expect(manifests.map((m) => `${m.kind}/${m.metadata.namespace}/${m.metadata.name}`)).toEqual([
      'Deployment/wordpress-mysql/mysql',
      'KubeArmorPolicy/wordpress-mysql/harden-mysql-file-integrity-monitoring',
    ]);
  });

  test('its policy is the seed policy field for field (rules sorted by the library)', () => {
    const [policy] = kubeArmorObjects(manifests);
    const seed = seedPolicy();
    seed.spec.file.matchDirectories.sort((a: any, b: any) => a.dir.localeCompare(b.dir));
    expect(policy).toEqual(seed);
  });

  test('every KubeArmor object passes the conformance harness', () => {
    expectConformant(manifests);
  });

  test('synthesises byte-identical YAML on every build (what the bindings are compared against)', () => {
    expect(buildSeedApp().synthYaml()).toBe(yaml);
  });
});

describe('README multi-language section', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

  test('shows the Python program CI runs, verbatim', () => {
    const program = fs.readFileSync(path.join(ROOT, 'test/bindings/python/seed_app.py'), 'utf8');
    const body = program.slice(program.indexOf('import cdk8s_plus_27'));
    expect(readme).toContain('```python\n' + body + '```\n');
  });
});
