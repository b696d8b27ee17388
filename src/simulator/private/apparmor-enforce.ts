/**
 * AppArmor decisions over the generated profile (`apparmor-profile.ts`): each profile (main, one per
 * fromSource, the nested `cx` ones) becomes a list of file and exec lines whose globs are AppArmor's,
 * then an access is mediated the way AppArmor mediates it: a matching `deny` line wins, otherwise a
 * matching allow line or the `file,` header permits, otherwise the access is refused.
 */
import { AccessOperation } from '../access-request';
import { AppArmorProfile, AppArmorRuleConfig, AppArmorRules, TEMPLATE_GLOB, suffixOf } from './apparmor-profile';
import { CompiledPolicy, CompiledRule } from './compile';
import { Ctx, Enforcement, note } from './enforcement';
import { appArmorMatcher, hasGlob } from './glob';

type Qualifier = '' | 'owner' | 'other';

/** One mediated line: `[deny] [owner|other] GLOB PERMS [-> target],`. */
export interface AaLine {
  readonly deny: boolean;
  readonly qualifier: Qualifier;
  readonly text: string;
  readonly match: (path: string) => boolean;
  /** file permissions (r, w) or the exec mode (ix, px, cx, rix, x for deny). */
  readonly perms: string;
  readonly exact: boolean;
  /** For px/cx: the profile id entered, or undefined when it is never defined. */
  readonly target?: string;
  readonly rule?: CompiledRule;
}

/** One profile's mediation view. */
export interface AaView {
  readonly id: string;
  readonly fileAll: boolean;
  readonly allowList: boolean;
  readonly file: AaLine[];
  readonly exec: AaLine[];
}

const globCache = new Map<string, (p: string) => boolean>();

function matcher(glob: string): (p: string) => boolean {
  let m = globCache.get(glob);
  if (m === undefined) {
    if (!hasGlob(glob)) {
      m = (p) => p === glob;
    } else {
      m = appArmorMatcher(glob) ?? (() => false);
    }
    if (globCache.size > 10000) globCache.clear();
    globCache.set(glob, m);
  }
  return m;
}

function line(deny: boolean, qualifier: Qualifier, glob: string, perms: string, rule?: CompiledRule, target?: string): AaLine {
  return { deny, qualifier, text: glob, match: matcher(glob), perms, exact: !hasGlob(glob), target, rule };
}

function fileLinesOf(v: string, c: AppArmorRuleConfig): AaLine[] {
  const p = v + suffixOf(c);
  const out: AaLine[] = [];
  if (c.deny) {
    const r = c.denyRule;
    if (c.readOnly && c.ownerOnly) out.push(line(true, 'owner', p, 'w', r), line(true, 'other', p, 'rw', r));
    else if (c.ownerOnly) out.push(line(false, 'owner', p, 'rw', r), line(true, 'other', p, 'rw', r));
    else if (c.readOnly) out.push(line(true, '', p, 'w', r));
    else out.push(line(true, '', p, 'rw', r));
  }
  if (c.allow) {
    const r = c.allowRule;
    if (c.readOnly && c.ownerOnly) out.push(line(false, 'owner', p, 'r', r));
    else if (c.ownerOnly) out.push(line(false, 'owner', p, 'rw', r));
    else if (c.readOnly) out.push(line(false, '', p, 'r', r));
    else out.push(line(false, '', p, 'rw', r));
  }
  return out;
}

function denyExec(v: string, c: AppArmorRuleConfig): AaLine[] {
  if (!c.deny) return [];
  const p = v + suffixOf(c);
  return c.ownerOnly ? [line(false, 'owner', p, 'ix', c.denyRule), line(true, 'other', p, 'x', c.denyRule)] : [line(true, '', p, 'x', c.denyRule)];
}

function files(r: AppArmorRules): AaLine[] {
  const out: AaLine[] = [];
  for (const [v, c] of r.filePaths) out.push(...fileLinesOf(v, c));
  return out;
}

const NATIVE_FILE = /^(deny\s+)?(?:(owner|other)\s+)?(\/\S*)\s+([rwaklmixpuUcC]+)\s*(?:->\s*\S+\s*)?,$/;

function nativeRule(policy: CompiledPolicy, text: string, deny: boolean): CompiledRule {
  return {
    order: -1,
    policy,
    domain: 'file',
    kind: 'path',
    value: text,
    recursive: false,
    readOnly: false,
    ownerOnly: false,
    pts: false,
    ptsFalse: false,
    args: [],
    action: deny ? 'Block' : 'Allow',
    severity: '',
    tags: [],
    tagsJoined: '',
    message: '',
    source: '',
    feederSkip: true,
    raw: text,
    pointer: '/spec/apparmor',
  };
}

