/**
 * Telemetry records grouped by access and observed outcome before they are replayed, so that memory grows
 * with the number of distinct accesses, not with the length of the file; records that cannot be replayed
 * are counted by reason.
 */
import { RecordSink } from './stream';
import { MappedEvent, earlier, mapEvent, rawKeyOf, timeOf } from './telemetry-event';

/** Line numbers kept per group or reason. */
const MAX_LINES = 5;

export interface Group {
  readonly event: MappedEvent;
  count: number;
  first: string;
  last: string;
  readonly lines: number[];
}

export interface Skip {
  count: number;
  readonly lines: number[];
}

/** Raw keys remembered (each maps to a group or an unmappable reason); beyond it records are mapped anew. */
const MAX_RAW_KEYS = 200000;

/**
 * Groups mapped records by access and observed outcome; counts the others by reason. A record whose
 * raw fields were seen before is not mapped again (most telemetry repeats the same accesses).
 */
export class Aggregator implements RecordSink {
  public records = 0;
  public readonly groups = new Map<string, Group>();
  public readonly skipped = new Map<string, Skip>();
  private readonly byRawKey = new Map<string, Group | string>();

  public record(value: unknown, line: number): void {
    this.records++;
    const raw = rawKeyOf(value);
    let known = raw === undefined ? undefined : this.byRawKey.get(raw);
    if (known === undefined) {
      const m = mapEvent(value);
      if ('reason' in m) {
        known = m.reason;
      } else {
        known = this.groups.get(m.key);
        if (known === undefined) {
          known = { event: m, count: 0, first: '', last: '', lines: [] };
          this.groups.set(m.key, known);
        }
      }
      if (raw !== undefined && this.byRawKey.size < MAX_RAW_KEYS) this.byRawKey.set(raw, known);
    }
    if (typeof known === 'string') {
      this.note(known, line, 1);
      return;
    }
    const g = known;
    g.count++;
    if (g.lines.length < MAX_LINES) g.lines.push(line);
    const t = timeOf(value);
    if (t !== '') {
      if (g.first === '' || earlier(t, g.first)) g.first = t;
      if (g.last === '' || earlier(g.last, t)) g.last = t;
    }
  }

  public bad(reason: string, line: number): void {
    this.records++;
    this.note(reason, line, 1);
  }

  /** A group that the simulator refused: its records move to the skipped list. */
  public skip(reason: string, line: number, count: number): void {
    this.note(reason, line, count);
  }

  private note(reason: string, line: number, count: number): void {
    const s = this.skipped.get(reason);
    if (s === undefined) {this.skipped.set(reason, { count, lines: [line] });} else {
      s.count += count;
      if (s.lines.length < MAX_LINES) s.lines.push(line);
    }
  }
}
