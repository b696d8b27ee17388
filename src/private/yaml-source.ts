/**
 * YAML with positions: parses a (multi-document) YAML text once and keeps enough of the syntax tree to
 * map a JSON pointer back to the line it came from. Syntax problems that kubectl would silently
 * accept differently (duplicate keys: the last one wins) or that break the document (tabs used as
 * indentation) are reported with their line; nothing here throws.
 */
import type * as YAML from 'yaml';

// Required on first parse, not when the library is loaded: most apps never read YAML (cold require cost).
let yamlModule: typeof YAML | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Y = (): typeof YAML => (yamlModule ??= require('yaml'));

/** A problem found while parsing, before any schema check. */
export interface YamlProblem {
  /** `YAML` parse problems (`DUPLICATE_KEY` and `TAB_AS_INDENT` are the common ones), or `LIMIT` for a text or document refused by {@link YamlLimits}. */
  readonly code: string;
  /** 1-based line. */
  readonly line: number;
  /** JSON pointer of the affected node when known (duplicate keys), else ''. */
  readonly pointer: string;
  readonly problem: string;
  readonly fix: string;
}

/** One non-empty document of a YAML text. */
export interface SourceDocument {
  /** 1-based index among the documents of the text (empty documents count too, as kubectl sees them). */
  readonly index: number;
  /** 1-based line where the document's content starts. */
  readonly line: number;
  /** The parsed value (duplicate keys: the last one wins, as with kubectl). */
  readonly value: unknown;
  readonly problems: YamlProblem[];
  /** Set when a limit refused the document (or the whole text): `value` is undefined, `problems` says why. */
  readonly refused?: boolean;
  /** The 1-based line of the node a JSON pointer designates (the deepest existing ancestor when it does not exist). */
  lineOf(pointer: string): number;
}

