import * as fs from 'fs';
import * as path from 'path';
import { PolicyLint } from '../src';
import { renderLintsMarkdown } from '../src/private/lint-docs';
import { NOT_YET, TRAPS } from '../src/private/trap-table';

describe('docs/lints.md', () => {
  const file = path.join(__dirname, '..', 'docs', 'lints.md');

  test('is up to date with the lint catalogue (regenerate: npx projen docs)', () => {
    expect(fs.readFileSync(file, 'utf8')).toBe(renderLintsMarkdown());
  });

  test('documents every lint with its fix', () => {
    const md = fs.readFileSync(file, 'utf8');
    for (const r of PolicyLint.rules()) {
      expect(md).toContain(`| \`${r.id}\` | ${r.name} | ${r.severity} |`);
      expect(md).toContain(r.fix.replace(/\|/g, '\\|'));
    }
  });

  test('maps every trap to refused, a catalogued lint ID, or an honest not-yet-detected', () => {
    const ids = new Set(PolicyLint.rules().map((r) => r.id));
    for (const t of TRAPS) expect([t.trap, t.handling === 'refused' || t.handling === NOT_YET || ids.has(t.handling)]).toEqual([t.trap, true]);
  });
});
