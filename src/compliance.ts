import type { ControlRow, FrameworkKey } from './private/compliance-table';
import { lazy } from './private/lazy';

// Loaded on first use, not when the library is loaded (cold require cost).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazyComplianceTable = lazy((): typeof import('./private/compliance-table') => require('./private/compliance-table'));
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * A compliance framework whose controls a policy can claim. Closed set: controls of other
 * frameworks can be expressed as free `tags`.
 */
export enum ComplianceFramework {
  /** NIST SP 800-53 Rev. 5.1.1. Framework tag `NIST`; control tags `NIST_800-53_<id>`, e.g. `NIST_800-53_SI-4`. */
  NIST_800_53 = 'NIST_800_53',
  /**
   * PCI DSS v4.0.1. Framework tag `PCI_DSS`; control tags `PCI_DSS_<requirement>`, e.g. `PCI_DSS_11.5.2`, or
   * `PCI_DSS_4.0.1_<requirement>` where the number means another requirement in v3.2.1 (e.g. `PCI_DSS_4.0.1_10.3.4`).
   */
  PCI_DSS = 'PCI_DSS',
  /**
   * CIS Distribution Independent Linux Benchmark v2.0.0. Framework tags `CIS`, `CIS_Linux`; control tags
   * `CIS_<id>_<title>`, e.g. `CIS_5.1_Configure_Cron`.
   */
  CIS_LINUX = 'CIS_LINUX',
  /** MITRE ATT&CK Enterprise v17. Framework tag `MITRE`; control tags `MITRE_<technique>_<name>`, e.g. `MITRE_T1565_data_manipulation`. */
  MITRE_ATTACK = 'MITRE_ATTACK',
}

/**
 * How much of a control's requirement a rule set meets (see `docs/compliance-controls.md`).
 */
export enum CoverageLevel {
  /** The rules meet the requirement for the protected paths of the selected pods. */
  SATISFIES = 'SATISFIES',
  /** The rules meet a named part of the requirement; the rest is listed as not met. */
  PARTIAL = 'PARTIAL',
  /** The rules supply evidence or a mechanism that the customer's own process uses; the requirement is the customer's. */
  SUPPORTS = 'SUPPORTS',
  /** The rules do not address the requirement (e.g. an enforcement control under the Audit rollout). */
  NOT_ADDRESSED = 'NOT_ADDRESSED',
}

const byKey = new Map<string, ComplianceControl>();
/** `_fromTag` results by tag (controls are immutable; every rule of every policy repeats the same tags). */
const FROM_TAG = new Map<string, ComplianceControl | undefined>();

/**
 * A control of a compliance framework that a policy implements. It renders as a KubeArmor tag
 * (upstream spelling where one exists, e.g. `NIST_800-53_SI-4`, `MITRE_T1565_data_manipulation`), and
 * policies carry the framework's bare tag (`NIST`, `MITRE`, ...) once, before their controls' tags.
 *
 * Every constant comes from one table (see `docs/compliance-controls.md`, generated from it).
 *
 * @example
 * new FileIntegrityPolicy(chart, 'fim', {
 *   target: PolicyTarget.workload(mysql),
 *   controls: [ComplianceControl.PCI_DSS_11_5_2, ComplianceControl.custom(ComplianceFramework.NIST_800_53, 'SI-7(1)', 'Integrity Checks')],
 * });
 */
