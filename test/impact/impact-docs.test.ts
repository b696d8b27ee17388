import * as fs from 'fs';
import * as path from 'path';
import { renderImpactMarkdown } from '../../src/impact/private/impact-docs';
import { REMEDIES } from '../../src/impact/private/remedies';
import { LSM_HOOKS, SYSCALLS } from '../../src/impact/private/syscalls';

describe('docs/impact.md', () => {
  const md = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'impact.md'), 'utf8');

  test('is up to date with the syscall, hook and remedy tables (regenerate: npx projen docs)', () => {
    expect(md).toBe(renderImpactMarkdown());
  });

  test('names every syscall, hook and remedy', () => {
    for (const s of Object.keys(SYSCALLS)) expect(md).toContain(`\`SYS_${s}\``);
    for (const h of Object.keys(LSM_HOOKS)) expect(md).toContain(`\`SECURITY_${h}\``);
    for (const r of REMEDIES) expect(md).toContain(`| \`${r.id}\` | ${r.when} |`);
  });
});
