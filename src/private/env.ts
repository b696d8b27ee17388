/**
 * Boolean environment flags of the library (e.g. `CDK8S_KUBEARMOR_QUIET`): `1`, `true`, `yes`, `on` are on;
 * unset, empty, `0`, `false`, `no`, `off` are off (any case, surrounding white space ignored); anything
 * else is refused with the variable, its value and the accepted spellings, never guessed.
 */
import { fail } from './errors';

const ON = new Set(['1', 'true', 'yes', 'on']);
const OFF = new Set(['', '0', 'false', 'no', 'off']);

/** Every boolean flag the library reads, and what it does when on. */
export const ENV_FLAGS = {
  CDK8S_KUBEARMOR_QUIET: 'lint warnings are not printed at synth',
} as const;

export type EnvFlag = keyof typeof ENV_FLAGS;

/** The value of a boolean flag of {@link ENV_FLAGS}. */
export function envFlag(name: EnvFlag, env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env[name];
  if (raw === undefined) return false;
  const v = raw.trim().toLowerCase();
  if (ON.has(v)) return true;
  if (OFF.has(v)) return false;
  return fail({
    where: 'environment',
    field: name,
    value: raw,
    problem: 'is not a boolean',
    fix: `set it to 1, true, yes or on (${ENV_FLAGS[name]}), or to 0, false, no, off or empty (the default), or unset it`,
  });
}
