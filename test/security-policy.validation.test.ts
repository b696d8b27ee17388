import { App, Chart } from 'cdk8s';
import {
  Capability, DeviceClass, NetworkProtocol, PolicyAction, PolicyPreset, PolicySection, PolicyTarget, SecurityPolicy, Syscall,
} from './util/model';

/** A policy at construct path `shop/policy`. */
function policy(target: PolicyTarget = PolicyTarget.namespace()): SecurityPolicy {
  return new SecurityPolicy(new Chart(new App(), 'shop', { namespace: 'shop' }), 'policy', { target });
}
const host = () => policy(PolicyTarget.nodes({ role: 'worker' }));
const cluster = () => policy(PolicyTarget.allNamespaces());
const withProps = (props: Partial<ConstructorParameters<typeof SecurityPolicy>[2]>) => () =>
  new SecurityPolicy(new Chart(new App(), 'shop', { namespace: 'shop' }), 'policy', { target: PolicyTarget.namespace(), ...props });

const A200 = '/' + 'a'.repeat(199);
const GLOB_WHY = 'contains glob characters (BPF-LSM matches them literally, AppArmor expands them: the enforcers disagree); '
  + 'use a pattern rule (matchPatterns, AppArmor only) or list the concrete paths / a recursive directory';
const LIMIT = 'is 201 characters long (KubeArmor\'s limit is 200: BPF-LSM map keys are 200 bytes); protect a shorter ancestor directory instead';
const SEVERITY = 'must be an integer from 1 to 10; use 1 (least) to 10 (most severe)';
const HOST_FROM_SOURCE = (list: string) => `shop/policy: ${list}[].fromSource undefined is required; KubeArmorHostPolicy ${list} rules must name the `
  + 'source binaries (fromSource); add fromSource: [{ path: \'/usr/bin/app\' }]';

