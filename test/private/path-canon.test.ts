import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { FileIntegrityPolicy, PolicyImport, PolicyLint } from '../../src';
import { run } from '../../src/cli/main';
import { canonicalProblem, canonicalSpelling } from '../../src/private/path-canon';
import { PolicyTarget, SecurityPolicy } from '../util/model';

/** A policy at construct path `shop/policy`. */
function policy(): SecurityPolicy {
  return new SecurityPolicy(new Chart(new App(), 'shop', { namespace: 'shop' }), 'policy', { target: PolicyTarget.namespace() });
}

const NOT_CANONICAL = 'is not canonical (\'//\', \'.\' or \'..\' segments: the kernel reports the resolved path, so BPF-LSM never matches it)';
const EDGE = 'has leading or trailing white space (the kernel never reports it)';

// [what fails, the call, the exact message]
const cases: Array<[string, () => unknown, string]> = [
  ['a dir starts with //', () => policy().addFileDirectory('//usr/bin/'), `shop/policy: file.matchDirectories[].dir '//usr/bin/' ${NOT_CANONICAL}; use '/usr/bin/'`],
  ['a dir holds /../', () => policy().addFileDirectory('/usr/lib/../bin/'), `shop/policy: file.matchDirectories[].dir '/usr/lib/../bin/' ${NOT_CANONICAL}; use '/usr/bin/'`],
  ['a dir holds /./', () => policy().addProcessDirectory('/srv/./data/'), `shop/policy: process.matchDirectories[].dir '/srv/./data/' ${NOT_CANONICAL}; use '/srv/data/'`],
  ['a path ends in /..', () => policy().addFilePath('/etc/ssl/..'), `shop/policy: file.matchPaths[].path '/etc/ssl/..' ${NOT_CANONICAL}; use '/etc/'`],
  ['a fromSource path holds //', () => policy().addFilePath('/etc/x', { fromSource: ['/usr//bin/sh'] }),
    `shop/policy: file.matchPaths[].fromSource[0].path '/usr//bin/sh' ${NOT_CANONICAL}; use '/usr/bin/sh'`],
  ['a path starts with a space', () => policy().addFilePath(' /etc/passwd'), `shop/policy: file.matchPaths[].path ' /etc/passwd' ${EDGE}; use '/etc/passwd'`],
  ['a relative path starts with a space', () => policy().addFilePath(' etc/passwd'), `shop/policy: file.matchPaths[].path ' etc/passwd' ${EDGE}; use '/etc/passwd'`],
  ['a path ends in a space', () => policy().addFilePath('/etc/passwd '), `shop/policy: file.matchPaths[].path '/etc/passwd ' ${EDGE}; use '/etc/passwd'`],
  ['a dir ends in NBSP', () => policy().addFileDirectory('/etc/\u00a0'), `shop/policy: file.matchDirectories[].dir '/etc/\u00a0' ${EDGE}; use '/etc/'`],
  ['a path holds NBSP', () => policy().addFilePath('/etc/my\u00a0file'),
    'shop/policy: file.matchPaths[].path \'/etc/my\u00a0file\' contains a non-ASCII space (U+00A0); use \'/etc/my file\' (an ASCII space) or the real name'],
  ['a path holds a zero-width space', () => policy().addFilePath('/etc/pass\u200bwd'),
    'shop/policy: file.matchPaths[].path \'/etc/pass\u200bwd\' contains an invisible format character (U+200B); use \'/etc/passwd\''],
  ['a path holds a line separator', () => policy().addFilePath('/etc/pass\u2028wd'),
    'shop/policy: file.matchPaths[].path \'/etc/pass\\u2028wd\' contains a line or paragraph separator (U+2028); use \'/etc/passwd\''],
  ['a path holds a C1 control', () => policy().addFilePath('/etc/pass\u0085wd'),
    'shop/policy: file.matchPaths[].path \'/etc/pass\\u0085wd\' contains a control character (U+0085); use \'/etc/passwd\''],
  ['a path holds a division slash', () => policy().addFilePath('/etc\u2215shadow'),
    'shop/policy: file.matchPaths[].path \'/etc\u2215shadow\' contains U+2215, a look-alike of \'/\' that the kernel treats as an ordinary character; use \'/etc/shadow\''],
  ['a dir holds a fullwidth full stop', () => policy().addFileDirectory('/root/\uff0essh/'),
    'shop/policy: file.matchDirectories[].dir \'/root/\uff0essh/\' contains U+FF0E, a look-alike of \'.\' that the kernel treats as an ordinary character; use \'/root/.ssh/\''],
  ['a path mixes Latin and Cyrillic', () => policy().addFilePath('/etc/p\u0430sswd'),
    'shop/policy: file.matchPaths[].path \'/etc/p\u0430sswd\' has a segment that mixes Latin with Cyrillic or Greek letters (\'p\u0430sswd\': a homoglyph of another name); '
    + 'spell it in one script: \'passwd\''],
  ['a path is 451 UTF-8 bytes of 151 characters', () => policy().addFilePath(`/${'\u6587'.repeat(150)}`),
    `shop/policy: file.matchPaths[].path '/${'\u6587'.repeat(59)}…' (151 characters) is 451 bytes long in UTF-8 (KubeArmor's limit is 200: BPF-LSM map keys are 200 bytes); `
    + 'protect a shorter ancestor directory instead'],
  ['a process path is a bare name', () => policy().addProcessPath('nc'),
    'shop/policy: process.matchPaths[].path \'nc\' must be absolute; use execname \'nc\' (addProcessExecname) for the executable in any directory, or its absolute path such as \'/usr/bin/nc\''],
  ['a severity is NaN', () => policy().addFilePath('/etc/x', { severity: NaN }),
    'shop/policy: file.matchPaths[].severity NaN must be an integer from 1 to 10; use 1 (least) to 10 (most severe)'],
];

