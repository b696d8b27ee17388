/**
 * What the coverage check reads from rendered manifests: the readOnly file rules of the KubeArmor policies
 * that select a workload (selection by selection.ts, as the lints and the simulator do) and the paths the
 * workload writes (its writable volume mounts).
 */
import { ProtectedSet, WritablePath } from './coverage';
import { kubeArmorKind } from './effective';
import { DirItem, PathItem } from './fim-items';
import { selectsPod } from './selection';

const POD_TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);
/** Volume types the kubelet writes from outside and the container only reads. */
const READ_ONLY_VOLUMES = ['configMap', 'secret', 'projected', 'downwardAPI'];

export interface WorkloadInfo {
  /** `Kind/namespace/name`. */
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly containers: string[];
  readonly writable: WritablePath[];
}

function podTemplate(m: any): any {
  if (m === null || typeof m !== 'object' || typeof m.kind !== 'string') return undefined;
  if (m.kind === 'Pod') return { metadata: m.metadata, spec: m.spec };
  if (POD_TEMPLATE_KINDS.has(m.kind)) return m.spec?.template;
  if (m.kind === 'CronJob') return m.spec?.jobTemplate?.spec?.template;
  return undefined;
}

/** The workload manifests among `manifests`, with their writable mounts (of `container` only, when given). */
export function workloads(manifests: readonly any[], container?: string): WorkloadInfo[] {
  const out: WorkloadInfo[] = [];
  for (const m of manifests) {
    const t = podTemplate(m);
    if (t === undefined) continue;
    const volumes = new Map<string, any>((Array.isArray(t?.spec?.volumes) ? t.spec.volumes : []).map((v: any) => [v?.name, v]));
    const containers = Array.isArray(t?.spec?.containers) ? t.spec.containers : [];
    const writable: WritablePath[] = [];
    for (const c of containers) {
      if (container !== undefined && c?.name !== container) continue;
      for (const vm of Array.isArray(c?.volumeMounts) ? c.volumeMounts : []) {
        if (typeof vm?.mountPath !== 'string' || vm.readOnly === true) continue;
        const v = volumes.get(vm.name);
        const type = v ? Object.keys(v).find((k) => k !== 'name') ?? 'volume' : 'volume';
        if (READ_ONLY_VOLUMES.includes(type)) continue;
        const path = vm.mountPath.endsWith('/') ? vm.mountPath : `${vm.mountPath}/`;
        writable.push({ path, origin: `volume mount ${vm.name} (${type}) of container ${c?.name ?? '?'}` });
      }
    }
    const ns = typeof m.metadata?.namespace === 'string' ? m.metadata.namespace : undefined;
    out.push({
      name: `${m.kind}/${ns ? `${ns}/` : ''}${m.metadata?.name ?? '<unnamed>'}`,
      namespace: ns,
      labels: t?.metadata?.labels !== null && typeof t?.metadata?.labels === 'object' ? t.metadata.labels : {},
      containers: containers.map((c: any) => c?.name).filter((n: unknown) => typeof n === 'string'),
      writable,
    });
  }
  return out;
}

/** The readOnly file rules (Block or Audit, not limited to a source) of `policies`. */
export function protectedSet(policies: readonly any[]): ProtectedSet {
  const dirs: DirItem[] = [];
  const paths: PathItem[] = [];
  for (const m of policies) {
    const spec = m?.spec ?? {};
    const origin = `${m.kind}/${m.metadata?.name ?? '<unnamed>'}`;
    const applies = (r: any) => r?.readOnly === true && !(Array.isArray(r.fromSource) && r.fromSource.length > 0)
      && (r.action ?? spec.file?.action ?? spec.action) !== 'Allow';
    for (const r of Array.isArray(spec.file?.matchDirectories) ? spec.file.matchDirectories : []) {
      if (applies(r) && typeof r.dir === 'string') dirs.push({ dir: r.dir, recursive: r.recursive === true, readOnly: true, origin });
    }
    for (const r of Array.isArray(spec.file?.matchPaths) ? spec.file.matchPaths : []) {
      if (applies(r) && typeof r.path === 'string') paths.push({ path: r.path, readOnly: true, origin });
    }
  }
  return { dirs, paths };
}

/** The KubeArmor policies among `manifests` that select `w` (all of them when `w` is undefined). */
export function policiesFor(manifests: readonly any[], w: WorkloadInfo | undefined): any[] {
  return manifests.filter((m) => kubeArmorKind(m) !== undefined && m.kind !== 'KubeArmorHostPolicy'
    && (w === undefined || selectsPod(m, { namespace: w.namespace, labels: w.labels, containers: w.containers })));
}
