import { ComplianceControl } from './compliance';
import { ImageContents } from './image-contents';
import { fail } from './private/errors';
import type { PresetRow } from './private/fim-presets';
import { lazy } from './private/lazy';

// Loaded on first use, not when the library is loaded (cold require cost).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazyValidate = lazy((): typeof import('./private/validate') => require('./private/validate'));
const lazyFimPresets = lazy((): typeof import('./private/fim-presets') => require('./private/fim-presets'));
const lazyCoverage = lazy((): typeof import('./private/coverage') => require('./private/coverage'));
/* eslint-enable @typescript-eslint/no-require-imports */

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

/** Options of {@link FileIntegrityPreset.fromImageContents}. */
export interface FileIntegrityPresetFromImageOptions {
  /**
   * Name of the preset.
   * @default 'IMAGE_CONTENTS'
   */
  readonly name?: string;
  /**
   * The presets the new one adds to: only files they leave unprotected are covered.
   * @default FileIntegrityPreset.defaults()
   */
  readonly base?: FileIntegrityPreset[];
  /**
   * Also cover interpreter module trees (Python, Perl, PHP, jars), not only executables, libraries and loader files.
   * @default true
   */
  readonly includeModules?: boolean;
  /**
   * Paths the workload writes (writable volume mounts; directories end in `/`): no covering directory contains them.
   * @default - none
   */
  readonly writablePaths?: string[];
  /**
   * The compliance controls protecting these items implements.
   * @default - the controls of the base presets
   */
  readonly controls?: ComplianceControl[];
}

