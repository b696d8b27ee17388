/**
 * Each check of KubeArmor's proposed validating webhook (PR #2369) has an example here that the library
 * handles as its row says: refused (a schema error of the CLI and plugin; the same issues refuse at the call
 * and in import) or the lint ID.
 */
import { lintSources } from '../src/private/lint-sources';
import { NOT_YET } from '../src/private/trap-table';
import { WEBHOOK_CHECKS } from '../src/private/webhook-table';

const WEB = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec: {selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx}]}}}\n';

function ksp(spec: string): string {
  return `apiVersion: security.kubearmor.com/v1\nkind: KubeArmorPolicy\nmetadata: {name: p, namespace: shop}\nspec: ${spec}\n`;
}
const files = (rules: string) => ksp(`{severity: 5, selector: {matchLabels: {app: web}}, file: {${rules}}}`);

/** An example of each webhook check, and the finding ID that shows its handling. */
const EXAMPLES: Record<string, { yaml: string; id: string }> = {
  'Path too long': { yaml: files(`matchPaths: [{path: /${'a'.repeat(250)}}]`), id: 'KA045' },
  'Invalid characters in a path': { yaml: files('matchPaths: [{path: "/etc/pass\\u200bwd"}]'), id: 'KA045' },
  'No pod matches the selector': { yaml: ksp('{severity: 5, selector: {matchLabels: {app: api}}, file: {matchPaths: [{path: /etc/passwd}]}}'), id: 'KA001' },
  'Relative path': { yaml: files('matchPaths: [{path: etc/passwd}]'), id: 'KA-SCHEMA' },
  'Invalid regex': { yaml: files('matchPatterns: [{pattern: "/etc/[a-z"}]'), id: 'KA-SCHEMA' },
  'Duplicate path': { yaml: files('matchPaths: [{path: /etc/passwd}, {path: /etc/passwd}]'), id: 'KA043' },
  'Too many rules for a single container': { yaml: files(`matchPaths: [${Array.from({ length: 257 }, (_, k) => `{path: /d/${k}}`).join(', ')}]`), id: 'KA022' },
  'Empty selector': { yaml: ksp('{severity: 5, file: {matchPaths: [{path: /etc/passwd}]}}'), id: 'KA030' },
};

describe('KubeArmor PR #2369 webhook checks', () => {
  test('every check is handled (refused or a lint): the library is a superset', () => {
    expect(WEBHOOK_CHECKS.filter((c) => c.handling === NOT_YET).map((c) => c.check)).toEqual([]);
    expect(Object.keys(EXAMPLES).sort()).toEqual(WEBHOOK_CHECKS.filter((c) => c.handling !== NOT_YET).map((c) => c.check).sort());
  });

  test.each(WEBHOOK_CHECKS.filter((c) => c.handling !== NOT_YET))('$check: $handling', (c) => {
    const example = EXAMPLES[c.check];
    expect(example.id).toBe(c.handling === 'refused' ? 'KA-SCHEMA' : c.handling);
    const findings = lintSources([{ file: 'in.yaml', text: `${WEB}---\n${example.yaml}` }]).findings;
    expect(findings.map((f) => f.id)).toContain(example.id);
    if (c.handling === 'refused') expect(findings.find((f) => f.id === 'KA-SCHEMA')).toMatchObject({ severity: 'error', line: expect.any(Number) });
  });
});
