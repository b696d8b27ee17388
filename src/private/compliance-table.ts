/**
 * THE compliance table's frameworks and the helpers that read it. The controls themselves are data in
 * compliance-rows.ts. `ComplianceControl`'s constants, the tags on synthesised policies,
 * `docs/compliance-controls.md` (scripts/generate-docs.ts) and `ComplianceReport` are all generated
 * from these rows; `test/compliance.test.ts` checks that they agree.
 *
 * Tag spellings follow upstream KubeArmor policy templates where one exists and the meaning agrees
 * (`upstream` says where); otherwise they follow the same grammar.
 */
import { CONTROL_ROWS } from './compliance-rows';

/** Keys of the frameworks; equal to the values of the public `ComplianceFramework` enum. */
export type FrameworkKey = 'NIST_800_53' | 'PCI_DSS' | 'CIS_LINUX' | 'MITRE_ATTACK';

/** Coverage levels; equal to the values of the public `CoverageLevel` enum. */
export type Coverage = 'SATISFIES' | 'PARTIAL' | 'SUPPORTS' | 'NOT_ADDRESSED';

export interface FrameworkRow {
  readonly key: FrameworkKey;
  /** The framework's name, without version. */
  readonly name: string;
  /** The exact version the control rows were researched against. */
  readonly version: string;
  /** Bare tags emitted once per policy before the framework's control tags (e.g. `NIST`). */
  readonly frameworkTags: readonly string[];
  /** Prefix of a control tag; the control id follows. */
  readonly tagPrefix: string;
  /** Whether control tags append `_<title as snake case>` (upstream MITRE and CIS spelling). */
  readonly titleInTag: boolean;
  /** Syntax of a control id of this framework. */
  readonly idPattern: RegExp;
  /** An id that matches `idPattern`, for error messages. */
  readonly idExample: string;
  /** Where the framework is published. */
  readonly reference: string;
  /** How tags of this framework are to be read (version choices). */
  readonly note: string;
}

export interface ControlRow {
  readonly framework: FrameworkKey;
  /** The control id exactly as the framework writes it. */
  readonly id: string;
  /** The official title (for PCI DSS, which has no titles, a short name of the requirement). */
  readonly title: string;
  /** What the framework requires, in short. */
  readonly requirement: string;
  /** Where in the framework's text the requirement is (section, item). */
  readonly source: string;
  /** The KubeArmor tag. */
  readonly tag: string;
  /** Name of the `ComplianceControl` static constant. */
  readonly constant: string;
  /** Where the tag spelling was seen upstream; undefined when this library coined it. */
  readonly upstream?: string;
  /** Coverage by this library's readOnly rules on the claimed paths with action Block. */
  readonly block: Coverage;
  /** Coverage with action Audit (staged rollout). */
  readonly audit: Coverage;
  /** Coverage in a container (KubeArmorPolicy / KubeArmorClusterPolicy) when it differs from a host policy's. */
  readonly inContainer?: Coverage;
  /** What of the requirement the rules do not meet. */
  readonly notMet: string;
  /** What the customer (the operator of the cluster) must do for the rest. */
  readonly customer: string;
}

/** A control researched and found NOT covered by a KubeArmor file rule: listed, never claimable. */
export interface NotCoveredRow {
  readonly framework: FrameworkKey;
  readonly id: string;
  readonly title: string;
  readonly requirement: string;
  readonly source: string;
  /** Why a runtime file rule does not meet it, and what does. */
  readonly why: string;
}

/** A reference seen in third-party material that is not a real control, and the real controls it stands for. */
export interface AliasRow {
  readonly reference: string;
  readonly seenIn: string;
  readonly explanation: string;
  /** `<framework>:<id>` keys of the real controls (in CONTROL_ROWS or NOT_COVERED_ROWS). */
  readonly mapsTo: readonly string[];
}

