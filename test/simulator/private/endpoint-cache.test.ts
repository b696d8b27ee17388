import { compilePolicies } from '../../../src/simulator/private/compile';
import { EndpointCache } from '../../../src/simulator/private/endpoint-cache';
import { ksp } from '../helpers';

const policies = compilePolicies([
  ksp('web', { action: 'Block', file: { matchPaths: [{ path: '/etc/shadow' }] } }),
  { ...ksp('db', { action: 'Block', file: { matchPaths: [{ path: '/etc/db' }] } }), spec: { selector: { matchLabels: { app: 'db', tier: 'back' } }, action: 'Block', file: { matchPaths: [{ path: '/etc/db' }] } } },
]);

describe('EndpointCache: a labels object changed in place is selected again', () => {
  // each edit of the same object; the endpoint must be the one a new object with the same pairs resolves to
  const edits: [string, (l: Record<string, string>) => void][] = [
    ['a value changed', (l) => { l.app = 'db'; }],
    ['a key added', (l) => { l.tier = 'back'; }],
    ['a key removed', (l) => { delete l.tier; }],
    ['a key renamed, same value', (l) => { const v = l.app; delete l.app; l.name = v; }],
    ['key and value swapped', (l) => { for (const k of Object.keys(l)) delete l[k]; l.web = 'app'; }],
    ['every pair removed', (l) => { for (const k of Object.keys(l)) delete l[k]; }],
    ['a value set to the next key', (l) => { l.app = 'tier'; }],
  ];

  test.each(edits)('%s', (_what, edit) => {
    const cache = new EndpointCache(policies);
    const labels: Record<string, string> = { app: 'web', tier: 'front' };
    const before = cache.endpoint(false, 'shop', labels, 'c', undefined);
    expect(cache.endpoint(false, 'shop', labels, 'c', undefined)).toBe(before); // the fast path
    expect(before).toBe(cache.endpoint(false, 'shop', { ...labels }, 'c', undefined));
    edit(labels);
    const after = cache.endpoint(false, 'shop', labels, 'c', undefined);
    expect(after).not.toBe(before);
    expect(after).toBe(cache.endpoint(false, 'shop', { ...labels }, 'c', undefined));
    expect(after.labels).toBe(Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(','));
    expect(cache.endpoint(false, 'shop', labels, 'c', undefined)).toBe(after);
  });

  test('the same labels object elsewhere (namespace, container, host) is another endpoint', () => {
    const cache = new EndpointCache(policies);
    const labels = { app: 'web' };
    const a = cache.endpoint(false, 'shop', labels, 'c', undefined);
    expect(cache.endpoint(false, 'other', labels, 'c', undefined)).not.toBe(a);
    expect(cache.endpoint(false, 'shop', labels, 'd', undefined)).not.toBe(a);
    expect(cache.endpoint(true, '', labels, undefined, 'n1')).not.toBe(a);
    expect(cache.endpoint(false, 'shop', labels, 'c', undefined)).toBe(a);
  });
});
