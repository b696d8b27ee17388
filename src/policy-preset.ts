/**
 * A KubeArmor runtime preset (`spec.presets[].name`). Presets take effect only under the BPF-LSM
 * preset modules; host policies do not accept presets.
 */
export class PolicyPreset {
  /** Block or audit execution of memory-backed (fileless) executables. */
  public static readonly FILELESS_EXEC = new PolicyPreset('filelessExec');
  /** The exec preset. */
  public static readonly EXEC = new PolicyPreset('exec');
  /** Protect the process environment (`/proc/<pid>/environ`). */
  public static readonly PROTECT_ENV = new PolicyPreset('protectEnv');
  /** Protect `/proc` entries of other processes. */
  public static readonly PROTECT_PROC = new PolicyPreset('protectProc');
  /** Block or audit execution from anonymous memory mappings. */
  public static readonly ANONYMOUS_MAP_EXEC = new PolicyPreset('anonymousMapExec');

  /**
   * A preset name this library does not know yet (newer KubeArmor releases).
   * @param name the preset name exactly as KubeArmor spells it
   */
  public static custom(name: string): PolicyPreset {
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
      throw new Error(`preset name '${name}' is not a KubeArmor preset identifier; use a name such as 'filelessExec'`);
    }
    return new PolicyPreset(name);
  }

  private constructor(/** The preset name as emitted. */ public readonly name: string) {}
}
