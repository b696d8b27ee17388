/**
 * What the app's synth-time lint tells the cdk8s validation plugin, through a file next to the manifests
 * (written only when cdk8s-cli asks the app for construct metadata, i.e. when validations run):
 * - every emitted object's identity (kind, namespace, name) with its construct path, because cdk8s's own
 *   construct-metadata.json is keyed by bare `metadata.name` and blames whichever object had the name last
 *   (a Deployment of another chart, say);
 * - the findings the app has already reported (printed, or silenced by CDK8S_KUBEARMOR_QUIET), so that the
 *   plugin prints each finding once per `cdk8s synth` and only what the app could not see.
 */
import * as fs from 'fs';
import * as path from 'path';

export const SYNTH_RECORD_FILE = 'cdk8s-kubearmor-synth.json';
const VERSION = 1;

/** `Kind/namespace/name`, or `Kind/name` for an object without namespace. */
export function objectIdentity(kind: string | undefined, namespace: string | undefined, name: string | undefined): string {
  return [kind ?? '<no kind>', namespace, name ?? '<no name>'].filter((s) => s !== undefined).join('/');
}

/** One finding's identity: rule, object and place in it (what the app and the plugin both compute). */
export function findingIdentity(id: string, object: string, pointer: string): string {
  return `${id} ${object} ${pointer || '/'}`;
}

export interface SynthRecord {
  /** Construct paths by object identity (several when objects collide). */
  readonly objects: ReadonlyMap<string, readonly string[]>;
  /** Identities of the findings the app has reported. */
  readonly reported: ReadonlySet<string>;
}

/** Writes the record into `outdir` (sorted: the file is deterministic). */
export function writeSynthRecord(outdir: string, objects: ReadonlyArray<{ identity: string; path: string }>, reported: Iterable<string>): void {
  const byIdentity: Record<string, string[]> = {};
  for (const o of [...objects].sort((a, b) => (a.identity < b.identity ? -1 : a.identity > b.identity ? 1 : a.path < b.path ? -1 : 1))) {
    (byIdentity[o.identity] ??= []).push(o.path);
  }
  const body = { version: VERSION, objects: byIdentity, reported: [...new Set(reported)].sort() };
  fs.writeFileSync(path.join(outdir, SYNTH_RECORD_FILE), `${JSON.stringify(body, undefined, 2)}\n`);
}

/**
 * The record of the synth that wrote `manifests` (looked up next to them and one directory up, for the
 * folder-per-chart layout), or undefined when the app wrote none (it has no policy of this library).
 */
export function readSynthRecord(manifests: readonly string[]): SynthRecord | undefined {
  const dirs = new Set<string>();
  for (const m of manifests) {
    dirs.add(path.dirname(m));
    dirs.add(path.dirname(path.dirname(m)));
  }
  for (const dir of dirs) {
    const file = path.join(dir, SYNTH_RECORD_FILE);
    if (!fs.existsSync(file)) continue;
    const body = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (body?.version !== VERSION) throw new Error(`${file}: version ${JSON.stringify(body?.version)} is not ${VERSION}; synthesise the app with the same cdk8s-kubearmor version as the plugin`);
    return { objects: new Map(Object.entries<string[]>(body.objects ?? {})), reported: new Set<string>(body.reported ?? []) };
  }
  return undefined;
}
