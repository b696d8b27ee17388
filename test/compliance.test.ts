import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { ComplianceControl, ComplianceFramework, CoverageLevel, FileIntegrityPolicy, FileIntegrityPreset, PolicyTarget } from '../src';
import { SEED_TAGS } from './fixtures/seed';
import { ALIAS_ROWS, NOT_COVERED_ROWS } from '../src/private/compliance-gaps';
import { CONTROLS, FRAMEWORKS } from '../src/private/compliance-table';
import { renderComplianceControlsMarkdown } from '../src/private/fim-docs';
import { PRESETS } from '../src/private/fim-presets';

function constants(): Array<[string, ComplianceControl]> {
  return Object.getOwnPropertyNames(ComplianceControl)
    .map((k) => [k, (ComplianceControl as any)[k]] as [string, unknown])
    .filter((e): e is [string, ComplianceControl] => e[1] instanceof ComplianceControl);
}

describe('compliance table', () => {
  test('the ComplianceFramework enum and the table list the same frameworks, in tag order', () => {
    expect(Object.values(ComplianceFramework)).toEqual(FRAMEWORKS.map((f) => f.key));
  });

  test('every table row has exactly one ComplianceControl constant with its tag and title, and vice versa', () => {
    const consts = constants();
    expect(consts.map(([k]) => k).sort()).toEqual(CONTROLS.map((c) => c.constant).sort());
    for (const row of CONTROLS) {
      const c = (ComplianceControl as any)[row.constant] as ComplianceControl;
      expect({ framework: c.framework, id: c.id, title: c.title, tag: c.tag, isBuiltIn: c.isBuiltIn })
        .toEqual({ framework: row.framework, id: row.id, title: row.title, tag: row.tag, isBuiltIn: true });
    }
    expect(ComplianceControl.all().map((c) => c.tag)).toEqual(CONTROLS.map((c) => c.tag));
  });

  test('each built-in control reads its own row on first use, whatever order the controls are first read in', () => {
    // A fresh registry: no control has read its row yet; read them last row first.
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('../src/compliance').ComplianceControl;
      for (const row of [...CONTROLS].reverse()) {
        const c = fresh[row.constant];
        expect([row.constant, c.title, c.tag, c.requirement, c.sourceReference, c.coverageUnderBlock, c.coverageUnderAudit, c.notMet,
          c.customerResponsibility]).toEqual([row.constant, row.title, row.tag, row.requirement, row.source, row.block, row.audit, row.notMet,
          row.customer]);
      }
      // Two controls that differ only in the id's enhancement keep their own rows.
      expect([fresh.NIST_SI_7.tag, fresh.NIST_SI_7_8.tag]).toEqual(['NIST_800-53_SI-7', 'NIST_800-53_SI-7(8)']);
      expect(fresh.NIST_SI_7.title).not.toEqual(fresh.NIST_SI_7_8.title);
    });
  });

  test('rows are grouped by framework in framework order', () => {
    const order = CONTROLS.map((c) => FRAMEWORKS.findIndex((f) => f.key === c.framework));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  test('tags are unique, comma-free, and follow each framework grammar', () => {
    const tags = CONTROLS.map((c) => c.tag);
    expect(new Set(tags).size).toBe(tags.length);
    for (const c of CONTROLS) {
      const fw = FRAMEWORKS.find((f) => f.key === c.framework)!;
      expect(c.tag).not.toMatch(/[,\s]/);
      const qualified = `${fw.tagPrefix}${fw.version.replace(/^v/, '')}_${c.id}`;
      expect(c.tag.startsWith(`${fw.tagPrefix}${c.id}`) || c.tag === qualified).toBe(true);
      expect(fw.idPattern.test(c.id)).toBe(true);
      if (!fw.titleInTag) expect([`${fw.tagPrefix}${c.id}`, qualified]).toContain(c.tag);
    }
  });

  test('the required controls exist with upstream spellings', () => {
    expect([
      ComplianceControl.NIST_AU_2, ComplianceControl.NIST_AU_9, ComplianceControl.NIST_AU_12, ComplianceControl.NIST_CM_5,
      ComplianceControl.NIST_CM_5_1, ComplianceControl.NIST_CM_7_4, ComplianceControl.NIST_SI_4, ComplianceControl.NIST_SI_7,
      ComplianceControl.NIST_SI_7_8, ComplianceControl.PCI_DSS_10_2_1_5, ComplianceControl.PCI_DSS_10_2_1_7, ComplianceControl.PCI_DSS_10_3_2,
      ComplianceControl.PCI_DSS_10_3_4, ComplianceControl.PCI_DSS_11_5_2, ComplianceControl.PCI_DSS_12_10_5, ComplianceControl.CIS_LINUX_4_1_6,
      ComplianceControl.CIS_LINUX_4_1_8, ComplianceControl.MITRE_T1036, ComplianceControl.MITRE_T1554, ComplianceControl.MITRE_T1565,
    ].map((c) => c.tag)).toEqual([
      'NIST_800-53_AU-2', 'NIST_800-53_AU-9', 'NIST_800-53_AU-12', 'NIST_800-53_CM-5', 'NIST_800-53_CM-5(1)', 'NIST_800-53_CM-7(4)',
      'NIST_800-53_SI-4', 'NIST_800-53_SI-7', 'NIST_800-53_SI-7(8)', 'PCI_DSS_10.2.1.5', 'PCI_DSS_10.2.1.7', 'PCI_DSS_4.0.1_10.3.2',
      'PCI_DSS_4.0.1_10.3.4', 'PCI_DSS_11.5.2', 'PCI_DSS_12.10.5', 'CIS_4.1.6_events_that_modify_user_group_information',
      'CIS_4.1.8_events_that_modify_the_system_s_mandatory_access_controls', 'MITRE_T1036_masquerading',
      'MITRE_T1554_compromise_host_software_binary', 'MITRE_T1565_data_manipulation',
    ]);
    expect(ComplianceControl.CIS_LINUX_5_1.tag).toBe('CIS_5.1_Configure_Cron');
    expect(ComplianceControl.CIS_LINUX_6_1.tag).toBe('CIS_6.1_System_File_Permissions');
    expect(ComplianceControl.MITRE_T1553.tag).toBe('MITRE_T1553_Subvert_Trust_Controls');
    expect(ComplianceControl.NIST_AU_2.frameworkTags).toEqual(['NIST']);
    expect(ComplianceControl.CIS_LINUX_6_1.frameworkTags).toEqual(['CIS', 'CIS_Linux']);
    expect(ComplianceControl.MITRE_T1565.toString()).toBe('MITRE ATT&CK Enterprise v17 T1565 (Data Manipulation)');
  });

  test('there is no CIS 6.3.5: the use-case card\'s reference is only an alias of the real file-integrity recommendations', () => {
    expect(CONTROLS.some((c) => c.id === '6.3.5')).toBe(false);
    expect((ComplianceControl as any).CIS_LINUX_6_3_5).toBeUndefined();
    expect(ALIAS_ROWS.map((a) => [a.reference, a.mapsTo])).toEqual([['CIS 6.3.5 "file integrity monitoring"', ['CIS_LINUX:1.3.1', 'CIS_LINUX:1.3.2']]]);
    const known = new Set([...CONTROLS, ...NOT_COVERED_ROWS].map((c) => `${c.framework}:${c.id}`));
    for (const a of ALIAS_ROWS) for (const k of a.mapsTo) expect(known.has(k)).toBe(true);
  });

  test('every control has a version-qualified framework, a requirement, a source reference naming the version, and both coverage levels', () => {
    for (const c of ComplianceControl.all()) {
      expect(c.frameworkVersion).toMatch(/^(Rev\. 5\.1\.1|v4\.0\.1|v2\.0\.0|v17)$/);
      expect(c.requirement!.length).toBeGreaterThan(20);
      expect(c.sourceReference!.startsWith(c.frameworkTitle.replace('MITRE ATT&CK Enterprise', 'ATT&CK'))).toBe(true);
      expect(c.sourceReference).toContain(c.id);
      expect(Object.values(CoverageLevel)).toContain(c.coverageUnderBlock);
      expect(Object.values(CoverageLevel)).toContain(c.coverageUnderAudit);
      expect(c.notMet!.length).toBeGreaterThan(10);
      expect(c.customerResponsibility!.length).toBeGreaterThan(10);
    }
  });

  test('the corrected coverage levels of the review', () => {
    const lv = (c: ComplianceControl) => [c.coverageUnderBlock, c.coverageUnderAudit];
    expect(lv(ComplianceControl.NIST_AU_2)).toEqual([CoverageLevel.SUPPORTS, CoverageLevel.SUPPORTS]);
    expect(lv(ComplianceControl.NIST_AU_12)).toEqual([CoverageLevel.PARTIAL, CoverageLevel.PARTIAL]);
    expect(lv(ComplianceControl.NIST_SI_7)).toEqual([CoverageLevel.PARTIAL, CoverageLevel.PARTIAL]);
    expect(lv(ComplianceControl.NIST_SC_17)).toEqual([CoverageLevel.SUPPORTS, CoverageLevel.SUPPORTS]);
    expect(lv(ComplianceControl.PCI_DSS_11_5_2)).toEqual([CoverageLevel.PARTIAL, CoverageLevel.PARTIAL]);
    expect(ComplianceControl.PCI_DSS_11_5_2.notMet).toContain('weekly critical-file comparison is not met');
    expect(lv(ComplianceControl.CIS_LINUX_5_1)).toEqual([CoverageLevel.SUPPORTS, CoverageLevel.SUPPORTS]);
    expect(lv(ComplianceControl.CIS_LINUX_6_1)).toEqual([CoverageLevel.SUPPORTS, CoverageLevel.SUPPORTS]);
    expect(ComplianceControl.NIST_IA_5.notMet).toContain('readOnly still allows reading /etc/shadow');
    expect(CONTROLS.find((c) => c.id === 'T1542')!.inContainer).toBe('NOT_ADDRESSED');
    expect(CONTROLS.find((c) => c.id === 'AU-9')!.upstream).toBeUndefined();
  });

  test('controls that need enforcement are not claimed under Audit', () => {
    expect(ComplianceControl.all().filter((c) => c.needsBlock).map((c) => c.tag)).toEqual([
      'NIST_800-53_CM-5', 'NIST_800-53_CM-5(1)', 'NIST_800-53_CM-7(4)', 'NIST_800-53_IA-5', 'PCI_DSS_4.0.1_10.3.2',
    ]);
    for (const c of ComplianceControl.all().filter((x) => x.needsBlock)) expect(c.coverageUnderAudit).toBe(CoverageLevel.NOT_ADDRESSED);
  });

  test('custom controls are not assessed', () => {
    const c = ComplianceControl.custom(ComplianceFramework.NIST_800_53, 'AC-3');
    expect([c.requirement, c.sourceReference, c.coverageUnderBlock, c.coverageUnderAudit, c.notMet, c.customerResponsibility, c.needsBlock])
      .toEqual([undefined, undefined, undefined, undefined, undefined, undefined, false]);
  });

  test('the not-covered controls of the review are listed and have no constant', () => {
    expect(NOT_COVERED_ROWS.map((n) => `${n.framework}:${n.id}`)).toEqual([
      'NIST_800_53:CM-3', 'NIST_800_53:SI-7(1)', 'NIST_800_53:SI-7(15)', 'PCI_DSS:11.5.1', 'CIS_LINUX:1.3.1', 'CIS_LINUX:1.3.2',
    ]);
    const claimable = new Set(CONTROLS.map((c) => `${c.framework}:${c.id}`));
    for (const n of NOT_COVERED_ROWS) expect(claimable.has(`${n.framework}:${n.id}`)).toBe(false);
  });

  test('every preset names only controls of the table', () => {
    const keys = new Set(CONTROLS.map((c) => `${c.framework}:${c.id}`));
    for (const p of PRESETS) for (const k of p.controls) expect(keys.has(k)).toBe(true);
  });
});

