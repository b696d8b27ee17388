/**
 * The AppArmor profile as data and text (src/simulator/private/apparmor-profile.ts), against
 * enforcer/appArmorProfile.go and enforcer/appArmorTemplate.go of KubeArmor@510cee3.
 */
import { hsp, ksp } from './helpers';
import { buildAppArmorProfile, checkIfGlobalRuleToBeAdded, childProfileName, renderAppArmorProfile } from '../../src/simulator/private/apparmor-profile';
import { compilePolicies } from '../../src/simulator/private/compile';
import { expectConformant } from '../conformance/harness';

const BLOCK = { file: 'block', network: 'audit', capabilities: 'audit' };
const AUDIT = { file: 'audit', network: 'audit', capabilities: 'audit' };

function profile(manifests: any[], postures = BLOCK, name = 'kubearmor-shop-web-web') {
  expectConformant(manifests);
  return buildAppArmorProfile(compilePolicies(manifests), postures, name);
}

/** The lines between two markers of the rendered text. */
function section(lines: string[], from: string, to: string, occurrence = 0): string[] {
  let start = -1;
  for (let i = 0, seen = 0; i < lines.length; i++) {
    if (lines[i] === from && seen++ === occurrence) { start = i; break; }
  }
  return lines.slice(start + 1, lines.indexOf(to, start));
}

describe('GenerateProfileBody', () => {
  const pols = [
    ksp('a', { action: 'Allow', process: { matchPaths: [{ path: '/bin/bash' }, { path: '/usr/bin/ls', fromSource: [{ path: '/bin/bash' }] }, { execname: 'python' }] }, file: { matchDirectories: [{ dir: '/app/', recursive: true, readOnly: true }] } }),
    ksp('b', { action: 'Block', file: { matchPaths: [{ path: '/etc/shadow', ownerOnly: true }] }, network: { matchProtocols: [{ protocol: 'raw' }] }, capabilities: { matchCapabilities: [{ capability: 'net_raw' }] } }),
  ];

  test('the main profile: `file,` off under a block posture, the source px line, the execname Allow as a comment (appArmorTemplate.go:70-113, 218)', () => {
    const lines = renderAppArmorProfile(profile(pols));
    expect(section(lines, '## == PRE START == ##', '## == PRE END == ##')).toEqual(['#include <abstractions/base>', 'network,', 'capability,']);
    expect(section(lines, '## == File/Dir START == ##', '## == File/Dir END == ##')).toEqual(['/app/{,**} klr,', 'owner /etc/shadow klmrw,', 'deny other /etc/shadow klmrw,']);
    expect(section(lines, '## == DISPATCHER START == ##', '## == DISPATCHER END == ##')).toEqual([
      '/bin/bash px -> kubearmor-shop-web-web_binbash,',
      '## /**/python px -> kubearmor-shop-web-web-/**/python',
    ]);
    expect(section(lines, '## == Capabilities START == ##', '## == Capabilities END == ##')).toEqual(['deny capability', 'net_raw,']);
  });

  test('under an audit posture the Allow rules leave `file,` on (head = FileAction != "block", appArmorProfile.go:334)', () => {
    const lines = renderAppArmorProfile(profile(pols, AUDIT));
    expect(section(lines, '## == PRE START == ##', '## == PRE END == ##')).toEqual(['#include <abstractions/base>', 'file,', 'network,', 'capability,']);
  });

  test('the main process rule on a source is removed and the child fused (appArmorProfile.go:23-31)', () => {
    const p = profile(pols);
    expect([...p.processPaths.keys()]).toEqual(['/**/python']);
    expect(p.fromSource.get('/bin/bash')?.fusion).toBe(true);
  });

  test('the child: its own header, global rules copied in, Allow paths as cx with a nested profile (appArmorTemplate.go:148-199)', () => {
    const lines = renderAppArmorProfile(profile(pols));
    const child = section(lines, 'profile kubearmor-shop-web-web_binbash {', '## == FromSource per binary profiles END == ##');
    expect(child[0]).toBe('/bin/bash rix,');
    expect(section(child, '## == PRE START == ##', '## == PRE END == ##')).toEqual(['#include <abstractions/base>', 'network,', 'capability,']);
    expect(child).toContain('/**/python cx,');
    expect(child).toContain('profile /usr/bin/ls {');
  });

  test('GenerateProfileBody count: global entries before the conflict resolution plus every child\'s (appArmorProfile.go:409, 465)', () => {
    expect(profile(pols).count).toBe(12);
  });

  test('addRuletoMap: the same entity with the other action is both Deny and Allow; the same action keeps the first (appArmorProfile.go:574-584)', () => {
    const p = profile([
      ksp('a', { action: 'Block', file: { matchPaths: [{ path: '/etc/x', readOnly: true }] } }),
      ksp('b', { action: 'Block', file: { matchPaths: [{ path: '/etc/x' }] } }),
      ksp('c', { action: 'Allow', file: { matchPaths: [{ path: '/etc/x', ownerOnly: true }] } }),
    ]);
    const c = p.filePaths.get('/etc/x')!;
    expect([c.deny, c.allow, c.readOnly, c.ownerOnly, c.denyRule?.policy.name, c.allowRule?.policy.name]).toEqual([true, true, false, true, 'a', 'c']);
  });

  test('checkIfGlobalRuleToBeAdded: a child directory covers deeper globals only when recursive', () => {
    const child = new Map([['/etc/', { dir: true, recursive: false, readOnly: false, ownerOnly: false, deny: true, allow: false }]]);
    expect([checkIfGlobalRuleToBeAdded('/etc/passwd', child), checkIfGlobalRuleToBeAdded('/etc/ssh/key', child), checkIfGlobalRuleToBeAdded('/etc/', child)]).toEqual([false, true, false]);
  });

  test('child profile names keep letters, digits and spaces of the source (regexReplaceAllLiteral "[^a-z A-Z 0-9]")', () => {
    expect(childProfileName('kubearmor.host /{usr/,}bin/*sh', '/usr/bin/python3.11')).toBe('kubearmor_usrbinpython311');
  });

  test('native lines are appended verbatim to the main profile (appArmorProfile.go:323-329)', () => {
    const lines = renderAppArmorProfile(profile([ksp('n', { apparmor: '  deny /etc/secret r,\n\n  network inet tcp,\n' })]));
    expect(section(lines, '## == NATIVE POLICY START == ##', '## == Native Policy END == ##')).toEqual(['deny /etc/secret r,', 'network inet tcp,']);
  });

  test('a host policy dir without trailing "/" is written as <dir>{,**} and covers the children (gRPC input no CRD validates)', () => {
    // Not CRD-valid on purpose: KubeArmor also takes host policies over gRPC, which no CRD validates.
    const p = buildAppArmorProfile(compilePolicies([hsp('h', { nodeSelector: { matchLabels: { a: 'b' } }, action: 'Block', file: { matchDirectories: [{ dir: '/etc/app', recursive: true }] } })]), BLOCK, 'kubearmor.host /{usr/,}bin/*sh', true);
    const lines = renderAppArmorProfile(p);
    expect(lines).toContain('deny /etc/app{,**} klmrw,');
    expect(lines).toContain('profile kubearmor.host /{usr/,}bin/*sh flags=(attach_disconnected,mediate_deleted) {');
    expect(lines).not.toContain('deny mount,');
  });
});