export class ComplianceControl {
  /** NIST SP 800-53 Rev. 5.1.1 AU-2 Event Logging (`NIST_800-53_AU-2`). */
  public static readonly NIST_AU_2 = ComplianceControl.row('NIST_800_53', 'AU-2');
  /** NIST SP 800-53 Rev. 5.1.1 AU-9 Protection of Audit Information (`NIST_800-53_AU-9`). */
  public static readonly NIST_AU_9 = ComplianceControl.row('NIST_800_53', 'AU-9');
  /** NIST SP 800-53 Rev. 5.1.1 AU-12 Audit Record Generation (`NIST_800-53_AU-12`). */
  public static readonly NIST_AU_12 = ComplianceControl.row('NIST_800_53', 'AU-12');
  /** NIST SP 800-53 Rev. 5.1.1 CM-5 Access Restrictions for Change (`NIST_800-53_CM-5`). */
  public static readonly NIST_CM_5 = ComplianceControl.row('NIST_800_53', 'CM-5');
  /** NIST SP 800-53 Rev. 5.1.1 CM-5(1) Access Restrictions for Change | Automated Access Enforcement and Audit Records (`NIST_800-53_CM-5(1)`). */
  public static readonly NIST_CM_5_1 = ComplianceControl.row('NIST_800_53', 'CM-5(1)');
  /** NIST SP 800-53 Rev. 5.1.1 CM-6 Configuration Settings (`NIST_800-53_CM-6`). */
  public static readonly NIST_CM_6 = ComplianceControl.row('NIST_800_53', 'CM-6');
  /** NIST SP 800-53 Rev. 5.1.1 CM-7(4) Least Functionality | Unauthorized Software — Deny-by-exception (`NIST_800-53_CM-7(4)`). */
  public static readonly NIST_CM_7_4 = ComplianceControl.row('NIST_800_53', 'CM-7(4)');
  /** NIST SP 800-53 Rev. 5.1.1 IA-5 Authenticator Management (`NIST_800-53_IA-5`). */
  public static readonly NIST_IA_5 = ComplianceControl.row('NIST_800_53', 'IA-5');
  /** NIST SP 800-53 Rev. 5.1.1 SC-17 Public Key Infrastructure Certificates (`NIST_800-53_SC-17`). */
  public static readonly NIST_SC_17 = ComplianceControl.row('NIST_800_53', 'SC-17');
  /** NIST SP 800-53 Rev. 5.1.1 SI-4 System Monitoring (`NIST_800-53_SI-4`). */
  public static readonly NIST_SI_4 = ComplianceControl.row('NIST_800_53', 'SI-4');
  /** NIST SP 800-53 Rev. 5.1.1 SI-7 Software, Firmware, and Information Integrity (`NIST_800-53_SI-7`). */
  public static readonly NIST_SI_7 = ComplianceControl.row('NIST_800_53', 'SI-7');
  /** NIST SP 800-53 Rev. 5.1.1 SI-7(8) Software, Firmware, and Information Integrity | Auditing Capability for Significant Events (`NIST_800-53_SI-7(8)`). */
  public static readonly NIST_SI_7_8 = ComplianceControl.row('NIST_800_53', 'SI-7(8)');
  /** PCI DSS v4.0.1 10.2.1.5 Audit logs capture changes to identification and authentication credentials (`PCI_DSS_10.2.1.5`). */
  public static readonly PCI_DSS_10_2_1_5 = ComplianceControl.row('PCI_DSS', '10.2.1.5');
  /** PCI DSS v4.0.1 10.2.1.7 Audit logs capture creation and deletion of system-level objects (`PCI_DSS_10.2.1.7`). */
  public static readonly PCI_DSS_10_2_1_7 = ComplianceControl.row('PCI_DSS', '10.2.1.7');
  /** PCI DSS v4.0.1 10.3.2 Audit log files are protected to prevent modifications (`PCI_DSS_4.0.1_10.3.2`). */
  public static readonly PCI_DSS_10_3_2 = ComplianceControl.row('PCI_DSS', '10.3.2');
  /** PCI DSS v4.0.1 10.3.4 File integrity monitoring or change-detection on audit logs (`PCI_DSS_4.0.1_10.3.4`). */
  public static readonly PCI_DSS_10_3_4 = ComplianceControl.row('PCI_DSS', '10.3.4');
  /** PCI DSS v4.0.1 11.5.2 Change-detection mechanism on critical files (`PCI_DSS_11.5.2`). */
  public static readonly PCI_DSS_11_5_2 = ComplianceControl.row('PCI_DSS', '11.5.2');
  /** PCI DSS v4.0.1 12.10.5 Incident response plan includes alerts from security monitoring systems (`PCI_DSS_12.10.5`). */
  public static readonly PCI_DSS_12_10_5 = ComplianceControl.row('PCI_DSS', '12.10.5');
  /** CIS Distribution Independent Linux Benchmark v2.0.0 4.1.6 Ensure events that modify user/group information are collected (`CIS_4.1.6_events_that_modify_user_group_information`). */
  public static readonly CIS_LINUX_4_1_6 = ComplianceControl.row('CIS_LINUX', '4.1.6');
  /** CIS Distribution Independent Linux Benchmark v2.0.0 4.1.8 Ensure events that modify the system's Mandatory Access Controls are collected (`CIS_4.1.8_events_that_modify_the_system_s_mandatory_access_controls`). */
  public static readonly CIS_LINUX_4_1_8 = ComplianceControl.row('CIS_LINUX', '4.1.8');
  /** CIS Distribution Independent Linux Benchmark v2.0.0 4.1.16 Ensure changes to system administration scope (sudoers) is collected (`CIS_4.1.16_system_administration_scope`). */
  public static readonly CIS_LINUX_4_1_16 = ComplianceControl.row('CIS_LINUX', '4.1.16');
  /** CIS Distribution Independent Linux Benchmark v2.0.0 5.1 Configure cron (`CIS_5.1_Configure_Cron`). */
  public static readonly CIS_LINUX_5_1 = ComplianceControl.row('CIS_LINUX', '5.1');
  /** CIS Distribution Independent Linux Benchmark v2.0.0 6.1 System File Permissions (`CIS_6.1_System_File_Permissions`). */
  public static readonly CIS_LINUX_6_1 = ComplianceControl.row('CIS_LINUX', '6.1');
  /** MITRE ATT&CK Enterprise v17 T1036 Masquerading (`MITRE_T1036_masquerading`). */
  public static readonly MITRE_T1036 = ComplianceControl.row('MITRE_ATTACK', 'T1036');
  /** MITRE ATT&CK Enterprise v17 T1053.003 Scheduled Task/Job: Cron (`MITRE_T1053.003_cron`). */
  public static readonly MITRE_T1053_003 = ComplianceControl.row('MITRE_ATTACK', 'T1053.003');
  /** MITRE ATT&CK Enterprise v17 T1098 Account Manipulation (`MITRE_T1098_account_manipulation`). */
  public static readonly MITRE_T1098 = ComplianceControl.row('MITRE_ATTACK', 'T1098');
  /** MITRE ATT&CK Enterprise v17 T1098.004 Account Manipulation: SSH Authorized Keys (`MITRE_T1098.004_ssh_authorized_keys`). */
  public static readonly MITRE_T1098_004 = ComplianceControl.row('MITRE_ATTACK', 'T1098.004');
  /** MITRE ATT&CK Enterprise v17 T1542 Pre-OS Boot (`MITRE_T1542_pre_os_boot`). */
  public static readonly MITRE_T1542 = ComplianceControl.row('MITRE_ATTACK', 'T1542');
  /** MITRE ATT&CK Enterprise v17 T1546.004 Event Triggered Execution: Unix Shell Configuration Modification (`MITRE_T1546.004_unix_shell_configuration_modification`). */
  public static readonly MITRE_T1546_004 = ComplianceControl.row('MITRE_ATTACK', 'T1546.004');
  /** MITRE ATT&CK Enterprise v17 T1548.003 Abuse Elevation Control Mechanism: Sudo and Sudo Caching (`MITRE_T1548.003_sudo_and_sudo_caching`). */
  public static readonly MITRE_T1548_003 = ComplianceControl.row('MITRE_ATTACK', 'T1548.003');
  /** MITRE ATT&CK Enterprise v17 T1553 Subvert Trust Controls (`MITRE_T1553_Subvert_Trust_Controls`). */
  public static readonly MITRE_T1553 = ComplianceControl.row('MITRE_ATTACK', 'T1553');
  /** MITRE ATT&CK Enterprise v17 T1554 Compromise Host Software Binary (`MITRE_T1554_compromise_host_software_binary`). */
  public static readonly MITRE_T1554 = ComplianceControl.row('MITRE_ATTACK', 'T1554');
  /** MITRE ATT&CK Enterprise v17 T1556.003 Modify Authentication Process: Pluggable Authentication Modules (`MITRE_T1556.003_pluggable_authentication_modules`). */
  public static readonly MITRE_T1556_003 = ComplianceControl.row('MITRE_ATTACK', 'T1556.003');
  /** MITRE ATT&CK Enterprise v17 T1565 Data Manipulation (`MITRE_T1565_data_manipulation`). */
  public static readonly MITRE_T1565 = ComplianceControl.row('MITRE_ATTACK', 'T1565');
  /** MITRE ATT&CK Enterprise v17 T1574.006 Hijack Execution Flow: Dynamic Linker Hijacking (`MITRE_T1574.006_dynamic_linker_hijacking`). */
  public static readonly MITRE_T1574_006 = ComplianceControl.row('MITRE_ATTACK', 'T1574.006');