describe('ComplianceControl.custom', () => {
  test('returns the table constant for a known id', () => {
    expect(ComplianceControl.custom(ComplianceFramework.NIST_800_53, 'AU-2', 'ignored')).toBe(ComplianceControl.NIST_AU_2);
  });

  test.each([
    [ComplianceFramework.NIST_800_53, 'SI-7(1)', 'Integrity Checks', 'NIST_800-53_SI-7(1)'],
    [ComplianceFramework.PCI_DSS, '11.5.1', undefined, 'PCI_DSS_11.5.1'],
    [ComplianceFramework.CIS_LINUX, '1.3.2', 'Filesystem integrity is regularly checked', 'CIS_1.3.2_filesystem_integrity_is_regularly_checked'],
    [ComplianceFramework.MITRE_ATTACK, 'T1485', 'Data Destruction', 'MITRE_T1485_data_destruction'],
    [ComplianceFramework.MITRE_ATTACK, 'T1070.004', undefined, 'MITRE_T1070.004'],
  ])('%s %s (title %s) renders %s', (fw, id, title, tag) => {
    const c = ComplianceControl.custom(fw, id, title);
    expect(c.tag).toBe(tag);
    expect(c.isBuiltIn).toBe(false);
    expect(c.title).toBe(title ?? id);
  });

  test('fails when the id does not follow the framework', () => {
    expect(() => ComplianceControl.custom(ComplianceFramework.NIST_800_53, 'si-7')).toThrow(
      "ComplianceControl.custom: id 'si-7' is not a NIST SP 800-53 Rev. 5.1.1 control id; write it as the framework does, e.g. 'SI-7(1)'");
    expect(() => ComplianceControl.custom(ComplianceFramework.MITRE_ATTACK, '1565')).toThrow(
      "ComplianceControl.custom: id '1565' is not a MITRE ATT&CK Enterprise v17 control id; write it as the framework does, e.g. 'T1565'");
  });

  test('fails when the framework is not a ComplianceFramework', () => {
    expect(() => ComplianceControl.custom('ISO27001' as ComplianceFramework, 'A.12')).toThrow(
      "ComplianceControl.custom: framework 'ISO27001' is not a ComplianceFramework; use one of NIST_800_53, PCI_DSS, CIS_LINUX, MITRE_ATTACK");
  });

  test('fails when the title contains a comma', () => {
    expect(() => ComplianceControl.custom(ComplianceFramework.MITRE_ATTACK, 'T1485', 'Data, Destruction')).toThrow(
      "ComplianceControl.custom: title 'Data, Destruction' must be non-empty and contain no comma or newline (KubeArmor joins tags with commas); e.g. 'Data Destruction'");
  });
});

