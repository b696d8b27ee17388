/**
 * Which strings KubeArmor's Go code and AppArmor's parser accept as patterns, ported from their acceptance
 * rules (not their matching):
 * - {@link goRegexpError}: Go `regexp.Compile` (regexp/syntax/parse.go, Perl flags), which KubeArmor runs on
 *   `matchPatterns` in the alert matcher (KubeArmor/feeder/policyMatcher.go: a pattern that fails is skipped
 *   with a debug log) and on the `hostnamereg` node selector;
 * - {@link goGlobError}: Go `filepath.Match` (path/filepath/match.go, Unix), with which the alert matcher
 *   compares `matchPatterns` to an event's path (its ErrBadPattern is ignored: the rule never matches);
 * - {@link appArmorGlobError}: apparmor_parser's glob (parser_regex.c convert_aaregex_to_pcre), which fails
 *   the whole profile, so every rule of the container, on an unbalanced `{}` or `[]` or a trailing `\`.
 * Each returns undefined when accepted, else Go's (or the parser's) reason.
 */

const MAX_REPEAT = 1000;
const MAX_NESTING = 1000;
const PERL_CLASSES = new Set(['d', 'D', 's', 'S', 'w', 'W']);
const SIMPLE_ESCAPES = new Set(['a', 'f', 'n', 'r', 't', 'v']);
const ANCHOR_ESCAPES = new Set(['A', 'z', 'b', 'B']);
const POSIX_CLASSES = new Set(['alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'word', 'xdigit']);

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9A-Fa-f]$/.test(c);
}

/** Go's unicode tables: categories (short or long names, any case) and scripts, plus `Any`. */
function unicodeClassKnown(name: string): boolean {
  if (name === 'Any') return true;
  const words = name.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join('_');
  for (const spelling of new Set([name, words, name.toUpperCase()])) {
    for (const probe of [`\\p{General_Category=${spelling}}`, `\\p{Script=${spelling}}`]) {
      try {
        new RegExp(probe, 'u');
        return true;
      } catch {
        // try the next spelling
      }
    }
  }
  return false;
}

/**
 * Parses one escape at `s[i] === '\\'` (parse.go parseEscape / parseUnicodeClass / parsePerlClassEscape);
 * returns the index after it, or an error.
 */
function escape(s: string, i: number, inClass: boolean): number | string {
  const c = s[i + 1];
  if (c === undefined) return 'trailing backslash at end of expression';
  if (c >= '1' && c <= '7') {
    // A single non-zero digit would be a backreference, which RE2 does not support; more digits are octal.
    if (!(s[i + 2] >= '0' && s[i + 2] <= '7')) return `invalid escape sequence: \`\\${c}\``;
  }
  if (c >= '0' && c <= '7') {
    let j = i + 2;
    while (j < i + 4 && s[j] >= '0' && s[j] <= '7') j++;
    return j;
  }
  if (c === 'x') {
    if (s[i + 2] === '{') {
      const end = s.indexOf('}', i + 3);
      const hex = end < 0 ? '' : s.slice(i + 3, end);
      if (end < 0 || hex.length === 0 || ![...hex].every((h) => isHex(h)) || parseInt(hex, 16) > 0x10ffff) return `invalid escape sequence: \`${s.slice(i, end < 0 ? s.length : end + 1)}\``;
      return end + 1;
    }
    if (!isHex(s[i + 2]) || !isHex(s[i + 3])) return `invalid escape sequence: \`${s.slice(i, i + 4)}\``;
    return i + 4;
  }
  if (c === 'p' || c === 'P') {
    let name: string;
    let end: number;
    if (s[i + 2] === '{') {
      const close = s.indexOf('}', i + 3);
      if (close < 0) return `invalid character class range: \`${s.slice(i)}\``;
      name = s.slice(i + 3, close).replace(/^\^/, '');
      end = close + 1;
    } else {
      if (s[i + 2] === undefined) return `invalid character class range: \`${s.slice(i)}\``;
      name = s[i + 2];
      end = i + 3;
    }
    return unicodeClassKnown(name) ? end : `invalid character class range: \`${s.slice(i, end)}\``;
  }
  if (PERL_CLASSES.has(c) || SIMPLE_ESCAPES.has(c)) return i + 2;
  if (!inClass && ANCHOR_ESCAPES.has(c)) return i + 2;
  // Any ASCII punctuation may be escaped; letters, digits 8/9 and non-ASCII may not.
  if (c.charCodeAt(0) < 0x80 && !/[A-Za-z0-9]/.test(c)) return i + 2;
  return `invalid escape sequence: \`\\${c}\``;
}