// [what fails, the call, the exact message]
const cases: Array<[string, () => unknown, string]> = [
  // directories: absolute, ending in '/', at most 200 characters, no globs
  ['a dir is relative', () => policy().addFileDirectory('var/log'), 'shop/policy: file.matchDirectories[].dir \'var/log\' must be absolute and end in \'/\'; use \'/var/log/\''],
  ['a dir is relative but ends in /', () => policy().addFileDirectory('var/log/'), 'shop/policy: file.matchDirectories[].dir \'var/log/\' must be absolute; use \'/var/log/\''],
  ['a dir does not end in /', () => policy().addFileDirectory('/var/log'),
    'shop/policy: file.matchDirectories[].dir \'/var/log\' must end in \'/\' (a directory); use \'/var/log/\', or a file rule (matchPaths) for a single file'],
  ['a process dir does not end in /', () => policy().addProcessDirectory('/usr/bin'),
    'shop/policy: process.matchDirectories[].dir \'/usr/bin\' must end in \'/\' (a directory); use \'/usr/bin/\', or a file rule (matchPaths) for a single file'],
  ['a dir is longer than 200 characters', () => policy().addFileDirectory(`${A200}/`), `shop/policy: file.matchDirectories[].dir '${A200.slice(0, 60)}…' (201 characters) ${LIMIT}`],
  ['a dir holds glob characters', () => policy().addFileDirectory('/etc/{a,b}/'), `shop/policy: file.matchDirectories[].dir '/etc/{a,b}/' ${GLOB_WHY}`],
  // paths: absolute, not ending in '/', at most 200 characters, no globs, no control characters
  ['a path is relative', () => policy().addFilePath('etc/passwd'), 'shop/policy: file.matchPaths[].path \'etc/passwd\' must be absolute; use \'/etc/passwd\''],
  ['a path ends in /', () => policy().addFilePath('/etc/'),
    'shop/policy: file.matchPaths[].path \'/etc/\' must not end in \'/\' (a file path); use a directory rule (matchDirectories) with dir \'/etc/\', or the file path \'/etc\''],
  ['a path is /', () => policy().addFilePath('/'), 'shop/policy: file.matchPaths[].path \'/\' must not end in \'/\' (a file path); use a directory rule with dir \'/\''],
  ['a process path ends in /', () => policy().addProcessPath('/usr/bin/'),
    'shop/policy: process.matchPaths[].path \'/usr/bin/\' must not end in \'/\' (a file path); use a directory rule (matchDirectories) with dir \'/usr/bin/\', or the file path \'/usr/bin\''],
  ['a path is longer than 200 characters', () => policy().addFilePath(`${A200}a`), `shop/policy: file.matchPaths[].path '${A200.slice(0, 60)}…' (201 characters) ${LIMIT}`],
  ['a path holds glob characters', () => policy().addFilePath('/etc/*.conf'), `shop/policy: file.matchPaths[].path '/etc/*.conf' ${GLOB_WHY}`],
  ['a fromSource path holds glob characters', () => policy().addFilePath('/etc/x', { fromSource: ['/bin/?sh'] }),
    `shop/policy: file.matchPaths[].fromSource[0].path '/bin/?sh' ${GLOB_WHY}`],
  ['a fromSource path is relative', () => policy().addFileDirectory('/etc/', { fromSource: ['bin/sh'] }),
    'shop/policy: file.matchDirectories[].fromSource[0].path \'bin/sh\' must be absolute; use \'/bin/sh\''],
  ['fromSource is empty', () => policy().addFilePath('/etc/x', { fromSource: [] }),
    'shop/policy: file.matchPaths[].fromSource [] is empty; omit fromSource to match every process, or list at least one source binary'],
  ['a path holds a newline', () => policy().addFilePath('/etc/x\n'),
    'shop/policy: file.matchPaths[].path \'/etc/x\\u000a\' contains a control character; remove newlines and control characters'],
  ['a syscall path is relative', () => policy().addSyscallPath('etc'), 'shop/policy: syscalls.matchPaths[].path \'etc\' must be absolute; use \'/etc\''],
  ['a syscall source names nothing', () => policy().addSyscalls([Syscall.OPEN], { fromSource: [{}] }),
    'shop/policy: syscalls.matchSyscalls[].fromSource[0] {} names no source; set path (an executable) or dir (a directory of executables)'],
  ['a syscall source dir does not end in /', () => policy().addSyscalls([Syscall.OPEN], { fromSource: [{ dir: '/x' }] }),
    'shop/policy: syscalls.matchSyscalls[].fromSource[0].dir \'/x\' must end in \'/\' (a directory); use \'/x/\', or a file rule (matchPaths) for a single file'],
  ['a syscall rule lists no syscall', () => policy().addSyscalls([]),
    'shop/policy: syscalls.matchSyscalls[].syscall [] must list at least one syscall; use [\'unlink\', \'unlinkat\']'],
  ['a pattern is relative', () => policy().addFilePattern('tmp/*'), 'shop/policy: file.matchPatterns[].pattern \'tmp/*\' must be absolute; use \'/tmp/*\''],
  ['a pattern is empty', () => policy().addProcessPattern(''),
    'shop/policy: process.matchPatterns[].pattern \'\' must be a non-empty glob pattern; use an AppArmor glob such as \'/tmp/**\''],
  // severity: an integer from 1 to 10, at every level
  ['a rule severity is 0', () => policy().addFilePath('/etc/x', { severity: 0 }), `shop/policy: file.matchPaths[].severity 0 ${SEVERITY}`],
  ['a rule severity is 11', () => policy().addFilePath('/etc/x', { severity: 11 }),
    'shop/policy: file.matchPaths[].severity 11 must be an integer from 1 to 10; use 10 (the most severe)'],
  ['a rule severity is 1.5', () => policy().addFilePath('/etc/x', { severity: 1.5 }), `shop/policy: file.matchPaths[].severity 1.5 ${SEVERITY}`],
  ['a section severity is 0', () => policy().configureSection(PolicySection.FILE, { severity: 0 }), `shop/policy: file.severity 0 ${SEVERITY}`],
  ['the spec severity is 11', withProps({ severity: 11 }), 'shop/policy: severity 11 must be an integer from 1 to 10; use 10 (the most severe)'],
  // actions (cast: the enum prevents this in TypeScript, not in JavaScript or YAML-driven code)
  ['a rule action is lowercase', () => policy().addFilePath('/etc/x', { action: 'block' as PolicyAction }),
    'shop/policy: file.matchPaths[].action \'block\' is not a KubeArmor action; use \'Block\' (the CRD is case-sensitive)'],
  ['the spec action is lowercase', withProps({ action: 'audit' as PolicyAction }),
    'shop/policy: action \'audit\' is not a KubeArmor action; use \'Audit\' (the CRD is case-sensitive)'],
  ['a preset action is unknown', () => policy().addPreset(PolicyPreset.EXEC, { action: 'Deny' as PolicyAction }),
    'shop/policy: presets[].action \'Deny\' is not a KubeArmor action; use Allow, Audit or Block'],
  ['the syscalls section has an action', () => policy().configureSection(PolicySection.SYSCALLS, { action: PolicyAction.BLOCK }),
    'shop/policy: syscalls.action \'Block\' is not accepted here; syscall rules always audit; remove the action'],
  // capability and protocol names
  ['a capability is written CAP_NET_RAW', () => policy().addCapability('CAP_NET_RAW' as Capability),
    'shop/policy: capabilities.matchCapabilities[].capability \'CAP_NET_RAW\' is not a KubeArmor capability; use \'net_raw\' (lowercase, without CAP_)'],
  ['a capability is unknown', () => policy().addCapability('net_rawx' as Capability),
    'shop/policy: capabilities.matchCapabilities[].capability \'net_rawx\' is not a KubeArmor capability; use one of chown, dac_override, dac_read_search, fowner, fsetid, kill, ... (the Capability enum)'],
  ['a comma list holds an unknown capability', () => policy().addCapability('net_raw,bogus' as Capability),
    'shop/policy: capabilities.matchCapabilities[].capability \'net_raw,bogus\' is not a KubeArmor capability (\'bogus\'); use one of chown, dac_override, dac_read_search, fowner, fsetid, kill, ... (the Capability enum)'],
  ['a protocol is unknown', () => policy().addNetworkProtocol('tcpx' as NetworkProtocol),
    'shop/policy: network.matchProtocols[].protocol \'tcpx\' is not a KubeArmor protocol; use one of tcp, udp, raw, icmp, icmpv6, sctp, stream, dgram, rdm, seqpacket, dccp, packet, all'],
  ['a protocol is mixed case', () => policy().addNetworkProtocol('Tcp' as NetworkProtocol),
    'shop/policy: network.matchProtocols[].protocol \'Tcp\' is not a KubeArmor protocol; use \'tcp\''],
  // process rules
  ['execname holds a /', () => policy().addProcessExecname('/usr/bin/apt'),
    'shop/policy: process.matchPaths[].execname \'/usr/bin/apt\' must be a base name without \'/\'; use execname \'apt\' or a path rule with path \'/usr/bin/apt\''],
  ['execname is empty', () => policy().addProcessExecname(''),
    'shop/policy: process.matchPaths[].execname \'\' must be a non-empty executable name; use a base name such as \'apt\''],
  ['a process rule has neither path nor execname', withProps({ processPaths: [{}] }),
    'shop/policy: process.matchPaths[].path undefined is required (or execname); set path or execname'],
  ['allowedArgs has 21 entries', () => policy().addProcessPath('/bin/x', { allowedArgs: Array.from({ length: 21 }, (_, i) => `-${i}`) }),
    `shop/policy: process.matchPaths[].allowedArgs ${JSON.stringify(Array.from({ length: 21 }, (_, i) => `-${i}`)).slice(0, 60)}… (117 characters) has 21 entries (the CRD allows at most 20); split the rule or allow fewer arguments`],
  // names, tags, messages
  ['the policy name is not DNS-1123', withProps({ policyName: 'Harden_MySQL' }),
    'shop/policy: policyName \'Harden_MySQL\' is not a DNS-1123 name (lowercase letters, digits, \'-\' and \'.\', starting and ending alphanumeric, at most 253 characters); use \'harden-mysql\''],
  ['a tag holds a comma', () => policy().addFilePath('/etc/x', { tags: ['A,B'] }),
    'shop/policy: file.matchPaths[].tags[0] \'A,B\' contains a comma (KubeArmor joins tags with commas in alerts); split it into \'A\', \'B\''],
  ['a spec tag is empty', () => policy().addTags(['']), 'shop/policy: tags[0] \'\' must be a non-empty string; remove the empty tag'],
  ['a message is blank', () => policy().addFilePath('/etc/x', { message: ' ' }),
    'shop/policy: file.matchPaths[].message \' \' must be a non-empty string; describe what the alert means'],
  ['appArmor is blank', withProps({ appArmor: ' ' }), 'shop/policy: appArmor \' \' is empty; omit appArmor'],
  ['a domain holds whitespace', () => policy().addDnsQuery('a b'), 'shop/policy: network.matchDNSQueries[].domain \'a b\' contains whitespace; use one domain per rule'],
  // kind-specific rules
  ['a host capability rule has no fromSource', () => host().addCapability(Capability.NET_RAW), HOST_FROM_SOURCE('capabilities.matchCapabilities')],
  ['a host network rule has no fromSource', () => host().addNetworkProtocol(NetworkProtocol.TCP), HOST_FROM_SOURCE('network.matchProtocols')],
  ['a host network rule sets pts', () => host().addNetworkProtocol(NetworkProtocol.TCP, { pts: true, fromSource: ['/bin/x'] }),
    'shop/policy: network.matchProtocols[].pts \'pts\' is not declared by the CRD (the apiserver would silently prune it); remove it; allowed here: protocol, fromSource, action, severity, tags, message'],
  ['a host policy gets a preset', () => host().addPreset(PolicyPreset.EXEC),
    'shop/policy: presets \'exec\' are not accepted by KubeArmorHostPolicy; use a PolicyTarget for pods (workload, podLabels, namespace, namespaces, allNamespaces)'],
  ['a pod policy gets a device rule', () => policy().addDevice(DeviceClass.HID),
    'shop/policy: device rules exist only in host policies (KubeArmorHostPolicy), not in KubeArmorPolicy; use PolicyTarget.nodes({...})'],
  ['a cluster policy gets a device rule', () => cluster().addDevice(DeviceClass.HID),
    'shop/policy: device rules exist only in host policies (KubeArmorHostPolicy), not in KubeArmorClusterPolicy; use PolicyTarget.nodes({...})'],
  ['a pod policy configures the device section', () => policy().configureSection(PolicySection.DEVICE, { severity: 1 }),
    'shop/policy: device rules exist only in host policies (KubeArmorHostPolicy), not in KubeArmorPolicy; use PolicyTarget.nodes({...})'],
  ['a cluster policy targets containers', () => PolicyTarget.allNamespaces().inContainers(['main']),
    'PolicyTarget.inContainers: containers ["main"] cannot restrict a KubeArmorClusterPolicy; KubeArmor supports container targeting only in KubeArmorPolicy selectors (matchLabels)'],
  ['a device level is 0', () => host().addDevice(DeviceClass.HID, { level: 0 }), 'shop/policy: device.matchDevice[].level 0 must be an integer >= 1; use 1 for the device itself'],
  ['a device subClass is 1.5', () => host().addDevice(DeviceClass.HID, { subClass: 1.5 }),
    'shop/policy: device.matchDevice[].subClass 1.5 must be a 32-bit integer; use a USB code such as 6'],
  // untracked namespaces
  ['the policy chart is kube-system', () => new SecurityPolicy(new Chart(new App(), 'shop', { namespace: 'kube-system' }), 'policy', { target: PolicyTarget.namespace() }),
    'shop/policy: namespace \'kube-system\' is untracked by KubeArmor: policies there are never enforced ("Policy cannot be enforced in untracked namespace"); '
    + 'protect workloads in another namespace, or remove the namespace from KubeArmor\'s untrackedNs setting first'],
  ['the target namespace is kubearmor', () => PolicyTarget.namespace('kubearmor'),
    'PolicyTarget.namespace: namespace \'kubearmor\' is untracked by KubeArmor: policies there are never enforced ("Policy cannot be enforced in untracked namespace"); '
    + 'protect workloads in another namespace, or remove the namespace from KubeArmor\'s untrackedNs setting first'],
  // value classes
  ['a syscall name is unknown', () => Syscall.of('opn'), 'syscall \'opn\' is not in the KubeArmor CRD\'s syscall enum; use the lowercase x86_64 name, e.g. \'openat\''],
  ['a preset name has a space', () => PolicyPreset.custom('bad name'), 'preset name \'bad name\' is not a KubeArmor preset identifier; use a name such as \'filelessExec\''],
  ['a device class has a space', () => DeviceClass.custom('a b'), 'device class \'a b\' must be a non-empty name without spaces, e.g. \'MASS-STORAGE\''],
];

