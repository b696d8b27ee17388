import { specSchema } from './util/crd';
import { Syscall } from './util/model';
import { KubeArmorPolicySpecSyscallsMatchSyscallsSyscall as L1Syscall } from '../src/imports/kubearmor-security.kubearmor.com';
import { SYSCALL_NAMES } from '../src/private/syscall-names';


describe('Syscall', () => {
  test('constants carry their lowercase names', () => {
    expect([Syscall.OPENAT.name, Syscall.UNLINKAT.name, Syscall.UMOUNT2.name]).toEqual(['openat', 'unlinkat', 'umount2']);
  });

  test('of() accepts any name of the enum', () => {
    expect(Syscall.of('renameat2').name).toBe('renameat2');
  });

  test('fails when the name is not in the enum, with close names when there are some', () => {
    expect(() => Syscall.of('OPENAT')).toThrow(new Error(
      'syscall \'OPENAT\' is not in the KubeArmor CRD\'s syscall enum; did you mean \'open\', \'openat\', \'open_by_handle_at\'?'));
    expect(() => Syscall.of('zzz')).toThrow(new Error(
      'syscall \'zzz\' is not in the KubeArmor CRD\'s syscall enum; use the lowercase x86_64 name, e.g. \'openat\''));
  });
});

describe('Syscall against the CRDs', () => {
  test.each(['KubeArmorPolicy', 'KubeArmorClusterPolicy', 'KubeArmorHostPolicy'])('every constant and every enum name of %s is accepted', (kind) => {
    const spec = specSchema(kind);
    const names: string[] = spec.properties.syscalls.properties.matchSyscalls.items.properties.syscall.items.enum;
    expect(names.length).toBeGreaterThan(300);
    for (const n of names) expect(Syscall.of(n).name).toBe(n);
    const constants = Object.values(Syscall).filter((v) => v instanceof Syscall) as Syscall[];
    for (const c of constants) expect(names).toContain(c.name);
    expect(spec.properties.syscalls.properties.matchPaths.items.properties.syscall.items.enum).toEqual(names);
  });
});

describe('the syscall names (data)', () => {
  test('are exactly the generated CRD enum, in its order', () => {
    expect([...SYSCALL_NAMES]).toEqual(Object.values(L1Syscall));
  });
});