/** A character class from `s[i] === '['` (parse.go parseClass); returns the index after `]`. */
function charClass(s: string, i: number): number | string {
  let j = i + 1;
  if (s[j] === '^') j++;
  let first = true;
  while (j < s.length && (s[j] !== ']' || first)) {
    first = false;
    if (s.startsWith('[:', j)) {
      const end = s.indexOf(':]', j + 2);
      if (end >= 0) {
        const name = s.slice(j + 2, end).replace(/^\^/, '');
        if (!POSIX_CLASSES.has(name)) return `invalid character class range: \`${s.slice(j, end + 2)}\``;
        j = end + 2;
        continue;
      }
    }
    if (s[j] === '\\' && (s[j + 1] === 'p' || s[j + 1] === 'P' || PERL_CLASSES.has(s[j + 1]))) {
      const next = escape(s, j, true);
      if (typeof next === 'string') return next;
      j = next;
      continue;
    }
    const lo = classChar(s, j);
    if (typeof lo === 'string') return lo;
    let next = lo.next;
    if (s[next] === '-' && s[next + 1] !== undefined && s[next + 1] !== ']') {
      const hi = classChar(s, next + 1);
      if (typeof hi === 'string') return hi;
      if (hi.code < lo.code) return `invalid character class range: \`${s.slice(j, hi.next)}\``;
      next = hi.next;
    }
    j = next;
  }
  if (j >= s.length) return `missing closing ]: \`${s.slice(i)}\``;
  return j + 1;
}

function classChar(s: string, j: number): { code: number; next: number } | string {
  if (s[j] === '\\') {
    if (s[j + 1] === 'p' || s[j + 1] === 'P' || PERL_CLASSES.has(s[j + 1])) return `invalid character class range: \`${s.slice(j, j + 2)}\``;
    const next = escape(s, j, true);
    if (typeof next === 'string') return next;
    return { code: s.codePointAt(j + 1)!, next };
  }
  const code = s.codePointAt(j)!;
  return { code, next: j + (code > 0xffff ? 2 : 1) };
}

/** `{n}`, `{n,}` or `{n,m}` at `s[i] === '{'`; undefined when it is not a repeat (then `{` is a literal). */
function repeatAt(s: string, i: number): { next: number; min: number; max: number } | undefined {
  const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(i));
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === '' ? -1 : Number(m[3]);
  return { next: i + m[0].length, min, max };
}

