/**
 * Requests arrive as object literals of many shapes (only the keys a caller needs), and every property
 * read on such a mix is a polymorphic or megamorphic lookup in V8. The simulator reads a request dozens of
 * times per decision, so it first copies it into one fixed shape (every key present, always in this order).
 * Named reads (`r.path`) of a request built by spreading (`{ ...base, operation }`) can miss V8's inline caches
 * on every call (µs per request); the for-in below does not depend on the caller's hidden classes.
 */
import { AccessRequest } from '../access-request';

/** Every key of AccessRequest, required and writable: the compiler refuses the literal below if one is missing. */
type Shaped = { -readonly [K in keyof Required<AccessRequest>]: AccessRequest[K] | undefined };

export function shapeRequest(r: AccessRequest): AccessRequest {
  const s: Shaped = {
    operation: undefined,
    path: undefined,
    protocol: undefined,
    capability: undefined,
    process: undefined,
    parentProcess: undefined,
    args: undefined,
    execsDirectly: undefined,
    containerEntry: undefined,
    workload: undefined,
    namespace: undefined,
    labels: undefined,
    podAnnotations: undefined,
    container: undefined,
    node: undefined,
    nodeLabels: undefined,
    uid: undefined,
    ownerUid: undefined,
    fileMode: undefined,
    readOnlyRootFilesystem: undefined,
    writableMounts: undefined,
    enforcer: undefined,
    defaultFilePosture: undefined,
    defaultNetworkPosture: undefined,
    defaultCapabilitiesPosture: undefined,
  };
  // for-in reads only the keys present, each through V8's enum cache (`r[k]` in a for-in is a field load by
  // index, whatever the object's hidden class); the key is dispatched on its length first. Unknown keys are ignored.
  const o = r as unknown as Record<string, any>;
  for (const k in o) {
    const v = o[k];
    // every field of `s` starts undefined: a key present with the value undefined changes nothing
    if (v === undefined) continue;
    switch (k.length) {
      case 3:
        if (k === 'uid') s.uid = v;
        break;
      case 4:
        if (k === 'path') s.path = v;
        else if (k === 'args') s.args = v;
        else if (k === 'node') s.node = v;
        break;
      case 6:
        if (k === 'labels') s.labels = v;
        break;
      case 7:
        if (k === 'process') s.process = v;
        break;
      case 8:
        if (k === 'protocol') s.protocol = v;
        else if (k === 'workload') s.workload = v;
        else if (k === 'ownerUid') s.ownerUid = v;
        else if (k === 'fileMode') s.fileMode = v;
        else if (k === 'enforcer') s.enforcer = v;
        break;
      case 9:
        if (k === 'operation') s.operation = v;
        else if (k === 'namespace') s.namespace = v;
        else if (k === 'container') s.container = v;
        break;
      case 10:
        if (k === 'capability') s.capability = v;
        else if (k === 'nodeLabels') s.nodeLabels = v;
        break;
      case 13:
        if (k === 'parentProcess') s.parentProcess = v;
        else if (k === 'execsDirectly') s.execsDirectly = v;
        break;
      case 14:
        if (k === 'containerEntry') s.containerEntry = v;
        else if (k === 'podAnnotations') s.podAnnotations = v;
        else if (k === 'writableMounts') s.writableMounts = v;
        break;
      case 18:
        if (k === 'defaultFilePosture') s.defaultFilePosture = v;
        break;
      case 21:
        if (k === 'defaultNetworkPosture') s.defaultNetworkPosture = v;
        break;
      case 22:
        if (k === 'readOnlyRootFilesystem') s.readOnlyRootFilesystem = v;
        break;
      case 26:
        if (k === 'defaultCapabilitiesPosture') s.defaultCapabilitiesPosture = v;
        break;
      default: break;
    }
  }
  return s as AccessRequest;
}
