import { ComplianceControl } from './compliance';
import { fail } from './private/errors';
import { PRESETS, PresetRow } from './private/fim-presets';
import { fieldIssues } from './private/validate';

/** Contents of a custom {@link FileIntegrityPreset}. */
export interface FileIntegrityPresetProps {
  /** A short name (letters, digits, `_`, `-`), shown in reports. */
  readonly name: string;
  /** What the preset protects and why. */
  readonly description: string;
  /**
   * Directories (absolute, ending in `/`), protected read-only and recursively.
   * @default - none
   */
  readonly directories?: string[];
  /**
   * Files (absolute, not ending in `/`), protected read-only.
   * @default - none
   */
  readonly paths?: string[];
  /**
   * The compliance controls protecting these items implements.
   * @default - none
   */
  readonly controls?: ComplianceControl[];
  /**
   * What enforcing the preset (Block) breaks, e.g. "in-container package installs".
   * @default - nothing documented
   */
  readonly breaks?: string;
}

/**
 * A named, documented set of directories and files to protect read-only, with the compliance
 * controls that protecting them implements and what enforcing it breaks.
 *
 * Directories are listed in both merged-/usr spellings (`/bin/` and `/usr/bin/`, ...), because
 * KubeArmor enforces on resolved paths: on a merged-/usr image `/bin` is a symlink to `/usr/bin`, on a
 * split-/usr image both are real directories.
 *
 * There is deliberately no preset for logs: logs are append-only by nature and KubeArmor has no
 * append-only mode, so a read-only rule on `/var/log/` stops the application from logging (Block) or
 * raises an alert for every write (Audit). Protect individual rotated archives with `addPath()`, or
 * block deletion by specific tools with a {@link SecurityPolicy} `fromSource` rule.
 *
 * See `docs/file-integrity.md` for the contents of every preset.
 */
export class FileIntegrityPreset {
  /** `/bin/ /sbin/ /usr/bin/ /usr/sbin/ /usr/libexec/ /usr/local/bin/ /usr/local/sbin/`. Breaks in-container package installs. */
  public static readonly SYSTEM_BINARIES = FileIntegrityPreset.fromTable('SYSTEM_BINARIES');
  /** `/lib*`, `/usr/lib*`, `/usr/local/lib/` and the dynamic linker configuration. Breaks package installs and `pip install` into system site-packages. */
  public static readonly SYSTEM_LIBRARIES = FileIntegrityPreset.fromTable('SYSTEM_LIBRARIES');
  /** `/boot/`. Breaks kernel and boot loader updates on nodes. */
  public static readonly BOOT = FileIntegrityPreset.fromTable('BOOT');
  /** All of `/etc/`. Breaks entrypoints that render configuration into /etc/ at start. */
  public static readonly SYSTEM_CONFIGURATION = FileIntegrityPreset.fromTable('SYSTEM_CONFIGURATION');
  /** Accounts and authentication: passwd, shadow, group, sudoers, PAM, SSH. Breaks runtime user management. */
  public static readonly CREDENTIALS = FileIntegrityPreset.fromTable('CREDENTIALS');
  /** CA bundles (`/etc/ssl/`, `/etc/pki/`, ca-certificates). Breaks installing a CA at container start. */
  public static readonly TRUST_STORES = FileIntegrityPreset.fromTable('TRUST_STORES');
  /** Crontabs and cron directories. Breaks `crontab -e` and installing crontabs at start. */
  public static readonly CRON = FileIntegrityPreset.fromTable('CRON');
  /** System and root shell start-up files (not history files). Breaks runtime installers that edit shell profiles. */
  public static readonly SHELL_CONFIGURATION = FileIntegrityPreset.fromTable('SHELL_CONFIGURATION');
  /**
   * Exactly the upstream KubeArmor FIM template: `/sbin/ /usr/bin/ /usr/lib/ /usr/sbin/ /bin/ /boot/`,
   * controls NIST AU-2, SI-4, MITRE T1036, T1565. For reproducing that policy.
   */
  public static readonly KUBEARMOR_FIM_TEMPLATE = FileIntegrityPreset.fromTable('KUBEARMOR_FIM_TEMPLATE');

