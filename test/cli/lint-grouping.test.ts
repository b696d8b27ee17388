/** The lint CLI reports one finding per policy (or pair) and rule, and a policy defined twice once. */
import { formatText } from '../../src/private/lint-format';
import { lintSources } from '../../src/private/lint-sources';

const dirs = (n: number) => Array.from({ length: n }, (_, i) => `      - dir: /opt/d${i}/\n        readOnly: true\n        recursive: true\n`).join('');
const policy = (name: string, body: string, action = 'Audit') => `apiVersion: security.kubearmor.com/v1
kind: KubeArmorPolicy
metadata:
  name: ${name}
  namespace: shop
spec:
  action: ${action}
  severity: 5
  selector:
    matchLabels:
      app: web
  file:
    matchDirectories:
${body}`;

describe('cdk8s-kubearmor lint: one finding per policy and rule', () => {
  test('19 Audit + readOnly directories of one policy are one KA006 line, with the count and the first places', () => {
    const report = lintSources([{ file: 'rollout.yaml', text: policy('rollout', dirs(19)) }]);
    const ka006 = report.findings.filter((f) => f.id === 'KA006');
    expect(ka006).toHaveLength(1);
    expect(ka006[0]).toMatchObject({ line: 14, pointer: '/spec/file/matchDirectories/0', count: 19 });
    expect(ka006[0].pointers).toEqual(Array.from({ length: 19 }, (_, i) => `/spec/file/matchDirectories/${i}`));
    expect(formatText(report, {}).split('\n').filter((l) => l.includes('KA006'))).toEqual([
      'rollout.yaml:14 (document 1): WARNING KA006 audit-readonly-no-read-alerts: spec.file.matchDirectories[0] file.matchDirectories /opt/d0/ '
      + '(action=Audit, readOnly=true, recursive=true) in KubeArmorPolicy/shop/rollout alerts on writes, creates and deletes only; reads never alert '
      + '(19 places in this policy; also spec.file.matchDirectories[1], spec.file.matchDirectories[2], spec.file.matchDirectories[3] and 15 more); '
      + 'Drop readOnly to alert on every access, or acknowledge: change detection is what you want.',
    ]);
  });

  test('two policies repeating the same rules are one KA015 for the pair, not one per path', () => {
    const report = lintSources([{ file: 'dup.yaml', text: `${policy('a', dirs(3), 'Block')}---\n${policy('b', dirs(3), 'Block')}` }]);
    expect(report.findings.filter((f) => f.id === 'KA015').map((f) => [f.resourceName, f.count])).toEqual([['b', 3]]);
  });

  test('a policy defined twice is one finding (KA014), not also KA-DUPLICATE', () => {
    const report = lintSources([{ file: 'twice.yaml', text: `${policy('same', dirs(1), 'Block')}---\n${policy('same', dirs(1), 'Block')}` }]);
    expect(report.findings.filter((f) => f.id === 'KA014' || f.id === 'KA-DUPLICATE').map((f) => [f.id, f.document, f.line])).toEqual([['KA014', 2, 21]]);
  });

  test('a duplicate the lints cannot see (it fails the schema) is still reported, as KA-DUPLICATE', () => {
    const broken = policy('same', '      - dir: /etc\n');
    const report = lintSources([{ file: 'twice.yaml', text: `${policy('same', dirs(1), 'Block')}---\n${broken}` }]);
    expect(report.findings.filter((f) => f.id === 'KA014' || f.id === 'KA-DUPLICATE').map((f) => [f.id, f.document])).toEqual([['KA-DUPLICATE', 2]]);
  });
});
