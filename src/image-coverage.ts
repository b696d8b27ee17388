import { FileIntegrityPreset } from './file-integrity-preset';
import { ImageContents } from './image-contents';
import type { CoverageResult, WritablePath } from './private/coverage';
import { lazy } from './private/lazy';

// Loaded on first use, not when the library is loaded (cold require cost).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazyCoverageInput = lazy((): typeof import('./private/coverage-input') => require('./private/coverage-input'));
const lazyCoverage = lazy((): typeof import('./private/coverage') => require('./private/coverage'));
/* eslint-enable @typescript-eslint/no-require-imports */

/** What kind of file an image entry is, for the coverage check. */
export enum ImageFileCategory {
  /** Executables (mode bits, SBOM file type, or a `bin`/`sbin`/`libexec` directory) and `/etc/alternatives/` links. Critical. */
  EXECUTABLE = 'executable',
  /** Shared libraries (`*.so`, `*.so.N`). Critical. */
  LIBRARY = 'library',
  /** Dynamic loader configuration: `/etc/ld.so.preload`, `ld.so.conf`, `ld.so.conf.d/`, `ld.so.cache`. Critical. */
  LOADER = 'loader',
  /** Interpreter modules: Python, Perl, Ruby, PHP, Java archives and classes, node_modules. */
  MODULE = 'module',
  /** Configuration under `/etc/` and root's shell start-up files. */
  CONFIGURATION = 'configuration',
}

/** Files outside the protected set, grouped under one directory (or file) that would cover them. */
export interface ImageCoverageGap {
  /** The directory (ending in `/`) or file to protect to cover the group. */
  readonly cover: string;
  /** Whether the group holds executables, libraries or loader files. */
  readonly critical: boolean;
  /** The categories of the files in the group (sorted). */
  readonly categories: ImageFileCategory[];
  /** Number of files in the group. */
  readonly fileCount: number;
  /** The directories that hold them (sorted). */
  readonly directories: string[];
  /** Up to three of them (critical ones first). */
  readonly examples: string[];
}

/** A protected path the workload must write: what Block would break. */
export interface ImageCoverageWrite {
  /** The written path (directories end in `/`). */
  readonly path: string;
  /** The protected directory or file that covers it. */
  readonly protectedBy: string;
  /** Why the workload writes there. */
  readonly reason: string;
  /** A volume mount, or the id of a known breakage (`PYTHON_BYTECODE`, ...). */
  readonly source: string;
}

/** A known breakage of a preset that applies to this image (its family was recognised and its paths are protected). */
export interface ImageCoverageBreakage {
  /** The breakage id (see `FileIntegrityPreset.knownBreakages`). */
  readonly id: string;
  /** The preset that documents it. */
  readonly preset: string;
  /** What breaks. */
  readonly description: string;
  /** How to avoid it. */
  readonly fix: string;
  /** The protected paths of this image it concerns. */
  readonly paths: string[];
}

/** Options of {@link ImageCoverage.ofPresets}. */
export interface ImageCoverageOptions {
  /**
   * Paths the workload writes (its writable volume mounts); directories end in `/`.
   * @default - none
   */
  readonly writablePaths?: string[];
}

/** Options of {@link ImageCoverage.ofManifests}. */
export interface ImageCoverageManifestOptions {
  /**
   * The workload whose image this is: `Kind/namespace/name`, `namespace/name` or `name` of a workload manifest.
   * @default - the only workload among the manifests; every policy when there is none
   */
  readonly workload?: string;
  /**
   * The container whose volume mounts count as writable.
   * @default - every container of the workload
   */
  readonly container?: string;
}

/**
 * Are the executables, libraries and configuration of an image protected, and will protecting them break it?
 * Computed from the image's contents and the protected set (presets, or the readOnly rules of rendered
 * policies), for PCI DSS 11.5.2 "critical files" evidence.
 *
 * @example
 * const report = ImageCoverage.ofPresets(ImageContents.fromFile('mysql.tvf'), FileIntegrityPreset.defaults());
 * report.hasCriticalGaps; // false
 */
export class ImageCoverage {
  /** The coverage of `contents` by the directories and files of `presets`. */
  public static ofPresets(contents: ImageContents, presets: FileIntegrityPreset[], options: ImageCoverageOptions = {}): ImageCoverage {
    const dirs = presets.flatMap((p) => p.directories.map((dir) => ({ dir, recursive: true, readOnly: true, origin: `preset ${p.name}` })));
    const paths = presets.flatMap((p) => p.paths.map((path) => ({ path, readOnly: true, origin: `preset ${p.name}` })));
    const writable = writablePaths(options.writablePaths ?? []);
    return new ImageCoverage(contents, presets.map((p) => `preset ${p.name}`), lazyCoverage().computeCoverage(contents._entries, contents.families, { dirs, paths }, writable));
  }