  /** The presets applied when none are given: system binaries, system libraries and boot. */
  public static defaults(): FileIntegrityPreset[] {
    return [FileIntegrityPreset.SYSTEM_BINARIES, FileIntegrityPreset.SYSTEM_LIBRARIES, FileIntegrityPreset.BOOT];
  }

  /** Every built-in preset. */
  public static all(): FileIntegrityPreset[] {
    return PRESETS.map((p) => (FileIntegrityPreset as any)[p.name] as FileIntegrityPreset);
  }

  /** A preset of your own (e.g. an application's install directory), validated like any protected item. */
  public static custom(props: FileIntegrityPresetProps): FileIntegrityPreset {
    const where = 'FileIntegrityPreset.custom';
    if (typeof props.name !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]{0,62}$/.test(props.name)) {
      fail({ where, field: 'name', value: props.name, problem: 'is not a preset name', fix: 'use letters, digits, \'_\' and \'-\', starting with a letter (e.g. \'APP_BINARIES\')' });
    }
    if (FileIntegrityPreset.all().some((p) => p.name === props.name)) {
      fail({ where, field: 'name', value: props.name, problem: 'is the name of a built-in preset', fix: `use FileIntegrityPreset.${props.name} or another name` });
    }
    if (typeof props.description !== 'string' || props.description.trim().length === 0) {
      fail({ where, field: 'description', value: props.description, problem: 'is empty', fix: 'say what the preset protects and why' });
    }
    const directories = [...new Set(props.directories ?? [])];
    const paths = [...new Set(props.paths ?? [])];
    if (directories.length + paths.length === 0) {
      fail({ where, field: 'preset', value: props.name, problem: 'protects nothing', fix: 'give at least one of directories or paths' });
    }
    for (const d of directories) {
      const i = fieldIssues('directories[]', 'dir', d)[0];
      if (i) fail({ where, field: 'directories[]', value: d, problem: i.problem, fix: i.fix });
    }
    for (const p of paths) {
      const i = fieldIssues('paths[]', 'path', p)[0];
      if (i) fail({ where, field: 'paths[]', value: p, problem: i.problem, fix: i.fix });
    }
    return new FileIntegrityPreset(props.name, props.description, directories.sort(), paths.sort(),
      ComplianceControl._canonical(props.controls ?? []), props.breaks ?? '', true);
  }

  private static fromTable(name: string): FileIntegrityPreset {
    const row: PresetRow | undefined = PRESETS.find((p) => p.name === name);
    if (!row) throw new Error(`preset table has no ${name}`);
    const controls = row.controls.map((key) => {
      const [fw, id] = key.split(/:(.*)/s);
      const c = ComplianceControl.all().find((x) => x.framework === fw && x.id === id);
      if (!c) throw new Error(`preset ${name} names control ${key}, which is not in the compliance table`);
      return c;
    });
    return new FileIntegrityPreset(row.name, row.description, [...row.directories].sort(), [...row.paths].sort(),
      ComplianceControl._canonical(controls), row.breaks, false);
  }

  /** The preset's name (the constant's name for built-in presets). */
  public readonly name: string;
  /** What the preset protects and why. */
  public readonly description: string;
  /** What enforcing the preset (Block) breaks. Empty for custom presets that did not say. */
  public readonly breaks: string;
  /** Whether the preset was made with `custom()`. */
  public readonly isCustom: boolean;
  private readonly dirs: string[];
  private readonly files: string[];
  private readonly ctrls: ComplianceControl[];

  private constructor(name: string, description: string, directories: string[], paths: string[], controls: ComplianceControl[],
    breaks: string, isCustom: boolean) {
    this.name = name;
    this.description = description;
    this.dirs = directories;
    this.files = paths;
    this.ctrls = controls;
    this.breaks = breaks;
    this.isCustom = isCustom;
  }

  /** A copy of the protected directories (sorted; each ends in `/`). */
  public get directories(): string[] {
    return [...this.dirs];
  }

  /** A copy of the protected files (sorted). */
  public get paths(): string[] {
    return [...this.files];
  }

  /** A copy of the compliance controls, in tag order. */
  public get controls(): ComplianceControl[] {
    return [...this.ctrls];
  }
}
