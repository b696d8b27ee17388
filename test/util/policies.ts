/** Shared helpers for the SecurityPolicy test suites. */
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  Capability, DeviceClass, NetworkProtocol, PolicyAction, PolicyPreset, PolicySection, PolicyTarget, SecurityPolicy,
  SecurityPolicyProps, SelectorOperator, Syscall,
} from './model';
import { isKubeArmorObject } from '../conformance/harness';

// App-wide lints print warnings at synth; these suites do not test them.
process.env.CDK8S_KUBEARMOR_QUIET = '1';

/** A chart in a fresh App (not Testing.app(), which leaks a temp dir per call). */
export function newChart(namespace?: string, id = 'test'): Chart {
  return new Chart(new App(), id, { namespace });
}

/** The KubeArmor objects of one chart (runs every validation of the app, like `app.synth()`). */
export function synthKubeArmor(chart: Chart): any[] {
  return Testing.synth(chart).filter(isKubeArmorObject);
}

/** The one KubeArmor object of a chart. */
export function synthOne(chart: Chart): any {
  const objs = synthKubeArmor(chart);
  if (objs.length !== 1) throw new Error(`expected one KubeArmor object, got ${objs.length}`);
  return objs[0];
}

/** A Deployment whose pods are labelled `app=<name>` (cdk8s-plus's own selector turned off). */
export function deployment(scope: Chart, name: string, namespace?: string): kplus.Deployment {
  const d = new kplus.Deployment(scope, name, { select: false, metadata: { namespace }, containers: [{ image: name }] });
  d.podMetadata.addLabel('app', name);
  d.select(kplus.LabelSelector.of({ labels: { app: name } }));
  return d;
}

/**
 * Rules and meta touching every field a kind's CRD declares below `spec` (except the selector, which
 * the target renders). Host policies get device rules and fromSource on capability/network rules,
 * pod policies get presets and `pts` on protocols.
 */
export function everyFieldProps(target: PolicyTarget): SecurityPolicyProps {
  const host = target.kind === 'KubeArmorHostPolicy';
  const meta = { action: PolicyAction.AUDIT, severity: 7, tags: ['RULE_TAG'], message: 'rule message' };
  const src = ['/usr/bin/app'];
  return {
    target,
    policyName: 'every-field',
    action: PolicyAction.BLOCK,
    severity: 5,
    tags: ['SPEC_TAG'],
    message: 'spec message',
    appArmor: 'deny /tmp/x w,',
    sections: [
      { section: PolicySection.FILE, action: PolicyAction.BLOCK, severity: 2, tags: ['FILE'], message: 'file section' },
      { section: PolicySection.PROCESS, action: PolicyAction.BLOCK, severity: 2, tags: ['PROCESS'], message: 'process section' },
      { section: PolicySection.NETWORK, action: PolicyAction.AUDIT, severity: 3, tags: ['NETWORK'], message: 'network section' },
      { section: PolicySection.CAPABILITIES, action: PolicyAction.AUDIT, severity: 3, tags: ['CAPS'], message: 'caps section' },
      { section: PolicySection.SYSCALLS, severity: 4, tags: ['SYSCALLS'], message: 'syscalls section' },
      ...(host ? [{ section: PolicySection.DEVICE, action: PolicyAction.BLOCK, severity: 9, tags: ['DEVICE'], message: 'device section' }] : []),
    ],
    filePaths: [{ path: '/etc/passwd', readOnly: true, ownerOnly: true, pts: true, fromSource: src, ...meta }],
    fileDirectories: [{ dir: '/etc/', recursive: true, readOnly: true, ownerOnly: true, pts: false, fromSource: src, ...meta }],
    filePatterns: [{ pattern: '/tmp/**', readOnly: true, ownerOnly: true, ...meta }],
    processPaths: [
      { path: '/usr/bin/curl', allowedArgs: ['--version'], ownerOnly: true, pts: true, fromSource: ['/bin/bash'], ...meta },
      { execname: 'apt', ...meta },
    ],
    processDirectories: [{ dir: '/tmp/', recursive: true, ownerOnly: true, pts: true, fromSource: src, ...meta }],
    processPatterns: [{ pattern: '/var/tmp/*', ownerOnly: true, ...meta }],
    networkProtocols: [{ protocol: NetworkProtocol.RAW, ...(host ? {} : { pts: true }), fromSource: src, ...meta }],
    dnsQueries: [{ domain: 'example.com', fromSource: src, ...meta }],
    capabilities: [{ capability: Capability.NET_RAW, fromSource: src, ...meta }],
    syscalls: [{ syscalls: [Syscall.UNLINK, Syscall.of('unlinkat')], fromSource: [{ path: '/bin/rm' }, { dir: '/usr/sbin/', recursive: true }] }],
    syscallPaths: [
      { path: '/etc/', recursive: true, syscalls: [Syscall.RMDIR], fromSource: [{ path: '/bin/rm', dir: '/usr/bin/', recursive: false }] },
      { path: '/etc/shadow', syscalls: [Syscall.CHMOD] },
    ],
    presets: host ? undefined : [{ preset: PolicyPreset.FILELESS_EXEC, action: PolicyAction.AUDIT }, { preset: PolicyPreset.PROTECT_ENV }],
    devices: host ? [{ deviceClass: DeviceClass.MASS_STORAGE, subClass: 6, protocol: 80, level: 1, ...meta }] : undefined,
  };
}

/** One target per kind that touches every selector field of that kind. */
export function everySelectorTarget(kind: 'KubeArmorPolicy' | 'KubeArmorClusterPolicy' | 'KubeArmorHostPolicy'): PolicyTarget {
  switch (kind) {
    case 'KubeArmorPolicy':
      return PolicyTarget.podLabels({ app: 'web' }, 'shop').inContainers(['nginx']).withLabelExpression(SelectorOperator.IN, ['tier=frontend']);
    case 'KubeArmorClusterPolicy':
      return PolicyTarget.namespaces(['shop', 'payments']).withLabelExpression(SelectorOperator.NOT_IN, ['team=legacy']);
    case 'KubeArmorHostPolicy':
      return PolicyTarget.nodes({ 'kubernetes.io/os': 'linux' });
  }
}

/** Construct a SecurityPolicy in a fresh chart and synthesise it. */
export function synthPolicy(props: SecurityPolicyProps, namespace?: string): any {
  const chart = newChart(namespace);
  new SecurityPolicy(chart, 'policy', props);
  return synthOne(chart);
}