describe('validation at the call', () => {
  test.each(cases)('fails when %s', (_what, call, message) => {
    expect(call).toThrow(new Error(message));
  });

  test('every construct-level message starts with the construct path', () => {
    for (const [, call, message] of cases) {
      if (!/^(PolicyTarget|syscall|preset|device class)/.test(message)) expect(message.startsWith('shop/policy: ')).toBe(true);
      expect(call).toThrow();
    }
  });

  test('constructor props are validated like the methods', () => {
    expect(withProps({ fileDirectories: [{ dir: '/etc' }] })).toThrow(new Error(
      'shop/policy: file.matchDirectories[].dir \'/etc\' must end in \'/\' (a directory); use \'/etc/\', or a file rule (matchPaths) for a single file'));
    expect(withProps({ sections: [{ section: PolicySection.SYSCALLS, action: PolicyAction.AUDIT }] })).toThrow(new Error(
      'shop/policy: syscalls.action \'Audit\' is not accepted here; syscall rules always audit; remove the action'));
  });

  test('a refused rule is not added', () => {
    const p = policy();
    expect(() => p.addFileDirectory('/etc')).toThrow();
    expect(p.fileDirectories).toEqual([]);
  });

  test.each([
    ['a path of exactly 200 characters', () => policy().addFilePath(A200)],
    ['a dir of exactly 200 characters', () => policy().addFileDirectory(`${A200.slice(0, 199)}/`)],
    ['the root dir', () => policy().addFileDirectory('/')],
    ['libstdc++ (issue #641)', () => policy().addFilePath('/usr/lib/libstdc++.so.6')],
    ['severities 1 and 10', () => policy().addFilePath('/etc/x', { severity: 1 }) ?? policy().addFilePath('/etc/x', { severity: 10 })],
    ['an upper-case protocol (the CRD accepts it)', () => policy().addNetworkProtocol('TCP' as NetworkProtocol)],
    ['a comma list of capabilities (KubeArmor expands it)', () => policy().addCapability('net_raw,sys_admin' as Capability)],
    ['20 allowedArgs', () => policy().addProcessPath('/bin/x', { allowedArgs: Array.from({ length: 20 }, (_, i) => `-${i}`) })],
    ['globs in a pattern rule', () => policy().addFilePattern('/etc/*.conf')],
  ])('accepts %s', (_what, call) => {
    expect(call).not.toThrow();
  });
});
