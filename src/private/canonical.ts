/** Stable JSON (object keys sorted) used as the identity of rules for de-duplication and ordering. */
export function canonicalJson(value: unknown): string {
  // Loops and concatenation instead of map/filter/join (it keys every rule of every lint pass); the output is
  // exactly the former `[${items.map(canonicalJson).join(',')}]` and `{${keys.filter(set).sort().map(...)}}`:
  // an element that stringifies to undefined is empty (as join makes it), a member's is `undefined`.
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const s = canonicalJson(value[i]);
      if (s !== undefined) out += s;
    }
    return `${out}]`;
  }
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    let out = '{';
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) out += ',';
      out += `${JSON.stringify(keys[i])}:${canonicalJson(obj[keys[i]])}`;
    }
    return `${out}}`;
  }
  return JSON.stringify(value);
}

/** Removes undefined values (shallow) so that only fields that were set are emitted. */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** De-duplicates keeping the first occurrence. */
export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** Copies plain JSON data (objects, arrays, scalars); much cheaper than a JSON round trip. */
export function deepCopy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(deepCopy) as unknown as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object)) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = deepCopy(x);
    }
    return out as T;
  }
  return v;
}
