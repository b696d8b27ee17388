/**
 * A module loaded on its first use instead of when the library is loaded (the cold `require` cost, README
 * Performance row 6): `const lazyX = lazy((): typeof import('./x') => require('./x'));`, then `lazyX().f()`.
 * The type comes from the module itself, so an accessor cannot drift from what it loads.
 */
export function lazy<T>(load: () => T): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load());
}
