#!/usr/bin/env node
// Summarise a V8 CPU profile (node --cpu-prof) by self time: top functions and top files.
// Usage: node bench/profile.js <file.cpuprofile> [top=25] [--inclusive] [--split] [--callers name]
// (flags may come in any order; the first bare number is the row count)
'use strict';
const fs = require('fs');
const path = require('path');

const file = process.argv[2];
const topArg = process.argv.slice(3).find((a) => /^\d+$/.test(a));
const top = Number(topArg ?? 25);
const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const dt = new Map();
for (let i = 0; i < prof.samples.length; i++) {
  const id = prof.samples[i];
  dt.set(id, (dt.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
}
const fns = new Map();
const files = new Map();
let total = 0;
for (const [id, us] of dt) {
  const { callFrame: f } = byId.get(id);
  const where = f.url ? f.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, 'nm/').replace(process.cwd() + path.sep, '') : `(${f.functionName || 'native'})`;
  const key = `${f.functionName || '(anonymous)'} ${where}:${f.lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  files.set(where, (files.get(where) ?? 0) + us);
  total += us;
}
const show = (title, m) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`);
  }
};
console.log(`total sampled ${(total / 1000).toFixed(1)} ms`);
show('self time by function', fns);
show('self time by file', files);

// --callers NAME: self time of functions named NAME, by caller chain (3 frames up)
const ci = process.argv.indexOf('--callers');
if (ci >= 0) {
  const name = process.argv[ci + 1];
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const chains = new Map();
  for (const [id, us] of dt) {
    const node = byId.get(id);
    if (node.callFrame.functionName !== name) continue;
    const chain = [];
    for (let p = parent.get(id); p && chain.length < 4; p = parent.get(p.id)) {
      chain.push(`${p.callFrame.functionName || '(anon)'}@${path.basename(p.callFrame.url)}:${p.callFrame.lineNumber + 1}`);
    }
    const k = chain.join(' < ');
    chains.set(k, (chains.get(k) ?? 0) + us);
  }
  show(`callers of ${name}`, chains);
}

// --inclusive: total time of samples whose stack contains the function (each counted once per sample)
if (process.argv.includes('--inclusive')) {
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const incl = new Map();
  for (const [id, us] of dt) {
    const seen = new Set();
    for (let p = byId.get(id); p; p = parent.get(p.id)) {
      const f = p.callFrame;
      if (!f.url.includes('/lib/') || f.url.includes('node_modules')) continue;
      const k = `${f.functionName || '(anon)'} ${path.basename(f.url)}:${f.lineNumber + 1}`;
      if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + us); }
    }
  }
  show('inclusive time, library functions', incl);
}

// --split: share of the time whose stack has a frame of the library (lib/, not node_modules, not the generated
// imports) — the library's own work including what it calls — against everything else (cdk8s, yaml, node, GC).
// The wrapper that marks an app.synth() (synthesisWindow, lib/private/synth-window.js) is on every synth stack
// and only passes through to cdk8s: it does not count.
if (process.argv.includes('--split')) {
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n);
  let own = 0;
  for (const [id, us] of dt) {
    for (let p = byId.get(id); p; p = parent.get(p.id)) {
      const u = p.callFrame.url;
      if (p.callFrame.functionName === 'synthesisWindow') continue;
      if (u.includes('/lib/') && !u.includes('node_modules') && !u.includes('/lib/imports/') && p.callFrame.lineNumber > 0) { own += us; break; }
    }
  }
  console.log(`\nlibrary's own work (a library frame on the stack, module loading excluded): ${(own / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms (${((100 * own) / total).toFixed(1)} %)`);
}
