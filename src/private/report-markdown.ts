/**
 * The compliance report's Markdown rendering, from its data model (report-model.ts). Each policy's
 * protected set is listed once, under the policy; controls and the matrix refer to policies by name.
 */
import { PROBE_NAME } from './report-verify';

export const STATUS_TEXT: Record<string, string> = {
  COVERED: 'covered',
  NOT_COVERED: 'not covered',
  OPTED_OUT: 'opted out',
  UNTRACKED_NAMESPACE: 'untracked namespace',
  POLICY_AUDITED: 'kubearmor-policy: audited',
  POLICY_DISABLED: 'kubearmor-policy: disabled',
};

export const STATUS_MEANING: ReadonlyArray<[string, string]> = [
  ['COVERED', 'a policy claiming the control selects the pods; the level is the best of those policies'],
  ['NOT_COVERED', 'no policy claiming the control selects the pods'],
  ['OPTED_OUT', 'kept out of hardening with HardenedWorkload.optOut; the reason is given'],
  ['UNTRACKED_NAMESPACE', 'KubeArmor never enforces or alerts in this namespace (untrackedNs: kube-system, kubearmor)'],
  ['POLICY_AUDITED', 'the pod is annotated kubearmor-policy: audited: Block rules only alert (the level is the Audit level)'],
  ['POLICY_DISABLED', 'the pod is annotated kubearmor-policy: disabled: KubeArmor neither enforces nor alerts'],
];

export const LEVEL_TEXT: Record<string, string> = {
  SATISFIES: 'Satisfies', PARTIAL: 'Partial', SUPPORTS: 'Supports', NOT_ADDRESSED: 'Not addressed', NOT_ASSESSED: 'Not assessed',
};

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function row(values: readonly string[]): string {
  return `| ${values.map(cell).join(' | ')} |`;
}

function header(values: readonly string[]): string[] {
  return [row(values), `|${values.map(() => '---').join('|')}|`];
}

/** The text of one matrix cell. */
export function cellText(c: any): string {
  if (c.status === 'COVERED') return `${LEVEL_TEXT[c.level]}${c.detection ? ' ¹' : ''}`;
  if (c.status === 'POLICY_AUDITED') return `audited: ${LEVEL_TEXT[c.level]}`;
  return STATUS_TEXT[c.status];
}

export function outcomeText(o: any): string {
  const alert = o.alert ? `alert ${o.alert.PolicyName} (Action ${o.alert.Action}, Result ${o.alert.Result})` : 'no KubeArmor alert';
  return `${o.enforcer}: ${o.result} (${o.action}), ${alert}`;
}

export function describeProtected(p: any): string[] {
  return [
    ...p.directories.map((d: any) => `\`${d.dir}\` (directory, ${d.recursive ? 'recursive' : 'direct children only'}, ${d.readOnly ? 'read-only' : 'all access'})`),
    ...p.paths.map((x: any) => `\`${x.path}\` (file, ${x.readOnly ? 'read-only' : 'all access'})`),
    ...p.otherRules.map((r: any) => `\`${r.target}\` (${r.list}, ${r.action})`),
  ];
}

function provenance(j: any): string[] {
  const p = j.provenance;
  return [
    '## Provenance', '',
    ...header(['Item', 'Value']),
    row(['Generated at', p.generatedAt]),
    row(['Generator', `${p.library.name} ${p.library.version} (report schema ${j.schemaVersion})`]),
    row(['Scope', `\`${j.scope}\``]),
    row(['Application commit', p.commit ?? 'not recorded']),
    row(['Build', p.buildId ?? 'not recorded']),
    ...p.frameworks.map((f: any) => row([`Framework ${f.framework}`, `${f.title} (${f.reference})`])),
    '',
    'Synthesised manifests (sha256 of the YAML cdk8s writes for each chart):', '',
    ...header(['Chart', 'Objects', 'sha256']),
    ...p.manifests.map((m: any) => row([`\`${m.chart}\``, String(m.objects), `\`${m.sha256}\``])),
    '',
  ];
}

function matrix(j: any): string[] {
  const cols = j.controls.map((c: any) => `${c.framework === 'MITRE_ATTACK' ? 'ATT&CK' : c.framework.replace(/_.*/, '')} ${c.id}`);
  const lines = ['## Workload × control matrix', '',
    `${j.summary.workloads} workloads × ${j.summary.controls} claimed controls; ${j.summary.gaps} cells are gaps (not covered, opted out, untracked, audited or disabled).`, '',
    ...header(['Workload', 'Status', ...cols])];
  for (const r of j.matrix.rows) {
    const status = `${STATUS_TEXT[r.status]}${r.optOutReason ? `: ${r.optOutReason}` : ''}`;
    lines.push(row([r.workload, status, ...r.cells.map(cellText)]));
  }
  lines.push('', '¹ Detection cannot fire: every write to the protected paths fails with EROFS on the read-only root filesystem before KubeArmor sees it (docs/kernel-before-lsm.md).', '');
  for (const [k, v] of STATUS_MEANING) lines.push(`- **${STATUS_TEXT[k]}**: ${v}`);
  lines.push('');
  return lines;
}

