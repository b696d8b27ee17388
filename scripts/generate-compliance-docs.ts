/**
 * Regenerates docs/compliance-controls.md from the compliance and preset tables.
 * Usage: npx ts-node --project test/tsconfig.json scripts/generate-compliance-docs.ts
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderComplianceControlsMarkdown } from '../src/private/fim-docs';

const target = path.join(__dirname, '..', 'docs', 'compliance-controls.md');
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, renderComplianceControlsMarkdown());
// eslint-disable-next-line no-console
console.log(`wrote ${path.relative(process.cwd(), target)}`);
