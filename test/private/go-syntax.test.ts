/**
 * The ports of Go's `regexp.Compile` and `filepath.Match` acceptance agree with Go itself: the fixture was
 * produced by running Go 1.26's regexp.Compile(p) and filepath.Match(p, "/x") on each pattern.
 */
import { appArmorGlobError, goGlobError, goRegexpError } from '../../src/private/go-syntax';
import cases from '../fixtures/go-syntax-cases.json';

describe('Go pattern acceptance', () => {
  test.each(cases as Array<{ pattern: string; regexp: boolean; glob: boolean }>)('$pattern: regexp $regexp, filepath.Match $glob', (c) => {
    const ours = { regexp: goRegexpError(c.pattern) === undefined, glob: goGlobError(c.pattern) === undefined };
    expect(ours).toEqual({ regexp: c.regexp, glob: c.glob });
  });

  test('reasons are Go\'s wording', () => {
    expect(goRegexpError('((')).toBe('missing closing ): `((`');
    expect(goRegexpError('a**')).toBe('invalid nested repetition operator: `**`');
    expect(goRegexpError('a{2}{3}')).toBe('invalid nested repetition operator: `{2}{3}`');
    expect(goRegexpError('*')).toBe('missing argument to repetition operator: `*`');
  });
});

describe('AppArmor glob acceptance', () => {
  test.each([
    ['/tmp/**', undefined],
    ['/etc/{a,b{c,d}}', undefined],
    ['/etc/[a-z]*', undefined],
    ['/etc/{a,b', 'has an unclosed alternation \'{\''],
    ['/etc/a}', 'closes a \'}\' that was never opened'],
    ['/etc/[a-z', 'has an unclosed character class \'[\''],
    ['/etc/\\', 'ends in a lone \'\\\''],
  ])('%s', (p, reason) => {
    expect(appArmorGlobError(p)).toBe(reason);
  });
});
