import * as fs from 'fs';
import { StringDecoder } from 'string_decoder';
import type { ImageEntry, Listing, ListingFormat, MalformedLine } from './private/image-listing';
import { lazy } from './private/lazy';

// Loaded on first use, not when the library is loaded (cold require cost).
/* eslint-disable @typescript-eslint/no-require-imports */
const lazyImageListing = lazy((): typeof import('./private/image-listing') => require('./private/image-listing'));
const lazyImageFamilies = lazy((): typeof import('./private/image-families') => require('./private/image-families'));
/* eslint-enable @typescript-eslint/no-require-imports */
// node's zlib is not loaded by cdk8s itself: gzipped listings are the only user.
/* eslint-disable @typescript-eslint/no-require-imports */
const lazyZlib = lazy((): typeof import('zlib') => require('zlib'));
/* eslint-enable @typescript-eslint/no-require-imports */

/** How an image's file list is written. */
export enum ImageContentsFormat {
  /** Decided from the content: JSON documents by their `bomFormat` / `spdxVersion`, text by its first line. */
  AUTO = 'auto',
  /** One path per line (`find / -xdev`, `tar -tf` of `docker export`); a trailing `/` marks a directory. */
  PATH_LIST = 'path-list',
  /** Long listing with modes: `tar -tvf`, `dpkg -c`, `ls -lR`, so executables and symlinks are known. */
  LONG_LISTING = 'long-listing',
  /** CycloneDX JSON with `file` components (`syft -o cyclonedx-json`). */
  CYCLONEDX_JSON = 'cyclonedx-json',
  /** SPDX JSON with `files[]` (`syft -o spdx-json`). */
  SPDX_JSON = 'spdx-json',
}

/** Options of {@link ImageContents.parse} and {@link ImageContents.fromFile}. */
export interface ImageContentsOptions {
  /**
   * The input format.
   * @default ImageContentsFormat.AUTO
   */
  readonly format?: ImageContentsFormat;
  /**
   * Name of the input in error messages and reports.
   * @default - the file name for fromFile(), 'image contents' for parse()
   */
  readonly source?: string;
}

const SYSTEM_LINKS = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/usr/bin', '/usr/sbin', '/usr/lib', '/usr/lib64', '/var/run', '/var/lock'];
const CHUNK = 1048576;
const MAX_REPORTED = 10;

/**
 * The files of a container image, as users can list them offline: a plain path list, a long listing with
 * modes, or an SBOM with file entries. Input to {@link ImageCoverage} and
 * {@link FileIntegrityPreset.fromImageContents}.
 *
 * Parsing is all-or-nothing: malformed lines fail with their line numbers.
 *
 * @example
 * const contents = ImageContents.fromFile('mysql-5.6.tvf'); // docker export mysql | tar -tvf - > mysql-5.6.tvf
 */
export class ImageContents {
  /** Parses the text of a file list. */
  public static parse(text: string, options: ImageContentsOptions = {}): ImageContents {
    const source = options.source ?? 'image contents';
    const format = options.format ?? ImageContentsFormat.AUTO;
    if (isJson(text, format)) return ImageContents.from(lazyImageListing().parseSbom(text, sbomFormat(format)), source);
    const parser = new (lazyImageListing().LineParser)(lineFormat(format));
    lazyImageListing().forEachLine(text, (l) => parser.push(l));
    return ImageContents.from({ format: parser.detected, entries: parser.entries, malformed: parser.malformed }, source);
  }

  /** Reads a file list (`.gz` is decompressed); text formats are parsed in 1 MiB chunks, line by line. */
  public static fromFile(file: string, options: ImageContentsOptions = {}): ImageContents {
    const source = options.source ?? file;
    const format = options.format ?? ImageContentsFormat.AUTO;
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch (e) {
      throw new Error(`ImageContents.fromFile: cannot read ${file}: ${(e as Error).message}`);
    }
    try {
      const head = Buffer.alloc(2);
      fs.readSync(fd, head, 0, 2, 0);
      if (head[0] === 0x1f && head[1] === 0x8b) {
        return ImageContents.parse(lazyZlib().gunzipSync(fs.readFileSync(fd)).toString('utf8'), { format, source });
      }
      const first = Buffer.alloc(64);
      const n = fs.readSync(fd, first, 0, 64, 0);
      if (isJson(first.subarray(0, n).toString('utf8'), format)) {
        return ImageContents.from(lazyImageListing().parseSbom(fs.readFileSync(file, 'utf8'), sbomFormat(format)), source);
      }
      const parser = new (lazyImageListing().LineParser)(lineFormat(format));
      const decoder = new StringDecoder('utf8');
      const buf = Buffer.alloc(CHUNK);
      let rest = '';
      for (let pos = 0, read = 0; (read = fs.readSync(fd, buf, 0, CHUNK, pos)) > 0; pos += read) {
        const text = rest + decoder.write(buf.subarray(0, read));
        const last = text.lastIndexOf('\n');
        if (last < 0) {
          rest = text;
          continue;
        }
        lazyImageListing().forEachLine(text.slice(0, last), (l) => parser.push(l));
        rest = text.slice(last + 1);
      }
      rest += decoder.end();
      if (rest.length > 0) parser.push(rest);
      return ImageContents.from({ format: parser.detected, entries: parser.entries, malformed: parser.malformed }, source);
    } finally {
      fs.closeSync(fd);
    }
  }

