import { AccessRequest } from '../../../src/simulator';
import { DecisionAdmission, accessHash } from '../../../src/simulator/private/decision-admission';
import { Op } from '../helpers';

const postures = { file: 'audit', network: 'audit', capabilities: 'audit' };
const r: AccessRequest = { operation: Op.READ, path: '/etc/passwd', process: '/bin/cat' };

describe('DecisionAdmission', () => {
  test('admits an access the second time it is seen, not the first', () => {
    const a = new DecisionAdmission();
    expect(a.admit(1)).toBe(false);
    expect(a.admit(2)).toBe(false);
    expect(a.admit(1)).toBe(true);
    expect(a.admit(2)).toBe(true);
    expect(a.admit(3)).toBe(false);
  });

  test('holds at most two generations of hashes', () => {
    const a = new DecisionAdmission(4);
    for (let h = 0; h < 100; h++) {
      expect(a.admit(h)).toBe(false);
      expect(a.size).toBeLessThanOrEqual(8);
    }
    expect(a.admit(99)).toBe(true); // still held
    expect(a.admit(0)).toBe(false); // fell out of both generations: seen once again
    expect(a.admit(0)).toBe(true);
  });
});

describe('accessHash', () => {
  test('is a small integer (a Set holds it without allocating), the same for the same access', () => {
    const h = accessHash(r, 7, false, true, postures);
    expect(Number.isInteger(h)).toBe(true);
    expect(h).toBeGreaterThanOrEqual(0);
    expect(h).toBeLessThan(2 ** 30);
    expect(accessHash({ ...r }, 7, false, true, { ...postures })).toBe(h);
  });

  test('tells apart accesses that differ in one key field (fewer early admissions)', () => {
    const h = accessHash(r, 7, false, true, postures);
    type Args = [AccessRequest, number, boolean, boolean, typeof postures];
    const changed: Args[] = [
      [r, 8, false, true, postures], [r, 7, true, true, postures], [r, 7, false, false, postures],
      [r, 7, false, true, { ...postures, file: 'block' }], [r, 7, false, true, { ...postures, network: 'block' }],
      [r, 7, false, true, { ...postures, capabilities: 'block' }],
      ...([
        ['operation', Op.WRITE], ['path', '/etc/shadow'], ['protocol', 'tcp'], ['capability', 'chown'], ['process', '/bin/sh'],
        ['parentProcess', '/bin/sh'], ['execsDirectly', true], ['containerEntry', true], ['uid', 1], ['ownerUid', 1],
        ['fileMode', 0o600], ['readOnlyRootFilesystem', true],
      ] as [string, unknown][]).map(([k, v]): Args => [{ ...r, [k]: v } as AccessRequest, 7, false, true, postures]),
    ];
    for (const args of changed) expect(accessHash(...args)).not.toBe(h);
  });
});
