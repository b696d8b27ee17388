import { conformanceErrors, expectConformant, KUBEARMOR_KINDS } from './conformance/harness';
import { specSchema } from './util/crd';
import { everyFieldProps, everySelectorTarget, synthPolicy } from './util/policies';

type Kind = 'KubeArmorPolicy' | 'KubeArmorClusterPolicy' | 'KubeArmorHostPolicy';

/**
 * Leaf field paths below `spec` of a CRD schema, e.g. `spec.file.matchPaths[].fromSource[].path`.
 * A map (object without properties, e.g. matchLabels) and a list of scalars are leaves.
 */
function schemaLeaves(schema: any, at: string, out: Set<string>): Set<string> {
  if (schema.type === 'object' && schema.properties) {
    for (const [k, v] of Object.entries(schema.properties)) schemaLeaves(v, `${at}.${k}`, out);
  } else if (schema.type === 'array' && schema.items?.type === 'object' && schema.items.properties) {
    schemaLeaves(schema.items, `${at}[]`, out);
  } else {
    out.add(at);
  }
  return out;
}

/** The same leaf paths, as they occur in a synthesised object. */
function objectLeaves(value: any, at: string, schema: any, out: Set<string>): Set<string> {
  if (schema.type === 'object' && schema.properties) {
    for (const [k, v] of Object.entries(value)) {
      if (schema.properties[k]) objectLeaves(v, `${at}.${k}`, schema.properties[k], out);
      else out.add(`${at}.${k} (undeclared)`);
    }
  } else if (schema.type === 'array' && schema.items?.type === 'object' && schema.items.properties) {
    for (const item of value as any[]) objectLeaves(item, `${at}[]`, schema.items, out);
  } else {
    out.add(at);
  }
  return out;
}


describe('every CRD field', () => {
  // Every leaf of each kind must be emitted by at least one of these objects; all of them must conform.
  const objects: Record<Kind, any[]> = {
    KubeArmorPolicy: [synthPolicy(everyFieldProps(everySelectorTarget('KubeArmorPolicy')), 'shop')],
    KubeArmorClusterPolicy: [synthPolicy(everyFieldProps(everySelectorTarget('KubeArmorClusterPolicy')))],
    KubeArmorHostPolicy: [synthPolicy(everyFieldProps(everySelectorTarget('KubeArmorHostPolicy')))],
  };

  test('the CRDs list exactly the three kinds', () => {
    expect([...KUBEARMOR_KINDS].sort()).toEqual(Object.keys(objects).sort());
  });

  test.each(Object.keys(objects))('every leaf field of %s is emitted by a synthesised object', (kind) => {
    const schema = specSchema(kind);
    const declared = schemaLeaves(schema, 'spec', new Set());
    const emitted = new Set<string>();
    for (const obj of objects[kind as Kind]) objectLeaves(obj.spec, 'spec', schema, emitted);
    expect([...declared].filter((f) => !emitted.has(f)).sort()).toEqual([]);
    expect([...emitted].filter((f) => !declared.has(f)).sort()).toEqual([]);
    expect(declared.size).toBeGreaterThan(100);
  });

  test.each(Object.keys(objects))('every %s object passes the harness', (kind) => {
    for (const obj of objects[kind as Kind]) expect(conformanceErrors(obj)).toEqual([]);
    expect(() => expectConformant(objects[kind as Kind])).not.toThrow();
  });

  test('the pod policy renders each field with the value given', () => {
    const spec = objects.KubeArmorPolicy[0].spec;
    expect(spec.selector).toEqual({
      matchLabels: { 'app': 'web', 'kubearmor.io/container.name': '[nginx]' },
      matchExpressions: [{ key: 'label', operator: 'In', values: ['tier=frontend'] }],
    });
    expect(spec.file.matchPaths).toEqual([{
      path: '/etc/passwd',
      readOnly: true,
      ownerOnly: true,
      pts: true,
      fromSource: [{ path: '/usr/bin/app' }],
      action: 'Audit',
      severity: 7,
      tags: ['RULE_TAG'],
      message: 'rule message',
    }]);
    expect(spec.file.matchDirectories).toEqual([{
      dir: '/etc/',
      recursive: true,
      readOnly: true,
      ownerOnly: true,
      pts: false,
      fromSource: [{ path: '/usr/bin/app' }],
      action: 'Audit',
      severity: 7,
      tags: ['RULE_TAG'],
      message: 'rule message',
    }]);
    expect(spec.process.matchPaths).toEqual([
      { execname: 'apt', action: 'Audit', severity: 7, tags: ['RULE_TAG'], message: 'rule message' },
      {
        path: '/usr/bin/curl',
        allowedArgs: ['--version'],
        ownerOnly: true,
        pts: true,
        fromSource: [{ path: '/bin/bash' }],
        action: 'Audit',
        severity: 7,
        tags: ['RULE_TAG'],
        message: 'rule message',
      },
    ]);
    expect(spec.syscalls).toEqual({
      severity: 4,
      tags: ['SYSCALLS'],
      message: 'syscalls section',
      matchSyscalls: [{ syscall: ['unlink', 'unlinkat'], fromSource: [{ path: '/bin/rm' }, { dir: '/usr/sbin/', recursive: true }] }],
      matchPaths: [
        { path: '/etc/', recursive: true, syscall: ['rmdir'], fromSource: [{ path: '/bin/rm', dir: '/usr/bin/', recursive: false }] },
        { path: '/etc/shadow', syscall: ['chmod'] },
      ],
    });
    expect(spec.presets).toEqual([{ name: 'filelessExec', action: 'Audit' }, { name: 'protectEnv' }]);
    expect(spec.network.matchProtocols).toEqual([{
      protocol: 'raw', pts: true, fromSource: [{ path: '/usr/bin/app' }], action: 'Audit', severity: 7, tags: ['RULE_TAG'], message: 'rule message',
    }]);
    expect(spec.network.matchDNSQueries).toEqual([{
      domain: 'example.com', fromSource: [{ path: '/usr/bin/app' }], action: 'Audit', severity: 7, tags: ['RULE_TAG'], message: 'rule message',
    }]);
    expect(spec.apparmor).toBe('deny /tmp/x w,');
    expect([spec.action, spec.severity, spec.tags, spec.message]).toEqual(['Block', 5, ['SPEC_TAG'], 'spec message']);
  });

  test('the cluster policy renders namespace and label expressions, the host policy its nodeSelector and devices', () => {
    // NotIn expressions come first: KubeArmor drops a NotIn that follows an In (docs/kubearmor-semantics.md §5).
    expect(objects.KubeArmorClusterPolicy[0].spec.selector).toEqual({
      matchExpressions: [
        { key: 'label', operator: 'NotIn', values: ['team=legacy'] },
        { key: 'namespace', operator: 'In', values: ['payments', 'shop'] },
      ],
    });
    const host = objects.KubeArmorHostPolicy[0].spec;
    expect(host.nodeSelector).toEqual({ matchLabels: { 'kubernetes.io/os': 'linux' } });
    expect(host.device).toEqual({
      action: 'Block',
      severity: 9,
      tags: ['DEVICE'],
      message: 'device section',
      matchDevice: [{ class: 'MASS-STORAGE', subClass: 6, protocol: 80, level: 1, action: 'Audit', severity: 7, tags: ['RULE_TAG'], message: 'rule message' }],
    });
    expect(host.presets).toBeUndefined();
    expect(host.network.matchProtocols[0].pts).toBeUndefined();
  });
});
