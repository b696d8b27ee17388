import { cdk8s, javascript, JsonFile } from 'projen';

const EXAMPLE = 'examples/wordpress-mysql';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-kubearmor',
  description:
    'Typed, validated KubeArmor policies for cdk8s: file integrity monitoring, workload hardening and compliance evidence synthesised next to the workloads they protect',
  keywords: ['cdk8s', 'kubearmor', 'kubernetes', 'security', 'fim', 'file-integrity-monitoring', 'compliance', 'pci-dss', 'nist'],
  author: 'Acme Platform',
  authorAddress: 'platform@example.com',
  repositoryUrl: 'https://github.com/acme/cdk8s-kubearmor.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  github: false, // our CI is .ci/run
  release: false, // no bump/release tasks (their deps need Node >= 22)
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.16.0',
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.3.0',
  peerDeps: ['cdk8s-plus-27@^2.9.5'],
  bundledDeps: ['yaml@^2.5.0'],
  // cdk8s-plus-33 (what `cdk8s init` scaffolds): the workload-facing suites also run against it (test/util/plus.ts).
  devDeps: ['cdk8s-cli', 'ajv@^8.17.1', 'fast-check@^3.23.0', 'cdk8s-plus-33@^2.5.0'],
  jsiiVersion: '~6.0.0',
  // Source maps as separate .js.map files (sources inlined in the map) instead of inside every .js: inline, they
  // were about 45 % of the bytes a cold `require` reads and compiles (bench row 6). jsii's strict tsconfig rules
  // accept any value of these three (jsii lib/tsconfig/rulesets/jsii-configured-options.js).
  tsconfig: { compilerOptions: { inlineSourceMap: false, sourceMap: true, inlineSources: true } },
  bin: { 'cdk8s-kubearmor': 'bin/cdk8s-kubearmor' },
  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      moduleNameMapper: { '^cdk8s-kubearmor$': '<rootDir>/src/index.ts' },
      testPathIgnorePatterns: ['/node_modules/', '/examples/.*/node_modules/'],
      coveragePathIgnorePatterns: ['/node_modules/', '/src/imports/'],
    },
  },
  // No publishTo* targets: only the js target packages with the npm registry alone (TOOLCHAIN.md §2).
});

// Binding names for the other jsii languages. No publishTo* option: their packaging needs PyPI, Maven
// Central, go and dotnet, none reachable here (TOOLCHAIN.md §2). CI generates their code with
// `jsii-pacmak --code-only` to prove the public API translates.
project.package.file.addOverride('jsii.targets', {
  python: { distName: 'cdk8s-kubearmor', module: 'cdk8s_kubearmor' },
  java: { package: 'com.acme.cdk8s.kubearmor', maven: { groupId: 'com.acme', artifactId: 'cdk8s-kubearmor' } },
  dotnet: { namespace: 'Acme.Cdk8s.KubeArmor', packageId: 'Acme.Cdk8s.KubeArmor' },
  go: { moduleName: 'github.com/acme/cdk8s-kubearmor-go' },
});

project.gitignore.exclude('/.tmp/', '__pycache__/', `/${EXAMPLE}/node_modules/`, '/bench/results/', '/bindings/');
project.npmignore?.exclude('/examples/', '/bench/', '/.ci/', '/.tmp/', '/bindings/', '/coverage/');
project.eslint?.addIgnorePattern('src/imports/');

// The typed L1: generated from the real CRDs, committed, never hand-edited.
// The typed L1 and the conformance harness read the vendored CRDs in crds/ (provenance: crds/README.md).
project.addTask('import', {
  description: 'Regenerate src/imports from the vendored KubeArmor CRDs in crds/',
  exec: 'bash scripts/import-crds.sh',
});
project.addTask('crds:refresh', {
  description: 'Copy the CRDs and LICENSE from a KubeArmor checkout into crds/ (npx projen crds:refresh -- /path/to/KubeArmor)',
  exec: 'bash scripts/refresh-crds.sh',
  receiveArgs: true,
});

// The example GitOps app, consumed exactly as a user's app would: through node_modules/cdk8s-kubearmor.
const example = project.addTask('example', {
  description: `Compile the library and synthesise ${EXAMPLE} to ${EXAMPLE}/dist`,
  steps: [
    { spawn: 'compile' },
    { exec: `mkdir -p ${EXAMPLE}/node_modules && ln -sfn ../../.. ${EXAMPLE}/node_modules/cdk8s-kubearmor` },
    { exec: 'cdk8s synth --check-upgrade=false', cwd: EXAMPLE },
    { exec: `node -e "for (const f of require('fs').readdirSync('${EXAMPLE}/dist')) console.log('wrote ${EXAMPLE}/dist/' + f)"` },
  ],
});
project.addTask('example:validate', {
  description: 'Validate every KubeArmor object in the example output against the real CRDs',
  exec: `ts-node --project test/tsconfig.json test/conformance/validate-files.ts ${EXAMPLE}/dist`,
});
void example;

project.addTask('docs', {
  description: 'Regenerate docs/compliance-controls.md and docs/lints.md from their tables',
  exec: 'ts-node --project test/tsconfig.json scripts/generate-docs.ts',
});

project.addTask('bench', {
  description: 'Benchmarks against plain cdk8s-plus (npm run bench -- --smoke for a tiny run)',
  steps: [{ spawn: 'compile' }, { exec: 'node bench/run.js', receiveArgs: true }],
});
project.addScripts({ bench: 'npx projen bench' });

// Bindings that run: the Python wheel installed with pip beside cdk8s from PyPI synthesises the seed app
// byte for byte like TypeScript (scripts/bindings.sh; Java and Go cannot be had here, see README).
project.addTask('bindings', {
  description: 'Build the Python wheel, pip-install it with cdk8s from PyPI, run test/bindings/python and compare its YAML with TypeScript',
  steps: [{ spawn: 'compile' }, { exec: 'bash scripts/bindings.sh' }],
});

new JsonFile(project, `${EXAMPLE}/tsconfig.json`, {
  obj: {
    compilerOptions: {
      target: 'ES2022',
      module: 'node16',
      moduleResolution: 'node16',
      lib: ['es2022'],
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
    },
    include: ['*.ts'],
  },
});

project.synth();