  /**
   * The coverage of `contents` by the readOnly file rules of the KubeArmor policies among `manifests` that
   * select the workload (its writable volume mounts are the paths it must write).
   */
  public static ofManifests(contents: ImageContents, manifests: any[], options: ImageCoverageManifestOptions = {}): ImageCoverage {
    const all = lazyCoverageInput().workloads(manifests, options.container);
    let w = all.length === 1 && options.workload === undefined ? all[0] : undefined;
    if (options.workload !== undefined) {
      const want = options.workload;
      const found = all.filter((x) => x.name === want || x.name.endsWith(`/${want}`));
      if (found.length !== 1) {
        const names = all.map((x) => x.name).join(', ') || 'none';
        throw new Error(`ImageCoverage.ofManifests: workload '${want}' ${found.length === 0 ? 'is not' : 'is ambiguous'} among the manifests (workloads: ${names}); use Kind/namespace/name`);
      }
      w = found[0];
    } else if (all.length > 1) {
      throw new Error(`ImageCoverage.ofManifests: the manifests hold ${all.length} workloads (${all.map((x) => x.name).join(', ')}); say which one runs the image with the workload option`);
    }
    const policies = lazyCoverageInput().policiesFor(manifests, w);
    const by = policies.map((p) => `${p.kind} ${p.metadata?.namespace ? `${p.metadata.namespace}/` : ''}${p.metadata?.name}`).sort();
    const covered = lazyCoverageInput().protectedSet(policies);
    return new ImageCoverage(contents, by, lazyCoverage().computeCoverage(contents._entries, contents.families, covered, w?.writable ?? []), w?.name);
  }

  /** Name of the image contents' input. */
  public readonly source: string;
  /** The workload (`Kind/namespace/name`) when computed from manifests. */
  public readonly workload?: string;
  /** Number of executables, libraries, modules, loader and configuration files checked. */
  public readonly checkedFiles: number;
  /** How many of them are protected. */
  public readonly protectedFiles: number;
  /** Whether any executable, library or loader file is unprotected. */
  public readonly hasCriticalGaps: boolean;
  private readonly result: CoverageResult;
  private readonly contents: ImageContents;
  private readonly by: string[];

  private constructor(contents: ImageContents, by: string[], result: CoverageResult, workload?: string) {
    this.contents = contents;
    this.source = contents.source;
    this.by = by;
    this.result = result;
    this.workload = workload;
    this.checkedFiles = result.checked;
    this.protectedFiles = result.protectedCount;
    this.hasCriticalGaps = result.gaps.some((g) => g.critical);
  }

  /** Where the protected set came from (`preset SYSTEM_BINARIES`, `KubeArmorPolicy ns/name`, ...). */
  public get protectedBy(): string[] {
    return [...this.by];
  }

  /** Unprotected files, grouped by the directory (or file) that would cover them; sorted by `cover`. */
  public get gaps(): ImageCoverageGap[] {
    return this.result.gaps.map((g) => ({
      ...g,
      categories: g.categories.map((c) => c as ImageFileCategory),
      directories: [...g.directories],
      examples: [...g.examples],
    }));
  }

  /** The smallest set of directories (and files) that would cover every gap; `criticalOnly` keeps the critical ones. */
  public coveringSet(criticalOnly: boolean = false): string[] {
    return this.result.gaps.filter((g) => !criticalOnly || g.critical).map((g) => g.cover);
  }

  /** Protected paths the workload must write (volume mounts, runtime writers): what Block would break. */
  public get writes(): ImageCoverageWrite[] {
    return this.result.writes.map((w) => ({ ...w }));
  }

  /** The known breakages of the presets that apply to this image. */
  public get breakages(): ImageCoverageBreakage[] {
    return this.result.breakages.map((b) => ({ ...b, paths: [...b.paths] }));
  }

  /** The symlinked system directories of the image (`/bin -> usr/bin`, ...). */
  public get symlinkedDirectories(): string[] {
    return this.contents.symlinkedDirectories;
  }