  /**
   * A control this library has no constant for. Returns the library's constant when the id is in its
   * table (the title is then ignored).
   * @param framework the framework
   * @param id the control id exactly as the framework writes it (`SI-7(1)`, `11.5.1`, `1.3.2`, `T1070.004`)
   * @param title the control's title; MITRE and CIS tags append it in snake case
   *              (`T1485` + `Data Destruction` gives `MITRE_T1485_data_destruction`)
   */
  public static custom(framework: ComplianceFramework, id: string, title?: string): ComplianceControl {
    const fw = lazyComplianceTable().frameworkRow(framework);
    if (!fw) throw new Error(`ComplianceControl.custom: framework '${framework}' is not a ComplianceFramework; use one of ${lazyComplianceTable().FRAMEWORKS.map((f) => f.key).join(', ')}`);
    if (typeof id !== 'string' || !fw.idPattern.test(id)) {
      throw new Error(`ComplianceControl.custom: id '${id}' is not a ${lazyComplianceTable().frameworkTitle(fw)} control id; write it as the framework does, e.g. '${fw.idExample}'`);
    }
    if (title !== undefined && (title.trim().length === 0 || /[,\n]/.test(title))) {
      throw new Error(`ComplianceControl.custom: title '${title}' must be non-empty and contain no comma or newline (KubeArmor joins tags with commas); e.g. 'Data Destruction'`);
    }
    const known = byKey.get(`${framework}:${id}`);
    if (known) return known;
    return new ComplianceControl(fw.key, id, title ?? id, lazyComplianceTable().customTag(fw, id, title), false);
  }

