/**
 * The compliance report as one self-contained HTML page (inline CSS, no script, no external resource),
 * from the report's data model. Every control, policy and workload has an anchor; the matrix links to them.
 * scripts/check-report-html.js renders it in headless Chromium and checks the anchors and the matrix.
 */
import { cellText, describeProtected, LEVEL_TEXT, outcomeText, STATUS_MEANING, STATUS_TEXT } from './report-markdown';

function esc(s: unknown): string {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Inline `code` spans of the Markdown helpers' text, escaped. */
function inline(s: string): string {
  return esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function table(head: readonly string[], rows: ReadonlyArray<readonly string[]>, cls = ''): string {
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead>`
    + `<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

const CSS = [
  'body{font-family:system-ui,sans-serif;margin:2em;max-width:110em;color:#111}',
  'table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #999;padding:.25em .5em;vertical-align:top;text-align:left}',
  'th{background:#eee}code,pre{font-family:ui-monospace,monospace;font-size:.9em}pre{background:#f4f4f4;padding:.5em;overflow-x:auto}',
  '.wide{overflow-x:auto}.matrix td{white-space:nowrap}.matrix td:nth-child(2){white-space:normal;min-width:12em;max-width:22em}'
  + '.s-COVERED{background:#d9f2d9}.s-NOT_COVERED{background:#f8d0d0}.s-OPTED_OUT{background:#fbe7b5}',
  '.s-UNTRACKED_NAMESPACE{background:#ddd}.s-POLICY_AUDITED{background:#fbe7b5}.s-POLICY_DISABLED{background:#ddd}',
  '.l-PARTIAL,.l-SUPPORTS,.l-NOT_ADDRESSED,.l-NOT_ASSESSED{background:#eef6d9}.kernel{font-weight:bold}',
].join('');

function provenance(j: any): string {
  const p = j.provenance;
  return '<section id="provenance"><h2>Provenance</h2>'
    + table(['Item', 'Value'], [
      ['Generated at', `<time datetime="${esc(p.generatedAt)}">${esc(p.generatedAt)}</time>`],
      ['Generator', esc(`${p.library.name} ${p.library.version} (report schema ${j.schemaVersion})`)],
      ['Scope', `<code>${esc(j.scope)}</code>`],
      ['Application commit', esc(p.commit ?? 'not recorded')],
      ['Build', esc(p.buildId ?? 'not recorded')],
      ...p.frameworks.map((f: any) => [`Framework ${esc(f.framework)}`, `${esc(f.title)} (<a href="${esc(f.reference)}">${esc(f.reference)}</a>)`]),
    ])
    + '<p>Synthesised manifests (sha256 of the YAML cdk8s writes for each chart):</p>'
    + table(['Chart', 'Objects', 'sha256'], p.manifests.map((m: any) => [`<code>${esc(m.chart)}</code>`, esc(m.objects), `<code>${esc(m.sha256)}</code>`]))
    + '</section>';
}

function policyLinks(j: any, names: readonly string[] | undefined): string {
  return (names ?? []).map((n) => {
    const p = j.policies.find((x: any) => x.name === n);
    return p ? `<a href="#${p.anchor}">${esc(n)}</a>` : esc(n);
  }).join(', ');
}

function matrix(j: any): string {
  const head = ['Workload', 'Status', ...j.controls.map((c: any) => `<a href="#${c.anchor}" title="${esc(c.title)}">${esc(c.id)}</a>`)];
  const rows = j.matrix.rows.map((r: any) => [
    `<span id="${r.anchor}">${esc(r.workload)}</span>`,
    `<span class="status">${esc(STATUS_TEXT[r.status])}</span>${r.optOutReason ? `: ${esc(r.optOutReason)}` : ''}`,
    ...r.cells.map((c: any) => `<span class="cell s-${c.status}${c.level ? ` l-${c.level}` : ''}" data-status="${c.status}">`
      + `${esc(cellText(c))}</span>${c.policies ? `<br><small>${policyLinks(j, c.policies)}</small>` : ''}`),
  ]);
  // The status class goes on the cell itself, so the colour fills it.
  const html = table(head, rows, 'matrix').replace(/<td><span class="cell (s-[A-Z_]+)/g, '<td class="$1"><span class="cell $1');
  return `<section id="matrix"><h2>Workload × control matrix</h2><p>${esc(j.summary.workloads)} workloads × ${esc(j.summary.controls)} claimed controls; `
    + `${esc(j.summary.gaps)} cells are gaps.</p><div class="wide">${html}</div><p>¹ Detection cannot fire: every write to the protected paths fails with EROFS on the read-only root `
    + 'filesystem before KubeArmor sees it.</p><ul>'
    + STATUS_MEANING.map(([k, v]) => `<li><b>${esc(STATUS_TEXT[k])}</b>: ${esc(v)}</li>`).join('') + '</ul></section>';
}

function controls(j: any): string {
  const out: string[] = ['<section id="controls"><h2>Controls</h2>'];
  let framework: string | undefined;
  for (const c of j.controls) {
    if (c.frameworkTitle !== framework) {
      framework = c.frameworkTitle;
      out.push(`<h3>${esc(framework)}</h3>`);
    }
    out.push(`<article id="${c.anchor}"><h4>${esc(c.id)} ${esc(c.title)}</h4><p>Tag: <code>${esc(c.tag)}</code></p>`);
    if (c.builtIn) {
      out.push(`<p>Requirement: ${esc(c.requirement)} (${esc(c.source)})</p>`,
        `<p>Coverage with Block: <b>${esc(LEVEL_TEXT[c.coverage.block])}</b>; with Audit: <b>${esc(LEVEL_TEXT[c.coverage.audit])}</b>`
          + `${c.coverage.inContainer ? `; in a container: <b>${esc(LEVEL_TEXT[c.coverage.inContainer])}</b>` : ''}.${c.needsBlock ? ' The claim holds only with action Block.' : ''}</p>`,
        `<p>Not met: ${esc(c.notMet)}</p><p>Customer's responsibility: ${esc(c.customer)}</p>`);
    } else {
      out.push('<p>A custom control: not assessed by this library.</p>');
    }
    out.push(table(['Policy', 'Action', 'Level', 'Selected workloads'], c.claims.map((p: any) => [
      `<a href="#${p.anchor}">${esc(p.policy)}</a>`, esc(p.action), esc(LEVEL_TEXT[p.level]),
      p.workloads.map((w: string) => `<a href="#${j.matrix.rows.find((r: any) => r.workload === w).anchor}">${esc(w)}</a>`).join(', ')
        || (p.kind === 'KubeArmorHostPolicy' ? 'nodes' : 'none'),
    ])));
    if (c.gaps.length > 0) {
      out.push('<p>Gaps:</p><ul class="gaps">', ...c.gaps.map((g: any) => `<li><a href="#${j.matrix.rows.find((r: any) => r.workload === g.workload).anchor}">${esc(g.workload)}</a>: `
        + `${esc(STATUS_TEXT[g.status])}${g.reason ? ` (${esc(g.reason)})` : ''}</li>`), '</ul>');
    }
    out.push('</article>');
  }
  out.push('</section>');
  return out.join('');
}

function policies(j: any): string {
  const out: string[] = ['<section id="policies"><h2>Policies</h2><p>Each policy\'s protected set is listed once, here.</p>'];
  for (const p of j.policies) {
    out.push(`<article id="${p.anchor}"><h3>${esc(p.name)}</h3>`, table(['Field', 'Value'], [
      ['Kind', esc(p.kind)],
      ...(p.namespace !== undefined ? [['Namespace', esc(p.namespace)]] : []),
      ['Construct', `<code>${esc(p.constructPath)}</code> (${esc(p.construct)})`],
      ['Target', esc(p.target)],
      ['Action', esc(`${p.action} (${p.actionOrigin}): ${p.protection}`)],
      ...(p.severity !== undefined ? [['Severity', esc(p.severity)]] : []),
      ['Controls', p.controls.map((t: string) => {
        const c = j.controls.find((x: any) => x.tag === t);
        return c ? `<a href="#${c.anchor}"><code>${esc(t)}</code></a>` : `<code>${esc(t)}</code>`;
      }).join(' ')],
      ['Selects', p.selects.map((w: string) => `<a href="#${j.matrix.rows.find((r: any) => r.workload === w).anchor}">${esc(w)}</a>`).join(', ')
        || esc(p.kind === 'KubeArmorHostPolicy' ? 'nodes (not in the workload matrix)' : 'no workload in the manifests')],
      ['sha256', `<code>${esc(p.sha256)}</code>`],
      ...p.acknowledgements.map((a: any) => [`Lint ${esc(a.lint)} acknowledged`, esc(a.reason)]),
    ]), '<p>Protected:</p><ul>', ...describeProtected(p).map((x) => `<li>${inline(x)}</li>`), '</ul>');
    if (p.verify.length > 0) out.push('<h4>How to verify</h4>');
    for (const v of p.verify) {
      out.push(`<p>${esc(v.workload)}${v.container ? `, container ${esc(v.container)}` : ''} (${esc(v.operation)} <code>${esc(v.path)}</code>, rule <code>${esc(v.rule)}</code>):</p>`,
        v.command ? `<pre>${esc(v.command)}</pre>` : `<p>${esc(v.noCommand)}</p>`, '<ul>',
        ...v.outcomes.map((o: any) => `<li${o.action === 'KERNEL' ? ' class="kernel"' : ''}>${esc(outcomeText(o))}${o.caveats.length ? `; ${esc(o.caveats.join('; '))}` : ''}</li>`), '</ul>');
      if (v.kernelFirst) {
        out.push('<p class="kernel">The kernel refuses first: KubeArmor neither blocks nor alerts, so this policy gives no detection evidence for these paths in this pod. '
          + 'With a writable root filesystem (as the use-case card\'s pod ran):</p><ul>', ...v.withWritableRootFilesystem.map((o: any) => `<li>${esc(outcomeText(o))}</li>`), '</ul>');
      }
      const alert = (v.kernelFirst ? v.withWritableRootFilesystem : v.outcomes).find((o: any) => o.alert)?.alert;
      if (alert) out.push(`<p>Expected alert${v.kernelFirst ? ' (writable root filesystem)' : ''}:</p><pre>${esc(JSON.stringify(alert, null, 2))}</pre>`);
    }
    out.push('</article>');
  }
  out.push('</section>');
  return out.join('');
}

function notCovered(j: any): string {
  return '<section id="not-covered"><h2>Controls researched and not covered</h2><p>No KubeArmor rule meets these; they are never claimed.</p>'
    + table(['Framework', 'Control', 'Why not', 'Source'], j.notCovered.map((r: any) => [esc(r.framework), esc(`${r.id} ${r.title}`), esc(r.why), esc(r.source)]))
    + '</section>';
}

export function reportHtml(j: any): string {
  return ['<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">', '<title>Compliance evidence</title>',
    `<meta name="generator" content="${esc(`${j.provenance.library.name} ${j.provenance.library.version}`)}">`, `<style>${CSS}</style></head><body>`,
    '<h1>Compliance evidence</h1>',
    '<nav><a href="#provenance">Provenance</a> · <a href="#matrix">Matrix</a> · <a href="#controls">Controls</a> · <a href="#policies">Policies</a> · <a href="#not-covered">Not covered</a></nav>',
    `<p>Generated by cdk8s-kubearmor from the manifests under <code>${esc(j.scope)}</code>: ${esc(j.summary.policies)} policies claim ${esc(j.summary.controls)} controls `
      + `over ${esc(j.summary.workloads)} workloads. KubeArmor sees only the accesses the kernel lets reach the LSM hooks.</p>`,
    provenance(j), matrix(j), controls(j), policies(j), notCovered(j), '</body></html>', ''].join('\n');
}
