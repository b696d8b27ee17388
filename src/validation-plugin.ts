/**
 * A cdk8s-cli validation plugin running the same checks as `cdk8s-kubearmor lint` on the manifests of
 * `cdk8s synth` (YAML, schema, duplicate objects and the semantic lints, with the app's workloads).
 * Not part of the jsii API: a GitOps repo references the compiled file by path in cdk8s.yaml:
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-kubearmor/lib/validation-plugin.js
 *     version: 0.0.0
 *     class: KubeArmorValidation
 *     properties: { strict: false }
 * ```
 */
import * as fs from 'fs';
import type { Validation, ValidationContext } from 'cdk8s-cli/plugins';
import { formatFindingLine } from './private/lint-format';
import { lintSources } from './private/lint-sources';
import { findingIdentity, objectIdentity, readSynthRecord } from './private/synth-record';

/** `properties` of the plugin entry in cdk8s.yaml. */
export interface KubeArmorValidationProps {
  /** Fail on warnings too. @default false */
  readonly strict?: boolean;
}

export class KubeArmorValidation implements Validation {
  private readonly strict: boolean;

  constructor(props: KubeArmorValidationProps = {}) {
    this.strict = props.strict === true;
  }

  public async validate(ctx: ValidationContext): Promise<void> {
    let failed = 0;
    try {
      const report = lintSources(ctx.manifests.map((file) => ({ file, text: fs.readFileSync(file, 'utf8') })));
      // What the app's own lint already reported, and which construct emitted which object (by kind,
      // namespace and name: cdk8s's construct metadata is keyed by bare name and can blame another object).
      const record = readSynthRecord(ctx.manifests);
      for (const f of report.findings) {
        if (f.acknowledged !== undefined) continue;
        const object = objectIdentity(f.kind, f.namespace, f.resourceName);
        if (record?.reported.has(findingIdentity(f.id, object, f.pointer))) continue;
        const fails = f.severity === 'error' || this.strict;
        if (!fails) {
          ctx.logger.log(`cdk8s-kubearmor: ${formatFindingLine(f)}`);
          continue;
        }
        failed++;
        const paths = record?.objects.get(object) ?? [];
        const name = f.resourceName ?? `${f.file}#${f.document}`;
        // cdk8s-cli adds the construct path of `resourceName` itself, by bare name: give it the bare name only
        // when that lookup finds this very object, else the full identity (which it cannot mistake).
        const resourceName = f.resourceName === undefined ? name
          : paths.length === 1 && ctx.metadata[f.resourceName]?.path === paths[0] ? f.resourceName : object;
        ctx.report.addViolation({
          ruleName: `${f.id} (${f.severity})`,
          recommendation: `${f.kind ?? 'document'} ${name}${paths.length > 0 ? ` (construct ${paths.join(', ')})` : ''}: ${f.pointer ? `${f.pointer}: ` : ''}${f.message}`,
          fix: f.fix,
          violatingResources: [{ resourceName, locations: (f.pointers ?? [f.pointer]).map((p, i) => (i === 0 ? `${p || '/'} (line ${f.line})` : p)), manifestPath: f.file }],
        });
      }
    } catch (e) {
      failed++;
      ctx.report.addViolation({
        ruleName: 'KA-PLUGIN',
        recommendation: `cdk8s-kubearmor could not check the manifests: ${(e as Error).message}`,
        fix: 'report this as a bug of cdk8s-kubearmor',
        violatingResources: [],
      });
    }
    ctx.report.submit(failed > 0 ? 'failure' : 'success');
  }
}
