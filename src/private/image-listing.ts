/**
 * Parsers for an image's file list, one entry at a time: a plain path list (`find / -xdev`, `tar -tf` of
 * `docker export`), a long listing with modes (`tar -tvf`, `dpkg -c`, `ls -lR`), and SBOMs with file entries
 * (CycloneDX JSON and SPDX JSON as syft writes them). Text formats are parsed line by line as the text
 * arrives (`LineParser.push`), so a file is read in chunks and never split into an array of lines.
 */

export type EntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

export interface ImageEntry {
  /** Absolute, normalised, no trailing '/'. */
  readonly path: string;
  readonly type: EntryType;
  /** From the mode bits or the SBOM's file type; undefined when the input does not say. */
  readonly executable?: boolean;
  /** Symlink or hard link target as written in the input. */
  readonly target?: string;
}

export interface MalformedLine {
  readonly line: number;
  readonly text: string;
  readonly problem: string;
}

export type ListingFormat = 'path-list' | 'long-listing' | 'cyclonedx-json' | 'spdx-json';

export interface Listing {
  readonly format: ListingFormat;
  readonly entries: ImageEntry[];
  readonly malformed: MalformedLine[];
}

const MODE = '([-dlhcbpsD][rwxsStT-]{9})[.+@]?';
// GNU/busybox tar -tv and dpkg -c: mode owner/group size date time name
const TAR_LINE = new RegExp(`^${MODE}\\s+\\S+/\\S+\\s+(?:\\d+,\\s*)?\\d+\\s+\\d{4}-\\d\\d-\\d\\d\\s+\\d\\d:\\d\\d(?::\\d\\d)?\\s+(.*)$`);
// ls -l: mode links owner group size (or major, minor) date name; date as "Mon dd hh:mm", "Mon dd yyyy" or long-iso
const LS_LINE = new RegExp(`^${MODE}\\s+\\d+\\s+\\S+\\s+\\S+\\s+(?:\\d+,\\s*)?\\d+\\s+`
  + '(?:[A-Z][a-z]{2}\\s+\\d{1,2}\\s+(?:\\d{1,2}:\\d\\d|\\d{4})|\\d{4}-\\d\\d-\\d\\d\\s+\\d\\d:\\d\\d(?::\\d\\d(?:\\.\\d+)?)?(?:\\s+[+-]\\d{4})?)\\s+(.*)$');
const LOOKS_LONG = new RegExp(`^${MODE}\\s`);
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** The normalised absolute path of `raw` (relative names are taken from `/`), or a problem. */
const NEEDS_SLOW_PATH = /\/\/|\/\.\.?(?:\/|$)|\\|[\u0000-\u001f\u007f]/;

export function normalisePath(raw: string, base = '/'): string | { problem: string } {
  if (raw.length === 0) return { problem: 'empty path' };
  // Fast path: `./a/b`, `/a/b`, `a/b` (with base '/') without '.', '..', '//', escapes or control characters.
  if (base === '/' && !NEEDS_SLOW_PATH.test(raw)) {
    let p = raw.startsWith('./') ? raw.slice(1) : raw === '.' ? '/' : raw.startsWith('/') ? raw : `/${raw}`;
    if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
    if (!p.startsWith('/.') || p.length === 1 || p[2] !== '/') return p;
  }
  if (CONTROL.test(raw)) return { problem: 'control character in path' };
  const decoded = raw.replace(/\\([0-7]{3})/g, (_m, o) => String.fromCharCode(parseInt(o, 8)));
  const joined = decoded.startsWith('/') ? decoded : `${base.endsWith('/') ? base : `${base}/`}${decoded}`;
  const out: string[] = [];
  for (const seg of joined.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return { problem: "'..' above the image root" };
      out.pop();
      continue;
    }
    out.push(seg);
  }
  return `/${out.join('/')}`;
}

function typeOf(mode: string): EntryType {
  switch (mode[0]) {
    case '-': return 'file';
    case 'd': return 'dir';
    case 'l': return 'symlink';
    case 'h': return 'hardlink';
    default: return 'other';
  }
}

function executableBits(mode: string): boolean {
  return /[xst]/.test(mode[3] + mode[6] + mode[9]);
}

/** Incremental parser for the text formats; `push` one line at a time (without its newline). */
export class LineParser {
  public readonly entries: ImageEntry[] = [];
  public readonly malformed: MalformedLine[] = [];
  private lineNo = 0;
  private format: 'path-list' | 'long-listing' | undefined;
  private lsDir: string | undefined;

  constructor(format?: 'path-list' | 'long-listing') {
    this.format = format;
  }

  public get detected(): 'path-list' | 'long-listing' {
    return this.format ?? 'path-list';
  }

