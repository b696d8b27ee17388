/**
 * Issue #13's message nits, checked in constructs and in the CLI: white space gets the trimmed spelling as the
 * fix, a bare process name points to execname, NaN is printed as NaN.
 */
import { App, Chart } from 'cdk8s';
import * as plus27 from 'cdk8s-plus-27';
import { PolicyTarget, SecurityPolicy } from '../src';
import { lintSources } from '../src/private/lint-sources';

function policy(): SecurityPolicy {
  const chart = new Chart(new App(), 'shop', { namespace: 'shop' });
  const web = new plus27.Deployment(chart, 'web', { containers: [{ name: 'web', image: 'nginx' }] });
  return new SecurityPolicy(chart, 'p', { target: PolicyTarget.workload(web), severity: 5 });
}

function cli(rules: string): string[] {
  const yaml = `apiVersion: security.kubearmor.com/v1\nkind: KubeArmorPolicy\nmetadata: {name: p, namespace: shop}\nspec: {selector: {matchLabels: {app: web}}, ${rules}}\n`;
  return lintSources([{ file: 'in.yaml', text: yaml }]).findings.map((f) => `${f.message}; ${f.fix}`);
}

describe('message nits', () => {
  test('leading white space: the fix is the trimmed path, never \'/ /etc/passwd\'', () => {
    expect(() => policy().addFilePath(' /etc/passwd')).toThrow("file.matchPaths[].path ' /etc/passwd' has leading or trailing white space (the kernel never reports it); use '/etc/passwd'");
    expect(cli('severity: 5, file: {matchPaths: [{path: " /etc/passwd"}]}')).toEqual([expect.stringContaining("use '/etc/passwd'")]);
  });

  test('addProcessPath(\'nc\') suggests execname, not \'/nc\'', () => {
    expect(() => policy().addProcessPath('nc')).toThrow("use execname 'nc' (addProcessExecname) for the executable in any directory, or its absolute path such as '/usr/bin/nc'");
    expect(cli('severity: 5, process: {matchPaths: [{path: nc}]}')).toEqual([expect.stringContaining("use execname 'nc'")]);
  });

  test('severity NaN is printed as NaN, not null', () => {
    const chart = new Chart(new App(), 'shop', { namespace: 'shop' });
    expect(() => new SecurityPolicy(chart, 'q', { target: PolicyTarget.namespace(), severity: NaN })).toThrow('shop/q: severity NaN must be an integer from 1 to 10');
    expect(cli('severity: .nan, file: {matchPaths: [{path: /etc/passwd}]}')).toEqual([expect.stringMatching(/^NaN must be an integer from 1 to 10/)]);
  });
});