  /**
   * Every control in the library's table, in tag order.
   */
  public static all(): ComplianceControl[] {
    return lazyComplianceTable().CONTROLS.map((c) => byKey.get(`${c.framework}:${c.id}`)!);
  }

  /**
   * The control a KubeArmor tag stands for: the table's control, or a custom one when the tag has a
   * known framework prefix. Framework tags (`NIST`, `MITRE`, ...) and unknown tags give undefined.
   * @internal
   */
  public static _fromTag(tag: string): ComplianceControl | undefined {
    if (FROM_TAG.has(tag)) return FROM_TAG.get(tag);
    let control = ComplianceControl.all().find((c) => c.tag === tag);
    for (const fw of control ? [] : lazyComplianceTable().FRAMEWORKS) {
      if (!tag.startsWith(fw.tagPrefix)) continue;
      const rest = tag.slice(fw.tagPrefix.length);
      const m = fw.titleInTag ? /^([^_]+)(?:_(.+))?$/.exec(rest) : /^(.+)$/.exec(rest);
      if (!m || !fw.idPattern.test(m[1])) continue;
      const title = m[2]?.replace(/_/g, ' ');
      control = new ComplianceControl(fw.key, m[1], title ?? m[1], tag, false);
      break;
    }
    FROM_TAG.set(tag, control);
    return control;
  }

  /**
   * Sorts and de-duplicates controls in tag order: framework order (NIST, PCI DSS, CIS, MITRE), then
   * table order, then custom controls by id.
   * @internal
   */
  public static _canonical(controls: ComplianceControl[]): ComplianceControl[] {
    const seen = new Map<string, ComplianceControl>();
    for (const c of controls) if (!seen.has(c.key)) seen.set(c.key, c);
    return [...seen.values()].sort(lazyComplianceTable().compareControls);
  }

  /**
   * The `spec.tags` for a set of controls: each framework's bare tags, then its controls' tags.
   * @internal
   */
  public static _tagsOf(controls: ComplianceControl[]): string[] {
    const out: string[] = [];
    for (const c of ComplianceControl._canonical(controls)) {
      for (const t of [...lazyComplianceTable().frameworkRow(c.framework)!.frameworkTags, c.tag]) if (!out.includes(t)) out.push(t);
    }
    return out;
  }

  /**
   * The control's coverage in a container when it differs from a host policy's.
   * @internal
   */
  public static _inContainer(c: ComplianceControl): CoverageLevel | undefined {
    return c.row?.inContainer !== undefined ? CoverageLevel[c.row.inContainer] : undefined;
  }

  /** A control of the table: its row is read on first use, not when the library is loaded. */
  private static row(framework: FrameworkKey, id: string): ComplianceControl {
    const c = new ComplianceControl(framework, id, undefined, undefined, true);
    byKey.set(`${framework}:${id}`, c);
    return c;
  }

