/**
 * The staged rollout (FileIntegrityPolicy.setRolloutAction / the context key): a private registry keyed
 * by construct, so that no construct needs an internal hook on another. How each policy's spec action
 * was decided travels with the policy model (PolicyModel.specAction).
 */
import { IConstruct } from 'constructs';
import { SpecActionDecision } from './effective';
import { allowRefusal, fail } from './errors';
import { PolicyAction } from '../policy-action';

/** How the action of a policy was decided. */
export interface ActionDecision extends SpecActionDecision {
  readonly action: PolicyAction;
}

export const CONTEXT_KEY = 'cdk8s-kubearmor:fim-action';

const ROLLOUT = new WeakMap<IConstruct, PolicyAction>();

export function setRollout(scope: IConstruct, action: PolicyAction): void {
  ROLLOUT.set(scope, action);
}

/**
 * The nearest setRolloutAction on `scope` or an ancestor, else the context key; undefined when neither is
 * set. Throws (naming `scope` and the refusing construct) when the context key is not Audit or Block.
 */
export function stagedAction(scope: IConstruct, construct: string): ActionDecision | undefined {
  for (let s: IConstruct | undefined = scope; s !== undefined; s = s.node.scope) {
    const a = ROLLOUT.get(s);
    if (a !== undefined) return { action: a, by: 'rollout', origin: `staged rollout set on ${s.node.path || '<app>'}` };
  }
  const ctx = scope.node.tryGetContext(CONTEXT_KEY);
  if (ctx === undefined) return undefined;
  const action = [PolicyAction.AUDIT, PolicyAction.BLOCK].find((a) => typeof ctx === 'string' && a.toLowerCase() === ctx.toLowerCase());
  if (action === undefined) {
    if (typeof ctx === 'string' && ctx.toLowerCase() === 'allow') fail(allowRefusal(scope.node.path, `context ${CONTEXT_KEY}`, construct));
    fail({ where: scope.node.path, field: `context ${CONTEXT_KEY}`, value: ctx, problem: 'is not an action', fix: 'set it to \'Audit\' or \'Block\'' });
  }
  return { action, by: 'rollout', origin: `context ${CONTEXT_KEY}` };
}
