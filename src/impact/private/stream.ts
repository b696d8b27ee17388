/**
 * Streaming reader of KubeArmor telemetry: JSON lines, or one JSON array of records. Reads in fixed-size
 * chunks and keeps at most one record's text in memory, so memory does not depend on the file length.
 * Records longer than MAX_RECORD are skipped (reported, not held). Never throws on content.
 */
import * as fs from 'fs';
import { StringDecoder } from 'string_decoder';

export const MAX_RECORD = 1024 * 1024;
const CHUNK = 1024 * 1024;

export interface RecordSink {
  /** A parsed record starting at a 1-based line. */
  record(value: unknown, line: number): void;
  /** A record that could not be read. */
  bad(reason: string, line: number): void;
}

/** Incremental splitter: feed text in pieces, then end(). */
export class TelemetrySplitter {
  private mode: 'unknown' | 'lines' | 'array' = 'unknown';
  private line = 1;
  // lines mode
  private buf = '';
  private bufLine = 1;
  private oversized = false;
  // array mode
  private depth = 0;
  private inString = false;
  private escape = false;
  private elem = '';
  private elemLine = 0;
  private elemTooLong = false;
  private closed = false;
  private trailing = false;

  constructor(private readonly sink: RecordSink) {}

  public feed(text: string): void {
    if (this.mode === 'unknown') {
      const m = /\S/.exec(text);
      if (!m) {
        this.line += count(text, '\n');
        return;
      }
      this.mode = text[m.index] === '[' ? 'array' : 'lines';
    }
    if (this.mode === 'lines') this.feedLines(text);
    else this.feedArray(text);
  }

  public end(): void {
    if (this.mode === 'lines') {
      this.flushLine();
    } else if (this.mode === 'array') {
      if (this.depth > 0 || !this.closed) this.sink.bad('JSON array not closed: the file ends inside the array', this.line);
    }
  }

  private feedLines(text: string): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      const piece = nl < 0 ? text.slice(start) : text.slice(start, nl);
      if (!this.oversized) {
        if (this.buf.length + piece.length > MAX_RECORD) {
          this.oversized = true;
          this.buf = '';
        } else {
          this.buf += piece;
        }
      }
      if (nl < 0) return;
      this.flushLine();
      this.line++;
      this.bufLine = this.line;
      start = nl + 1;
    }
  }

  private flushLine(): void {
    const line = this.bufLine;
    if (this.oversized) {
      this.sink.bad(`line longer than ${MAX_RECORD} characters`, line);
    } else {
      const t = this.buf.trim();
      if (t.length > 0) this.parse(t, line);
    }
    this.buf = '';
    this.oversized = false;
  }

  private parse(text: string, line: number): void {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      this.sink.bad('not JSON', line);
      return;
    }
    this.sink.record(v, line);
  }

  private feedArray(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\n') this.line++;
      if (this.closed) {
        if (!this.trailing && !/\s/.test(c)) {
          this.trailing = true;
          this.sink.bad('text after the end of the JSON array', this.line);
        }
        continue;
      }
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === '\\') this.escape = true;
        else if (c === '"') this.inString = false;
        this.take(c);
        continue;
      }
      if (c === '"') {
        this.inString = true;
        this.startElem();
        this.take(c);
      } else if (c === '[' || c === '{') {
        this.depth++;
        if (this.depth > 1) {
          this.startElem();
          this.take(c);
        }
      } else if (c === ']' || c === '}') {
        if (this.depth === 1) {
          if (c === ']') {
            this.endElem();
            this.closed = true;
          } else {
            this.sink.bad("unbalanced '}' in the JSON array", this.line);
          }
          this.depth = 0;
          continue;
        }
        this.take(c);
        this.depth--;
      } else if (c === ',' && this.depth === 1) {
        this.endElem();
      } else if (this.depth >= 1) {
        if (this.depth > 1 || !/\s/.test(c)) {
          this.startElem();
          this.take(c);
        }
      }
    }
  }

  private startElem(): void {
    if (this.elemLine === 0) this.elemLine = this.line;
  }

  private take(c: string): void {
    if (this.elemTooLong) return;
    if (this.elem.length >= MAX_RECORD) {
      this.elemTooLong = true;
      this.elem = '';
      return;
    }
    this.elem += c;
  }

  private endElem(): void {
    const line = this.elemLine;
    if (this.elemTooLong) this.sink.bad(`array element longer than ${MAX_RECORD} characters`, line);
    else if (this.elem.trim().length > 0) this.parse(this.elem, line);
    this.elem = '';
    this.elemLine = 0;
    this.elemTooLong = false;
  }
}

function count(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

/** Streams a file through a splitter in CHUNK-sized reads. Throws only for I/O errors (missing file...). */
export function readTelemetryFile(file: string, sink: RecordSink): void {
  const fd = fs.openSync(file, 'r');
  try {
    const splitter = new TelemetrySplitter(sink);
    const decoder = new StringDecoder('utf8');
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      splitter.feed(decoder.write(buf.subarray(0, n)));
    }
    splitter.feed(decoder.end());
    splitter.end();
  } finally {
    fs.closeSync(fd);
  }
}