function controls(j: any): string[] {
  const lines = ['## Controls', ''];
  let framework: string | undefined;
  for (const c of j.controls) {
    if (c.frameworkTitle !== framework) {
      framework = c.frameworkTitle;
      lines.push(`### ${c.frameworkTitle}`, '');
    }
    lines.push(`#### ${c.id} ${c.title}`, '', `Tag: \`${c.tag}\``, '');
    if (c.builtIn) {
      const inContainer = c.coverage.inContainer ? `; in a container: **${LEVEL_TEXT[c.coverage.inContainer]}**` : '';
      lines.push(`Requirement: ${c.requirement} (${c.source})`, '',
        `Coverage with Block: **${LEVEL_TEXT[c.coverage.block]}**; with Audit: **${LEVEL_TEXT[c.coverage.audit]}**${inContainer}.`
          + (c.needsBlock ? ' The claim holds only with action Block.' : ''), '',
        `Not met: ${c.notMet}`, '', `Customer's responsibility: ${c.customer}`, '');
    } else {
      lines.push('A custom control: not assessed by this library.', '');
    }
    lines.push(...header(['Policy', 'Action', 'Level', 'Selected workloads']));
    for (const p of c.claims) lines.push(row([p.policy, p.action, LEVEL_TEXT[p.level], p.workloads.join(', ') || (p.kind === 'KubeArmorHostPolicy' ? 'nodes' : 'none')]));
    lines.push('');
    if (c.gaps.length > 0) {
      lines.push('Gaps:', '', ...c.gaps.map((g: any) => `- ${g.workload}: ${STATUS_TEXT[g.status]}${g.reason ? ` (${g.reason})` : ''}`), '');
    }
  }
  return lines;
}

function policies(j: any): string[] {
  const lines = ['## Policies', '', 'Each policy\'s protected set is listed once, here.', ''];
  for (const p of j.policies) {
    lines.push(`### ${p.name}`, '',
      ...header(['Field', 'Value']),
      row(['Kind', p.kind]),
      ...(p.namespace !== undefined ? [row(['Namespace', p.namespace])] : []),
      row(['Construct', `\`${p.constructPath}\` (${p.construct})`]),
      row(['Target', p.target]),
      row(['Action', `${p.action} (${p.actionOrigin}): ${p.protection}`]),
      ...(p.severity !== undefined ? [row(['Severity', String(p.severity)])] : []),
      row(['Controls', p.controls.map((t: string) => `\`${t}\``).join(' ')]),
      row(['Selects', p.selects.join(', ') || (p.kind === 'KubeArmorHostPolicy' ? 'nodes (not in the workload matrix)' : 'no workload in the manifests')]),
      row(['sha256', `\`${p.sha256}\``]),
      ...p.acknowledgements.map((a: any) => row([`Lint ${a.lint} acknowledged`, a.reason])),
      '', 'Protected:', '', ...describeProtected(p).map((x) => `- ${x}`), '');
    if (p.verify.length > 0) lines.push('How to verify:', '');
    for (const v of p.verify) {
      lines.push(`${v.workload}${v.container ? `, container ${v.container}` : ''} (${v.operation} ${v.path}, rule ${v.rule}):`, '');
      lines.push(v.command ? ['```sh', v.command, '```'].join('\n') : v.noCommand, '');
      for (const o of v.outcomes) lines.push(`- ${outcomeText(o)}${o.caveats.length ? `; ${o.caveats.join('; ')}` : ''}`);
      if (v.kernelFirst) {
        lines.push('', 'The kernel refuses first: KubeArmor neither blocks nor alerts, so this policy gives no detection evidence for these paths in this pod. '
          + 'With a writable root filesystem (as the use-case card\'s pod ran):', '');
        for (const o of v.withWritableRootFilesystem) lines.push(`- ${outcomeText(o)}`);
      }
      const alert = (v.kernelFirst ? v.withWritableRootFilesystem : v.outcomes).find((o: any) => o.alert)?.alert;
      if (alert) lines.push('', `Expected alert${v.kernelFirst ? ' (writable root filesystem)' : ''}, the fields the simulator predicts:`, '', '```json', JSON.stringify(alert, null, 2), '```');
      lines.push('');
    }
    if (p.verify.length > 0) lines.push(`Remove the probe afterwards if it was created (\`${PROBE_NAME}\`).`, '');
  }
  return lines;
}

function notCovered(j: any): string[] {
  return ['## Controls researched and not covered', '', 'No KubeArmor rule meets these; they are never claimed.', '',
    ...header(['Framework', 'Control', 'Why not', 'Source']),
    ...j.notCovered.map((r: any) => row([r.framework, `${r.id} ${r.title}`, r.why, r.source])), ''];
}

export function reportMarkdown(j: any): string {
  return [
    '# Compliance evidence', '',
    `Generated by cdk8s-kubearmor from the manifests under \`${j.scope}\`: ${j.summary.policies} ${j.summary.policies === 1 ? 'policy claims' : 'policies claim'} `
      + `${j.summary.controls} ${j.summary.controls === 1 ? 'control' : 'controls'} over ${j.summary.workloads} ${j.summary.workloads === 1 ? 'workload' : 'workloads'}. `
      + 'Read-only rules let reads and exec through; with Block KubeArmor denies every change (write, append, truncate, create, delete, '
      + 'rename, chmod, link) and alerts, with Audit it only alerts on those changes — for accesses the kernel lets reach the LSM hooks.',
    '',
    ...provenance(j), ...matrix(j), ...controls(j), ...policies(j), ...notCovered(j),
  ].join('\n');
}