function unescape(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Escapes one JSON-pointer segment. */
export function pointerSegment(key: string | number): string {
  const k = String(key);
  return k.includes('~') || k.includes('/') ? k.replace(/~/g, '~0').replace(/\//g, '~1') : k;
}

function keyOf(pair: YAML.Pair): string {
  const k: any = pair.key;
  if (Y().isScalar(k)) return String(k.value);
  return k === null || k === undefined ? '' : String(k);
}

function rangeStart(node: any): number | undefined {
  return node && Array.isArray(node.range) ? node.range[0] : undefined;
}

const FIXES: Record<string, string> = {
  TAB_AS_INDENT: 'indent with spaces; YAML forbids tabs in indentation',
  DUPLICATE_KEY: 'keep one of them',
  BAD_INDENT: 'align the key with its siblings',
  MISSING_CHAR: 'close the quote, bracket or brace',
  BLOCK_AS_IMPLICIT_KEY: 'check the indentation of the line above',
};

/**
 * Limits that keep reading hostile or huge YAML bounded in time and memory. A text or document over a
 * limit is refused with a `LIMIT` problem (file:line, the limit, how to raise it); nothing here throws.
 */
export interface YamlLimits {
  /** Largest text accepted, in bytes (UTF-8). */
  readonly maxBytes: number;
  /** Most documents accepted in one text (empty documents count too). */
  readonly maxDocuments: number;
  /** Deepest nesting of mappings and sequences accepted in one document. */
  readonly maxDepth: number;
  /** The `yaml` library's `maxAliasCount`: how many nodes the aliases of one document may expand to. */
  readonly maxAliasCount: number;
  /** Longest single scalar (key or value) accepted, in characters of its source. */
  readonly maxScalarChars: number;
}

/**
 * The defaults. Kubernetes refuses objects above ~1.5 MiB (etcd's default request limit) and ConfigMap
 * data above 1 MiB, and manifests need neither aliases nor more than a few dozen levels of nesting; the
 * limits leave a wide margin above real repositories while refusing alias bombs (a 400-byte document
 * expanding to 10^9 nodes), parser stack exhaustion (thousands of nested `[`) and runaway files.
 */
export const YAML_LIMITS: YamlLimits = {
  maxBytes: 64 * 1024 * 1024,
  maxDocuments: 20_000,
  maxDepth: 64,
  maxAliasCount: 1_000,
  maxScalarChars: 1024 * 1024,
};

/** Thrown inside the CST walk when a document exceeds a limit; caught in this file. */
interface LimitHit {
  readonly offset: number;
  readonly problem: string;
  readonly fix: string;
}

/** The first limit a document's CST exceeds (iterative walk: no recursion on hostile nesting), if any. */
function cstLimit(doc: YAML.CST.Document, limits: YamlLimits): LimitHit | undefined {
  const stack: Array<[any, number]> = [[doc.value, 0]];
  while (stack.length > 0) {
    const [tok, depth] = stack.pop()!;
    if (tok === undefined || tok === null) continue;
    if (typeof tok.source === 'string' && tok.source.length > limits.maxScalarChars) {
      return {
        offset: tok.offset,
        problem: `a scalar of ${tok.source.length} characters exceeds the limit of ${limits.maxScalarChars}; the document was not read`,
        fix: 'shorten it, or raise the limit (CLI: --max-scalar-chars)',
      };
    }
    if (tok.type === 'block-map' || tok.type === 'block-seq' || tok.type === 'flow-collection') {
      if (depth + 1 > limits.maxDepth) {
        return {
          offset: tok.offset,
          problem: `nesting deeper than ${limits.maxDepth} levels; the document was not read`,
          fix: 'flatten the document (Kubernetes manifests need a few dozen levels at most)',
        };
      }
      for (const item of tok.items) {
        if (item.key !== undefined) stack.push([item.key, depth + 1]);
        if (item.value !== undefined) stack.push([item.value, depth + 1]);
      }
    }
  }
  return undefined;
}

function limitProblem(line: number, hit: { problem: string; fix: string }): YamlProblem {
  return { code: 'LIMIT', line, pointer: '', problem: hit.problem, fix: hit.fix };
}

/** A document that was not read: its value is undefined and its one problem says why. */
function refusedDocument(index: number, line: number, problem: YamlProblem): SourceDocument {
  return { index, line, value: undefined, refused: true, problems: [problem], lineOf: () => line };
}

/**
 * Parses every document of `text`, one at a time, within `limits`. Never throws. A text over
 * `maxBytes` or with more than `maxDocuments` documents gives one refused entry and nothing else; a
 * document over another limit is refused alone, the others are read.
 */
export function parseYamlDocuments(text: string, limits: YamlLimits = YAML_LIMITS): SourceDocument[] {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) {
    return [refusedDocument(1, 1, limitProblem(1, {
      problem: `${bytes} bytes exceed the limit of ${limits.maxBytes}; the file was not read`,
      fix: 'split it, or raise the limit (CLI: --max-bytes)',
    }))];
  }
  const lc = new (Y().LineCounter)();
  const lineAt = (offset: number) => lc.linePos(offset).line;
  // uniqueKeys: false: duplicates are found below with their JSON pointer (the parser's own error has none).
  const options = { uniqueKeys: false, prettyErrors: false, logLevel: 'silent' as const };
  const refusals = new Map<number, YamlProblem>();
  let count = 0;
  let tooMany: number | undefined;
  const parser = new (Y().Parser)(lc.addNewLine);
  // Documents whose CST exceeds a limit are replaced by an empty scalar before composition (the
  // composer recurses, so it must never see hostile nesting) and refused by their position.
  function* guarded(): Generator<YAML.CST.Token> {
    for (const tok of parser.parse(text)) {
      if (tok.type === 'document') {
        count++;
        if (count > limits.maxDocuments) {
          tooMany = tok.offset;
          return;
        }
        const hit = cstLimit(tok, limits);
        if (hit) {
          refusals.set(count, limitProblem(lineAt(hit.offset), hit));
          tok.value = { type: 'scalar', offset: tok.value!.offset, indent: 0, source: '' };
        }
      }
      yield tok;
    }
  }
  const out: SourceDocument[] = [];
  let i = 0;
  for (const doc of new (Y().Composer)(options).compose(guarded())) {
    i++;
    if (tooMany !== undefined) break;
    const refusal = refusals.get(i);
    const start = rangeStart(doc.contents) ?? rangeStart(doc) ?? 0;
    if (refusal) {
      out.push(refusedDocument(i, lineAt(start), refusal));
      continue;
    }
    const document = readDocument(doc, i, lineAt, limits, reparser(text, doc, lc));
    if (document) out.push(document);
  }
  if (tooMany !== undefined) {
    const line = lineAt(tooMany);
    return [refusedDocument(limits.maxDocuments + 1, line, limitProblem(line, {
      problem: `more than ${limits.maxDocuments} documents (document ${limits.maxDocuments + 1} starts here); the file was not read`,
      fix: 'split it, or raise the limit (CLI: --max-documents)',
    }))];
  }
  return out;
}

/**
 * The syntax tree of one document, parsed again from its source text when a line is asked for, so
 * that the trees of all documents are not kept in memory (they are ~10x the text) while the lints
 * run. The last tree is cached: the findings of one document are looked up together.
 */
let lastTree: { readonly key: object; readonly contents: unknown } | undefined;
function reparser(text: string, doc: YAML.Document.Parsed, lc: YAML.LineCounter): () => { contents: unknown; lineAt: (o: number) => number } {
  const start = rangeStart(doc.contents) ?? rangeStart(doc) ?? 0;
  // From the start of the content's line, so the slice keeps the content's indentation.
  const from = lc.lineStarts[lc.linePos(start).line - 1] ?? 0;
  const to = doc.range[2];
  const key = {};
  const lineAt = (o: number) => lc.linePos(from + o).line;
  return () => {
    if (lastTree?.key !== key) {
      const tree = Y().parseDocument(text.slice(from, to), { uniqueKeys: false, prettyErrors: false, logLevel: 'silent' });
      lastTree = { key, contents: tree.contents };
    }
    return { contents: lastTree.contents, lineAt };
  };
}

function readDocument(doc: YAML.Document.Parsed, i: number, lineAt: (o: number) => number, limits: YamlLimits,
  tree: () => { contents: unknown; lineAt: (o: number) => number }): SourceDocument | undefined {
  const contents: any = doc.contents;
  const start = rangeStart(contents) ?? rangeStart(doc) ?? 0;
  const problems: YamlProblem[] = [];
  // A tab used as indentation derails the parser; the errors that follow it are consequences.
  const tabs = doc.errors.filter((e) => e.code === 'TAB_AS_INDENT');
  for (const e of tabs.length > 0 ? tabs : doc.errors) {
    problems.push({
      code: e.code,
      line: lineAt(e.pos[0]),
      pointer: '',
      problem: e.message.replace(/ at line \d+, column \d+:[\s\S]*$/, ''),
      fix: FIXES[e.code] ?? 'fix the YAML syntax',
    });
  }
  // Iterative: a document within maxDepth cannot overflow, but the walk needs no stack anyway. Only
  // collections are visited (a scalar has nothing to report); lines and pointers are worked out for
  // duplicates and the collections below a key only.
  const y = Y();
  const stack: Array<[any, string]> = [[contents, '']];
  while (stack.length > 0) {
    const [node, at] = stack.pop()!;
    if (y.isMap(node)) {
      const seen = new Map<string, number>();
      const children: Array<[any, string]> = [];
      for (const pair of node.items as YAML.Pair[]) {
        const k = keyOf(pair);
        const offset = rangeStart(pair.key) ?? 0;
        const first = seen.get(k);
        if (first !== undefined) {
          problems.push({
            code: 'DUPLICATE_KEY',
            line: lineAt(offset),
            pointer: `${at}/${pointerSegment(k)}`,
            problem: `key '${k}' is repeated (first at line ${lineAt(first)}); kubectl silently keeps only the last value`,
            fix: FIXES.DUPLICATE_KEY,
          });
        } else {
          seen.set(k, offset);
        }
        if (y.isMap(pair.value) || y.isSeq(pair.value)) children.push([pair.value, `${at}/${pointerSegment(k)}`]);
      }
      for (let j = children.length - 1; j >= 0; j--) stack.push(children[j]);
    } else if (y.isSeq(node)) {
      for (let j = node.items.length - 1; j >= 0; j--) {
        const item = node.items[j];
        if (y.isMap(item) || y.isSeq(item)) stack.push([item, `${at}/${j}`]);
      }
    }
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (e) {
    const alias = firstAlias(contents);
    const line = lineAt(rangeStart(alias) ?? start);
    const excessive = e instanceof ReferenceError;
    return refusedDocument(i, lineAt(start), limitProblem(line, {
      problem: excessive
        ? `its aliases expand to more than ${limits.maxAliasCount} nodes (a YAML alias bomb, or excessive aliases); the document was not read`
        : `it cannot be converted to a value (${(e as Error).message}); the document was not read`,
      fix: excessive ? 'write the values out instead of aliasing them (Kubernetes manifests need no aliases), or raise the limit (CLI: --max-alias-count)' : 'fix the YAML',
    }));
  }
  // An empty or comment-only document (e.g. a trailing '---'): nothing to lose.
  if ((value === null || value === undefined) && problems.length === 0) return undefined;
  const line = lineAt(start);
  return {
    index: i,
    line,
    value,
    problems: problems.sort((a, b) => a.line - b.line),
    lineOf: (pointer: string) => {
      const t = tree();
      return lineOfPointer(t.contents, pointer, t.lineAt, line);
    },
  };
}

/** The first alias node of a document, in source order (iterative). */
function firstAlias(root: any): any {
  const stack: any[] = [root];
  let best: any;
  while (stack.length > 0) {
    const node = stack.pop();
    if (Y().isAlias(node)) {
      if (best === undefined || (rangeStart(node) ?? Infinity) < (rangeStart(best) ?? Infinity)) best = node;
    } else if (Y().isMap(node) || Y().isSeq(node)) {
      for (const item of node.items as any[]) {
        if (Y().isPair(item)) stack.push(item.key, item.value);
        else stack.push(item);
      }
    }
  }
  return best;
}

function lineOfPointer(root: any, pointer: string, lineAt: (o: number) => number, fallback: number): number {
  const segments = pointer.split('/').slice(1).map(unescape);
  let node: any = root;
  let line = rangeStart(root) !== undefined ? lineAt(rangeStart(root)!) : fallback;
  for (const seg of segments) {
    if (Y().isMap(node)) {
      const pair = (node.items as YAML.Pair[]).filter((p) => keyOf(p) === seg).pop();
      if (!pair) return line;
      line = lineAt(rangeStart(pair.key) ?? rangeStart(pair.value) ?? 0);
      node = pair.value;
    } else if (Y().isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined || !/^\d+$/.test(seg)) return line;
      if (rangeStart(item) !== undefined) line = lineAt(rangeStart(item)!);
      node = item;
    } else {
      return line;
    }
  }
  return line;
}
