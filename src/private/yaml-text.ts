/**
 * Free text the library writes into manifests (rule and spec `tags`, `message`, acknowledgement reasons)
 * must read back identically under YAML 1.1 (PyYAML, go-yaml v2: kubectl, Argo CD, Helm) and YAML 1.2.
 * cdk8s serialises with the `yaml` package in 1.1 mode and fixes the scalar style itself, so what it cannot
 * carry is refused at the call rather than escaped:
 * - C0 controls (tab and newline included: KubeArmor prints tags and messages on one alert line), DEL and
 *   the C1 controls (U+0085 NEL is a line break in YAML 1.1 and is folded to a space inside quotes);
 * - U+2028 / U+2029 (emitted plain, they end the line for YAML 1.1 readers), U+FEFF (a byte-order mark),
 *   the non-characters U+FFFE / U+FFFF and lone surrogates (not printable in YAML 1.1, not valid UTF-8);
 * - the whole values `<<` (the merge key) and `=` (the value key), which YAML 1.1 readers resolve to tags,
 *   and `0o17`-style octals, which cdk8s leaves plain (a string in 1.1) and YAML 1.2 readers read as numbers.
 * Everything else (`yes`, `on`, `0755`, `: `, ` #`, leading `*`, `&`, `!`, `%`, `@`, `~`, ...) is quoted
 * by the serialiser as needed and reads back identically (test/private/yaml-text.test.ts checks both
 * parsers and PyYAML).
 */

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const RESOLVED_BY_YAML_11 = new Set(['<<', '=']);

const ONE_LINE_FIX = 'use printable text on one line (spaces instead of tabs and line breaks)';
const WORDS_FIX = 'say it in words (e.g. \'mode 0o17\', \'merge\') so that every reader sees text';

/** Why `text` cannot be written as free text of a manifest, and the fix; undefined when it can. */
export function yamlTextProblem(text: string): { readonly problem: string; readonly fix: string } | undefined {
  const m = UNSAFE.exec(text);
  if (m) {
    const code = m[0].charCodeAt(0);
    const name = code === 0x0a || code === 0x0d || code === 0x85 || code === 0x2028 || code === 0x2029 ? 'a line break'
      : code === 0x09 ? 'a tab' : code >= 0xd800 && code <= 0xdfff ? 'a lone surrogate' : code >= 0xfeff ? 'a non-printable character' : 'a control character';
    return {
      problem: `contains ${name} (U+${code.toString(16).toUpperCase().padStart(4, '0')}) at index ${m.index}, which YAML 1.1 readers (PyYAML, kubectl's go-yaml) do not read back as written`,
      fix: ONE_LINE_FIX,
    };
  }
  if (RESOLVED_BY_YAML_11.has(text)) return { problem: `is read by YAML 1.1 readers as the ${text === '<<' ? 'merge' : 'value'} key, not as the text '${text}'`, fix: WORDS_FIX };
  if (/^0o[0-7]+$/.test(text)) return { problem: `is written unquoted by cdk8s (YAML 1.1) and read by YAML 1.2 readers as the octal number ${parseInt(text.slice(2), 8)}`, fix: WORDS_FIX };
  return undefined;
}
