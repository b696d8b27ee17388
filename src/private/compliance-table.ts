/**
 * THE compliance table: every framework and control this library knows, with the exact KubeArmor tag
 * each renders to. `ComplianceControl`'s constants, the tags on synthesised policies,
 * `docs/compliance-controls.md` (scripts/generate-docs.ts) and `ComplianceReport` are all
 * generated from these rows; `test/compliance.test.ts` checks that they agree.
 *
 * Tag spellings follow upstream KubeArmor policy templates where one exists (`upstream` says where);
 * otherwise they follow the same grammar (PRESETS-AND-COMPLIANCE.md §c).
 */

/** Keys of the frameworks; equal to the values of the public `ComplianceFramework` enum. */
export type FrameworkKey = 'NIST_800_53' | 'PCI_DSS' | 'CIS_LINUX' | 'MITRE_ATTACK';

export interface FrameworkRow {
  readonly key: FrameworkKey;
  /** Human-readable name, with version. */
  readonly title: string;
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
  /** Where the framework is defined. */
  readonly reference: string;
}

export interface ControlRow {
  readonly framework: FrameworkKey;
  /** The control id exactly as the framework writes it. */
  readonly id: string;
  readonly title: string;
  /** The KubeArmor tag. */
  readonly tag: string;
  /** Name of the `ComplianceControl` static constant. */
  readonly constant: string;
  /** Where the tag spelling was seen upstream; undefined when this library coined it. */
  readonly upstream?: string;
}

/** Frameworks in tag order. NIST before MITRE reproduces the upstream FIM template's tag order. */
export const FRAMEWORKS: readonly FrameworkRow[] = [
  {
    key: 'NIST_800_53',
    title: 'NIST SP 800-53 Rev. 5',
    frameworkTags: ['NIST'],
    tagPrefix: 'NIST_800-53_',
    titleInTag: false,
    idPattern: /^[A-Z]{2}-\d{1,2}(\(\d{1,2}\))?$/,
    idExample: 'SI-7(1)',
    reference: 'https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final',
  },
  {
    key: 'PCI_DSS',
    title: 'PCI DSS v4.0',
    frameworkTags: ['PCI_DSS'],
    tagPrefix: 'PCI_DSS_',
    titleInTag: false,
    idPattern: /^\d{1,2}(\.\d{1,2}){0,3}$/,
    idExample: '11.5.2',
    reference: 'https://www.pcisecuritystandards.org/document_library/',
  },
  {
    key: 'CIS_LINUX',
    title: 'CIS Distribution Independent Linux Benchmark v2.0',
    frameworkTags: ['CIS', 'CIS_Linux'],
    tagPrefix: 'CIS_',
    titleInTag: true,
    idPattern: /^\d{1,2}(\.\d{1,2}){0,3}$/,
    idExample: '6.3.5',
    reference: 'https://www.cisecurity.org/benchmark/distribution_independent_linux',
  },
  {
    key: 'MITRE_ATTACK',
    title: 'MITRE ATT&CK (Enterprise)',
    frameworkTags: ['MITRE'],
    tagPrefix: 'MITRE_',
    titleInTag: true,
    idPattern: /^T\d{4}(\.\d{3})?$/,
    idExample: 'T1565',
    reference: 'https://attack.mitre.org/techniques/enterprise/',
  },
];

const KA_FIM = 'KubeArmor policy-templates generic/system/ksp-file-integrity-monitoring.yaml';

function row(framework: FrameworkKey, id: string, title: string, constant: string, tag: string, upstream?: string): ControlRow {
  return { framework, id, title, constant, tag, upstream };
}

/**
 * Controls, grouped by framework in `FRAMEWORKS` order, each group in tag order.
 * Add rows here only; everything else is generated.
 */