describe('tag order', () => {
  function tagsOf(controls: ComplianceControl[]): string[] {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'ns' });
    return new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.namespace(), presets: [], directories: ['/usr/bin/'], controls }).tags;
  }

  test('reproduces the seed order whatever order the controls are added in', () => {
    const seed = [ComplianceControl.NIST_AU_2, ComplianceControl.NIST_SI_4, ComplianceControl.MITRE_T1036, ComplianceControl.MITRE_T1565];
    const perms = [seed, [...seed].reverse(), [seed[2], seed[0], seed[3], seed[1]], [seed[3], seed[1], seed[1], seed[2], seed[0]]];
    for (const p of perms) expect(tagsOf(p)).toEqual(SEED_TAGS);
  });

  test('framework order, table order, then custom controls by id', () => {
    expect(tagsOf([
      ComplianceControl.custom(ComplianceFramework.MITRE_ATTACK, 'T1070'),
      ComplianceControl.MITRE_T1565,
      ComplianceControl.CIS_LINUX_6_1,
      ComplianceControl.PCI_DSS_11_5_2,
      ComplianceControl.custom(ComplianceFramework.NIST_800_53, 'AC-3'),
      ComplianceControl.NIST_SI_7,
      ComplianceControl.PCI_DSS_10_3_4,
    ])).toEqual([
      'NIST', 'NIST_800-53_SI-7', 'NIST_800-53_AC-3',
      'PCI_DSS', 'PCI_DSS_4.0.1_10.3.4', 'PCI_DSS_11.5.2',
      'CIS', 'CIS_Linux', 'CIS_6.1_System_File_Permissions',
      'MITRE', 'MITRE_T1565_data_manipulation', 'MITRE_T1070',
    ]);
  });

  test('presets contribute their controls to the tags', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'ns' });
    const fim = new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.namespace(), presets: [FileIntegrityPreset.CRON] });
    expect(fim.tags).toEqual(['NIST', 'NIST_800-53_AU-2', 'NIST_800-53_AU-12', 'NIST_800-53_CM-5', 'NIST_800-53_CM-5(1)', 'NIST_800-53_SI-4',
      'NIST_800-53_SI-7', 'NIST_800-53_SI-7(8)', 'PCI_DSS', 'PCI_DSS_10.2.1.7', 'PCI_DSS_11.5.2', 'PCI_DSS_12.10.5',
      'CIS', 'CIS_Linux', 'CIS_5.1_Configure_Cron', 'MITRE', 'MITRE_T1053.003_cron']);
  });

  test('KUBEARMOR_FIM_TEMPLATE still emits exactly the seed policy\'s tags', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'ns' });
    const fim = new FileIntegrityPolicy(chart, 'fim', { target: PolicyTarget.namespace(), presets: [FileIntegrityPreset.KUBEARMOR_FIM_TEMPLATE] });
    expect(fim.tags).toEqual(['NIST', 'NIST_800-53_AU-2', 'NIST_800-53_SI-4', 'MITRE', 'MITRE_T1036_masquerading', 'MITRE_T1565_data_manipulation']);
  });
});

describe('docs/compliance-controls.md', () => {
  const file = path.join(__dirname, '..', 'docs', 'compliance-controls.md');

  test('is up to date with the tables (regenerate: npx projen docs)', () => {
    expect(fs.readFileSync(file, 'utf8')).toBe(renderComplianceControlsMarkdown());
  });

  test('lists every control tag, constant and preset', () => {
    const md = fs.readFileSync(file, 'utf8');
    for (const c of CONTROLS) {
      expect(md).toContain(`\`${c.tag}\``);
      expect(md).toContain(`\`${c.constant}\``);
    }
    for (const p of FileIntegrityPreset.all()) expect(md).toContain(`\`${p.name}\``);
  });
});
