/**
 * docs/lints.md, generated from the lint catalogue (LINT_RULES) and the schema-check IDs (SCHEMA_RULES):
 * the one table of truth. test/lint-docs.test.ts fails when the committed file is stale.
 */
import { LINT_RULES, PLACES_NAMED } from './lints';
import { SCHEMA_RULES } from './manifest';
import { TRAPS } from './trap-table';
import { WEBHOOK_CHECKS } from './webhook-table';

export function renderLintsMarkdown(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    '<!-- Generated from src/private/lint-rules.ts and src/private/manifest.ts by `npx projen docs`. Do not edit. -->',
    '# Lint rules',
    '',
    'Semantic lints run at synth over every policy of the app (`PolicyLint`), in `cdk8s-kubearmor lint` and in the',
    'cdk8s validation plugin. Errors fail synthesis unless acknowledged with `PolicyLint.acknowledge(construct, id, reason)`',
    '(which also writes the annotation `lint.cdk8s-kubearmor.io/acknowledge.<ID>: <reason>` honoured by the CLI and the plugin).',
    `Each rule reports once per policy (or pair of policies): the first place, the count and the next ${PLACES_NAMED} places`,
    '(`LintFinding.jsonPaths`, `count`; `pointers` and `count` in the CLI\'s JSON).',
    '',
    '| ID | name | severity | what it detects | fix |',
    '|---|---|---|---|---|',
    ...LINT_RULES.map((r) => `| \`${r.id}\` | ${r.name} | ${r.severity} | ${cell(r.summary)} | ${cell(r.fix)} |`),
    '',
    'Schema checks of the importer, the CLI and the plugin (errors, never acknowledgeable: the cluster would prune or reject the field):',
    '',
    '| ID | what it detects |',
    '|---|---|',
    ...SCHEMA_RULES.map((r) => `| \`${r.id}\` | ${cell(r.summary)} |`),
    '',
    '## KubeArmor traps and how each is handled',
    '',
    'From src/private/trap-table.ts: "refused" means the call (and the importer, the CLI and the plugin) rejects the value',
    'with a fix; an ID means a lint reports it; "not yet detected" rows are known gaps.',
    '',
    '| trap | handling | note |',
    '|---|---|---|',
    ...TRAPS.map((t) => `| ${cell(t.trap)} | ${/^KA\d+$/.test(t.handling) ? `\`${t.handling}\`` : t.handling} | ${cell(t.note)} |`),
    '',
    '## KubeArmor\'s proposed validating webhook',
    '',
    'From src/private/webhook-table.ts: each check of kubearmor/KubeArmor PR #2369 (open) and how the library handles it.',
    '',
    '| webhook check | handling | note |',
    '|---|---|---|',
    ...WEBHOOK_CHECKS.map((t) => `| ${cell(t.check)} | ${/^KA\d+$/.test(t.handling) ? `\`${t.handling}\`` : t.handling} | ${cell(t.note)} |`),
    '',
  ];
  return lines.join('\n');
}