/** The views of every profile of `p` (main, `child:<source>`, `nested:<source>:<path>`), and native-line caveats. */
export function appArmorViews(p: AppArmorProfile): { views: Map<string, AaView>; unsimulated: string[] } {
  const views = new Map<string, AaView>();
  const unsimulated: string[] = [];
  const sources = new Set(p.fromSource.keys());
  const mainFile = files(p);
  const mainExec: AaLine[] = [];
  for (const s of sources) mainExec.push(line(false, '', s, 'px', undefined, `child:${s}`));
  for (const [v, c] of p.processPaths) {
    mainExec.push(...denyExec(v, c));
    if (!c.allow) continue;
    const suffix = suffixOf(c);
    if (TEMPLATE_GLOB.test(v)) continue; // written as a comment: allows nothing
    mainExec.push(line(false, suffix === '' && c.ownerOnly ? 'owner' : '', v + suffix, 'ix', c.allowRule));
  }
  for (const n of p.nativeRules) {
    if (n.line === '' || n.line.startsWith('#')) continue;
    const m = NATIVE_FILE.exec(n.line);
    if (m === null) { unsimulated.push(`policy ${n.policy.name} spec.apparmor line '${n.line}' is written into the profile but not simulated (only file and exec lines '[deny] [owner|other] /PATH PERMS,' are)`); continue; }
    const deny = m[1] !== undefined;
    const q = (m[2] ?? '') as Qualifier;
    const perms = m[4];
    const rule = nativeRule(n.policy, n.line, deny);
    const fp = (perms.includes('r') ? 'r' : '') + (/[wa]/.test(perms) ? 'w' : '');
    if (fp !== '') mainFile.push(line(deny, q, m[3], fp, rule));
    if (/[ixpuUcC]/.test(perms.replace(/[rwaklm]/g, ''))) mainExec.push(line(deny, q, m[3], deny ? 'x' : 'ix', rule));
  }
  views.set('main', { id: 'main', fileAll: p.header.file, allowList: p.allowList, file: mainFile, exec: mainExec });
  for (const [s, c] of p.fromSource) {
    const exec: AaLine[] = [line(false, '', s, 'rix')];
    for (const [v, rc] of c.processPaths) {
      exec.push(...denyExec(v, rc));
      if (!rc.allow || suffixOf(rc) !== '') continue; // Allow directories are not written into children
      const q: Qualifier = rc.ownerOnly ? 'owner' : '';
      if (sources.has(v)) {
        exec.push(line(false, q, v, 'px', rc.allowRule, undefined)); // `px -> <Name>-<path>`: never defined
      } else if (rc.ownerOnly) {
        exec.push(line(false, q, v, 'cx', rc.allowRule, undefined)); // `owner P cx,` without its profile
      } else {
        const id = `nested:${s}:${v}`;
        exec.push(line(false, q, v, 'cx', rc.allowRule, id));
        views.set(id, { id, fileAll: p.header.file, allowList: p.allowList, file: files(p), exec: [line(false, '', v, 'rix')] });
      }
    }
    views.set(`child:${s}`, { id: `child:${s}`, fileAll: c.header.file, allowList: c.allowList, file: files(c), exec });
  }
  return { views, unsimulated };
}

/**
 * Lines indexed by the literal directory prefix of their glob (`/etc/{,**}` under `/etc/`, `/**\/nc` under `/`):
 * a glob line can only match a path that starts with its prefix; a line without glob characters (`exact`)
 * matches only its own text, so it is indexed by that text. A decision looks at the glob lines under the path's
 * ancestors and the exact lines naming the path (with or without its trailing `/`), in profile order, instead of
 * every line.
 */
interface LineIndex {
  readonly byPrefix: Map<string, number[]>;
  readonly byText: Map<string, number[]>;
}
const lineIndex = new WeakMap<AaLine[], LineIndex>();

function indexOf(lines: AaLine[]): LineIndex {
  let index = lineIndex.get(lines);
  if (index === undefined) {
    const byPrefix = new Map<string, number[]>();
    const byText = new Map<string, number[]>();
    lines.forEach((l, i) => {
      let map = byText;
      let key = l.text;
      if (!l.exact) {
        const glob = l.text.search(/[*?[{\\]/);
        const end = glob === -1 ? l.text.length : glob;
        map = byPrefix;
        key = l.text.slice(0, l.text.lastIndexOf('/', end - 1) + 1);
      }
      const list = map.get(key);
      if (list) list.push(i);
      else map.set(key, [i]);
    });
    index = { byPrefix, byText };
    lineIndex.set(lines, index);
  }
  return index;
}

/** The lines that can match `path`, or `path` without its trailing `/`, in profile order. */
export function linesFor(lines: AaLine[], path: string): AaLine[] {
  const { byPrefix, byText } = indexOf(lines);
  const found: number[] = [...(byPrefix.get('') ?? [])];
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
    const list = byPrefix.get(path.slice(0, i + 1));
    if (list) for (const k of list) found.push(k);
  }
  for (const text of path.endsWith('/') ? [path, path.slice(0, -1)] : [path]) {
    const list = byText.get(text);
    if (list) for (const k of list) found.push(k);
  }
  found.sort((a, b) => a - b);
  return found.map((k) => lines[k]);
}

function qualifies(l: AaLine, isOwner: boolean): boolean {
  return l.qualifier === '' || (l.qualifier === 'owner') === isOwner;
}

const fileMemo = new WeakMap<AaView, Map<string, Enforcement>>();
const MEMO_LIMIT = 4096;

/** File access in one profile (memoised per view: the decision depends on the permission, path and ownership only). */
export function appArmorFileDecision(view: AaView, ctx: Ctx): Enforcement {
  let memo = fileMemo.get(view);
  if (memo === undefined) { memo = new Map(); fileMemo.set(view, memo); }
  const key = `${ctx.op === AccessOperation.READ ? 'r' : ctx.op === AccessOperation.MKDIR ? 'd' : 'w'}${ctx.isOwner ? 1 : 0}${ctx.path}`;
  let e = memo.get(key);
  if (e === undefined) {
    e = fileDecision(view, ctx);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, e);
  }
  return e;
}

