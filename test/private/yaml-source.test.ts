import { parseYamlDocuments, YAML_LIMITS } from '../../src/private/yaml-source';
import { aliasBomb, deepFlow, manyDocuments, policy } from '../util/hostile';

const limits = (over: Partial<typeof YAML_LIMITS>) => ({ ...YAML_LIMITS, ...over });

describe('parseYamlDocuments within limits', () => {
  test('fails when a document is an alias bomb: that document alone is refused, at the line of its first alias', () => {
    const docs = parseYamlDocuments(`${policy('before')}---\n${aliasBomb()}---\n${policy('after')}`);
    expect(docs.map((d) => [d.index, d.refused ?? false])).toEqual([[1, false], [2, true], [3, false]]);
    expect(docs[1].value).toBeUndefined();
    expect(docs[1].problems).toEqual([{
      code: 'LIMIT',
      line: 22,
      pointer: '',
      problem: 'its aliases expand to more than 1000 nodes (a YAML alias bomb, or excessive aliases); the document was not read',
      fix: 'write the values out instead of aliasing them (Kubernetes manifests need no aliases), or raise the limit (CLI: --max-alias-count)',
    }]);
  });

  test('a few aliases within the limit are read', () => {
    const docs = parseYamlDocuments('a: &x [1, 2]\nb: *x\n');
    expect(docs[0].value).toEqual({ a: [1, 2], b: [1, 2] });
    expect(docs[0].problems).toEqual([]);
  });

  test('fails when nesting is deeper than maxDepth (100,000 levels: refused without recursion)', () => {
    for (const depth of [65, 100_000]) {
      const docs = parseYamlDocuments(deepFlow(depth));
      expect(docs).toHaveLength(1);
      expect(docs[0].refused).toBe(true);
      expect(docs[0].problems).toEqual([{
        code: 'LIMIT',
        line: 6,
        pointer: '',
        problem: 'nesting deeper than 64 levels; the document was not read',
        fix: 'flatten the document (Kubernetes manifests need a few dozen levels at most)',
      }]);
    }
    expect(parseYamlDocuments(deepFlow(62))[0].refused).toBeUndefined();
  });

  test('fails when a scalar is longer than maxScalarChars', () => {
    const docs = parseYamlDocuments(`a: 1\n---\nkind: ConfigMap\ndata:\n  big: ${'x'.repeat(101)}\n`, limits({ maxScalarChars: 100 }));
    expect(docs[1].problems).toEqual([{
      code: 'LIMIT',
      line: 5,
      pointer: '',
      problem: 'a scalar of 101 characters exceeds the limit of 100; the document was not read',
      fix: 'shorten it, or raise the limit (CLI: --max-scalar-chars)',
    }]);
    expect(docs[0].value).toEqual({ a: 1 });
  });

  test('fails when a text has more than maxDocuments documents: one refusal at the first document over', () => {
    const docs = parseYamlDocuments(manyDocuments(11), limits({ maxDocuments: 10 }));
    expect(docs).toEqual([expect.objectContaining({
      index: 11,
      line: 50,
      refused: true,
      problems: [{
        code: 'LIMIT',
        line: 50,
        pointer: '',
        problem: 'more than 10 documents (document 11 starts here); the file was not read',
        fix: 'split it, or raise the limit (CLI: --max-documents)',
      }],
    })]);
  });

  test('fails when a text is larger than maxBytes (counted in UTF-8 bytes)', () => {
    const docs = parseYamlDocuments('a: é\n', limits({ maxBytes: 5 }));
    expect(docs[0].problems).toEqual([{
      code: 'LIMIT',
      line: 1,
      pointer: '',
      problem: '6 bytes exceed the limit of 5; the file was not read',
      fix: 'split it, or raise the limit (CLI: --max-bytes)',
    }]);
  });

  test('line lookups still work after the iterative walk; duplicate keys keep their pointer', () => {
    const [doc] = parseYamlDocuments('a:\n  b: [1, {c: 2}]\n  b: 3\n');
    expect(doc.lineOf('/a/b')).toBe(3);
    expect(doc.problems.map((p) => [p.code, p.line, p.pointer])).toEqual([['DUPLICATE_KEY', 3, '/a/b']]);
  });
});

describe('parseYamlDocuments: duplicate keys', () => {
  test('are reported at every depth, in sequences and flow maps, with the line of the first and an escaped pointer', () => {
    const text = [
      'a: 1',
      'spec:',
      '  x/y: 1',
      '  list:',
      '  - {k: 1, k: 2}',
      '  - name: n',
      '    t~u: [1, {z: 1, z: 2}]',
      '    t~u: 2',
      '  x/y: 3',
      'a: 2',
      '',
    ].join('\n');
    const [doc] = parseYamlDocuments(text);
    expect(doc.problems.map((p) => [p.line, p.pointer, p.problem])).toEqual([
      [5, '/spec/list/0/k', "key 'k' is repeated (first at line 5); kubectl silently keeps only the last value"],
      [7, '/spec/list/1/t~0u/1/z', "key 'z' is repeated (first at line 7); kubectl silently keeps only the last value"],
      [8, '/spec/list/1/t~0u', "key 't~u' is repeated (first at line 7); kubectl silently keeps only the last value"],
      [9, '/spec/x~1y', "key 'x/y' is repeated (first at line 3); kubectl silently keeps only the last value"],
      [10, '/a', "key 'a' is repeated (first at line 1); kubectl silently keeps only the last value"],
    ]);
    expect(doc.value).toEqual({ a: 2, spec: { 'x/y': 3, 'list': [{ k: 2 }, { 'name': 'n', 't~u': 2 }] } });
    expect(doc.lineOf('/spec/list/1/t~0u')).toBe(8);
    expect(doc.lineOf('/spec/x~1y')).toBe(9);
  });
});
