/**
 * Glob helpers. Two dialects matter (docs/kubearmor-semantics.md §6.4, §8.8): AppArmor's globs, used for
 * enforcement, and Go's `filepath.Match`, used by KubeArmor's alert matcher. They disagree.
 */

const GLOB_CHARS = /[*?[{]/;

/** Whether a value holds glob characters (AppArmor would treat it as a glob). */
export function hasGlob(value: string): boolean {
  return GLOB_CHARS.test(value);
}

function escapeRe(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/**
 * AppArmor glob → RegExp: `**` crosses `/`, `*` and `?` do not, `[..]` classes, `{a,b}` alternation.
 * Returns undefined when the glob is malformed.
 */
export function appArmorGlob(glob: string): RegExp | undefined {
  let re = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') { re += '.*'; i++; } else { re += '[^/]*'; }
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) return undefined;
      let cls = glob.slice(i + 1, end);
      if (cls.startsWith('^')) cls = `^${cls.slice(1)}`;
      re += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '{') {
      depth++; re += '(?:';
    } else if (c === '}' && depth > 0) {
      depth--; re += ')';
    } else if (c === ',' && depth > 0) {
      re += '|';
    } else if (c === '\\' && i + 1 < glob.length) {
      re += escapeRe(glob[++i]);
    } else {
      re += escapeRe(c);
    }
  }
  if (depth !== 0) return undefined;
  try {
    return new RegExp(`^${re}$`);
  } catch {
    return undefined;
  }
}

/** The endings the profile builder gives directory rules, after a literal prefix: `**` crosses `/`, `*` does not. */
const PREFIX_FORMS: ReadonlyArray<readonly [suffix: string, deep: boolean]> = [['{,**}', true], ['**', true], ['{,*}', false], ['*', false]];
const NOT_LITERAL = /[*?[\]{},\\]/;

/** Whether `p` holds no line terminator from `from` on (what `.` in a RegExp without the `s` flag refuses). */
function noLineTerminator(p: string, from: number): boolean {
  for (let i = from; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return false;
  }
  return true;
}

/**
 * An AppArmor glob as a matcher, deciding exactly what `appArmorGlob(glob).test(path)` decides. A literal
 * prefix followed by `{,**}`, `**`, `{,*}` or `*` (how directory rules are emitted) is matched without a
 * RegExp; anything else goes through {@link appArmorGlob}. Undefined when the glob is malformed.
 */
export function appArmorMatcher(glob: string): ((path: string) => boolean) | undefined {
  for (const [suffix, deep] of PREFIX_FORMS) {
    if (!glob.endsWith(suffix)) continue;
    const prefix = glob.slice(0, glob.length - suffix.length);
    if (NOT_LITERAL.test(prefix)) break;
    const n = prefix.length;
    return deep
      ? (p) => p.startsWith(prefix) && noLineTerminator(p, n)
      : (p) => p.startsWith(prefix) && p.indexOf('/', n) < 0;
  }
  const re = appArmorGlob(glob);
  return re === undefined ? undefined : (p) => re.test(p);
}

/**
 * Go `path/filepath.Match` → RegExp: `*` and `?` do not cross `/`, `**` is just two stars,
 * `[^..]` negates, `\\` escapes. Returns undefined for a pattern Go rejects (ErrBadPattern).
 */
export function goFilepathMatch(pattern: string): RegExp | undefined {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return undefined;
      let cls = pattern.slice(i + 1, end);
      if (cls.startsWith('^')) cls = `^${cls.slice(1)}`;
      re += `(?!/)[${cls.replace(/\\(?!\\)/g, '\\\\')}]`;
      i = end;
    } else if (c === '\\') {
      if (i + 1 >= pattern.length) return undefined;
      re += escapeRe(pattern[++i]);
    } else {
      re += escapeRe(c);
    }
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    return undefined;
  }
}

/**
 * Whether Go's `regexp.Compile` would accept the pattern. KubeArmor's matcher drops pattern rules
 * that fail it (`UpdateSecurityPolicies`). Approximated with JavaScript's RegExp, which also
 * rejects nested repetition such as `**`.
 */
export function goRegexpCompiles(pattern: string): boolean {
  try {
    // eslint-disable-next-line no-new
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
