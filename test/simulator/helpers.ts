import { AccessOperation, AccessRequest, PolicySimulator, PolicySimulatorOptions, SimulatedEnforcer, SimulatedPosture } from '../../src/simulator';
import { expectConformant } from '../conformance/harness';

export const AA = SimulatedEnforcer.APPARMOR;
export const BPF = SimulatedEnforcer.BPF_LSM;
export const AUDIT = SimulatedPosture.AUDIT;
export const BLOCK = SimulatedPosture.BLOCK;
export const Op = AccessOperation;

/** A KubeArmorPolicy in namespace `shop` (default) selecting app=web (default). */
export function ksp(name: string, spec: any, namespace = 'shop'): any {
  return {
    apiVersion: 'security.kubearmor.com/v1',
    kind: 'KubeArmorPolicy',
    metadata: { name, namespace },
    spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
  };
}

export function csp(name: string, spec: any): any {
  return { apiVersion: 'security.kubearmor.com/v1', kind: 'KubeArmorClusterPolicy', metadata: { name }, spec };
}

export function hsp(name: string, spec: any): any {
  return { apiVersion: 'security.kubearmor.com/v1', kind: 'KubeArmorHostPolicy', metadata: { name }, spec };
}

/** Validates every manifest against the real CRDs, then builds the simulator. */
export function simulator(manifests: any[], options?: PolicySimulatorOptions): PolicySimulator {
  expectConformant(manifests);
  return PolicySimulator.fromManifests(manifests, options);
}

/** A pod app=web, container web, in namespace shop. */
export const WEB = { namespace: 'shop', labels: { app: 'web' }, container: 'web' };

export function req(operation: AccessOperation, path: string, extra: Partial<AccessRequest> = {}): AccessRequest {
  return { ...WEB, operation, path, process: '/bin/sh', ...extra };
}
