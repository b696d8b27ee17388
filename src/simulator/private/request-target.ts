/**
 * The target of a simulated access (file path, executable, protocol or capability), checked at the call:
 * a request KubeArmor could not see fails with the field, the value and what to give instead.
 */
import { Capability } from '../../capability';
import { NetworkProtocol } from '../../network-protocol';
import { AccessOperation, AccessRequest } from '../access-request';
import { normaliseCapability } from './compile';

/** The operations mediated as file accesses. */
export const FILE_OPS = new Set<AccessOperation>([
  AccessOperation.READ, AccessOperation.WRITE, AccessOperation.APPEND, AccessOperation.TRUNCATE,
  AccessOperation.CREATE, AccessOperation.DELETE, AccessOperation.RENAME, AccessOperation.MKDIR,
  AccessOperation.CHMOD, AccessOperation.CHOWN,
]);

const PROTOCOLS = new Set<string>(Object.values(NetworkProtocol));
const CAPABILITIES = new Set<string>(Object.values(Capability));

/** The request's target as the rules name it: the path, the lower-case protocol or the bare capability. */
export function requestTarget(request: AccessRequest): string {
  const op = request.operation;
  if (FILE_OPS.has(op) || op === AccessOperation.EXEC) {
    if (!request.path) throw new Error(`PolicySimulator.evaluate: ${op} needs 'path'`);
    if (!request.path.startsWith('/')) throw new Error(`PolicySimulator.evaluate: path '${request.path}' must be absolute`);
    return request.path;
  }
  if (op === AccessOperation.NETWORK) {
    if (!request.protocol) throw new Error("PolicySimulator.evaluate: NETWORK needs 'protocol' (e.g. 'tcp')");
    const target = request.protocol.toLowerCase();
    if (!PROTOCOLS.has(target) || target === 'all') {
      throw new Error(`PolicySimulator.evaluate: protocol '${request.protocol}' is not a protocol KubeArmor knows; use one of ${[...PROTOCOLS].filter((p) => p !== 'all').join(', ')}`);
    }
    return target;
  }
  if (op === AccessOperation.CAPABILITY) {
    if (!request.capability) throw new Error("PolicySimulator.evaluate: CAPABILITY needs 'capability' (e.g. 'net_raw')");
    const target = normaliseCapability(request.capability);
    if (!CAPABILITIES.has(target)) {
      throw new Error(`PolicySimulator.evaluate: capability '${request.capability}' is not a Linux capability KubeArmor knows (e.g. 'net_raw', 'sys_admin'; a 'cap_' prefix and upper case are accepted)`);
    }
    return target;
  }
  throw new Error(`PolicySimulator.evaluate: unknown operation ${op}`);
}
