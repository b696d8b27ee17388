import { earlier, isoTime, mapEvent, MappedEvent, parseLabels, rawKeyOf } from '../../../src/impact/private/telemetry-event';
import { AccessOperation } from '../../../src/simulator';

const pod = { Type: 'ContainerLog', NamespaceName: 'shop', Labels: 'app=web,tier=front', ContainerName: 'web', ProcessName: '/bin/sh', ParentProcessName: '/bin/bash', Result: 'Passed', UID: 0 };

function mapped(fields: Record<string, unknown>): MappedEvent {
  const m = mapEvent({ ...pod, ...fields });
  if ('reason' in m) throw new Error(`unmapped: ${m.reason}`);
  return m;
}

function reason(fields: unknown): string {
  const m = mapEvent(fields);
  if (!('reason' in m)) throw new Error(`mapped: ${m.key}`);
  return m.reason;
}

describe('telemetry record → simulator request: every syscall family', () => {
  test.each([
    ['SYS_OPEN', 'O_RDONLY', AccessOperation.READ],
    ['SYS_OPENAT', 'O_RDONLY|O_CLOEXEC', AccessOperation.READ],
    ['SYS_OPENAT2', 'O_WRONLY', AccessOperation.WRITE],
    ['SYS_OPEN', 'O_RDWR', AccessOperation.WRITE],
    ['SYS_OPEN', 'O_WRONLY|O_CREAT|O_NOCTTY|O_NONBLOCK', AccessOperation.CREATE],
    ['SYS_OPENAT', 'O_WRONLY|O_APPEND', AccessOperation.APPEND],
    ['SYS_OPENAT', 'O_WRONLY|O_TRUNC', AccessOperation.TRUNCATE],
  ])('open: %s flags=%s → %s', (syscall, flags, op) => {
    const m = mapped({ Operation: 'File', Resource: '/etc/app.conf', Data: `syscall=${syscall} fd=-100 flags=${flags}` });
    expect([m.operation, m.request.path, m.request.process, m.request.parentProcess]).toEqual([op, '/etc/app.conf', '/bin/sh', '/bin/bash']);
  });

  test.each([
    ['SYS_CREAT', AccessOperation.CREATE], ['SYS_MKNOD', AccessOperation.CREATE], ['SYS_MKNODAT', AccessOperation.CREATE],
    ['SYS_LINK', AccessOperation.CREATE], ['SYS_SYMLINKAT', AccessOperation.CREATE],
    ['SYS_UNLINK', AccessOperation.DELETE], ['SYS_UNLINKAT', AccessOperation.DELETE], ['SYS_RMDIR', AccessOperation.DELETE],
    ['SYS_RENAME', AccessOperation.RENAME], ['SYS_RENAMEAT', AccessOperation.RENAME], ['SYS_RENAMEAT2', AccessOperation.RENAME],
    ['SYS_MKDIR', AccessOperation.MKDIR], ['SYS_MKDIRAT', AccessOperation.MKDIR],
    ['SYS_CHMOD', AccessOperation.CHMOD], ['SYS_FCHMOD', AccessOperation.CHMOD], ['SYS_FCHMODAT', AccessOperation.CHMOD],
    ['SYS_CHOWN', AccessOperation.CHOWN], ['SYS_LCHOWN', AccessOperation.CHOWN], ['SYS_FCHOWN', AccessOperation.CHOWN], ['SYS_FCHOWNAT', AccessOperation.CHOWN],
    ['SYS_TRUNCATE', AccessOperation.TRUNCATE], ['SYS_FTRUNCATE', AccessOperation.TRUNCATE],
  ])('file syscall %s → %s', (syscall, op) => {
    expect(mapped({ Operation: 'File', Resource: '/var/x old', Data: `syscall=${syscall}` }).operation).toBe(op);
  });

  test.each([['SYS_EXECVE'], ['SYS_EXECVEAT']])('%s → EXEC of ProcessName, called by ParentProcessName', (syscall) => {
    const m = mapped({ Operation: 'Process', ProcessName: '/usr/bin/apt-get', ParentProcessName: '/bin/sh', Resource: '/usr/bin/apt-get install less', Data: `syscall=${syscall}` });
    expect([m.operation, m.request.path, m.request.process, m.request.parentProcess]).toEqual([AccessOperation.EXEC, '/usr/bin/apt-get', '/bin/sh', undefined]);
  });

  test('EXEC with a relative ProcessName takes the executable from Resource', () => {
    expect(mapped({ Operation: 'Process', ProcessName: 'apt', Resource: '/usr/bin/apt update', Data: 'syscall=SYS_EXECVE' }).request.path).toBe('/usr/bin/apt');
  });

  test.each([
    ['domain=AF_INET type=SOCK_STREAM protocol=TCP', 'tcp'],
    ['domain=AF_INET6 type=SOCK_STREAM protocol=0', 'tcp'],
    ['domain=AF_INET type=SOCK_DGRAM protocol=UDP', 'udp'],
    ['domain=AF_INET type=SOCK_RAW protocol=ICMP', 'icmp'],
    ['domain=AF_INET6 type=SOCK_RAW protocol=ICMPv6', 'icmpv6'],
    ['domain=AF_INET type=SOCK_RAW protocol=0', 'raw'],
    ['remoteip=10.0.0.1 port=443 protocol=TCP', 'tcp'],
    ['UDP', 'udp'],
  ])('socket Resource %s → NETWORK %s', (resource, protocol) => {
    const m = mapped({ Operation: 'Network', Resource: resource, Data: 'syscall=SYS_SOCKET' });
    expect([m.operation, m.request.protocol]).toEqual([AccessOperation.NETWORK, protocol]);
  });

  test.each([['SYS_CONNECT'], ['SYS_ACCEPT'], ['SYS_BIND'], ['SYS_LISTEN'], ['SYS_TCP_CONNECT']])('%s is a NETWORK event too', (syscall) => {
    expect(mapped({ Operation: 'Network', Resource: 'protocol=TCP', Data: `syscall=${syscall}` }).operation).toBe(AccessOperation.NETWORK);
  });

  test('capability event → CAPABILITY with the capability from Resource', () => {
    const m = mapped({ Operation: 'Capabilities', Resource: 'CAP_NET_RAW', Data: 'syscall=SYS_CAPABLE' });
    expect([m.operation, m.request.capability]).toEqual([AccessOperation.CAPABILITY, 'net_raw']);
  });

  test.each([
    ['lsm=SECURITY_FILE_OPEN', 'File', '/etc/x', AccessOperation.WRITE],
    ['lsm=SECURITY_PATH_UNLINK', 'File', '/etc/x', AccessOperation.DELETE],
    ['lsm=SECURITY_PATH_MKDIR', 'File', '/etc/x', AccessOperation.MKDIR],
    ['lsm=SECURITY_PATH_RENAME', 'File', '/etc/x', AccessOperation.RENAME],
    ['lsm=SECURITY_PATH_CHMOD', 'File', '/etc/x', AccessOperation.CHMOD],
    ['lsm=SECURITY_PATH_TRUNCATE', 'File', '/etc/x', AccessOperation.TRUNCATE],
    ['lsm=SECURITY_BPRM_CHECK', 'Process', '/usr/bin/x', AccessOperation.EXEC],
    ['lsm=SECURITY_SOCKET_CREATE TCP', 'Network', 'TCP', AccessOperation.NETWORK],
    ['lsm=SECURITY_CAPABLE CAP_SYS_ADMIN', 'Capabilities', 'CAP_SYS_ADMIN', AccessOperation.CAPABILITY],
  ])('BPF-LSM hook %s → %s', (data, operation, resource, op) => {
    expect(mapped({ Operation: operation, Resource: resource, ProcessName: operation === 'Process' ? resource : '/bin/sh', Data: data }).operation).toBe(op);
  });

  test('the pod comes from NamespaceName, Labels and ContainerName; the workload from Owner', () => {
    const m = mapped({ Operation: 'File', Resource: '/etc/x', Data: 'syscall=SYS_UNLINK', Owner: { Ref: 'Deployment', Namespace: 'shop', Name: 'web' } });
    expect([m.request.namespace, m.request.labels, m.request.container, m.request.node, m.workload]).toEqual(['shop', { app: 'web', tier: 'front' }, 'web', undefined, 'Deployment shop/web']);
  });

  test('a record without Owner names the pods by namespace and labels', () => {
    expect(mapped({ Operation: 'File', Resource: '/etc/x', Data: 'syscall=SYS_UNLINK' }).workload).toBe('pods shop {app=web,tier=front}');
  });

  test('host events (MatchedHostPolicy / HostLog, or no namespace) take the node from HostName', () => {
    for (const extra of [{ Type: 'HostLog', NamespaceName: '' }, { Type: 'MatchedHostPolicy', PolicyName: 'hsp', Action: 'Block' }, { NamespaceName: '' }]) {
      const m = mapped({ Operation: 'File', Resource: '/etc/x', Data: 'syscall=SYS_UNLINK', HostName: 'node-1', ...extra });
      expect([m.request.node, m.request.namespace, m.request.labels, m.workload]).toEqual(['node-1', undefined, undefined, 'host node-1']);
    }
  });

  test('alerts keep PolicyName and Action; Permission denied is an observed denial; UID and OID are kept', () => {
    const m = mapped({ Type: 'MatchedPolicy', PolicyName: 'fim', Action: 'Block', Result: 'Permission denied', Operation: 'File', Resource: '/etc/x', Data: 'syscall=SYS_UNLINK', UID: 33, OID: 0 });
    expect(m.observed).toEqual({ alert: true, policyName: 'fim', action: 'Block', result: 'Permission denied', denied: true });
    expect([m.request.uid, m.request.ownerUid]).toEqual([33, 0]);
  });

  test('UpdatedTime (else Timestamp) gives the time; times compare as instants and print as ISO 8601', () => {
    expect(mapped({ Operation: 'File', Resource: '/etc/x', Data: 'syscall=SYS_UNLINK', UpdatedTime: '2023-10-03T06:56:50.829165Z' }).time).toBe('2023-10-03T06:56:50.829165Z');
    expect(mapped({ Operation: 'File', Resource: '/etc/x', Data: 'syscall=SYS_UNLINK', Timestamp: 1696316210 }).time).toBe('2023-10-03T06:56:50.000Z');
    expect(isoTime('2023-10-03T06:56:50.829165Z')).toBe('2023-10-03T06:56:50.829Z');
    expect(isoTime('yesterday')).toBe('yesterday');
    expect(earlier('2023-10-03T06:56:50.829165Z', '2023-10-03T06:56:51.000001Z')).toBe(true);
    expect(earlier('2023-10-03T06:56:50.5Z', '2023-10-03T06:56:50Z')).toBe(false); // different lengths: parsed, not compared as text
    expect(earlier('2023-10-03T06:56:50Z', '2023-10-03T06:56:50.5Z')).toBe(true);
    expect(earlier('2023-10-03T08:56:50+02:00', '2023-10-03T06:56:51Z')).toBe(true);
  });

  test('records differing only in time, PIDs and pod name share a raw key; any mapped field changes it', () => {
    const base = { ...pod, Operation: 'File', Resource: '/etc/x', Data: 'syscall=SYS_UNLINK', Owner: { Ref: 'Deployment', Namespace: 'shop', Name: 'web' } };
    const key = rawKeyOf(base);
    expect(rawKeyOf({ ...base, UpdatedTime: 'x', Timestamp: 1, PID: 7, HostPID: 8, PodName: 'web-1' })).toBe(key);
    for (const f of ['Type', 'Operation', 'Data', 'Resource', 'ProcessName', 'ParentProcessName', 'NamespaceName', 'Labels', 'ContainerName', 'HostName', 'UID', 'OID', 'PolicyName', 'Action', 'Result']) {
      expect([f, rawKeyOf({ ...base, [f]: 'other' }) === key]).toEqual([f, false]);
    }
    expect(rawKeyOf({ ...base, Owner: { Ref: 'StatefulSet', Namespace: 'shop', Name: 'web' } }) === key).toBe(false);
    expect(rawKeyOf({ ...base, UID: '0' }) === key).toBe(false); // a string is not the number
    expect(rawKeyOf([base])).toBeUndefined();
  });

  test('labels parse as k=v pairs', () => {
    expect(parseLabels('app=mysql,cdk8s.io/metadata.addr=a-b-c')).toEqual({ 'app': 'mysql', 'cdk8s.io/metadata.addr': 'a-b-c' });
  });
});

