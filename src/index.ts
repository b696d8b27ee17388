// The public API of cdk8s-kubearmor. This file only re-exports.
