/**
 * The other side of the compliance table: controls researched and found not covered by any KubeArmor file
 * rule (listed, never claimable), and references seen in third-party material that are not controls at all.
 * docs/compliance-controls.md renders both.
 */
import type { AliasRow, NotCoveredRow } from './compliance-table';

const R5 = 'NIST SP 800-53 Rev. 5.1.1';
const PCI = 'PCI DSS v4.0.1';
const CIS = 'CIS Distribution Independent Linux Benchmark v2.0.0';
/** Researched and not covered by any KubeArmor file rule: listed so nobody claims them. */
export const NOT_COVERED_ROWS: readonly NotCoveredRow[] = [
  {
    framework: 'NIST_800_53',
    id: 'CM-3',
    title: 'Configuration Change Control',
    source: `${R5}, CM-3`,
    requirement: 'Determine, review, approve, document, implement and audit controlled changes to the system.',
    why: 'A change-control process (review and approval of images and manifests); runtime file rules prevent changes, they do not control them.',
  },
  {
    framework: 'NIST_800_53',
    id: 'SI-7(1)',
    title: 'Software, Firmware, and Information Integrity | Integrity Checks',
    source: `${R5}, SI-7(1)`,
    requirement: 'Perform an integrity check of software, firmware and information at startup, at defined transitional states or events, and at a defined frequency.',
    why: 'KubeArmor keeps no baseline and performs no check; use image digest and signature verification or AIDE on nodes.',
  },
  {
    framework: 'NIST_800_53',
    id: 'SI-7(15)',
    title: 'Software, Firmware, and Information Integrity | Code Authentication',
    source: `${R5}, SI-7(15)`,
    requirement: 'Implement cryptographic mechanisms to authenticate defined software or firmware components prior to installation.',
    why: 'No signature is verified; use image signing and admission verification (e.g. cosign with a policy controller).',
  },
  {
    framework: 'PCI_DSS',
    id: '11.5.1',
    title: 'Intrusion-detection and/or intrusion-prevention techniques',
    source: `${PCI}, Requirement 11.5.1`,
    requirement: 'Intrusion-detection and/or intrusion-prevention techniques are used to detect and/or prevent intrusions into the network.',
    why: 'A network requirement in v4.0.1 (in v3.2.1, 11.5.1 was responding to change-detection alerts); file rules do not monitor network traffic.',
  },
  {
    framework: 'CIS_LINUX',
    id: '1.3.1',
    title: 'Ensure AIDE is installed',
    source: `${CIS}, 1.3.1 (Filesystem Integrity Checking)`,
    requirement: 'Install AIDE, a baseline file integrity checker.',
    why: 'A host package; KubeArmor is not AIDE and keeps no baseline.',
  },
  {
    framework: 'CIS_LINUX',
    id: '1.3.2',
    title: 'Ensure filesystem integrity is regularly checked',
    source: `${CIS}, 1.3.2 (Filesystem Integrity Checking)`,
    requirement: 'Schedule a periodic AIDE check (cron job or systemd timer).',
    why: 'A periodic comparison against a baseline; a runtime rule performs none.',
  },
];

/** References seen in third-party material that are not controls of the framework version they name. */
export const ALIAS_ROWS: readonly AliasRow[] = [
  {
    reference: 'CIS 6.3.5 "file integrity monitoring"',
    seenIn: 'the AccuKnox FIM use-case card (free text, never a tag of the seed policy)',
    explanation: 'CIS Distribution Independent Linux v2.0.0 has no 6.3.5 (section 6 is 6.1 System File Permissions and 6.2 User and Group Settings). '
      + 'Its file integrity recommendations are 1.3.1 and 1.3.2, neither of which a runtime rule meets. No constant or tag is emitted for 6.3.5.',
    mapsTo: ['CIS_LINUX:1.3.1', 'CIS_LINUX:1.3.2'],
  },
];
