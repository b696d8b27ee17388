/**
 * Free text written into manifests (tags, messages, acknowledgement reasons) reads back identically with
 * the `yaml` package in YAML 1.1 and 1.2 mode and with PyYAML (the YAML 1.1 reader of Python tooling;
 * go-yaml v2, used by kubectl and Argo CD, follows the same 1.1 rules); what cannot is refused at the call.
 */
import { execFileSync } from 'child_process';
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { PolicyLint, PolicyTarget, SecurityPolicy } from '../../src';
import { yamlTextProblem } from '../../src/private/yaml-text';
import { expectConformant } from '../conformance/harness';

process.env.CDK8S_KUBEARMOR_QUIET = '1';

/** Texts a naive emitter gets wrong under YAML 1.1 or 1.2, which must survive as written. */
const TRICKY = ['yes', 'no', 'on', 'off', 'y', 'n', 'Yes', 'ON', 'true', 'False', '~', 'null', 'Null', '0755', '012', '0O17', '0b101', '0x1F', '1_000', '1e3', '.inf',
  '-.NaN', '2001-01-01', '1:20', '190:20:30', 'a: b', 'a #b', '#x', '*a', '&a', '!a', '%x', '@x', '`x', '|x', '>x', '[x', '{x', '? x', '- x', '-', '--- x', '...',
  ' lead', 'trail ', '\'q', '"q', 'a\\b', 'x\u00a0y', 'x\u200by', 'x\u{1F600}y', 'NIST_800-53_SI-4', 'MITRE: T1036', '=x', '<<x'];

/** Characters no reader agrees on (or that break a YAML 1.1 reader), and the values it resolves to tags. */
const UNSAFE = ['\n', '\r', '\t', '\u0000', '\u000b', '\u001b', '\u007f', '\u0080', '\u0085', '\u009f', '\u2028', '\u2029', '\ufeff', '\ufffe', '\uffff', '\ud800', '\udc00'];

function pyYaml(text: string): unknown[] {
  const program = 'import sys, json, yaml\nprint(json.dumps(list(yaml.safe_load_all(sys.stdin.read()))))';
  try {
    return JSON.parse(execFileSync('python3', ['-c', program], { input: text, encoding: 'utf8' }));
  } catch (e) {
    throw new Error(`PyYAML could not read the synthesised YAML (needs python3 with PyYAML: pip install pyyaml): ${(e as Error).message}`);
  }
}

describe('free text in manifests', () => {
  test('tags, messages and acknowledgement reasons read back identically under YAML 1.1, YAML 1.2 and PyYAML', () => {
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    TRICKY.forEach((t, i) => {
      const p = new SecurityPolicy(chart, `p${i}`, { target: PolicyTarget.namespace(), tags: [t], message: t });
      p.addFilePath('/etc/passwd', { tags: [t], message: t });
      PolicyLint.acknowledge(p, 'KA001', `${t} is acceptable here`);
    });
    const text = app.synthYaml();
    const expected = chart.toJson().filter((d) => d.kind === 'KubeArmorPolicy');
    const readers: Record<string, unknown[]> = {
      'yaml 1.1': YAML.parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS()),
      'yaml 1.2': YAML.parseAllDocuments(text, { version: '1.2' }).map((d) => d.toJS()),
      'PyYAML': pyYaml(text),
    };
    expect(expected).toHaveLength(TRICKY.length);
    expectConformant(expected);
    TRICKY.forEach((t, i) => {
      expect(expected[i].spec.tags).toEqual([t]);
      expect(expected[i].spec.message).toBe(t);
      expect(expected[i].spec.file.matchPaths[0]).toEqual(expect.objectContaining({ tags: [t], message: t }));
      expect(expected[i].metadata.annotations).toEqual({
        'lint.cdk8s-kubearmor.io/acknowledge.KA001': `${t} is acceptable here`.trim(),
        // PolicyTarget.namespace() acknowledges the whole-namespace selection itself.
        'lint.cdk8s-kubearmor.io/acknowledge.KA030': 'PolicyTarget.namespace(): every pod of the namespace is meant',
      });
    });
    for (const [reader, docs] of Object.entries(readers)) {
      const read = docs.filter((d: any) => d.kind === 'KubeArmorPolicy');
      expect(read).toHaveLength(expected.length);
      read.forEach((d, i) => expect({ reader, text: TRICKY[i], d }).toEqual({ reader, text: TRICKY[i], d: expected[i] }));
    }
  });

  test.each(UNSAFE.map((c) => [`U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`, c]))('%s is refused in tags, messages and reasons', (_name, c) => {
    const chart = new Chart(new App(), 'shop', { namespace: 'shop' });
    const text = `before${c}after`;
    const problem = yamlTextProblem(text)!.problem;
    expect(problem).toMatch(/^contains a (line break|tab|control character|lone surrogate|non-printable character) \(U\+[0-9A-F]{4}\) at index 6, which YAML 1\.1 readers/);
    const p = new SecurityPolicy(chart, 'p', { target: PolicyTarget.namespace() });
    const echoed = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(c) ? `before\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}after` : text;
    const fix = 'use printable text on one line (spaces instead of tabs and line breaks)';
    expect(() => p.addFilePath('/etc/passwd', { tags: [text] })).toThrow(new Error(`shop/p: file.matchPaths[].tags[0] '${echoed}' ${problem}; ${fix}`));
    expect(() => p.addFilePath('/etc/passwd', { message: text })).toThrow(new Error(`shop/p: file.matchPaths[].message '${echoed}' ${problem}; ${fix}`));
    expect(() => new SecurityPolicy(chart, 'q', { target: PolicyTarget.namespace(), message: text })).toThrow(new Error(`shop/q: message '${echoed}' ${problem}; ${fix}`));
    expect(() => PolicyLint.acknowledge(p, 'KA001', `long enough ${text}`)).toThrow(new Error(
      `shop/p: reason for acknowledging KA001 'long enough ${echoed}' ${yamlTextProblem(`long enough ${text}`)!.problem} `
      + `(it is written to the annotation lint.cdk8s-kubearmor.io/acknowledge.KA001); ${fix}`));
  });

  test('a 0o octal is refused (cdk8s writes it plain; YAML 1.2 reads a number)', () => {
    const p = new SecurityPolicy(new Chart(new App(), 'shop', { namespace: 'shop' }), 'p', { target: PolicyTarget.namespace() });
    expect(() => p.addTags(['0o17'])).toThrow(new Error('shop/p: tags[0] \'0o17\' is written unquoted by cdk8s (YAML 1.1) and read by YAML 1.2 readers as the octal number 15; '
      + 'say it in words (e.g. \'mode 0o17\', \'merge\') so that every reader sees text'));
  });

  test.each(['<<', '='])('the whole value %j is refused (YAML 1.1 resolves it to a key type)', (v) => {
    const p = new SecurityPolicy(new Chart(new App(), 'shop', { namespace: 'shop' }), 'p', { target: PolicyTarget.namespace() });
    expect(() => p.addTags([v])).toThrow(new Error(`shop/p: tags[0] '${v}' ${yamlTextProblem(v)!.problem}; say it in words (e.g. 'mode 0o17', 'merge') so that every reader sees text`));
    expect(yamlTextProblem(v)!.problem).toBe(`is read by YAML 1.1 readers as the ${v === '<<' ? 'merge' : 'value'} key, not as the text '${v}'`);
  });
});
