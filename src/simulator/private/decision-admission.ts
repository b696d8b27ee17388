/* eslint-disable no-bitwise -- a 32-bit FNV-1a hash */
/**
 * Which decisions the memo (decision-cache.ts) stores. Storing one costs a long-lived copy of its result,
 * which the garbage collector then promotes and scans: when requests never repeat, that is all cost and no
 * gain (a third more CPU per decision). So a decision is stored the second time its access is seen: the
 * first time, only a 30-bit hash of its key is remembered, in two bounded generations of numbers (no object
 * per access).
 *
 * The hash only decides when a decision is stored, never what a lookup returns: the memo compares every key
 * field itself. A collision stores a decision on its first occurrence; a hash that fell out of both
 * generations delays it to the next one. Either way every result is the one a fresh decision gives.
 */
import { AccessRequest } from '../access-request';
import { LsmPostures } from './decide';

/** Hashes per generation: at most two generations are held. */
export const SEEN_PER_GENERATION = 16384;

const FNV_PRIME = 16777619;

/** Mixes a key field into `h` (FNV-1a over a string's UTF-16 units; numbers by their 32-bit integer part, enough for a hash). */
function mix(h: number, x: unknown): number {
  if (typeof x === 'string') {
    for (let i = 0; i < x.length; i++) h = Math.imul(h ^ x.charCodeAt(i), FNV_PRIME);
    return Math.imul(h ^ x.length, FNV_PRIME);
  }
  if (typeof x === 'number') return Math.imul(h ^ (x | 0) ^ 0x5bd1e995, FNV_PRIME);
  return Math.imul(h ^ (x === undefined ? 1 : x === true ? 2 : x === false ? 3 : 4), FNV_PRIME);
}

/**
 * A hash of a decision's key (decision-cache.ts), the endpoint given by its number. It is a small integer
 * (30 bits), which a Set holds without allocating.
 */
export function accessHash(r: AccessRequest, endpointId: number, audited: boolean, appArmor: boolean, postures: LsmPostures): number {
  let h = Math.imul(2166136261 ^ endpointId, FNV_PRIME);
  h = mix(h, (audited ? 1 : 0) | (appArmor ? 2 : 0) | (postures.file === 'block' ? 4 : 0)
    | (postures.network === 'block' ? 8 : 0) | (postures.capabilities === 'block' ? 16 : 0)
    | (r.execsDirectly === true ? 32 : 0) | (r.containerEntry === true ? 64 : 0));
  h = mix(h, r.operation);
  h = mix(h, r.path);
  h = mix(h, r.protocol);
  h = mix(h, r.capability);
  h = mix(h, r.process);
  h = mix(h, r.parentProcess);
  h = mix(h, r.uid);
  h = mix(h, r.ownerUid);
  h = mix(h, r.fileMode);
  h = mix(h, r.readOnlyRootFilesystem);
  return h & 0x3fffffff;
}

/** Remembers the accesses seen once, and says which are seen again. */
export class DecisionAdmission {
  private young = new Set<number>();
  private old = new Set<number>();

  /** @param perGeneration hashes per generation */
  constructor(private readonly perGeneration: number = SEEN_PER_GENERATION) {}

  /**
   * Whether the access with this hash was seen before (then its decision is worth storing); if not, it is remembered.
   *
   * @param hash `accessHash` of the access
   */
  public admit(hash: number): boolean {
    if (this.young.has(hash) || this.old.has(hash)) return true;
    if (this.young.size >= this.perGeneration) {
      this.old = this.young;
      this.young = new Set();
    }
    this.young.add(hash);
    return false;
  }

  /** The number of hashes held (both generations). */
  public get size(): number {
    return this.young.size + this.old.size;
  }
}
