import { envFlag } from '../../src/private/env';

describe('boolean environment flags', () => {
  test.each([undefined, '', '0', 'false', 'no', 'off', 'FALSE', ' No '])('%j is off', (v) => {
    expect(envFlag('CDK8S_KUBEARMOR_QUIET', v === undefined ? {} : { CDK8S_KUBEARMOR_QUIET: v })).toBe(false);
  });
  test.each(['1', 'true', 'yes', 'on', 'TRUE', ' Yes '])('%j is on', (v) => {
    expect(envFlag('CDK8S_KUBEARMOR_QUIET', { CDK8S_KUBEARMOR_QUIET: v })).toBe(true);
  });
  test.each(['2', 'quiet', 'y', 'enable'])('%j is refused with the variable, the value and the accepted spellings', (v) => {
    expect(() => envFlag('CDK8S_KUBEARMOR_QUIET', { CDK8S_KUBEARMOR_QUIET: v })).toThrow(new Error(
      `environment: CDK8S_KUBEARMOR_QUIET '${v}' is not a boolean; set it to 1, true, yes or on (lint warnings are not printed at synth), `
      + 'or to 0, false, no, off or empty (the default), or unset it'));
  });
});
