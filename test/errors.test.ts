import {
  allowRefusal, echo, fieldOf, formatProblem, formatProblemBody, formatProblemList, joinField, VALUE_BUDGET, yamlWhere,
} from '../src/private/errors';

describe('the one problem formatter', () => {
  test('a construct error: where, field, value, problem and fix', () => {
    expect(formatProblem({ where: 'shop/fim', field: 'directories[]', value: 'var/log', problem: 'must be absolute and end in \'/\'', fix: 'use \'/var/log/\'' }))
      .toBe("shop/fim: directories[] 'var/log' must be absolute and end in '/'; use '/var/log/'");
  });

  test('a finding: severity, ID and name before the field', () => {
    expect(formatProblem({ where: 'p.yaml:9 (document 1)', severity: 'error', id: 'KA-SCHEMA', field: 'spec.action', value: 'block', problem: 'is not a KubeArmor action', fix: 'use \'Block\'' }))
      .toBe("p.yaml:9 (document 1): ERROR KA-SCHEMA: spec.action 'block' is not a KubeArmor action; use 'Block'");
    expect(formatProblem({ where: 'shop/a', severity: 'warning', id: 'KA012', name: 'non-recursive-directory', problem: 'covers one level', fix: 'set recursive' }))
      .toBe('shop/a: WARNING KA012 non-recursive-directory: covers one level; set recursive');
  });

  test('the root is never an empty prefix', () => {
    expect(formatProblem({ where: '', problem: 'x', fix: 'y' })).toBe('<app>: x; y');
    expect(formatProblemBody({ id: 'KA005', severity: 'error', problem: 'conflict', fix: 'make them agree' })).toBe('ERROR KA005: conflict; make them agree');
  });

  test('an undefined value is echoed when given, omitted when absent', () => {
    expect(formatProblem({ where: 'a', field: 'target', value: undefined, problem: 'is required', fix: 'set it' })).toBe('a: target undefined is required; set it');
    expect(formatProblem({ where: 'a', field: 'target', problem: 'is required', fix: 'set it' })).toBe('a: target is required; set it');
  });

  test('echoed values are bounded by the length budget', () => {
    const long = `/${'a'.repeat(300)}`;
    expect(echo(long)).toBe(`'/${'a'.repeat(59)}…' (301 characters)`);
    expect(echo(long).length).toBeLessThanOrEqual(VALUE_BUDGET);
    expect(echo(Array.from({ length: 40 }, (_, i) => i))).toBe(`${JSON.stringify(Array.from({ length: 40 }, (_, i) => i)).slice(0, 60)}… (111 characters)`);
    expect(echo('short')).toBe("'short'");
    expect(echo(11)).toBe('11');
    expect(echo({ a: 1 })).toBe('{"a":1}');
  });

  test('fields are dotted with numeric indices, from absolute or relative JSON pointers', () => {
    expect(fieldOf('/spec/file/matchDirectories/3/dir')).toBe('spec.file.matchDirectories[3].dir');
    expect(fieldOf('/metadata/annotations/lint.cdk8s-kubearmor.io~1acknowledge.KA004')).toBe('metadata.annotations["lint.cdk8s-kubearmor.io/acknowledge.KA004"]');
    expect(fieldOf('')).toBe('');
    expect(joinField('file.matchPaths[]', 'fromSource/0/path')).toBe('file.matchPaths[].fromSource[0].path');
    expect(joinField('presets[]', '')).toBe('presets[]');
    expect(joinField('', 'labels/app')).toBe('labels.app');
    expect(joinField('tags', '2')).toBe('tags[2]');
  });

  test('a list of problems under one headline', () => {
    expect(formatProblemList('x: cannot import a.yaml: 2 problems', [
      { where: yamlWhere('a.yaml', 3, 1), field: 'spec.severity', value: 0, problem: 'must be from 1 to 10', fix: 'use 1' },
      { where: yamlWhere('a.yaml', 9, 2), id: 'KA-YAML', severity: 'error', problem: 'tabs', fix: 'indent with spaces' },
    ])).toBe('x: cannot import a.yaml: 2 problems:\n'
      + '  a.yaml:3 (document 1): spec.severity 0 must be from 1 to 10; use 1\n'
      + '  a.yaml:9 (document 2): ERROR KA-YAML: tabs; indent with spaces');
  });

  test('one Allow refusal for every protecting construct', () => {
    const text = formatProblem(allowRefusal('shop/web', 'action', 'HardenedWorkload'));
    expect(text).toBe("shop/web: action 'Allow' is not accepted by a HardenedWorkload: one Allow rule flips every selected pod into allow-list mode, "
      + 'where every access no Allow rule names is decided by the default posture (audit unless the namespace annotation kubearmor-file-posture says block), '
      + 'so the policy would stop protecting and start allow-listing; use PolicyAction.BLOCK to prevent changes or PolicyAction.AUDIT to only alert '
      + '(for an allow-list, write a SecurityPolicy deliberately)');
  });
});
