#!/usr/bin/env node
/*
 * Renders a compliance report's HTML in headless Chromium (Debian's `chromium`) and checks what an auditor
 * relies on: the page renders (the DOM Chromium serialises after layout holds the report), every internal
 * link (#anchor) resolves to an element id, and the workload × control matrix shows the gaps given with
 * --expect (a workload and the status text one of its cells must show). Writes a full-page screenshot.
 *
 *   node scripts/check-report-html.js <report.html> [--screenshot out.png] [--expect 'Deployment/ns/name=not covered' ...]
 *
 * Exit 1 with every failure listed.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
const file = args[0];
if (!file || !fs.existsSync(file)) {
  console.error(`usage: check-report-html.js <report.html> [--screenshot out.png] [--expect 'workload=status' ...] (${file ?? 'no file'} not found)`);
  process.exit(2);
}
const expects = [];
let screenshot;
for (let i = 1; i < args.length; i++) {
  if (args[i] === '--screenshot') screenshot = args[++i];
  else if (args[i] === '--expect') expects.push(args[++i]);
  else { console.error(`unknown argument ${args[i]}`); process.exit(2); }
}
const browser = process.env.CHROMIUM ?? 'chromium';
const url = `file://${path.resolve(file)}`;
const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--hide-scrollbars'];
const dom = execFileSync(browser, [...flags, '--dump-dom', url], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
const failures = [];

if (!/<h1>Compliance evidence<\/h1>/.test(dom)) failures.push('the rendered DOM has no <h1>Compliance evidence</h1>: the page did not render');
const ids = new Set([...dom.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
const links = [...dom.matchAll(/\shref="#([^"]*)"/g)].map((m) => m[1]);
if (links.length === 0) failures.push('no internal links found');
const dangling = [...new Set(links.filter((l) => !ids.has(l)))];
for (const l of dangling) failures.push(`link #${l} has no element with id="${l}"`);

const matrix = /<table class="matrix">([\s\S]*?)<\/table>/.exec(dom);
if (!matrix) failures.push('no matrix table (table.matrix) in the rendered DOM');
const rows = matrix ? [...matrix[1].matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]) : [];
const text = (html) => html.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').trim();
const table = rows.map((r) => [...r.matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((c) => text(c[1])));
for (const e of expects) {
  const [workload, status] = e.split('=');
  const row = table.find((r) => r[0] === workload);
  if (!row) failures.push(`matrix has no row for ${workload} (rows: ${table.slice(1).map((r) => r[0]).join(', ')})`);
  else if (!row.slice(1).some((c) => c.startsWith(status))) failures.push(`matrix row ${workload} shows no '${status}' (cells: ${[...new Set(row.slice(1))].join(' | ')})`);
}

if (screenshot) {
  fs.mkdirSync(path.dirname(path.resolve(screenshot)), { recursive: true });
  execFileSync(browser, [...flags, `--screenshot=${path.resolve(screenshot)}`, '--window-size=1600,2400', url], { stdio: 'ignore' });
  if (!fs.existsSync(screenshot) || fs.statSync(screenshot).size < 10000) failures.push(`screenshot ${screenshot} missing or blank`);
}

if (failures.length > 0) {
  console.error(`${file}: ${failures.length} problem(s) in the rendered report:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  process.exit(1);
}
console.log(`${file}: rendered by ${browser}; ${links.length} internal links resolve to ${ids.size} ids; matrix ${table.length - 1} rows; ${expects.length} expected gaps shown${screenshot ? `; screenshot ${screenshot}` : ''}`);
