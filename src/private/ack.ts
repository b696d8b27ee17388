/**
 * The annotation prefix that carries an acknowledgement into the manifest (`<prefix><lint ID>: <reason>`).
 * A module of its own so that the constructs can use it without loading the lints.
 */
export const ACK_ANNOTATION_PREFIX = 'lint.cdk8s-kubearmor.io/acknowledge.';
