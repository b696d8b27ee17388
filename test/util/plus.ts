/**
 * The cdk8s-plus versions the workload-facing suites run against: cdk8s-plus-27 (the peer the library is built
 * with) and cdk8s-plus-33 (what `cdk8s init typescript-app` scaffolds today). Each entry builds the same
 * workloads with its own version's classes, typed, so the suites also prove the public API takes them without casts.
 */
import { Cron } from 'cdk8s';
import * as plus27 from 'cdk8s-plus-27';
import * as plus33 from 'cdk8s-plus-33';
import { Construct, IConstruct } from 'constructs';

export interface PlusWorkloads {
  readonly deployment: IConstruct;
  readonly statefulSet: IConstruct;
  readonly daemonSet: IConstruct;
  readonly job: IConstruct;
  readonly cronJob: IConstruct;
  readonly pod: IConstruct;
}

export interface PlusVersion {
  readonly name: string;
  /** The version's Deployment class, for instanceof checks. */
  readonly Deployment: Function;
  /** One Deployment `web` (image nginx, container `web`). */
  deployment(scope: Construct, id: string, options?: { readonly namespace?: string }): IConstruct;
  /** Deployment `web`, StatefulSet `db`, DaemonSet `agent`, Job `migrate`, CronJob `backup`, Pod `debug`. */
  all(scope: Construct): PlusWorkloads;
}

const C = (name: string, image: string) => ({ name, image, portNumber: 8080 });

export const PLUS_27: PlusVersion = {
  name: 'cdk8s-plus-27',
  Deployment: plus27.Deployment,
  deployment: (scope, id, options = {}) => new plus27.Deployment(scope, id, { metadata: { namespace: options.namespace }, containers: [C('web', 'nginx')] }),
  all: (scope) => ({
    deployment: new plus27.Deployment(scope, 'web', { containers: [C('web', 'nginx')] }),
    statefulSet: new plus27.StatefulSet(scope, 'db', { containers: [C('db', 'postgres')] }),
    daemonSet: new plus27.DaemonSet(scope, 'agent', { containers: [C('agent', 'fluentd')] }),
    job: new plus27.Job(scope, 'migrate', { containers: [C('migrate', 'flyway')] }),
    cronJob: new plus27.CronJob(scope, 'backup', { schedule: Cron.daily(), containers: [C('backup', 'restic')] }),
    pod: new plus27.Pod(scope, 'debug', { containers: [C('debug', 'busybox')] }),
  }),
};

export const PLUS_33: PlusVersion = {
  name: 'cdk8s-plus-33',
  Deployment: plus33.Deployment,
  deployment: (scope, id, options = {}) => new plus33.Deployment(scope, id, { metadata: { namespace: options.namespace }, containers: [C('web', 'nginx')] }),
  all: (scope) => ({
    deployment: new plus33.Deployment(scope, 'web', { containers: [C('web', 'nginx')] }),
    statefulSet: new plus33.StatefulSet(scope, 'db', { containers: [C('db', 'postgres')] }),
    daemonSet: new plus33.DaemonSet(scope, 'agent', { containers: [C('agent', 'fluentd')] }),
    job: new plus33.Job(scope, 'migrate', { containers: [C('migrate', 'flyway')] }),
    cronJob: new plus33.CronJob(scope, 'backup', { schedule: Cron.daily(), containers: [C('backup', 'restic')] }),
    pod: new plus33.Pod(scope, 'debug', { containers: [C('debug', 'busybox')] }),
  }),
};

/** Both versions, for `describe.each(PLUS_VERSIONS)('$name', ...)`. */
export const PLUS_VERSIONS: PlusVersion[] = [PLUS_27, PLUS_33];

/**
 * The two modules under the name `kplus`, typed as cdk8s-plus-27's API (the shape they share), for existing suites
 * that run unchanged on both: `describe.each(PLUS_MODULES)('... ($name)', ({ kplus }) => ...)`. The cast is confined
 * to this test helper; test/typed-api.test.ts proves the public API takes cdk8s-plus-33 classes without one.
 */
export const PLUS_MODULES: Array<{ readonly name: string; readonly kplus: typeof plus27 }> = [
  { name: 'cdk8s-plus-27', kplus: plus27 },
  { name: 'cdk8s-plus-33', kplus: plus33 as unknown as typeof plus27 },
];
