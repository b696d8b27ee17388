import { DeviceClass, PolicyPreset } from './util/model';

describe('PolicyPreset and DeviceClass', () => {
  test('the presets KubeArmor knows', () => {
    expect([PolicyPreset.FILELESS_EXEC, PolicyPreset.EXEC, PolicyPreset.PROTECT_ENV, PolicyPreset.PROTECT_PROC, PolicyPreset.ANONYMOUS_MAP_EXEC]
      .map((p) => p.name)).toEqual(['filelessExec', 'exec', 'protectEnv', 'protectProc', 'anonymousMapExec']);
    expect(PolicyPreset.custom('futurePreset').name).toBe('futurePreset');
  });

  test('fails when a custom preset is not an identifier', () => {
    expect(() => PolicyPreset.custom('1x')).toThrow(new Error('preset name \'1x\' is not a KubeArmor preset identifier; use a name such as \'filelessExec\''));
  });

  test('device classes', () => {
    expect([DeviceClass.MASS_STORAGE.name, DeviceClass.COMMUNICATION_CDC.name, DeviceClass.custom('VENDOR').name])
      .toEqual(['MASS-STORAGE', 'COMMUNICATION-CDC', 'VENDOR']);
  });

  test('fails when a custom device class is empty', () => {
    expect(() => DeviceClass.custom('')).toThrow(new Error('device class \'\' must be a non-empty name without spaces, e.g. \'MASS-STORAGE\''));
  });
});
