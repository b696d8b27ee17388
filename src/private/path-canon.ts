/**
 * Canonical-path checks for literal paths and directories. The kernel reports resolved, canonical paths
 * (KubeArmor's BPF-LSM enforcer compares them byte for byte with the rule: InnerKey.Path is a `[200]byte`
 * in KubeArmor/enforcer/bpflsm/mapHelpers.go), so a rule spelled any other way protects nothing there,
 * while AppArmor collapses some spellings (`//`): the enforcers disagree. Each check returns the problem and
 * the canonical spelling as the fix, or undefined when the value is canonical.
 *
 * Homoglyphs (documented decision): non-ASCII look-alikes of '/' and '.' are refused with the ASCII
 * spelling as the fix, and so is a path segment that mixes Latin letters with Cyrillic or Greek ones
 * (`/etc/pаsswd` with a Cyrillic 'а'): a literal path never matches the file the reader thinks it names.
 * Segments written wholly in one non-Latin script (`/data/данные/`) are accepted.
 */

export interface PathProblem {
  readonly problem: string;
  readonly fix: string;
}

/** KubeArmor's BPF-LSM map key for a path is 200 bytes (KubeArmor/enforcer/bpflsm/mapHelpers.go `Path [200]byte`). */
export const MAX_PATH_BYTES = 200;

// Unicode white space that String.prototype.trim removes, plus U+0085 (NEL).
const EDGE_SPACE = /^[\s\u0085]+|[\s\u0085]+$/g;
// C0/C1 controls, line and paragraph separators, format characters (zero-width, bidi, BOM, soft hyphen).
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\p{Cf}]/u;
// No-break and other non-ASCII spaces inside a path.
const ODD_SPACE = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/;
/** Non-ASCII look-alikes of '/' and '.', with the ASCII character they imitate. */
const LOOKALIKES: ReadonlyMap<string, string> = new Map([
  ...[...'\u2215\u2044\uff0f\u29f8\u2571\u1735'].map((c): [string, string] => [c, '/']),
  ...[...'\u2024\uff0e\ufe52\u0701\u0702\ua4f8'].map((c): [string, string] => [c, '.']),
]);
const LOOKALIKE = new RegExp(`[${[...LOOKALIKES.keys()].join('')}]`, 'gu');
/** Cyrillic and Greek letters that look like Latin ones, and the Latin letter (the suggestion's spelling). */
const CONFUSABLE_FROM = 'асеһіјорѕхуԁԛԝАВСЕНІКМОРТХοναικρτυΑΒΕΙΚΜΝΟΡΤΧ';
const CONFUSABLE_TO = 'acehijopsxydqwABCEHIKMOPTXovaikptuABEIKMNOPTX';

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The path with `//` collapsed and `.` / `..` segments resolved; a trailing '/' is kept. */
export function canonicalSpelling(v: string): string {
  const out: string[] = [];
  for (const seg of v.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  const body = `/${out.join('/')}`;
  return v.endsWith('/') || /\/\.\.?$/.test(v) ? (body === '/' ? '/' : `${body}/`) : body;
}

function mixesScripts(seg: string): boolean {
  return /\p{Script=Latin}/u.test(seg) && /[\p{Script=Cyrillic}\p{Script=Greek}]/u.test(seg);
}

/** Leading or trailing white space, with the trimmed (and, if needed, absolute) spelling as the fix. */
export function edgeSpaceProblem(v: string): PathProblem | undefined {
  const trimmed = v.replace(EDGE_SPACE, '');
  if (trimmed === v) return undefined;
  return { problem: 'has leading or trailing white space (the kernel never reports it)', fix: `use '${trimmed.startsWith('/') ? trimmed : `/${trimmed}`}'` };
}

/** The first reason an absolute literal path or directory is not canonical, or undefined. */
export function canonicalProblem(v: string): PathProblem | undefined {
  const invisible = INVISIBLE.exec(v);
  if (invisible) {
    const what = /[\u0000-\u001f\u007f-\u009f]/.test(invisible[0]) ? 'a control character' : /[\u2028\u2029]/.test(invisible[0]) ? 'a line or paragraph separator' : 'an invisible format character';
    const cleaned = v.replace(new RegExp(INVISIBLE.source, 'gu'), '');
    return { problem: `contains ${what} (${codePoint(invisible[0])})`, fix: `use '${cleaned}'` };
  }
  const space = ODD_SPACE.exec(v);
  if (space) return { problem: `contains a non-ASCII space (${codePoint(space[0])})`, fix: `use '${v.replace(new RegExp(ODD_SPACE.source, 'g'), ' ')}' (an ASCII space) or the real name` };
  const look = v.match(LOOKALIKE);
  if (look) {
    return {
      problem: `contains ${codePoint(look[0])}, a look-alike of '${LOOKALIKES.get(look[0])}' that the kernel treats as an ordinary character`,
      fix: `use '${canonicalSpelling(v.replace(LOOKALIKE, (c) => LOOKALIKES.get(c)!))}'`,
    };
  }
  const mixed = v.split('/').find(mixesScripts);
  if (mixed !== undefined) {
    const latin = [...mixed].map((c) => CONFUSABLE_TO[CONFUSABLE_FROM.indexOf(c)] ?? c).join('');
    return {
      problem: `has a segment that mixes Latin with Cyrillic or Greek letters ('${mixed}': a homoglyph of another name)`,
      fix: `spell it in one script${/[\p{Script=Cyrillic}\p{Script=Greek}]/u.test(latin) ? '' : `: '${latin}'`}`,
    };
  }
  const canon = canonicalSpelling(v);
  if (canon !== v) {
    return { problem: 'is not canonical (\'//\', \'.\' or \'..\' segments: the kernel reports the resolved path, so BPF-LSM never matches it)', fix: `use '${canon}'` };
  }
  const bytes = Buffer.byteLength(v, 'utf8');
  if (bytes > MAX_PATH_BYTES) {
    const len = bytes === v.length ? `${bytes} characters long` : `${bytes} bytes long in UTF-8`;
    return { problem: `is ${len} (KubeArmor's limit is ${MAX_PATH_BYTES}: BPF-LSM map keys are ${MAX_PATH_BYTES} bytes)`, fix: 'protect a shorter ancestor directory instead' };
  }
  return undefined;
}
