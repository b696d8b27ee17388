import { lazy } from '../../src/private/lazy';

test('a lazy module loads on its first use, once', () => {
  let loads = 0;
  const mod = { value: 42 };
  const get = lazy(() => { loads++; return mod; });
  expect(loads).toBe(0);
  expect(get()).toBe(mod);
  expect(get()).toBe(mod);
  expect(loads).toBe(1);
});

test('a load that throws is retried on the next use (nothing half-loaded is kept)', () => {
  let calls = 0;
  const get = lazy(() => { calls++; if (calls === 1) throw new Error('not yet'); return { ok: true }; });
  expect(() => get()).toThrow('not yet');
  expect(get()).toEqual({ ok: true });
  expect(calls).toBe(2);
});
