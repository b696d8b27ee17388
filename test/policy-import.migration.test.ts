import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { PolicyImport, PolicyLint } from '../src';
import { conformanceErrors } from './conformance/harness';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

/** CRD-valid policies the library judges stricter than the CRD (the migration corpus). */
const CORPUS = path.join(__dirname, 'fixtures', 'migration');
const files = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.yaml')).sort();
const ACK = 'lint.cdk8s-kubearmor.io/acknowledge.';
const STRICTER = ['KA041', 'KA042', 'KA043', 'KA044', 'KA045'];

function documents(file: string): any[] {
  return YAML.parseAllDocuments(fs.readFileSync(path.join(CORPUS, file), 'utf8')).map((d) => d.toJS()).filter((d) => d !== null);
}

/** The lint IDs a corpus document declares (its acknowledgement annotations). */
function declared(doc: any): string[] {
  return Object.keys(doc.metadata.annotations ?? {}).filter((k) => k.startsWith(ACK)).map((k) => k.slice(ACK.length)).sort();
}

describe('import is a migration path: every CRD-valid policy imports losslessly', () => {
  test('the corpus covers every stricter-than-CRD lint and every kind, and the CRDs accept every document', () => {
    const docs = files.flatMap(documents);
    expect([...new Set(docs.flatMap(declared))].sort()).toEqual(STRICTER);
    expect([...new Set(docs.map((d) => d.kind))].sort()).toEqual(['KubeArmorClusterPolicy', 'KubeArmorHostPolicy', 'KubeArmorPolicy']);
    expect(docs.some((d) => d.kind === 'KubeArmorPolicy' && d.metadata.namespace === undefined)).toBe(true);
    for (const d of docs) expect([d.metadata.name, conformanceErrors(d)]).toEqual([d.metadata.name, []]);
  });

  test.each(files)('%s: import then synth gives back every document (repeats, globs and spellings kept)', (file) => {
    const chart = new Chart(new App(), 'imported');
    const { policies } = PolicyImport.fromFile(chart, path.join(CORPUS, file));
    expect(policies.map((p) => p.apiObject.toJson())).toEqual(documents(file));
    expect(Testing.synth(chart)).toEqual(documents(file));
  });

  test.each(files)('%s: each stricter judgement is a lint finding with its ID, acknowledged by the document', (file) => {
    const chart = new Chart(new App(), 'imported');
    const { policies } = PolicyImport.fromFile(chart, path.join(CORPUS, file));
    const docs = documents(file);
    let located = 0;
    policies.forEach((p, i) => {
      const findings = PolicyLint.findings(p).filter((f) => STRICTER.includes(f.ruleId));
      expect([p.policyName, [...new Set(findings.map((f) => f.ruleId))].sort()]).toEqual([p.policyName, declared(docs[i])]);
      for (const f of findings) {
        expect(f.acknowledgement).toBeDefined();
        // Findings about a rule name its line in the file; spec-level ones (spec.tags) are located by jsonPath.
        if (f.origin === undefined) continue;
        expect(f.origin).toMatch(new RegExp(`${file.replace('.', '\\.')}:\\d+ \\(document ${i + 1}\\)$`));
        located++;
      }
    });
    expect(located).toBeGreaterThan(0);
  });

  test('without its acknowledgement, an error-severity judgement fails synth naming the policy, the rule and the fix', () => {
    const [doc] = documents('stricter-than-crd.yaml');
    delete doc.metadata.annotations;
    const chart = new Chart(new App(), 'imported');
    PolicyImport.fromYaml(chart, YAML.stringify(doc), { sourceName: 'legacy.yaml' });
    expect(() => chart.toJson()).toThrow('[imported/KubeArmorPolicy.shop.ksp-glob-in-path] ERROR KA041 glob-in-literal-path: file.matchPaths /etc/nginx/*.conf (action=Block, readOnly=true) '
      + 'in KubeArmorPolicy/shop/ksp-glob-in-path: path "/etc/nginx/*.conf" contains glob characters (BPF-LSM matches them literally, AppArmor expands them: the enforcers disagree)');
  });

  test('what the apiserver rejects stays an import error with file, document, line, JSON path and fix (a name that is not DNS-1123)', () => {
    const [doc] = documents('stricter-than-crd.yaml');
    doc.metadata.name = 'Glob_In_Path';
    expect(() => PolicyImport.fromYaml(new Chart(new App(), 'imported'), YAML.stringify(doc), { sourceName: 'legacy.yaml' }))
      .toThrow("legacy.yaml:4 (document 1): ERROR KA-SCHEMA: metadata.name 'Glob_In_Path' is not a DNS-1123 name");
  });
});