  /** The framework. */
  public readonly framework: ComplianceFramework;
  /** The control id as the framework writes it (`AU-2`, `11.5.2`, `4.1.16`, `T1565`). */
  public readonly id: string;
  /** Whether the control comes from the library's table (false for `custom` controls not in it). */
  public readonly isBuiltIn: boolean;
  /** A custom control's title and tag (a built-in control's come from its row). */
  private readonly customTitle?: string;
  private readonly customTag?: string;
  private resolvedRow?: ControlRow;

  /** `title` and `tag` are given for custom controls only; a built-in control reads them from its row. */
  private constructor(framework: string, id: string, title: string | undefined, tag: string | undefined, builtIn: boolean) {
    this.framework = framework as ComplianceFramework;
    this.id = id;
    this.customTitle = title;
    this.customTag = tag;
    this.isBuiltIn = builtIn;
  }

  /** The control's title. */
  public get title(): string {
    return this.customTitle ?? this.row!.title;
  }

  /** The KubeArmor tag that claims this control, e.g. `NIST_800-53_AU-2`. */
  public get tag(): string {
    return this.customTag ?? this.row!.tag;
  }

  /** The framework's name with version, e.g. `NIST SP 800-53 Rev. 5.1.1`. */
  public get frameworkTitle(): string {
    return lazyComplianceTable().frameworkTitle(lazyComplianceTable().frameworkRow(this.framework)!);
  }

  /** The framework version the control was researched against, e.g. `v4.0.1`. */
  public get frameworkVersion(): string {
    return lazyComplianceTable().frameworkRow(this.framework)!.version;
  }

  /**
   * What the framework requires, in short.
   * @default - undefined for custom controls
   */
  public get requirement(): string | undefined {
    return this.row?.requirement;
  }

  /**
   * Where in the framework's text the requirement is, e.g. `PCI DSS v4.0.1, Requirement 11.5.2`.
   * @default - undefined for custom controls
   */
  public get sourceReference(): string | undefined {
    return this.row?.source;
  }

  /**
   * Coverage by this library's readOnly rules with action Block.
   * @default - undefined for custom controls (not assessed)
   */
  public get coverageUnderBlock(): CoverageLevel | undefined {
    return this.row ? CoverageLevel[this.row.block] : undefined;
  }

  /**
   * Coverage with action Audit (the staged rollout). Controls that need enforcement are NOT_ADDRESSED here.
   * @default - undefined for custom controls (not assessed)
   */
  public get coverageUnderAudit(): CoverageLevel | undefined {
    return this.row ? CoverageLevel[this.row.audit] : undefined;
  }

  /**
   * Whether the control is met only with action Block (its coverage under Audit is NOT_ADDRESSED while Block's is not).
   */
  public get needsBlock(): boolean {
    return this.row !== undefined && this.row.audit === 'NOT_ADDRESSED' && this.row.block !== 'NOT_ADDRESSED';
  }

  /**
   * What of the requirement the rules do not meet.
   * @default - undefined for custom controls
   */
  public get notMet(): string | undefined {
    return this.row?.notMet;
  }

  /**
   * What the customer must do for the rest of the requirement.
   * @default - undefined for custom controls
   */
  public get customerResponsibility(): string | undefined {
    return this.row?.customer;
  }

  /** The framework's bare tags, emitted once per policy (e.g. `NIST`; for CIS `CIS`, `CIS_Linux`). */
  public get frameworkTags(): string[] {
    return [...lazyComplianceTable().frameworkRow(this.framework)!.frameworkTags];
  }

  /** `<framework>:<id>`, the control's identity. */
  public get key(): string {
    return `${this.framework}:${this.id}`;
  }

  /** A built-in control's row of the table (read on first use); undefined for custom controls. */
  private get row(): ControlRow | undefined {
    if (!this.isBuiltIn) return undefined;
    if (this.resolvedRow === undefined) {
      const r: ControlRow | undefined = lazyComplianceTable().controlRow(this.framework, this.id);
      if (!r) throw new Error(`compliance table has no control ${this.framework} ${this.id}`);
      this.resolvedRow = r;
    }
    return this.resolvedRow;
  }

  /** e.g. `NIST SP 800-53 Rev. 5.1.1 AU-2 (Event Logging)`. */
  public toString(): string {
    return `${this.frameworkTitle} ${this.id} (${this.title})`;
  }
}
