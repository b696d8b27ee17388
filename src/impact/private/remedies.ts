/**
 * Suggested remedies for accesses the policies would deny, as a table: the first row whose `applies`
 * holds gives the text. Each row says what to change in the workload or the policy; none weakens a
 * policy silently.
 */
import { AccessOperation } from '../../simulator';

export interface RemedyContext {
  readonly operation: AccessOperation;
  readonly target: string;
  readonly process: string;
  /** The deciding rule (the first matching one), or undefined for the default posture. */
  readonly rule?: any;
  readonly list?: string;
  readonly policyName: string;
}

export interface Remedy {
  readonly id: string;
  /** When the row applies, for docs/impact.md. */
  readonly when: string;
  applies(c: RemedyContext): boolean;
  text(c: RemedyContext): string;
}

const WRITES = new Set<AccessOperation>([
  AccessOperation.WRITE, AccessOperation.APPEND, AccessOperation.TRUNCATE, AccessOperation.CREATE,
  AccessOperation.DELETE, AccessOperation.RENAME, AccessOperation.MKDIR,
]);

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : `${p.slice(0, i)}/`;
}

export const REMEDIES: readonly Remedy[] = [
  {
    id: 'posture',
    when: 'decided by the default posture (allow-list mode, no Allow rule covers the access)',
    applies: (c) => c.policyName === 'DefaultPosture',
    text: (c) => `no Allow rule covers ${c.target} while the workload is in allow-list mode: add an Allow rule for it (or its directory), or keep the default posture at audit until the allow list is complete`,
  },
  {
    id: 'python-bytecode',
    when: 'a write under a `__pycache__/` directory',
    applies: (c) => WRITES.has(c.operation) && c.target.includes('/__pycache__/'),
    text: () => 'Python writes bytecode caches at run time: set PYTHONDONTWRITEBYTECODE=1 in the container, or compile them into the image (python -m compileall) at build time',
  },
  {
    id: 'mode-change',
    when: 'CHMOD or CHOWN',
    applies: (c) => c.operation === AccessOperation.CHMOD || c.operation === AccessOperation.CHOWN,
    text: (c) => `${c.process || 'the process'} changes the ${c.operation === AccessOperation.CHMOD ? 'mode' : 'owner'} of ${c.target} at run time (often an entrypoint script): do it at image build time instead`,
  },
  {
    id: 'data-directory',
    when: 'a write, create, delete, rename or mkdir denied by a `matchDirectories` rule',
    applies: (c) => WRITES.has(c.operation) && c.list === 'matchDirectories',
    text: (c) => `${c.process || 'the workload'} writes under ${dirname(c.target)}, inside the protected ${c.rule?.dir}: if that is application data, point the application at a writable emptyDir mounted outside the protected directories (kplus.Volume.fromEmptyDir) or protect narrower directories than ${c.rule?.dir}`,
  },
  {
    id: 'written-file',
    when: 'a write denied by a `matchPaths` rule',
    applies: (c) => WRITES.has(c.operation) && c.list === 'matchPaths',
    text: (c) => `${c.process || 'the workload'} writes ${c.target}: if the change is expected, generate the file at build time or mount it from a ConfigMap; otherwise keep the rule and fix the application`,
  },
  {
    id: 'exec',
    when: 'EXEC denied',
    applies: (c) => c.operation === AccessOperation.EXEC,
    text: (c) => `${c.process || 'a process'} runs ${c.target}: if the workload needs it, remove it from the blocked executables or restrict the rule with fromSource to the callers that must not run it`,
  },
  {
    id: 'network',
    when: 'NETWORK denied',
    applies: (c) => c.operation === AccessOperation.NETWORK,
    text: (c) => `${c.process || 'the workload'} opens ${c.target} sockets: allow the protocol for that process (fromSource) or remove it from the blocked protocols`,
  },
  {
    id: 'capability',
    when: 'CAPABILITY denied',
    applies: (c) => c.operation === AccessOperation.CAPABILITY,
    text: (c) => `${c.process || 'the workload'} uses CAP_${c.target.toUpperCase()}: if it must, allow it for that process (fromSource); otherwise drop the capability from the container's securityContext as well`,
  },
];

/** The remedy text for a denied access, if a row applies. */
export function remedyFor(c: RemedyContext): string | undefined {
  return REMEDIES.find((r) => r.applies(c))?.text(c);
}
