/**
 * The typed policy model, imported from its own modules rather than `src/index.ts`, so these suites
 * do not depend on unrelated concepts being re-exported.
 */
export * from '../../src/capability';
export * from '../../src/device-class';
export * from '../../src/network-protocol';
export * from '../../src/policy-action';
export * from '../../src/policy-kind';
export * from '../../src/policy-preset';
export * from '../../src/policy-section';
export * from '../../src/policy-target';
export * from '../../src/rule-options';
export * from '../../src/security-policy';
export * from '../../src/security-policy-props';
export * from '../../src/syscall';