describe('canonical paths are refused at the call', () => {
  test.each(cases)('fails when %s', (_what, call, message) => {
    expect(call).toThrow(message);
  });

  test('fails when a FileIntegrityPolicy directory is not canonical', () => {
    const chart = new Chart(new App(), 'c', { namespace: 'shop' });
    expect(() => new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.namespace(), directories: ['/var//lib/'] }))
      .toThrow(`c/fim: directories[] '/var//lib/' ${NOT_CANONICAL}; use '/var/lib/'`);
  });

  test('an imported manifest with a non-canonical path imports as written; lint KA045 fails synth with its JSON pointer until acknowledged', () => {
    const yaml = 'apiVersion: security.kubearmor.com/v1\nkind: KubeArmorPolicy\nmetadata: { name: web, namespace: shop }\n'
      + 'spec:\n  selector: { matchLabels: { app: web } }\n  file:\n    matchDirectories:\n    - dir: /srv/./secrets/\n  action: Block\n';
    const chart = new Chart(new App(), 'imported');
    const [p] = PolicyImport.fromYaml(chart, yaml, { sourceName: 'p.yaml' }).policies;
    expect(p.apiObject.toJson().spec.file.matchDirectories).toEqual([{ dir: '/srv/./secrets/' }]);
    expect(() => chart.toJson()).toThrow(`[imported/KubeArmorPolicy.shop.web] ERROR KA045 non-canonical-path: file.matchDirectories /srv/./secrets/ (action=Block) in KubeArmorPolicy/shop/web: dir "/srv/./secrets/" ${NOT_CANONICAL}; use '/srv/secrets/'`);
    PolicyLint.acknowledge(p, 'KA045', 'migrated as is; fixed in the next release');
    expect(chart.toJson()[0].spec.file.matchDirectories).toEqual([{ dir: '/srv/./secrets/' }]);
  });

  async function lintCli(fixture: string): Promise<{ file: string; out: string }> {
    const root = path.resolve(__dirname, '..', '..');
    const file = path.relative(root, path.join(__dirname, '..', 'fixtures', 'lint', fixture));
    let out = '';
    const cwd = process.cwd();
    process.chdir(root);
    try {
      expect(await run(['lint', file], { out: (t) => (out += t), err: () => undefined })).toBe(1);
    } finally {
      process.chdir(cwd);
    }
    return { file, out };
  }

  test('fails when the lint CLI reads paths the CRD refuses: one KA-SCHEMA error each, with its line and the fix', async () => {
    const { file, out } = await lintCli('non-canonical.yaml');
    expect(out.split('\n').filter((l) => l.includes('KA-SCHEMA'))).toEqual([
      `${file}:14 (document 1): ERROR KA-SCHEMA: spec.file.matchPaths[0].path ' /etc/passwd' ${EDGE}; use '/etc/passwd'`,
      `${file}:17 (document 1): ERROR KA-SCHEMA: spec.process.matchPaths[0].path 'nc' must be absolute; use execname 'nc' (addProcessExecname) for the executable in any directory, `
        + 'or its absolute path such as \'/usr/bin/nc\'',
    ]);
  });

  test('fails when the lint CLI reads a CRD-valid non-canonical path: lint KA045 with its line and the canonical spelling', async () => {
    const { file, out } = await lintCli('non-canonical-crd-valid.yaml');
    expect(out.split('\n').filter((l) => l.includes('ERROR'))).toEqual([
      `${file}:13 (document 1): ERROR KA045 non-canonical-path: spec.file.matchDirectories[0].dir file.matchDirectories //usr/bin/ (action=Block, recursive=true) in KubeArmorPolicy/shop/web: dir "//usr/bin/" ${NOT_CANONICAL}; use '/usr/bin/'; `
        + 'Write the canonical spelling the finding gives.',
    ]);
  });

  test('accepts canonical paths, including non-Latin and 200-byte ones', () => {
    const p = policy();
    p.addFileDirectory('/data/\u0434\u0430\u043d\u043d\u044b\u0435/');
    p.addFilePath(`/${'\u6587'.repeat(66)}`); // 199 bytes
    p.addFilePath('/etc/.hidden');
    p.addFilePath('/etc/a..b');
    expect(p.filePaths.map((r) => r.path).sort()).toEqual(['/etc/.hidden', '/etc/a..b', `/${'\u6587'.repeat(66)}`]);
    expect(p.fileDirectories.map((r) => r.dir)).toEqual(['/data/\u0434\u0430\u043d\u043d\u044b\u0435/']);
  });
});

describe('canonicalSpelling', () => {
  test.each([
    ['//usr/bin/', '/usr/bin/'], ['/usr/lib/../bin/', '/usr/bin/'], ['/srv/./data/', '/srv/data/'], ['/../etc', '/etc'],
    ['/etc/ssl/..', '/etc/'], ['/etc/.', '/etc/'], ['/..', '/'], ['/a//b', '/a/b'],
  ])('%s is spelled %s', (input, want) => {
    expect(canonicalSpelling(input)).toBe(want);
    expect(canonicalProblem(want)).toBeUndefined();
  });
});
