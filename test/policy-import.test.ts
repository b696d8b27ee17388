import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { PolicyImport, SecurityPolicy } from '../src';
import { conformanceErrors, crdDirectory, KUBEARMOR_KINDS } from './conformance/harness';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

const CORPUS = path.join(__dirname, 'fixtures', 'corpus');
const corpusFiles = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.yaml')).sort();

function corpusDocuments(): Array<{ file: string; obj: any }> {
  return corpusFiles.flatMap((file) => YAML.parseAllDocuments(fs.readFileSync(path.join(CORPUS, file), 'utf8'))
    .map((d) => ({ file, obj: d.toJS() })).filter((d) => d.obj !== null));
}

function newChart(namespace?: string): Chart {
  return new Chart(new App(), 'imported', { namespace });
}

/** Imports YAML and returns the error message (or fails when nothing is thrown). */
function importError(yaml: string, sourceName = 'policies.yaml'): string {
  try {
    PolicyImport.fromYaml(newChart(), yaml, { sourceName });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the import to fail');
}

const HEADER = `apiVersion: security.kubearmor.com/v1
kind: KubeArmorPolicy
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  severity: 5
`;

describe('round trip over the corpus', () => {
  test('the corpus has policies of every kind', () => {
    const kinds = new Set(corpusDocuments().map((d) => d.obj.kind));
    expect([...kinds].sort()).toEqual([...KUBEARMOR_KINDS].sort());
  });

  test.each(corpusFiles)('%s: import then synth gives back every document (rule order kept)', (file) => {
    const chart = newChart();
    const result = PolicyImport.fromFile(chart, path.join(CORPUS, file));
    const input = corpusDocuments().filter((d) => d.file === file).map((d) => d.obj);
    expect(result.skipped).toEqual([]);
    expect(result.policies).toHaveLength(input.length);
    expect(Testing.synth(chart)).toEqual(input);
  });

  test.each(corpusFiles)('%s: the same holds in a chart with a namespace (cluster-scoped kinds get none)', (file) => {
    const chart = newChart('elsewhere');
    PolicyImport.fromFile(chart, path.join(CORPUS, file));
    expect(Testing.synth(chart)).toEqual(corpusDocuments().filter((d) => d.file === file).map((d) => d.obj));
  });

  describe('against the CRDs', () => {
    test('every corpus document passes the conformance harness', () => {
      for (const { file, obj } of corpusDocuments()) expect([file, conformanceErrors(obj)]).toEqual([file, []]);
    });

    test.each([...KUBEARMOR_KINDS])('every leaf field of the %s CRD appears in the corpus', (kind) => {
      const crd = YAML.parse(fs.readFileSync(path.join(crdDirectory(), `${kind}.yaml`), 'utf8'));
      const schema = (crd.spec.versions.find((v: any) => v.storage) ?? crd.spec.versions[0]).schema.openAPIV3Schema.properties.spec;
      const declared = leaves(schema, 'spec', new Set());
      const present = new Set<string>();
      for (const d of corpusDocuments().filter((x) => x.obj.kind === kind)) objectLeaves(d.obj.spec, schema, 'spec', present);
      expect([...declared].filter((f) => !present.has(f)).sort()).toEqual([]);
      expect(declared.size).toBeGreaterThan(100);
    });
  });
});

function leaves(schema: any, at: string, out: Set<string>): Set<string> {
  if (schema.type === 'object' && schema.properties) for (const [k, v] of Object.entries(schema.properties)) leaves(v, `${at}.${k}`, out);
  else if (schema.type === 'array' && schema.items?.type === 'object' && schema.items.properties) leaves(schema.items, `${at}[]`, out);
  else out.add(at);
  return out;
}

function objectLeaves(value: any, schema: any, at: string, out: Set<string>): void {
  if (schema.type === 'object' && schema.properties) {
    for (const [k, v] of Object.entries(value)) if (schema.properties[k]) objectLeaves(v, schema.properties[k], `${at}.${k}`, out);
  } else if (schema.type === 'array' && schema.items?.type === 'object' && schema.items.properties) {
    for (const item of value) objectLeaves(item, schema.items, `${at}[]`, out);
  } else {
    out.add(at);
  }
}

describe('rejections name the file, document, line, JSON path and fix', () => {
  test('fails when a field is not declared by the CRD (typo)', () => {
    expect(importError(`${HEADER}  file:\n    matchPathss:\n    - path: /etc/passwd\n`)).toBe(
      'imported: cannot import policies.yaml: 1 problem (nothing was imported):\n'
      + '  policies.yaml:12 (document 1): ERROR KA-SCHEMA: spec.file.matchPathss \'matchPathss\' is not declared by the CRD (the apiserver would silently prune it); did you mean \'matchPaths\'?');
  });

  test('fails when the selector is indented under a section', () => {
    const yaml = 'apiVersion: security.kubearmor.com/v1\nkind: KubeArmorPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  severity: 5\n'
      + '  file:\n    matchDirectories:\n    - dir: /etc/\n      recursive: true\n    selector:\n      matchLabels:\n        app: web\n';
    expect(importError(yaml)).toContain(
      'policies.yaml:12 (document 1): ERROR KA-SCHEMA: spec.file.selector \'selector\' is not declared by the CRD (the apiserver would silently prune it); \'selector\' belongs directly under spec (check its indentation)');
  });

  test('fails when an action is lowercase', () => {
    expect(importError(`${HEADER}  action: block\n  file:\n    matchPaths:\n    - path: /etc/passwd\n`)).toContain(
      'policies.yaml:11 (document 1): ERROR KA-SCHEMA: spec.action \'block\' is not a KubeArmor action; use \'Block\' (the CRD is case-sensitive)');
  });

  test('fails when a dir has no trailing slash', () => {
    expect(importError(`${HEADER}  file:\n    matchDirectories:\n    - dir: /etc/\n    - dir: /usr/\n    - dir: /var/\n    - dir: /etc\n`)).toContain(
      'policies.yaml:16 (document 1): ERROR KA-SCHEMA: spec.file.matchDirectories[3].dir \'/etc\' must end in \'/\' (a directory); use \'/etc/\', or a file rule (matchPaths) for a single file');
  });

  test('fails when a severity is out of range', () => {
    expect(importError(`${HEADER.replace('severity: 5', 'severity: 11')}  file:\n    matchPaths:\n    - path: /etc/passwd\n`)).toContain(
      'policies.yaml:10 (document 1): ERROR KA-SCHEMA: spec.severity 11 must be an integer from 1 to 10; use 10 (the most severe)');
  });

  test('fails when a mapping key is repeated', () => {
    expect(importError(`${HEADER}  file:\n    matchPaths:\n    - path: /etc/passwd\n      readOnly: true\n      readOnly: false\n`)).toContain(
      'policies.yaml:15 (document 1): ERROR KA-YAML: spec.file.matchPaths[0].readOnly key \'readOnly\' is repeated (first at line 14); kubectl silently keeps only the last value; keep one of them');
  });

  test('fails when a document is indented with tabs', () => {
    expect(importError(`${HEADER}  file:\n    matchPaths:\n\t- path: /etc/passwd\n`)).toBe(
      'imported: cannot import policies.yaml: 1 problem (nothing was imported):\n'
      + '  policies.yaml:13 (document 1): ERROR KA-YAML: Tabs are not allowed as indentation; indent with spaces; YAML forbids tabs in indentation');
  });

  test('fails when a rule set is empty', () => {
    expect(importError(`${HEADER}  file:\n    matchPaths: []\n`)).toContain(
      'policies.yaml:12 (document 1): ERROR KA-SCHEMA: spec.file.matchPaths [] is an empty rule set; add at least one rule, or remove matchPaths');
    expect(importError(`${HEADER}  file:\n`)).toContain(
      'policies.yaml:11 (document 1): ERROR KA-SCHEMA: spec.file null is empty (null); the apiserver drops null fields silently; give it a value or remove the key');
    expect(importError(HEADER)).toContain('policies.yaml:6 (document 1): ERROR KA-SCHEMA: spec {"selector":{"matchLabels":{"app":"web"}},"severity":5} has no rules (the policy would do nothing)');
  });

  test('fails when two documents define the same policy', () => {
    const doc = (p: string) => `${HEADER}  file:\n    matchPaths:\n    - path: ${p}\n`;
    expect(importError(`${doc('/etc/passwd')}---\n${doc('/etc/hosts')}`)).toContain(
      'policies.yaml:18 (document 2): ERROR KA-DUPLICATE: metadata.name KubeArmorPolicy shop/web is also defined at policies.yaml:4 (document 1); the one applied last silently replaces the other; rename one of them, or merge their rules into one policy');
  });

  test('fails with every problem of every document, and imports nothing', () => {
    const chart = newChart();
    const yaml = `${HEADER}  file:\n    matchPaths:\n    - path: /etc/passwd\n---\n${HEADER.replace('name: web', 'name: api')}  action: audit\n  process:\n    matchPaths:\n    - path: /bin/\n`;
    expect(() => PolicyImport.fromYaml(chart, yaml, { sourceName: 'two.yaml' })).toThrow(
      'imported: cannot import two.yaml: 2 problems (nothing was imported):\n'
      + '  two.yaml:25 (document 2): ERROR KA-SCHEMA: spec.action \'audit\' is not a KubeArmor action; use \'Audit\' (the CRD is case-sensitive)\n'
      + '  two.yaml:28 (document 2): ERROR KA-SCHEMA: spec.process.matchPaths[0].path \'/bin/\' must not end in \'/\' (a file path); use a directory rule (matchDirectories) with dir \'/bin/\', or the file path \'/bin\'');
    expect(chart.node.children).toHaveLength(0);
  });

  test('fails when metadata is wrong for the kind', () => {
    const yaml = 'apiVersion: security.kubearmor.com/v1\nkind: KubeArmorHostPolicy\nmetadata:\n  name: Node_FIM\n  namespace: shop\n  uid: 1234\n'
      + 'spec:\n  nodeSelector:\n    matchLabels: {}\n  file:\n    matchDirectories:\n    - dir: /etc/\n';
    const msg = importError(yaml);
    expect(msg).toContain('policies.yaml:6 (document 1): ERROR KA-SCHEMA: metadata.uid \'uid\' is not declared by the CRD (the apiserver would silently prune it); written by the apiserver (an exported object); remove it');
    expect(msg).toContain('policies.yaml:4 (document 1): ERROR KA-SCHEMA: metadata.name \'Node_FIM\' is not a DNS-1123 name');
    expect(msg).toContain('policies.yaml:5 (document 1): ERROR KA-SCHEMA: metadata.namespace \'shop\' must not be set: KubeArmorHostPolicy is cluster-scoped (kubectl ignores the namespace silently); remove metadata.namespace');
    expect(msg).toContain('policies.yaml:9 (document 1): ERROR KA-SCHEMA: spec.nodeSelector.matchLabels {} is empty: a host policy with no node labels matches no node; add a node label, e.g. kubernetes.io/os: linux');
  });

  test('reports non-KubeArmor documents instead of dropping them silently', () => {
    const yaml = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n---\n${HEADER}  file:\n    matchPaths:\n    - path: /etc/passwd\n---\n# only a comment\n`;
    const result = PolicyImport.fromYaml(newChart(), yaml, { sourceName: 'mixed.yaml' });
    expect(result.policies.map((p) => [p.node.id, p.policyName, p.kind])).toEqual([['KubeArmorPolicy.shop.web', 'web', 'KubeArmorPolicy']]);
    expect(result.skipped).toEqual([{ source: 'mixed.yaml', documentIndex: 1, line: 1, apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }]);
  });
});

describe('SecurityPolicy.fromManifest', () => {
  const manifest = YAML.parse(`${HEADER}  file:\n    matchPaths:\n    - path: /etc/shadow\n    - path: /etc/passwd\n`);

  test('keeps rule order and exposes the rules through the typed getters', () => {
    const chart = newChart();
    const policy = SecurityPolicy.fromManifest(chart, 'web', manifest);
    expect(policy.filePaths.map((r) => r.path)).toEqual(['/etc/shadow', '/etc/passwd']);
    expect(policy.severity).toBe(5);
    expect(Testing.synth(chart)).toEqual([manifest]);
  });

  test('fails with every problem and its JSON pointer', () => {
    const bad = { ...manifest, spec: { ...manifest.spec, severity: 0, file: { matchPaths: [{ path: 'etc/shadow', readonly: true }] } } };
    expect(() => SecurityPolicy.fromManifest(newChart(), 'web', bad)).toThrow(
      'imported/web: cannot import the manifest (nothing was imported):\n'
      + '  imported/web: spec.severity 0 must be an integer from 1 to 10; use 1 (least) to 10 (most severe)\n'
      + '  imported/web: spec.file.matchPaths[0].path \'etc/shadow\' must be absolute; use \'/etc/shadow\'\n'
      + '  imported/web: spec.file.matchPaths[0].readonly \'readonly\' is not declared by the CRD (the apiserver would silently prune it); did you mean \'readOnly\'?');
  });

  test('honours acknowledgement annotations at synth', () => {
    const mixed = YAML.parse(`${HEADER.replace('  severity: 5\n', '')}    matchExpressions:\n    - { key: label, operator: In, values: [tier=web] }\n    - { key: label, operator: NotIn, values: [tier=legacy] }\n  file:\n    matchPaths:\n    - path: /etc/shadow\n  severity: 5\n`);
    const failing = newChart();
    SecurityPolicy.fromManifest(failing, 'p', mixed);
    expect(() => Testing.synth(failing)).toThrow(/KA008/);
    const acked = { ...mixed, metadata: { ...mixed.metadata, annotations: { 'lint.cdk8s-kubearmor.io/acknowledge.KA008': 'migrated as is; fixed in SEC-1' } } };
    const chart = newChart();
    SecurityPolicy.fromManifest(chart, 'p', acked);
    expect(Testing.synth(chart)).toEqual([acked]);
  });
});
