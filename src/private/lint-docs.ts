/**
 * docs/lints.md, generated from the lint catalogue (LINT_RULES) and the schema-check IDs (SCHEMA_RULES):
 * the one table of truth. test/lint-docs.test.ts fails when the committed file is stale.
 */
import { LINT_RULES } from './lints';
import { SCHEMA_RULES } from './manifest';

export function renderLintsMarkdown(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    '<!-- Generated from src/private/lint-rules.ts and src/private/manifest.ts by `npx projen docs`. Do not edit. -->',
    '# Lint rules',
    '',
    'Semantic lints run at synth over every policy of the app (`PolicyLint`), in `cdk8s-kubearmor lint` and in the',
    'cdk8s validation plugin. Errors fail synthesis unless acknowledged with `PolicyLint.acknowledge(construct, id, reason)`',
    '(which also writes the annotation `lint.cdk8s-kubearmor.io/acknowledge.<ID>: <reason>` honoured by the CLI and the plugin).',
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
  ];
  return lines.join('\n');
}