/** Go `regexp.Compile(s)`'s error, or undefined when it compiles. */
export function goRegexpError(s: string): string | undefined {
  // Per nesting level: whether an operand precedes (a repeat needs one) and whether the last item was a repeat.
  let operand = false;
  let lastRepeat = false;
  let repeatStart = 0;
  let depth = 0;
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '(') {
      if (++depth > MAX_NESTING) return 'expression nests too deeply';
      if (s[i + 1] === '?') {
        const named = /^\(\?P?<([^>]*)>/.exec(s.slice(i));
        if (named) {
          if (!/^[A-Za-z0-9_]+$/.test(named[1])) return `invalid named capture: \`${named[0]}\``;
          i += named[0].length;
        } else {
          const flags = /^\(\?(-?[imsU]+|[imsU]+-[imsU]+|)([:)])/.exec(s.slice(i));
          if (!flags) return `invalid or unsupported Perl syntax: \`${s.slice(i, i + 3)}\``;
          i += flags[0].length;
          if (flags[2] === ')') {
            // (?flags) sets flags for the rest of the group: no new group, no operand.
            depth--;
            lastRepeat = false;
            continue;
          }
        }
      } else {
        i++;
      }
      operand = false;
      lastRepeat = false;
      continue;
    }
    if (c === ')') {
      if (depth === 0) return `unexpected ): \`${s}\``;
      depth--;
      operand = true;
      lastRepeat = false;
      i++;
      continue;
    }
    if (c === '|') {
      operand = false;
      lastRepeat = false;
      i++;
      continue;
    }
    const rep = c === '{' ? repeatAt(s, i) : undefined;
    if (c === '*' || c === '+' || c === '?' || rep) {
      const end = rep ? rep.next : i + 1;
      const op = s.slice(i, end + (s[end] === '?' ? 1 : 0));
      if (lastRepeat) return `invalid nested repetition operator: \`${s.slice(repeatStart, i)}${op}\``;
      if (!operand) return `missing argument to repetition operator: \`${op}\``;
      if (rep && (rep.min > MAX_REPEAT || rep.max > MAX_REPEAT || (rep.max >= 0 && rep.min > rep.max))) return `invalid repeat count: \`${op}\``;
      lastRepeat = true;
      repeatStart = i;
      i = end + (s[end] === '?' ? 1 : 0);
      continue;
    }
    lastRepeat = false;
    if (c === '[') {
      const next = charClass(s, i);
      if (typeof next === 'string') return next;
      i = next;
      operand = true;
      continue;
    }
    if (c === '\\') {
      if (s[i + 1] === 'Q') {
        const end = s.indexOf('\\E', i + 2);
        i = end < 0 ? s.length : end + 2;
        operand = true;
        continue;
      }
      const next = escape(s, i, false);
      if (typeof next === 'string') return next;
      i = next;
      operand = true;
      continue;
    }
    // '^', '$', '.', and literals are operands (Go accepts `^*`).
    operand = true;
    i += (s.codePointAt(i)! > 0xffff ? 2 : 1);
  }
  if (depth > 0) return `missing closing ): \`${s}\``;
  return undefined;
}

/** Go `filepath.Match(s, ...)`'s ErrBadPattern (checked for the whole pattern, as Go ≥ 1.16 does). */
export function goGlobError(s: string): string | undefined {
  const bad = 'syntax error in pattern';
  // getEsc: one class character, possibly escaped; never '-' or ']' unescaped, never the last of the pattern.
  const esc = (j: number): number | undefined => {
    if (j >= s.length || s[j] === '-' || s[j] === ']') return undefined;
    if (s[j] === '\\') j++;
    if (j >= s.length) return undefined;
    j += s.codePointAt(j)! > 0xffff ? 2 : 1;
    return j < s.length ? j : undefined;
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') {
      if (i + 1 >= s.length) return `${bad} (a trailing '\\')`;
      i += 2;
    } else if (c === '[') {
      let j = i + 1;
      if (s[j] === '^') j++;
      let ranges = 0;
      for (;;) {
        if (s[j] === ']' && ranges > 0) {
          j++;
          break;
        }
        const lo = esc(j);
        if (lo === undefined) return `${bad} (the character class at ${i + 1} is empty, unterminated or has a bare '-' or ']')`;
        j = lo;
        if (s[j] === '-') {
          const hi = esc(j + 1);
          if (hi === undefined) return `${bad} (the range at ${j} has no end)`;
          j = hi;
        }
        ranges++;
      }
      i = j;
    } else {
      i++;
    }
  }
  return undefined;
}

/** apparmor_parser's rejection of a glob (the profile then fails to load), or undefined. */
export function appArmorGlobError(s: string): string | undefined {
  let braces = 0;
  let inClass = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      if (i + 1 >= s.length) return 'ends in a lone \'\\\'';
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '{') {
      if (++braces > 50) return 'nests alternations {...} deeper than 50';
    } else if (c === '}') {
      if (braces === 0) return 'closes a \'}\' that was never opened';
      braces--;
    }
  }
  if (inClass) return 'has an unclosed character class \'[\'';
  if (braces > 0) return 'has an unclosed alternation \'{\'';
  return undefined;
}
