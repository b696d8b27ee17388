import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MAX_RECORD, TelemetrySplitter, readTelemetryFile } from '../../../src/impact/private/stream';

function split(pieces: string[]): string[] {
  const out: string[] = [];
  const s = new TelemetrySplitter({
    record: (v, line) => out.push(`${line}: ${JSON.stringify(v)}`),
    bad: (reason, line) => out.push(`${line}! ${reason}`),
  });
  for (const p of pieces) s.feed(p);
  s.end();
  return out;
}

const chars = (text: string) => [...text];

describe('telemetry splitter', () => {
  test('JSON lines: one record per line, blank lines ignored, CRLF accepted, bad lines reported with their line', () => {
    const text = '{"a":1}\r\n\n  \n{"b":"x\\"y"}\nnot json\n{"c":[1,2]}';
    const expected = ['1: {"a":1}', '4: {"b":"x\\"y"}', '5! not JSON', '6: {"c":[1,2]}'];
    expect(split([text])).toEqual(expected);
    expect(split(chars(text))).toEqual(expected); // chunk boundaries anywhere
  });

  test('a JSON array: one record per element, each with the line it starts on; brackets inside strings do not count', () => {
    const text = '\n[\n  {"a": "]}[{,"},\n  {"b": [1, {"c": 2}]},\n  "s", 3\n]\n';
    const expected = ['3: {"a":"]}[{,"}', '4: {"b":[1,{"c":2}]}', '5: "s"', '5: 3'];
    expect(split([text])).toEqual(expected);
    expect(split(chars(text))).toEqual(expected);
  });

  test('fails when the array is not closed, or text follows it: reported, the elements before are kept', () => {
    expect(split(['[{"a":1},\n{"b":'])).toEqual(['1: {"a":1}', '2! JSON array not closed: the file ends inside the array']);
    expect(split(['[{"a":1}]\n{"b":2}'])).toEqual(['1: {"a":1}', '2! text after the end of the JSON array']);
  });

  test('fails when a line or element is longer than MAX_RECORD: skipped without holding it', () => {
    const long = `{"a":"${'x'.repeat(MAX_RECORD)}"}`;
    expect(split(['{"a":1}\n', long.slice(0, 1000), long.slice(1000), '\n{"b":2}'])).toEqual(['1: {"a":1}', `2! line longer than ${MAX_RECORD} characters`, '3: {"b":2}']);
    expect(split([`[${long},{"b":2}]`])).toEqual([`1! array element longer than ${MAX_RECORD} characters`, '1: {"b":2}']);
  });

  test('an empty file has no records', () => {
    expect(split(['', '\n\n'])).toEqual([]);
  });

  test('a file is read in chunks; multi-byte characters split across chunks survive', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'impact-stream-'));
    const file = path.join(dir, 'logs.jsonl');
    const pad = 'é'.repeat(700000); // 1.4 MB of 2-byte characters: crosses the 1 MiB chunk inside a character
    fs.writeFileSync(file, `{"a":"${pad}"}\n{"b":"ü"}\n`);
    const out: string[] = [];
    readTelemetryFile(file, { record: (v: any, line) => out.push(`${line}:${v.a ? v.a.length : v.b}`), bad: (r, line) => out.push(`${line}!${r}`) });
    expect(out).toEqual(['1:700000', '2:ü']);
    fs.rmSync(dir, { recursive: true });
  });
});
