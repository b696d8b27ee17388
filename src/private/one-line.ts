/**
 * One line per problem whatever the input holds: line terminators (\n, \r, U+0085, U+2028, U+2029)
 * and the other C0/C1 control characters in file names, values and names are shown as `\uXXXX`.
 */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