  /** The report as plain data (stable key order), for JSON output. */
  public toJson(): any {
    return {
      source: this.source,
      ...(this.workload !== undefined ? { workload: this.workload } : {}),
      protectedBy: this.protectedBy,
      mergedUsr: this.contents.mergedUsr ?? null,
      symlinkedDirectories: this.symlinkedDirectories,
      families: this.contents.families,
      checkedFiles: this.checkedFiles,
      protectedFiles: this.protectedFiles,
      hasCriticalGaps: this.hasCriticalGaps,
      coveringSet: this.coveringSet(),
      gaps: this.gaps,
      writes: this.writes,
      breakages: this.breakages,
    };
  }

  /** The report as text: one line per gap, write and breakage. */
  public toText(): string {
    return renderCoverage(this, false);
  }

  /** The report as Markdown (tables), e.g. next to a compliance report. */
  public toMarkdown(): string {
    return renderCoverage(this, true);
  }

  /** @internal */
  public get _mergedUsr(): boolean | undefined {
    return this.contents.mergedUsr;
  }

  /** @internal */
  public get _families(): string[] {
    return this.contents.families;
  }
}

function writablePaths(paths: readonly string[]): WritablePath[] {
  return paths.map((p) => ({ path: p, origin: 'writablePaths' }));
}

function layout(c: ImageCoverage): string {
  const merged = c._mergedUsr === undefined ? 'unknown (the listing shows neither)' : c._mergedUsr ? 'merged /usr' : 'split /usr (/bin, /sbin, /lib are real directories)';
  return `${merged}${c.symlinkedDirectories.length ? `; symlinked: ${c.symlinkedDirectories.join(', ')}` : ''}`;
}

function renderCoverage(c: ImageCoverage, markdown: boolean): string {
  const out: string[] = [];
  const title = `Coverage of ${c.source}${c.workload ? ` (${c.workload})` : ''}`;
  const summary = `${c.protectedFiles} of ${c.checkedFiles} executables, libraries, modules, loader and configuration files protected; `
    + `${c.hasCriticalGaps ? 'CRITICAL files unprotected' : 'no critical file unprotected'}`;
  const gaps = c.gaps;
  if (markdown) {
    out.push(`## ${title}`, '', `Protected by: ${c.protectedBy.map((b) => `\`${b}\``).join(', ') || 'nothing'}`, '',
      `Layout: ${layout(c)}. Families: ${c._families.join(', ') || 'none recognised'}.`, '', `${summary}.`, '');
    if (gaps.length) {
      out.push('### Unprotected', '', '| Cover | Critical | Categories | Files | Examples |', '|---|---|---|---|---|');
      for (const g of gaps) out.push(`| \`${g.cover}\` | ${g.critical ? 'yes' : 'no'} | ${g.categories.join(', ')} | ${g.fileCount} | ${g.examples.map((e) => `\`${e}\``).join('<br>')} |`);
      out.push('');
    }
    if (c.writes.length) {
      out.push('### Protected paths the workload writes', '', '| Path | Protected by | Source | Why |', '|---|---|---|---|');
      for (const w of c.writes) out.push(`| \`${w.path}\` | \`${w.protectedBy}\` | ${w.source} | ${w.reason.replace(/\|/g, '\\|')} |`);
      out.push('');
    }
    if (c.breakages.length) {
      out.push('### Known breakages for this image', '', '| Id | Preset | Paths | Fix |', '|---|---|---|---|');
      for (const b of c.breakages) out.push(`| \`${b.id}\` | \`${b.preset}\` | ${b.paths.map((p) => `\`${p}\``).join(' ')} | ${b.fix.replace(/\|/g, '\\|')} |`);
      out.push('');
    }
    return out.join('\n');
  }
  out.push(title, `  protected by: ${c.protectedBy.join(', ') || 'nothing'}`, `  layout: ${layout(c)}`,
    `  families: ${c._families.join(', ') || 'none recognised'}`, `  ${summary}`);
  for (const g of gaps) {
    out.push(`${g.critical ? 'CRITICAL' : 'WARNING '} unprotected ${g.cover}: ${g.fileCount} ${g.categories.join('/')} file${g.fileCount === 1 ? '' : 's'} (e.g. ${g.examples.join(', ')})`);
  }
  for (const w of c.writes) out.push(`WRITES   ${w.path} is protected by ${w.protectedBy} but written: ${w.source}`);
  for (const b of c.breakages) out.push(`BREAKS   ${b.id} (${b.preset}) on ${b.paths.join(', ')}: ${b.fix}`);
  return `${out.join('\n')}\n`;
}
