import { RuleOrigin } from '../../src/private/effective';
import { LINT_TABLE } from '../../src/private/lint-rules';
import { lintManifests } from '../../src/private/lints';

const manifest = {
  apiVersion: 'security.kubearmor.com/v1',
  kind: 'KubeArmorPolicy',
  metadata: { name: 'p', namespace: 'ns' },
  spec: { selector: { matchLabels: { app: 'x' } }, action: 'Block', file: { matchPaths: [{ path: '/a' }, { path: '/b' }, { path: '/c' }] } },
};

function withFindings(findings: Array<{ jsonPath: string }>): typeof LINT_TABLE[number][] {
  return [{ ...LINT_TABLE[0], check: () => findings.map((f) => ({ manifest: 0, jsonPath: f.jsonPath, message: 'm', related: [] })) }];
}

describe('finding origins', () => {
  const origins: Record<string, RuleOrigin> = {
    '/spec/file/matchPaths/0': { construct: 'c', via: 'first' },
    '/spec/file/matchPaths/1': { construct: 'c', via: 'second' },
    '/spec/file/matchPaths/10': { construct: 'c', via: 'tenth' },
  };
  const provenance = [{ originOf: (pointer: string) => origins[pointer] }];

  test('a finding at a rule, or anywhere below it, names that rule\'s origin; elsewhere none', () => {
    const at = ['/spec/file/matchPaths/1', '/spec/file/matchPaths/0/fromSource/0', '/spec/file/matchPaths/1/path', '/spec/file/matchPaths/10', '/spec/file', '/spec/file/matchPaths/2', ''];
    const found = lintManifests([manifest], { provenance }, withFindings(at.map((jsonPath) => ({ jsonPath }))));
    const byPath = new Map(found.flatMap((f) => f.jsonPaths.map((p) => [p, f.origin?.via])));
    // grouped into one finding: its origin is its first place's
    expect(found).toHaveLength(1);
    expect(found[0].jsonPath).toBe('');
    expect(found[0].origin).toBeUndefined();
    const each = at.map((p) => lintManifests([manifest], { provenance }, withFindings([{ jsonPath: p }]))[0].origin?.via);
    // a rule without a recorded origin gets the effective policy's default (its pointer); /10 is not below /1
    expect(each).toEqual(['second', 'first', 'second', undefined, undefined, '/spec/file/matchPaths/2', undefined]);
    expect(byPath.size).toBe(at.length);
  });

  test('no provenance, no origin', () => {
    expect(lintManifests([manifest], {}, withFindings([{ jsonPath: '/spec/file/matchPaths/0' }]))[0].origin).toBeUndefined();
  });
});
