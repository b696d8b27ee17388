import { canonicalJson } from '../../src/private/canonical';

/** The former implementation, kept as the reference: the loop version must give exactly its output. */
function reference(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj).filter((k) => obj[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${reference(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

describe('canonicalJson', () => {
  // eslint-disable-next-line no-sparse-arrays
  const sparse = [1, , 3];
  const cases: unknown[] = [
    'a', '', 'quo"te', 0, -1.5, true, false, null, undefined, [], {}, [null], [undefined], sparse, [() => 1],
    { b: 1, a: 2 }, { a: undefined, b: null }, { f: () => 1 }, { z: [{ y: 'x', x: [1, { b: undefined, a: [] }] }] },
    { é: 1, e: 2, E: 3, 10: 4, 9: 5 }, new Date(0), [[], [[]], {}],
    { dir: '/bin/', readOnly: true, recursive: true, fromSource: [{ path: '/usr/bin/apt' }] },
  ];
  test.each(cases.map((c, i) => [i, c]))('case %i is byte-identical to the reference', (_i, c) => {
    expect(canonicalJson(c)).toBe(reference(c));
  });

  test('sorts keys and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: undefined, c: [2, 'x'] })).toBe('{"b":1,"c":[2,"x"]}');
  });
});
