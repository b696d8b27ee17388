import { AccessOperation } from '../../src/simulator';
import { shapeRequest } from '../../src/simulator/private/request-shape';

describe('shapeRequest', () => {
  test('copies every AccessRequest key a caller sets, and gives every shape the same keys in the same order', () => {
    const keys = Object.keys(shapeRequest({ operation: AccessOperation.READ }));
    expect(keys.length).toBeGreaterThanOrEqual(25);
    for (const k of keys) {
      const value = { marker: k };
      const shaped: any = shapeRequest({ operation: AccessOperation.READ, [k]: value } as any);
      expect(Object.keys(shaped)).toEqual(keys);
      expect(shaped[k]).toBe(value);
    }
  });

  test('ignores keys AccessRequest does not have', () => {
    const shaped: any = shapeRequest({ operation: AccessOperation.READ, path: '/etc/x', notAKey: 1 } as any);
    expect(shaped.notAKey).toBeUndefined();
    expect(shaped.path).toBe('/etc/x');
  });

  test('a key set to undefined gives the same shape and values as an absent key', () => {
    const keys = Object.keys(shapeRequest({ operation: AccessOperation.READ }));
    for (const k of keys) {
      if (k === 'operation') continue;
      const shaped: any = shapeRequest({ operation: AccessOperation.READ, path: '/x', [k]: undefined } as any);
      expect(Object.keys(shaped)).toEqual(keys);
      expect(shaped).toEqual(shapeRequest({ operation: AccessOperation.READ, path: k === 'path' ? undefined : '/x' }));
      expect(shaped[k]).toBeUndefined();
    }
  });
});
