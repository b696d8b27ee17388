/** Hostile YAML inputs shared by the tests of the reading path (CLI lint, import, PolicyImport). */

/** A "billion laughs" document: 9 levels of 9 aliases each, ~10^9 nodes once expanded, inside a ConfigMap. */
export function aliasBomb(name = 'bomb'): string {
  const lines = ['  a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
  let prev = 'a';
  for (const n of 'bcdefghi') {
    lines.push(`  ${n}: &${n} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    prev = n;
  }
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n${lines.join('\n')}\n`;
}

/** One KubeArmorPolicy with `rules` file paths (valid and lint-clean). */
export function policy(name: string, rules = 1): string {
  const paths = Array.from({ length: rules }, (_, i) => `      - path: /etc/${name}-${i}.conf`).join('\n');
  return `apiVersion: security.kubearmor.com/v1
kind: KubeArmorPolicy
metadata:
  name: ${name}
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  file:
    matchPaths:
${paths}
  action: Block
  severity: 5
`;
}

/** `n` small documents (empty ConfigMaps) separated by `---`. */
export function manyDocuments(n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`);
  return parts.join('---\n');
}

/** A document nested `depth` levels deep in flow sequences. */
export function deepFlow(depth: number): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
}