/** Frameworks in tag order. NIST before MITRE reproduces the upstream FIM template's tag order. */
export const FRAMEWORKS: readonly FrameworkRow[] = [
  {
    key: 'NIST_800_53',
    name: 'NIST SP 800-53',
    version: 'Rev. 5.1.1',
    frameworkTags: ['NIST'],
    tagPrefix: 'NIST_800-53_',
    titleInTag: false,
    idPattern: /^[A-Z]{2}-\d{1,2}(\(\d{1,2}\))?$/,
    idExample: 'SI-7(1)',
    reference: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
    note: 'Control ids of Rev. 5 (release 5.1.1, November 2023). Upstream KubeArmor templates also write bare ids (`AU-12`, `AU-9`); '
      + 'this library always writes the `NIST_800-53_` prefix its FIM template uses.',
  },
  {
    key: 'PCI_DSS',
    name: 'PCI DSS',
    version: 'v4.0.1',
    frameworkTags: ['PCI_DSS'],
    tagPrefix: 'PCI_DSS_',
    titleInTag: false,
    idPattern: /^\d{1,2}(\.\d{1,2}){0,3}$/,
    idExample: '11.5.2',
    reference: 'https://docs-prv.pcisecuritystandards.org/PCI%20DSS/Standard/PCI-DSS-v4_0_1.pdf',
    note: 'Requirement numbers of v4.0.1 (June 2024; v4.0 is retired, same numbers). Where the same number means a different '
      + 'requirement in v3.2.1 (the version KubeArmor\'s tags.yaml uses), the tag is version-qualified: `PCI_DSS_4.0.1_<id>`.',
  },
  {
    key: 'CIS_LINUX',
    name: 'CIS Distribution Independent Linux Benchmark',
    version: 'v2.0.0',
    frameworkTags: ['CIS', 'CIS_Linux'],
    tagPrefix: 'CIS_',
    titleInTag: true,
    idPattern: /^\d{1,2}(\.\d{1,2}){0,3}$/,
    idExample: '4.1.16',
    reference: 'https://www.cisecurity.org/benchmark/distribution_independent_linux',
    note: 'Recommendation numbers of v2.0.0 (July 2019), the numbering KubeArmor\'s `generic/system/ksp-cis-*` templates use. '
      + 'The benchmark audits hosts; in a container a KubeArmor rule is at most a compensating record of the same events.',
  },
  {
    key: 'MITRE_ATTACK',
    name: 'MITRE ATT&CK Enterprise',
    version: 'v17',
    frameworkTags: ['MITRE'],
    tagPrefix: 'MITRE_',
    titleInTag: true,
    idPattern: /^T\d{4}(\.\d{3})?$/,
    idExample: 'T1565',
    reference: 'https://attack.mitre.org/versions/v17/techniques/enterprise/',
    note: 'Technique ids and names of ATT&CK v17 (April 2025). Techniques are not requirements: the level says how much of the '
      + 'technique\'s file-write behaviour on the protected paths is prevented (Block) or detected (Audit).',
  },
];

export const CONTROLS: readonly ControlRow[] = CONTROL_ROWS;

/** Display name with version, e.g. `NIST SP 800-53 Rev. 5.1.1`. */
export function frameworkTitle(f: FrameworkRow): string {
  return `${f.name} ${f.version}`;
}

export function frameworkRow(key: string): FrameworkRow | undefined {
  return FRAMEWORKS.find((f) => f.key === key);
}

export function controlRow(framework: string, id: string): ControlRow | undefined {
  return CONTROLS.find((c) => c.framework === framework && c.id === id);
}

/** `Data Manipulation` -> `data_manipulation`. */
export function snake(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** The tag of a control that is not in the table. */
export function customTag(framework: FrameworkRow, id: string, title?: string): string {
  const suffix = framework.titleInTag && title !== undefined && snake(title).length > 0 ? `_${snake(title)}` : '';
  return `${framework.tagPrefix}${id}${suffix}`;
}

/** Sort key: framework position, then table position (custom controls after, by id). */
export function controlOrder(framework: string, id: string): [number, number, string] {
  const f = FRAMEWORKS.findIndex((x) => x.key === framework);
  const i = CONTROLS.findIndex((c) => c.framework === framework && c.id === id);
  return [f, i < 0 ? CONTROLS.length : i, id];
}

export function compareControls(a: { framework: string; id: string }, b: { framework: string; id: string }): number {
  const x = controlOrder(a.framework, a.id);
  const y = controlOrder(b.framework, b.id);
  for (let k = 0; k < 3; k++) if (x[k] !== y[k]) return x[k] < y[k] ? -1 : 1;
  return 0;
}
