/**
 * The synthesis in progress of an app, and the library's change counter.
 *
 * cdk8s validates the whole app once per chart it writes (`App._synthChart`, called by every
 * `Chart.toJson()`), after `App.synth()` / `App.synthYaml()` validated it once already; between those
 * validations only cdk8s's own synthesis runs (dependency resolution, rendering the charts' objects), never the
 * user's code. Each App's `synth` and `synthYaml` are wrapped (on the instance) to mark that window: inside it, a
 * validation result computed in the same window while the change counter has not moved is still the result,
 * so the per-chart revalidations cost O(1) each instead of a walk of the app. Outside a window (a direct
 * `Chart.toJson()`, `Testing.synth`, a second `app.synth()` after an edit) everything is recomputed as before.
 */
import { App } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * Bumped by every change made through the library (rules, tags, section defaults, actions,
 * acknowledgements); part of the content fingerprint for what manifests do not show (acknowledgements).
 */
let epoch = 0;

/** Records a change that may alter lint results. */
export function touch(): void {
  epoch++;
}

/** The current value of the change counter. */
export function currentEpoch(): number {
  return epoch;
}

/** The token of the synthesis in progress, per app root: a fresh object per `synth()` / `synthYaml()` call. */
const WINDOWS = new WeakMap<IConstruct, object>();
const WATCHED = new WeakSet<IConstruct>();

/** The synthesis in progress of the app `root` (undefined outside `App.synth()` / `App.synthYaml()`). */
export function synthInProgress(root: IConstruct): object | undefined {
  return WINDOWS.get(root);
}

/** Marks the synthesis window of `root` if it is an App (idempotent). */
export function watchSynth(root: IConstruct): void {
  if (!(root instanceof App) || WATCHED.has(root)) return;
  WATCHED.add(root);
  for (const method of ['synth', 'synthYaml']) {
    const original = (root as any)[method];
    if (typeof original !== 'function') continue;
    Object.defineProperty(root, method, {
      configurable: true,
      writable: true,
      enumerable: false,
      value: function synthesisWindow(this: App, ...args: unknown[]) {
        const outer = WINDOWS.get(root);
        // A fresh token per call: a nested synthesis, or the next one, never reuses what this one computed.
        WINDOWS.set(root, {});
        try {
          return original.apply(this, args);
        } finally {
          if (outer === undefined) WINDOWS.delete(root);
          else WINDOWS.set(root, outer);
        }
      },
    });
  }
}

interface Memo {
  readonly window: object;
  readonly epoch: number;
  readonly result: readonly string[];
}

const MEMOS = new WeakMap<IConstruct, Memo>();

/**
 * A construct's validation (`compute`), run once per synthesis window and change counter: the same errors
 * (a copy) for the per-chart revalidations of one `app.synth()`, computed afresh outside a window.
 */
export function validateOncePerSynth(c: IConstruct, compute: () => string[]): string[] {
  const window = synthInProgress(c.node.root);
  if (window === undefined) return compute();
  const memo = MEMOS.get(c);
  if (memo !== undefined && memo.window === window && memo.epoch === epoch) return [...memo.result];
  const result = compute();
  MEMOS.set(c, { window, epoch, result: [...result] });
  return result;
}
