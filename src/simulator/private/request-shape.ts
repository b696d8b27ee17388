/**
 * Requests arrive as object literals of many shapes (only the keys a caller needs), and every property
 * read on such a mix is a megamorphic lookup in V8 — a read of an absent key the slowest of all. The
 * simulator reads a request dozens of times per decision, so it first copies it into one fixed shape
 * (every key present, always in this order), visiting only the keys the caller set.
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
  // for-in reads only the keys present (through V8's enum cache); unknown keys are ignored, as before.
  for (const k in r) {
    switch (k) {
      case 'operation': s.operation = r.operation; break;
      case 'path': s.path = r.path; break;
      case 'protocol': s.protocol = r.protocol; break;
      case 'capability': s.capability = r.capability; break;
      case 'process': s.process = r.process; break;
      case 'parentProcess': s.parentProcess = r.parentProcess; break;
      case 'args': s.args = r.args; break;
      case 'execsDirectly': s.execsDirectly = r.execsDirectly; break;
      case 'containerEntry': s.containerEntry = r.containerEntry; break;
      case 'workload': s.workload = r.workload; break;
      case 'namespace': s.namespace = r.namespace; break;
      case 'labels': s.labels = r.labels; break;
      case 'podAnnotations': s.podAnnotations = r.podAnnotations; break;
      case 'container': s.container = r.container; break;
      case 'node': s.node = r.node; break;
      case 'nodeLabels': s.nodeLabels = r.nodeLabels; break;
      case 'uid': s.uid = r.uid; break;
      case 'ownerUid': s.ownerUid = r.ownerUid; break;
      case 'fileMode': s.fileMode = r.fileMode; break;
      case 'readOnlyRootFilesystem': s.readOnlyRootFilesystem = r.readOnlyRootFilesystem; break;
      case 'writableMounts': s.writableMounts = r.writableMounts; break;
      case 'enforcer': s.enforcer = r.enforcer; break;
      case 'defaultFilePosture': s.defaultFilePosture = r.defaultFilePosture; break;
      case 'defaultNetworkPosture': s.defaultNetworkPosture = r.defaultNetworkPosture; break;
      case 'defaultCapabilitiesPosture': s.defaultCapabilitiesPosture = r.defaultCapabilitiesPosture; break;
      default: break;
    }
  }
  return s as AccessRequest;
}