function fileDecision(view: AaView, ctx: Ctx): Enforcement {
  const perm = ctx.op === AccessOperation.READ ? 'r' : 'w';
  // AppArmor mediates a directory as `dir/`: MKDIR always, and a path a rule names as a directory
  const path = ctx.op === AccessOperation.MKDIR ? ctx.path + '/' : ctx.path;
  const asDir = path.endsWith('/') ? path : path + '/';
  let allowed: AaLine | undefined;
  for (const l of linesFor(view.file, asDir)) {
    if (!l.perms.includes(perm) || !qualifies(l, ctx.isOwner) || !(l.match(path) || (l.text.endsWith('/{,*}') || l.text.endsWith('/{,**}') || l.text.endsWith('/') ? l.match(asDir) : false))) continue;
    if (l.deny) return { denied: true, byPosture: false, rule: l.rule };
    if (allowed === undefined || (allowed.rule === undefined && l.rule !== undefined)) allowed = l;
  }
  if (allowed !== undefined) return { denied: false, byPosture: false, rule: allowed.rule };
  if (view.fileAll) return { denied: false, byPosture: view.allowList, rule: undefined };
  return { denied: true, byPosture: true, rule: undefined };
}

/** The outcome of an exec in one profile: the decision and the profile the new program runs in. */
export interface AaExec {
  readonly enforcement: Enforcement;
  /** The profile id the new program runs in; undefined when the exec is refused. */
  readonly next?: string;
}

/** Exec in one profile: deny lines win; an exact line beats a glob line, which beats `file,` (ix). */
export function appArmorExecDecision(view: AaView, views: Map<string, AaView>, ctx: Ctx): AaExec {
  let exact: AaLine | undefined;
  let glob: AaLine | undefined;
  for (const l of linesFor(view.exec, ctx.path)) {
    if (!qualifies(l, ctx.isOwner) || !l.match(ctx.path)) continue;
    if (l.deny) return { enforcement: { denied: true, byPosture: false, rule: l.rule } };
    if (l.exact) exact ??= l; else glob ??= l;
  }
  const chosen = exact ?? glob;
  if (chosen === undefined) {
    if (view.fileAll) return { enforcement: { denied: false, byPosture: view.allowList, rule: undefined }, next: view.id };
    return { enforcement: { denied: true, byPosture: true, rule: undefined } };
  }
  const allow: Enforcement = { denied: false, byPosture: false, rule: chosen.rule };
  if (chosen.perms === 'ix' || chosen.perms === 'rix') return { enforcement: allow, next: view.id };
  if (chosen.target === undefined || !views.has(chosen.target)) {
    note(ctx, `AppArmor line '${chosen.text} ${chosen.perms}' in profile ${view.id} transitions to a profile KubeArmor never defines: the exec fails`);
    return { enforcement: { denied: true, byPosture: false, rule: chosen.rule } };
  }
  return { enforcement: { denied: false, byPosture: false, rule: chosen.rule }, next: chosen.target };
}

/**
 * The profile `ctx.process` runs in: the main profile for the container's entry process (runc applies
 * the profile on exec: the dispatcher's px lines do not apply to it); the child profile of a fromSource
 * binary exec'd from the main profile; for a process exec'd by a fromSource binary, the profile that
 * exec left it in. Deeper ancestry is not known to a request.
 */
export function appArmorProfileOf(views: Map<string, AaView>, ctx: Ctx): string {
  if (ctx.entry) return 'main';
  if (views.size === 1) return 'main';
  let memo = profileMemo.get(views);
  if (memo === undefined) { memo = new Map(); profileMemo.set(views, memo); }
  const key = `${ctx.isOwner ? 1 : 0}${ctx.parent}\u0000${ctx.process}`;
  let id = memo.get(key);
  if (id === undefined) {
    id = profileOf(views, ctx);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, id);
  }
  return id;
}

const profileMemo = new WeakMap<Map<string, AaView>, Map<string, string>>();

function profileOf(views: Map<string, AaView>, ctx: Ctx): string {
  const main = views.get('main')!;
  const parentId = ctx.parent !== '' && views.has(`child:${ctx.parent}`) ? `child:${ctx.parent}` : 'main';
  const parentView = parentId === 'main' ? main : views.get(parentId)!;
  if (ctx.process === '') return parentId;
  const e = appArmorExecDecision(parentView, views, { ...ctx, op: AccessOperation.EXEC, path: ctx.process, caveats: undefined });
  return e.next ?? parentId;
}
