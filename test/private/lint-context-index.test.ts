/**
 * The per-pass indexes of lint-context: ruleAt (pointer → rule per policy) and hasSameKeyRule (rules of a
 * group by ruleKey). Each answer is compared with the linear search it replaces; the cases are built so that an
 * index shared across policies, groups or lint passes gives a wrong answer.
 */
import { buildContext, FlatRule, hasSameKeyRule, ruleAt, ruleKey } from '../../src/private/lint-context';

const KSP = (name: string, file: any, selector: any = { matchLabels: { app: 'web' } }) => ({
  apiVersion: 'security.kubearmor.com/v1',
  kind: 'KubeArmorPolicy',
  metadata: { name, namespace: 'shop' },
  spec: { severity: 5, selector, action: 'Block', file },
});

const A = KSP('a', { matchPaths: [{ path: '/etc/a' }, { path: '/etc/b', readOnly: true }], matchDirectories: [{ dir: '/var/' }] });
const B = KSP('b', { matchPaths: [{ path: '/etc/b', readOnly: true }, { path: '/etc/c' }], matchDirectories: [{ dir: '/var/', recursive: true }] });
const DUP = KSP('dup', { matchPaths: [{ path: '/etc/a' }, { path: '/etc/a', readOnly: true }, { path: '/etc/z' }] });

describe('ruleAt', () => {
  test('is the first rule of that policy at that pointer, for every policy and pointer', () => {
    const ctx = buildContext([A, B, DUP], {});
    for (const i of [0, 1, 2]) {
      for (const f of ctx.rules.get(i)!) {
        expect(ruleAt(ctx, i, f.pointer)).toBe(ctx.rules.get(i)!.find((o) => o.pointer === f.pointer));
      }
      expect(ruleAt(ctx, i, '/spec/file/matchPaths/99')).toBeUndefined();
    }
    expect(ruleAt(ctx, 7, '/spec/file/matchPaths/0')).toBeUndefined();
  });

  test('policies with the same pointers get their own rules (the index is per policy)', () => {
    const ctx = buildContext([A, B], {});
    const p = '/spec/file/matchPaths/0';
    expect(ruleAt(ctx, 0, p)!.rule.path).toBe('/etc/a');
    expect(ruleAt(ctx, 1, p)!.rule.path).toBe('/etc/b');
    expect(ruleAt(ctx, 0, p)!.manifest).toBe(0);
    expect(ruleAt(ctx, 1, p)!.manifest).toBe(1);
  });

  test('each lint pass gets its own rule objects (the index is per pass)', () => {
    const first = buildContext([A, B], {});
    const second = buildContext([B, A], {});
    const p = '/spec/file/matchPaths/0';
    expect(ruleAt(first, 0, p)).toBe(first.rules.get(0)![0]);
    expect(ruleAt(second, 0, p)).toBe(second.rules.get(0)![0]);
    expect(ruleAt(second, 0, p)!.rule.path).toBe('/etc/b');
  });
});

describe('hasSameKeyRule', () => {
  const brute = (ctx: ReturnType<typeof buildContext>, group: readonly number[], r: FlatRule) =>
    group.some((i) => ctx.rules.get(i)!.some((o) => o !== r && ruleKey(o) === ruleKey(r)));

  test('agrees with the linear search for every rule of every group', () => {
    const ctx = buildContext([A, B, DUP], {});
    for (const group of [[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]]) {
      for (const i of group) {
        for (const r of ctx.rules.get(i)!) expect(hasSameKeyRule(ctx, group, r)).toBe(brute(ctx, group, r));
      }
    }
  });

  test('a rule alone in one group has a twin in a larger group of the same pass (the index is per group)', () => {
    const ctx = buildContext([A, B], {});
    const b0 = ctx.rules.get(0)!.find((f) => f.rule.path === '/etc/b')!;
    expect(hasSameKeyRule(ctx, [0], b0)).toBe(false);
    expect(hasSameKeyRule(ctx, [0, 1], b0)).toBe(true);
    const a0 = ctx.rules.get(0)!.find((f) => f.rule.path === '/etc/a')!;
    expect(hasSameKeyRule(ctx, [0, 1], a0)).toBe(false);
  });

  test('one group array of two passes answers per pass (the index is per pass)', () => {
    const group = [0];
    const withTwins = buildContext([DUP], {});
    const without = buildContext([A], {});
    const dupA = withTwins.rules.get(0)![0];
    const plainA = without.rules.get(0)![0];
    expect(hasSameKeyRule(withTwins, group, dupA)).toBe(true);
    expect(hasSameKeyRule(without, group, plainA)).toBe(false);
  });

  test('three rules of one key: each has another', () => {
    const TRI = KSP('tri', { matchPaths: [{ path: '/x' }, { path: '/x', readOnly: true }, { path: '/x', ownerOnly: true }] });
    const ctx = buildContext([TRI], {});
    for (const r of ctx.rules.get(0)!) expect(hasSameKeyRule(ctx, [0], r)).toBe(true);
  });
});