  private static from(listing: Listing, source: string): ImageContents {
    if (listing.malformed.length > 0) throw new Error(malformedMessage(source, listing.format, listing.malformed));
    if (listing.entries.length === 0) {
      throw new Error(`${source}: no files found (${listing.format}); give a path list, a long listing (tar -tvf, ls -lR) or an SBOM with file entries`);
    }
    return new ImageContents(source, listing.format as ImageContentsFormat, listing.entries);
  }

  /** Name of the input. */
  public readonly source: string;
  /** The format that was read (never AUTO). */
  public readonly format: ImageContentsFormat;
  /** Number of entries (files, directories, links). */
  public readonly entryCount: number;
  /**
   * Whether the image has a merged /usr (`/bin`, `/sbin` and `/lib` are symlinks into `/usr`): a fact when the
   * listing shows them, undefined when it shows neither the links nor files under real `/bin`, `/lib` directories.
   */
  public readonly mergedUsr?: boolean;
  /** @internal */
  public readonly _entries: readonly ImageEntry[];
  private readonly links: string[];
  private readonly familyKeys: string[];

  private constructor(source: string, format: ImageContentsFormat, entries: ImageEntry[]) {
    this.source = source;
    this.format = format;
    this._entries = entries;
    this.entryCount = entries.length;
    const links = new Map<string, ImageEntry>();
    const systemLinks = new Set(SYSTEM_LINKS);
    const markers = new Set(lazyImageFamilies().familyMarkers());
    const dirMarkers = [...markers].filter((m) => m.endsWith('/'));
    const found = new Set<string>();
    const realSplit = new Set<string>();
    for (const e of entries) {
      const p = e.path;
      if (systemLinks.has(p)) links.set(p, e);
      if (markers.has(p)) found.add(p);
      // Directory markers (`/opt/bitnami/`): the directory itself or anything under it.
      for (let i = 0; i < dirMarkers.length; i++) {
        if (p.startsWith(dirMarkers[i])) {
          found.add(dirMarkers[i]);
          dirMarkers.splice(i--, 1);
        }
      }
      if (e.type === 'dir' && markers.has(`${p}/`)) found.add(`${p}/`);
      if (p.startsWith('/bin/') || p.startsWith('/sbin/') || p.startsWith('/lib/')) realSplit.add(p.slice(0, p.indexOf('/', 1)));
      if (e.type === 'dir' && (p === '/bin' || p === '/sbin' || p === '/lib')) realSplit.add(p);
    }
    this.links = SYSTEM_LINKS.filter((p) => links.get(p)?.type === 'symlink').map((p) => `${p} -> ${links.get(p)!.target}`);
    const linked = (p: string) => links.get(p)?.type === 'symlink' && /^(\/|\.\/)?usr\//.test(links.get(p)!.target ?? '');
    if (['/bin', '/sbin', '/lib'].every(linked)) this.mergedUsr = true;
    else if (realSplit.size > 0) this.mergedUsr = false;
    this.familyKeys = lazyImageFamilies().detectFamilies(found);
  }

  /** The symlinked system directories, e.g. `/bin -> usr/bin` (sorted). */
  public get symlinkedDirectories(): string[] {
    return [...this.links];
  }

  /** Image families recognised from marker files (`debian`, `python`, `cuda`, `docker-library`, ...). */
  public get families(): string[] {
    return [...this.familyKeys];
  }
}

function isJson(text: string, format: ImageContentsFormat): boolean {
  if (format === ImageContentsFormat.CYCLONEDX_JSON || format === ImageContentsFormat.SPDX_JSON) return true;
  return format === ImageContentsFormat.AUTO && /^\s*\{/.test(text);
}

function sbomFormat(format: ImageContentsFormat): 'cyclonedx-json' | 'spdx-json' | undefined {
  return format === ImageContentsFormat.CYCLONEDX_JSON || format === ImageContentsFormat.SPDX_JSON ? format : undefined;
}

function lineFormat(format: ImageContentsFormat): 'path-list' | 'long-listing' | undefined {
  return format === ImageContentsFormat.PATH_LIST || format === ImageContentsFormat.LONG_LISTING ? format : undefined;
}

function malformedMessage(source: string, format: ListingFormat, bad: readonly MalformedLine[]): string {
  const lines = bad.slice(0, MAX_REPORTED).map((b) => (b.line > 0 ? `${source}:${b.line}: ${b.problem}${b.text ? `: ${b.text}` : ''}`
    : `${source}: ${b.text}: ${b.problem}`));
  const more = bad.length > MAX_REPORTED ? `\n... and ${bad.length - MAX_REPORTED} more` : '';
  return `${source}: ${bad.length} malformed ${bad.length === 1 ? 'entry' : 'entries'} in a ${format} input; fix or remove them\n${lines.join('\n')}${more}`;
}
