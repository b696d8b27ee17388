import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** The vendored CRDs are KubeArmor's files byte for byte (crds/README.md records the same ids). */
const CRDS = path.resolve(__dirname, '..', 'crds');
const BLOBS: Record<string, string> = {
  'KubeArmorPolicy.yaml': '4a076d26ee23841574e24f46a2de47b7dad643f7',
  'KubeArmorClusterPolicy.yaml': 'a851224a70267673db40ad57ca0052ef4b2ed0b8',
  'KubeArmorHostPolicy.yaml': 'da6556981dd3e0769681179e3692888bf7fbc4c8',
};

/** The git blob id of a file's bytes. */
function gitBlobId(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

describe('vendored CRDs', () => {
  test.each(Object.entries(BLOBS))('%s is KubeArmor 510cee3 deployments/CRD byte for byte', (file, blob) => {
    expect(gitBlobId(fs.readFileSync(path.join(CRDS, file)))).toBe(blob);
  });

  test('crds/README.md records the same commit and blob ids', () => {
    const readme = fs.readFileSync(path.join(CRDS, 'README.md'), 'utf8');
    expect(readme).toContain('510cee310a164dd1bf34705984ecefc423d0de4f');
    for (const [file, blob] of Object.entries(BLOBS)) expect(readme).toContain(`| \`${file}\` | \`deployments/CRD/${file}\` | \`${blob}\` |`);
  });

  test('the Apache-2.0 licence and the notice travel with them', () => {
    expect(fs.readFileSync(path.join(CRDS, 'LICENSE'), 'utf8')).toContain('Apache License\n                           Version 2.0, January 2004');
    expect(fs.readFileSync(path.join(CRDS, 'NOTICE'), 'utf8')).toContain('510cee310a164dd1bf34705984ecefc423d0de4f');
  });
});

describe('self-contained repository', () => {
  const root = path.resolve(__dirname, '..');
  const sibling = ['..', 'shared'].join('/'); // spelt in two parts so this file does not match itself
  function files(dir: string): string[] {
    return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : files(rel);
      return /\.(ts|js|sh|md|json|yaml)$/.test(e.name) ? [rel] : [];
    });
  }

  test('no file of src, test, scripts, docs, examples, bench, .projenrc.ts or README.md refers to the sibling shared folder', () => {
    const all = [...['src', 'test', 'scripts', 'docs', 'examples', 'bench'].flatMap(files), '.projenrc.ts', 'README.md'];
    expect(all.length).toBeGreaterThan(50);
    expect(all.filter((f) => fs.readFileSync(path.join(root, f), 'utf8').includes(sibling))).toEqual([]);
  });
});
