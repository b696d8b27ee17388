/**
 * The BPF-LSM rule map as data (src/simulator/private/bpf-maps.ts), against
 * enforcer/bpflsm/rulesHandling.go and BPF/*.c of KubeArmor@510cee3.
 */
import { hsp, ksp } from './helpers';
import { argumentsMatch, buildBpfMaps, describeBpfMaps, lookupFile } from '../../src/simulator/private/bpf-maps';
import { compilePolicies } from '../../src/simulator/private/compile';
import { expectConformant } from '../conformance/harness';

const POSTURES = { file: 'block', network: 'audit', capabilities: 'audit' };

function maps(manifests: any[], conformant = true) {
  if (conformant) expectConformant(manifests);
  return buildBpfMaps(compilePolicies(manifests).flatMap((p) => p.rules), POSTURES);
}

describe('UpdateContainerRules', () => {
  test('dirtoMap keys: the dir without its slash, the DIR key, a HINT per ancestor (rulesHandling.go:641-681)', () => {
    const m = maps([ksp('p', { action: 'Block', file: { matchDirectories: [{ dir: '/a/b/', recursive: true, readOnly: true }] } })]);
    // READ=0x4 RECURSIVE=0x20 DENY=0x80; DIR=0x10; HINT=0x40
    expect(describeBpfMaps(m)).toEqual([
      '|/ process=0x0 file=0xe4',
      '|/a/ process=0x0 file=0xe4',
      '|/a/b process=0x0 file=0xa4',
      '|/a/b/ process=0x0 file=0xb4',
    ]);
    expect(m.keyCount).toBe(4);
  });

  test('a HINT key over an existing DIR key keeps its flags, and the rule they came from decides there (rulesHandling.go:674-677)', () => {
    const m = maps([ksp('p', { action: 'Block', file: { matchDirectories: [{ dir: '/a/', readOnly: true }, { dir: '/a/b/c/', recursive: true, readOnly: true }] } })]);
    expect(describeBpfMaps(m)).toEqual([
      '|/ process=0x0 file=0xe4',
      '|/a process=0x0 file=0x84',
      '|/a/ process=0x0 file=0xd4',
      // val keeps the /a/ flags (minus DIR) for the deeper HINT, as the Go code does
      '|/a/b/ process=0x0 file=0xc4',
      '|/a/b/c process=0x0 file=0xa4',
      '|/a/b/c/ process=0x0 file=0xb4',
    ]);
    const hit = lookupFile(m, '/a/kubearmor-probe', undefined);
    expect(hit.match).toBe(true);
    expect(hit.entry?.fileRule?.value).toBe('/a/');
  });

  test('process and file rules share keys; fuseProcAndFileRules copies the process half (rulesHandling.go:581-588)', () => {
    const m = maps([ksp('p', { action: 'Block', process: { matchPaths: [{ path: '/bin/x' }] }, file: { matchPaths: [{ path: '/bin/x', readOnly: true }] } })]);
    expect(describeBpfMaps(m)).toEqual(['|/bin/x process=0x81 file=0x84']);
  });

  test('execname is the key itself; ownerOnly, allowedArgs and fromSource set their bits and keys (rulesHandling.go:124-183)', () => {
    const m = maps([ksp('p', { action: 'Allow', process: { matchPaths: [{ execname: 'nc', ownerOnly: true }, { path: '/usr/bin/curl', allowedArgs: ['-s'], fromSource: [{ path: '/bin/sh' }] }] } })]);
    expect(describeBpfMaps(m)).toEqual(['/bin/sh|/usr/bin/curl process=0x101 file=0x0', 'PROCWHITELIST 141', '|nc process=0x9 file=0x0']);
    expect(m.args.get('/bin/sh\u0000/usr/bin/curl')).toEqual(['-s']);
  });

  test('Audit rules and patterns are not written; the whitelist keys count (rulesHandling.go:145-151, 452-512)', () => {
    const m = maps([ksp('p', { action: 'Audit', file: { matchPaths: [{ path: '/etc/x' }], matchPatterns: [{ pattern: '/tmp/*' }] } }), ksp('q', { action: 'Allow', file: { matchPaths: [{ path: '/app/y' }] } })]);
    expect(describeBpfMaps(m)).toEqual(['FILEWHITELIST 141', '|/app/y process=0x0 file=0x6']);
    expect(m.keyCount).toBe(2);
  });

  test('network `all` expands to one key per socket type (rulesHelper.go:12-90); capabilities one key each', () => {
    const m = maps([ksp('p', { action: 'Block', network: { matchProtocols: [{ protocol: 'all' }, { protocol: 'tcp' }] }, capabilities: { matchCapabilities: [{ capability: 'net_raw' }] } })]);
    // the zero key of `all` itself, 7 socket types, tcp, net_raw
    expect(m.keyCount).toBe(10);
  });

  test('12. a dir without trailing "/" is stored without slash and never found by the prefix scan (rulesHandling.go:646-663)', () => {
    // Not CRD-valid on purpose: KubeArmor also takes host policies over gRPC, which no CRD validates.
    const m = maps([hsp('h', { nodeSelector: { matchLabels: { a: 'b' } }, action: 'Block', file: { matchDirectories: [{ dir: '/etc/app', recursive: true }] } })], false);
    // "the directory itself" is paths[0:len-1] = "/etc": a file key on the parent
    expect(describeBpfMaps(m)).toEqual(['|/ process=0x0 file=0xe6', '|/etc process=0x0 file=0xa6', '|/etc/app process=0x0 file=0xb6']);
    expect(lookupFile(m, '/etc/app/config', '/bin/cat').match).toBe(false);
    expect(lookupFile(m, '/etc/app', '/bin/cat').match).toBe(true);
  });
});

describe('matchArguments (BPF/shared.h:1153-1217)', () => {
  test.each<[string[], string[], boolean]>([
    [['-s'], ['curl', '-s'], true],
    [['-s'], ['curl', '-s', '-k'], false],
    [['-s'], ['curl'], false],
    [['curl'], ['curl'], true],
    [['-s', '-k'], ['busybox', '-k', '-s'], true],
  ])('allowed %j, argv %j: %s', (allowed, argv, expected) => {
    expect(argumentsMatch(allowed, argv)).toBe(expected);
  });
});
