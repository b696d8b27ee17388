/**
 * YAML with positions: parses a (multi-document) YAML text once and keeps enough of the syntax tree to
 * map a JSON pointer back to the line it came from. Syntax problems that kubectl would silently
 * accept differently (duplicate keys: the last one wins) or that break the document (tabs used as
 * indentation) are reported with their line; nothing here throws.
 */
import * as YAML from 'yaml';

/** A problem found while parsing, before any schema check. */
export interface YamlProblem {
  /** `YAML` parse problems; `DUPLICATE_KEY` and `TAB_AS_INDENT` are the common ones. */
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
  /** The 1-based line of the node a JSON pointer designates (the deepest existing ancestor when it does not exist). */
  lineOf(pointer: string): number;
}

function unescape(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Escapes one JSON-pointer segment. */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

function keyOf(pair: YAML.Pair): string {
  const k: any = pair.key;
  if (YAML.isScalar(k)) return String(k.value);
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

/** Parses every document of `text`. Never throws. */
export function parseYamlDocuments(text: string): SourceDocument[] {
  const lc = new YAML.LineCounter();
  // uniqueKeys: false: duplicates are found below with their JSON pointer (the parser's own error has none).
  const docs = YAML.parseAllDocuments(text, { uniqueKeys: false, lineCounter: lc, prettyErrors: false, logLevel: 'silent' });
  const list = Array.isArray(docs) ? docs : [docs as any];
  const lineAt = (offset: number) => lc.linePos(offset).line;
  const out: SourceDocument[] = [];
  list.forEach((doc: YAML.Document.Parsed, i: number) => {
    const contents: any = doc.contents;
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
    const walk = (node: any, at: string) => {
      if (YAML.isMap(node)) {
        const seen = new Map<string, number>();
        for (const pair of node.items as YAML.Pair[]) {
          const k = keyOf(pair);
          const line = lineAt(rangeStart(pair.key) ?? 0);
          const ptr = `${at}/${pointerSegment(k)}`;
          if (seen.has(k)) {
            problems.push({
              code: 'DUPLICATE_KEY',
              line,
              pointer: ptr,
              problem: `key '${k}' is repeated (first at line ${seen.get(k)}); kubectl silently keeps only the last value`,
              fix: FIXES.DUPLICATE_KEY,
            });
          } else {
            seen.set(k, line);
          }
          walk(pair.value, ptr);
        }
      } else if (YAML.isSeq(node)) {
        node.items.forEach((item: any, j: number) => walk(item, `${at}/${j}`));
      }
    };
    walk(contents, '');
    const value = doc.toJS({ maxAliasCount: 1000 });
    // An empty or comment-only document (e.g. a trailing '---'): nothing to lose.
    if ((value === null || value === undefined) && problems.length === 0) return;
    const start = rangeStart(contents) ?? rangeStart(doc) ?? 0;
    out.push({
      index: i + 1,
      line: lineAt(start),
      value,
      problems: problems.sort((a, b) => a.line - b.line),
      lineOf: (pointer: string) => lineOfPointer(contents, pointer, lineAt, lineAt(start)),
    });
  });
  return out;
}

function lineOfPointer(root: any, pointer: string, lineAt: (o: number) => number, fallback: number): number {
  const segments = pointer.split('/').slice(1).map(unescape);
  let node: any = root;
  let line = rangeStart(root) !== undefined ? lineAt(rangeStart(root)!) : fallback;
  for (const seg of segments) {
    if (YAML.isMap(node)) {
      const pair = (node.items as YAML.Pair[]).filter((p) => keyOf(p) === seg).pop();
      if (!pair) return line;
      line = lineAt(rangeStart(pair.key) ?? rangeStart(pair.value) ?? 0);
      node = pair.value;
    } else if (YAML.isSeq(node)) {
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