/** A known breakage of enforcing a preset (Block): what breaks, on which images, and how to avoid it. */
export interface FileIntegrityBreakage {
  /** Stable id, e.g. `PYTHON_BYTECODE`. */
  readonly id: string;
  /** What breaks and why. */
  readonly description: string;
  /** Image families it applies to (`debian`, `python`, `cuda`, ... see `ImageContents.families`); empty = every image. */
  readonly imageFamilies: string[];
  /** The protected directories (ending in `/`) or files the breaking write goes to. */
  readonly paths: string[];
  /** How to avoid it without dropping the protection. */
  readonly fix: string;
  /** Whether the image's own processes write there on every start (a runtime writer), not only during maintenance or debugging. */
  readonly atStart: boolean;
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
  /** `/bin/ /sbin/ /usr/bin/ /usr/sbin/ /usr/libexec/ /usr/local/bin/ /usr/local/sbin/`, `/etc/alternatives/` and root-level entrypoints. Breaks in-container package installs. */
  public static readonly SYSTEM_BINARIES = FileIntegrityPreset.fromTable('SYSTEM_BINARIES');
  /** `/lib*`, `/usr/lib*`, `/usr/local/lib/`, `/usr/share/` and the dynamic linker configuration. Breaks package installs and `pip install` into system site-packages. */
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
  /** `/opt/` and all of `/usr/local/` (temurin, bitnami, tomcat, PHP). Opt-in: breaks applications that write inside their install tree. */
  public static readonly ADD_ON_SOFTWARE = FileIntegrityPreset.fromTable('ADD_ON_SOFTWARE');
  /** root's `/root/.local/bin/` and `/root/.local/lib/` (Python user site-packages). Breaks `pip install --user` at runtime. */
  public static readonly USER_LOCAL_SOFTWARE = FileIntegrityPreset.fromTable('USER_LOCAL_SOFTWARE');
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
    return lazyFimPresets().PRESETS.map((p) => (FileIntegrityPreset as any)[p.name] as FileIntegrityPreset);
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
      const i = lazyValidate().fieldIssues('directories[]', 'dir', d)[0];
      if (i) fail({ where, field: 'directories[]', value: d, problem: i.problem, fix: i.fix });
    }
    for (const p of paths) {
      const i = lazyValidate().fieldIssues('paths[]', 'path', p)[0];
      if (i) fail({ where, field: 'paths[]', value: p, problem: i.problem, fix: i.fix });
    }
    return new FileIntegrityPreset(props.name, true, {
      description: props.description,
      dirs: directories.sort(),
      files: paths.sort(),
      ctrls: ComplianceControl._canonical(props.controls ?? []),
      breaks: props.breaks ?? '',
      breakages: [],
    });
  }

  /**
   * A preset covering what `base` leaves unprotected in an image: the smallest set of directories (and single
   * files directly in /, /etc/, /usr/ ...) holding its executables, libraries, loader files and, by default,
   * interpreter modules. Configuration is left to the configuration presets. Fails when nothing is left.
   *
   * @example
   * const image = FileIntegrityPreset.fromImageContents(ImageContents.fromFile('temurin.tvf'), { name: 'TEMURIN' });
   * image.directories; // ['/opt/']
   */
  public static fromImageContents(contents: ImageContents, options: FileIntegrityPresetFromImageOptions = {}): FileIntegrityPreset {
    const base = options.base ?? FileIntegrityPreset.defaults();
    const dirs = base.flatMap((p) => p.directories.map((dir) => ({ dir, recursive: true, readOnly: true, origin: p.name })));
    const paths = base.flatMap((p) => p.paths.map((path) => ({ path, readOnly: true, origin: p.name })));
    const writable = (options.writablePaths ?? []).map((path) => ({ path, origin: 'writablePaths' }));
    const wanted = options.includeModules === false ? ['executable', 'library', 'loader'] : ['executable', 'library', 'loader', 'module'];
    const gaps = lazyCoverage().computeCoverage(contents._entries, contents.families, { dirs, paths }, writable).gaps
      .filter((g) => g.categories.some((c) => wanted.includes(c)));
    const name = options.name ?? 'IMAGE_CONTENTS';
    const baseNames = base.map((p) => p.name).join(', ') || 'no preset';
    if (gaps.length === 0) {
      throw new Error(`FileIntegrityPreset.fromImageContents: ${contents.source} has no ${wanted.join(', ')} files outside ${baseNames}; use those presets as they are`);
    }
    const controls = options.controls ?? [...new Map(base.flatMap((p) => p.controls).map((c) => [c.tag, c])).values()];
    return FileIntegrityPreset.custom({
      name,
      description: `What ${baseNames} leave unprotected in ${contents.source}: ${gaps.map((g) => `${g.cover} (${g.fileCount} ${g.categories.join('/')})`).join(', ')}.`,
      directories: gaps.filter((g) => g.cover.endsWith('/')).map((g) => g.cover),
      paths: gaps.filter((g) => !g.cover.endsWith('/')).map((g) => g.cover),
      controls,
      breaks: 'Writes by the image\'s own processes into these directories; check the coverage report (ImageCoverage) for writes.',
    });
  }

  /** A built-in preset: its row of the table is read on first use, not when the library is loaded. */
  private static fromTable(name: string): FileIntegrityPreset {
    return new FileIntegrityPreset(name, false, undefined);
  }

  /** The preset's name (the constant's name for built-in presets). */
  public readonly name: string;
  /** Whether the preset was made with `custom()`. */
  public readonly isCustom: boolean;
  private resolved?: PresetContents;

  private constructor(name: string, isCustom: boolean, contents: PresetContents | undefined) {
    this.name = name;
    this.isCustom = isCustom;
    this.resolved = contents;
  }

  /** What the preset protects and why. */
  public get description(): string {
    return this.contents.description;
  }

  /** What enforcing the preset (Block) breaks. Empty for custom presets that did not say. */
  public get breaks(): string {
    return this.contents.breaks;
  }

  /** A copy of the protected directories (sorted; each ends in `/`). */
  public get directories(): string[] {
    return [...this.contents.dirs];
  }

  /** A copy of the protected files (sorted). */
  public get paths(): string[] {
    return [...this.contents.files];
  }

  /** Known breakages of enforcing the preset, each with the image families it applies to (empty for custom presets). */
  public get knownBreakages(): FileIntegrityBreakage[] {
    return this.contents.breakages.map((b) => ({ ...b, imageFamilies: [...b.imageFamilies], paths: [...b.paths] }));
  }

  /** A copy of the compliance controls, in tag order. */
  public get controls(): ComplianceControl[] {
    return [...this.contents.ctrls];
  }

  /** The preset's contents; a built-in preset's are read from the table on first use. */
  private get contents(): PresetContents {
    return this.resolved ??= tableContents(this.name);
  }
}

/** What a preset holds, apart from its name. */
interface PresetContents {
  readonly description: string;
  readonly dirs: string[];
  readonly files: string[];
  readonly ctrls: ComplianceControl[];
  readonly breaks: string;
  readonly breakages: FileIntegrityBreakage[];
}

/** A built-in preset's contents, from its row of the table (the controls it names must be in the compliance table). */
function tableContents(name: string): PresetContents {
  const row: PresetRow | undefined = lazyFimPresets().PRESETS.find((p) => p.name === name);
  if (!row) throw new Error(`preset table has no ${name}`);
  const controls = row.controls.map((key) => {
    const [fw, id] = key.split(/:(.*)/s);
    const c = ComplianceControl.all().find((x) => x.framework === fw && x.id === id);
    if (!c) throw new Error(`preset ${name} names control ${key}, which is not in the compliance table`);
    return c;
  });
  const breakages = (row.knownBreakages ?? []).map((b) => ({ ...b, imageFamilies: [...b.imageFamilies], paths: [...b.paths] }));
  return {
    description: row.description,
    dirs: [...row.directories].sort(),
    files: [...row.paths].sort(),
    ctrls: ComplianceControl._canonical(controls),
    breaks: row.breaks,
    breakages,
  };
}