export const CONTROLS: readonly ControlRow[] = [
  // NIST SP 800-53 Rev. 5
  row('NIST_800_53', 'AU-2', 'Event Logging', 'NIST_AU_2', 'NIST_800-53_AU-2', KA_FIM),
  row('NIST_800_53', 'AU-9', 'Protection of Audit Information', 'NIST_AU_9', 'NIST_800-53_AU-9', 'KubeArmor policy-templates nist/system/ksp-nist-au-9-* (as AU-9)'),
  row('NIST_800_53', 'CM-5', 'Access Restrictions for Change', 'NIST_CM_5', 'NIST_800-53_CM-5', 'KubeArmor policy-templates ksp-shell-history-modification.yaml'),
  row('NIST_800_53', 'CM-6', 'Configuration Settings', 'NIST_CM_6', 'NIST_800-53_CM-6'),
  row('NIST_800_53', 'CM-7(4)', 'Least Functionality | Unauthorized Software — Deny-by-exception', 'NIST_CM_7_4', 'NIST_800-53_CM-7(4)', 'KubeArmor policy-templates pkg-mngr-exec'),
  row('NIST_800_53', 'IA-5', 'Authenticator Management', 'NIST_IA_5', 'NIST_800-53_IA-5'),
  row('NIST_800_53', 'SC-17', 'Public Key Infrastructure Certificates', 'NIST_SC_17', 'NIST_800-53_SC-17', 'KubeArmor policy-templates ksp-sc-17-* (as SC-17)'),
  row('NIST_800_53', 'SI-4', 'System Monitoring', 'NIST_SI_4', 'NIST_800-53_SI-4', KA_FIM),
  row('NIST_800_53', 'SI-7', 'Software, Firmware, and Information Integrity', 'NIST_SI_7', 'NIST_800-53_SI-7', 'KubeArmor policy-templates ksp-deny-write-under-etc-directory.yaml'),
  // PCI DSS v4.0
  row('PCI_DSS', '10.3.4', 'File integrity monitoring or change-detection on audit logs', 'PCI_DSS_10_3_4', 'PCI_DSS_10.3.4'),
  row('PCI_DSS', '11.5.2', 'Change-detection mechanism (file integrity monitoring) on critical files', 'PCI_DSS_11_5_2', 'PCI_DSS_11.5.2'),
  // CIS Distribution Independent Linux v2.0
  row('CIS_LINUX', '4.1.16', 'System administration scope (sudoers) changes', 'CIS_LINUX_4_1_16', 'CIS_4.1.16_system_administration_scope',
    'KubeArmor policy-templates ksp-cis-deny-changes-to-system-administration-scope.yaml'),
  row('CIS_LINUX', '5.1', 'Configure cron', 'CIS_LINUX_5_1', 'CIS_5.1_Configure_Cron', 'KubeArmor policy-templates ksp-nist-si-4-detect-access-to-cron-job-files.yaml'),
  row('CIS_LINUX', '6.1', 'System file permissions', 'CIS_LINUX_6_1', 'CIS_6.1_System_File_Permissions', 'KubeArmor policy-templates ksp-cis-deny-modification-of-system-files.yaml'),
  row('CIS_LINUX', '6.3.5', 'File integrity monitoring', 'CIS_LINUX_6_3_5', 'CIS_6.3.5_file_integrity_monitoring'),
  // MITRE ATT&CK
  row('MITRE_ATTACK', 'T1036', 'Masquerading', 'MITRE_T1036', 'MITRE_T1036_masquerading', KA_FIM),
  row('MITRE_ATTACK', 'T1053.003', 'Scheduled Task/Job: Cron', 'MITRE_T1053_003', 'MITRE_T1053.003_cron'),
  row('MITRE_ATTACK', 'T1098', 'Account Manipulation', 'MITRE_T1098', 'MITRE_T1098_account_manipulation'),
  row('MITRE_ATTACK', 'T1098.004', 'Account Manipulation: SSH Authorized Keys', 'MITRE_T1098_004', 'MITRE_T1098.004_ssh_authorized_keys'),
  row('MITRE_ATTACK', 'T1542', 'Pre-OS Boot', 'MITRE_T1542', 'MITRE_T1542_pre_os_boot'),
  row('MITRE_ATTACK', 'T1546.004', 'Event Triggered Execution: Unix Shell Configuration Modification', 'MITRE_T1546_004',
    'MITRE_T1546.004_unix_shell_configuration_modification'),
  row('MITRE_ATTACK', 'T1548.003', 'Abuse Elevation Control Mechanism: Sudo and Sudo Caching', 'MITRE_T1548_003', 'MITRE_T1548.003_sudo_and_sudo_caching'),
  row('MITRE_ATTACK', 'T1553', 'Subvert Trust Controls', 'MITRE_T1553', 'MITRE_T1553_Subvert_Trust_Controls', 'KubeArmor policy-templates maint-tools / certificate policies'),
  row('MITRE_ATTACK', 'T1554', 'Compromise Host Software Binary', 'MITRE_T1554', 'MITRE_T1554_compromise_host_software_binary'),
  row('MITRE_ATTACK', 'T1556.003', 'Modify Authentication Process: Pluggable Authentication Modules', 'MITRE_T1556_003',
    'MITRE_T1556.003_pluggable_authentication_modules'),
  row('MITRE_ATTACK', 'T1565', 'Data Manipulation', 'MITRE_T1565', 'MITRE_T1565_data_manipulation', KA_FIM),
  row('MITRE_ATTACK', 'T1574.006', 'Hijack Execution Flow: Dynamic Linker Hijacking', 'MITRE_T1574_006', 'MITRE_T1574.006_dynamic_linker_hijacking'),
];

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
