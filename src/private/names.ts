import { Names } from 'cdk8s';
import { Construct } from 'constructs';
import { policyNameIssues } from './validate';

/**
 * `Names.toDnsLabel` keeps `_` and `.` from construct ids (e.g. `FIM_Policy` gives `fim_policy`), which a
 * DNS-1123 name refuses; such generated names get `-` instead, names that are already valid are kept.
 */
export function defaultPolicyName(scope: Construct): string {
  const name = Names.toDnsLabel(scope);
  if (policyNameIssues(name).length === 0) return name;
  return name.replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '');
}
