/**
 * Regenerates the generated documentation: docs/compliance-controls.md (compliance and preset tables)
 * and docs/lints.md (lint catalogue). Usage: npx projen docs
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderImpactMarkdown } from '../src/impact/private/impact-docs';
import { renderComplianceControlsMarkdown } from '../src/private/fim-docs';
import { renderLintsMarkdown } from '../src/private/lint-docs';

const docs = path.join(__dirname, '..', 'docs');
fs.mkdirSync(docs, { recursive: true });
for (const [file, text] of [['compliance-controls.md', renderComplianceControlsMarkdown()], ['lints.md', renderLintsMarkdown()], ['impact.md', renderImpactMarkdown()]]) {
  fs.writeFileSync(path.join(docs, file), text);
  // eslint-disable-next-line no-console
  console.log(`wrote docs/${file}`);
}
