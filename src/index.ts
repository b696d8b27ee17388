// The public API of cdk8s-kubearmor. This file only re-exports.
export * from './capability';
export * from './device-class';
export * from './lint';
export * from './network-protocol';
export * from './policy-action';
export * from './policy-kind';
export * from './policy-preset';
export * from './policy-section';
export * from './policy-target';
export * from './rule-options';
export * from './security-policy';
export * from './syscall';
export * from './simulator';
export * from './policy-import';