  public push(rawLine: string): void {
    this.lineNo++;
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim().length === 0) return;
    if (this.format === undefined) this.format = LOOKS_LONG.test(line) || /:$/.test(line) ? 'long-listing' : 'path-list';
    if (this.format === 'path-list') this.pathLine(line);
    else this.longLine(line);
  }

  private bad(text: string, problem: string): void {
    this.malformed.push({ line: this.lineNo, text: text.length > 120 ? `${text.slice(0, 117)}...` : text, problem });
  }

  private pathLine(line: string): void {
    if (LOOKS_LONG.test(line)) {
      this.bad(line, 'a long-listing line in a plain path list; give the whole input in one format');
      return;
    }
    const p = normalisePath(line);
    if (typeof p !== 'string') return this.bad(line, p.problem);
    if (p === '/') return;
    this.entries.push({ path: p, type: line.endsWith('/') ? 'dir' : 'file' });
  }

  private longLine(line: string): void {
    if (/^total \d+$/.test(line)) return;
    if (!LOOKS_LONG.test(line) && line.endsWith(':')) {
      const dir = normalisePath(line.slice(0, -1) || '.');
      if (typeof dir !== 'string') return this.bad(line, dir.problem);
      this.lsDir = dir;
      return;
    }
    const fast = tarFields(line);
    const tar = fast ?? TAR_LINE.exec(line);
    const ls = tar ? undefined : LS_LINE.exec(line);
    const m = tar ?? ls;
    if (!m) {
      this.bad(line, 'not a long-listing line (expected `tar -tvf` or `ls -l` columns: mode, owner, size, date, name)');
      return;
    }
    const mode = m[1];
    const type = typeOf(mode);
    let name = m[2];
    let target: string | undefined;
    const sep = type === 'symlink' ? ' -> ' : type === 'hardlink' ? ' link to ' : undefined;
    if (sep !== undefined) {
      const at = name.indexOf(sep);
      if (at < 0) return this.bad(line, `a ${type} without its target ('${sep.trim()}')`);
      target = name.slice(at + sep.length);
      name = name.slice(0, at);
    }
    if (ls && (name === '.' || name === '..')) return;
    const p = normalisePath(name, ls ? this.lsDir ?? '/' : '/');
    if (typeof p !== 'string') return this.bad(line, p.problem);
    if (p === '/') return;
    this.entries.push({ path: p, type, executable: type === 'file' || type === 'hardlink' ? executableBits(mode) : undefined, target });
  }
}

const MODE_ONLY = new RegExp(`^${MODE}$`);
const DATE = /^\d{4}-\d\d-\d\d$/;
const TIME = /^\d\d:\d\d(?::\d\d)?$/;
const DIGITS = /^\d+$/;

/** `[line, mode, name]` of a plain `tar -tvf` line without the big regex (undefined: let the regexes decide). */
function tarFields(line: string): [string, string, string] | undefined {
  const fields: string[] = [];
  let pos = 0;
  for (let f = 0; f < 5; f++) {
    const sp = line.indexOf(' ', pos);
    if (sp < 0) return undefined;
    fields.push(line.slice(pos, sp));
    pos = sp;
    while (line.charCodeAt(pos) === 32) pos++;
  }
  if (!MODE_ONLY.test(fields[0]) || !fields[1].includes('/') || !DIGITS.test(fields[2]) || !DATE.test(fields[3]) || !TIME.test(fields[4])) return undefined;
  return pos < line.length ? [line, fields[0].slice(0, 10), line.slice(pos)] : undefined;
}

/** Calls `each` for every line of `text` without materialising an array of lines. */
export function forEachLine(text: string, each: (line: string) => void): void {
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end > start || end < text.length) each(text.slice(start, end));
    start = end + 1;
  }
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** V8 messages without a position quote the text around the error: find it (and the unexpected token in it). */
function lineOfSnippet(text: string, msg: string): number {
  const m = /"(?:\.\.\.)?([\s\S]*?)(?:\.\.\.)?" is not valid JSON/.exec(msg);
  const at = m ? text.indexOf(m[1]) : -1;
  if (at < 0) return 1;
  const token = /Unexpected token '(.)'/.exec(msg)?.[1];
  const within = token !== undefined ? m![1].indexOf(token) : 0;
  return lineOfOffset(text, at + Math.max(0, within));
}

/** Parses a CycloneDX or SPDX JSON SBOM; a JSON syntax error is reported with its line. */
export function parseSbom(text: string, expected?: 'cyclonedx-json' | 'spdx-json'): Listing {
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const lc = /\(line (\d+) column \d+\)/.exec(msg);
    const line = lc ? Number(lc[1]) : pos ? lineOfOffset(text, Number(pos[1])) : lineOfSnippet(text, msg);
    return { format: expected ?? 'cyclonedx-json', entries: [], malformed: [{ line, text: '', problem: `invalid JSON: ${msg}` }] };
  }
  const format = doc?.bomFormat === 'CycloneDX' ? 'cyclonedx-json' : typeof doc?.spdxVersion === 'string' ? 'spdx-json' : undefined;
  if (format === undefined || (expected !== undefined && format !== expected)) {
    const problem = format === undefined ? 'JSON that is neither a CycloneDX (bomFormat) nor an SPDX (spdxVersion) document'
      : `a ${format} document, not ${expected}`;
    return { format: expected ?? 'cyclonedx-json', entries: [], malformed: [{ line: 1, text: '', problem }] };
  }
  const entries: ImageEntry[] = [];
  const malformed: MalformedLine[] = [];
  const add = (raw: unknown, pointer: string, executable?: boolean) => {
    const p = typeof raw === 'string' ? normalisePath(raw) : { problem: 'file name is not a string' };
    if (typeof p === 'string') entries.push({ path: p, type: 'file', executable });
    else malformed.push({ line: 0, text: pointer, problem: p.problem });
  };
  if (format === 'cyclonedx-json') {
    const walk = (components: unknown, pointer: string) => {
      if (!Array.isArray(components)) return;
      components.forEach((c, i) => {
        if (c?.type === 'file') add(c.name, `${pointer}/${i}/name`);
        walk(c?.components, `${pointer}/${i}/components`);
      });
    };
    walk(doc.components, '/components');
  } else if (Array.isArray(doc.files)) {
    doc.files.forEach((f: any, i: number) => {
      const types = Array.isArray(f?.fileTypes) ? f.fileTypes : [];
      add(f?.fileName, `/files/${i}/fileName`, types.includes('APPLICATION') ? true : undefined);
    });
  }
  return { format, entries, malformed };
}
