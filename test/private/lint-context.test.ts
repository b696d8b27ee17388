import { buildContext, FlatRule, ruleKey, ruleKeyWith } from '../../src/private/lint-context';

function rulesOf(spec: Record<string, unknown>): readonly FlatRule[] {
  const ctx = buildContext([{ apiVersion: 'security.kubearmor.com/v1', kind: 'KubeArmorPolicy', metadata: { name: 'p', namespace: 'ns' }, spec }], {});
  return ctx.rules.get(0)!;
}

describe('ruleKeyWith', () => {
  const rules = rulesOf({
    selector: { matchLabels: { app: 'x' } },
    action: 'Block',
    file: {
      matchPaths: [
        { path: '/bin/sh', readOnly: true },
        { path: '/bin/sh', fromSource: [{ path: '/usr/bin/b' }, { path: '/bin/a' }] },
        { path: '/usr/bin/sh', fromSource: [{ path: '/bin/a' }, { path: '/usr/bin/b' }] },
      ],
      matchDirectories: [{ dir: '/lib/', recursive: true }, { dir: '/usr/lib/' }],
    },
    process: { matchPaths: [{ path: '/bin/ls' }, { path: '/usr/bin/ls', action: 'Audit' }] },
  });

  test('is the ruleKey of the rule with the field respelled, for every rule, field and value', () => {
    for (const r of rules) {
      for (const field of ['path', 'dir', 'readOnly', 'other']) {
        for (const value of ['/usr/bin/sh', '/usr/lib/', '/bin/ls', '']) {
          const respelled: FlatRule = { ...r, rule: { ...r.rule, [field]: value } };
          expect(ruleKeyWith(r, field, value)).toBe(ruleKey(respelled));
        }
      }
    }
  });

  test('tells apart what ruleKey tells apart: the value, the list and the sources', () => {
    const [plain, sourced, usrSourced] = rules;
    expect(ruleKeyWith(plain, 'path', '/usr/bin/sh')).not.toBe(ruleKey(plain));
    expect(ruleKeyWith(sourced, 'path', '/usr/bin/sh')).toBe(ruleKey(usrSourced));
    expect(ruleKeyWith(plain, 'path', '/usr/bin/sh')).not.toBe(ruleKey(usrSourced));
    const processLs = rules.find((r) => r.list.id === 'process.matchPaths')!;
    expect(ruleKeyWith(processLs, 'path', '/bin/sh')).not.toBe(ruleKey(plain));
  });
});