describe('telemetry records that cannot be replayed: one reason each', () => {
  const file = { ...pod, Operation: 'File', Resource: '/etc/x' };
  test.each([
    ['fails when the record is not an object', 'text', 'not a JSON object'],
    ['fails when the record is an array', [1], 'not a JSON object'],
    ['fails when Operation is missing', { ...pod, Resource: '/x' }, 'no Operation field'],
    ['fails when Operation is not replayed', { ...pod, Operation: 'Syscall' }, "Operation 'Syscall' is not replayed (File, Process, Network and Capabilities are)"],
    ['fails when the syscall is unknown', { ...file, Data: 'syscall=SYS_PTRACE' }, "unknown syscall 'syscall=SYS_PTRACE'"],
    ['fails when the LSM hook is unknown', { ...file, Data: 'lsm=SECURITY_INODE_GETATTR' }, "unknown LSM hook 'lsm=SECURITY_INODE_GETATTR'"],
    ['fails when a File event has no syscall', { ...file, Data: '' }, 'File event without syscall= or lsm= in Data'],
    ['fails when an open has no flags', { ...file, Data: 'syscall=SYS_OPEN' }, 'open without flags= in Data: the access mode is unknown'],
    ['fails when open flags carry no access mode', { ...file, Data: 'syscall=SYS_OPEN flags=O_CLOEXEC' }, "open flags 'O_CLOEXEC' carry no access mode"],
    ['fails when a File event names a non-file syscall', { ...file, Data: 'syscall=SYS_EXECVE' }, "Operation File with 'EXECVE', which is not a file syscall"],
    ['fails when a Process event names a non-exec syscall', { ...pod, Operation: 'Process', ProcessName: '/bin/x', Data: 'syscall=SYS_UNLINK' }, "Operation Process with 'UNLINK', which is not an exec"],
    ['fails when the path is missing', { ...file, Resource: '', Data: 'syscall=SYS_UNLINK' }, 'no Resource path'],
    ['fails when the path is relative', { ...file, Resource: 'etc/x', Data: 'syscall=SYS_UNLINK' }, "path 'etc/x' is not absolute"],
    ['fails when a network event names no protocol', { ...pod, Operation: 'Network', Resource: 'domain=AF_UNIX', Data: 'syscall=SYS_SOCKET' }, "network Resource 'domain=AF_UNIX' names no protocol KubeArmor matches"],
    ['fails when a capability event names no capability', { ...pod, Operation: 'Capabilities', Resource: '12', Data: 'syscall=SYS_CAPABLE' }, "capability event without CAP_* in Resource '12'"],
    ['fails when the workload is unknown', { ...file, NamespaceName: '', Data: 'syscall=SYS_UNLINK' }, 'unknown workload: no NamespaceName (container) and no HostName (host)'],
    ['fails when a host event has no HostName', { ...file, Type: 'HostLog', Data: 'syscall=SYS_UNLINK' }, 'unknown workload: host event without HostName'],
  ])('%s', (_name, record, expected) => {
    expect(reason(record)).toBe(expected);
  });

  test('fails when a value is long: it is cut in the reason', () => {
    expect(reason({ ...file, Data: `syscall=SYS_${'X'.repeat(100)}` })).toBe(`unknown syscall 'syscall=SYS_${'X'.repeat(45)}...'`);
  });
});
