#!/usr/bin/env bash
# The `cdk8s init` flow, as a new user lives it:
#   npx projen compile && npx projen package:js && bash scripts/smoke-cdk8s-init.sh [dist/js/cdk8s-kubearmor@*.jsii.tgz]
# Copies examples/cdk8s-init (a `cdk8s init typescript-app` project: cdk8s-plus-33, chart without namespace,
# cdk8s.yaml with the validation plugin) to a temp dir, installs the packed library with cdk8s, cdk8s-plus-33,
# constructs, cdk8s-cli, ts-node and typescript, and checks that `cdk8s synth`
#   - exits 0 with the plugin's report "success" and one KA016 warning per (namespaceless) policy,
#   - writes a Deployment, StatefulSet and CronJob and a KubeArmorPolicy for each, without namespace, Block,
#   - renders Audit when the rollout is switched where the docs say (FIM_ACTION=Audit -> app.node.setContext).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARBALL="${1:-$(ls "$ROOT"/dist/js/cdk8s-kubearmor@*.jsii.tgz 2>/dev/null | head -1 || true)}"
[ -n "$TARBALL" ] && [ -f "$TARBALL" ] || { echo "smoke-cdk8s-init: no tarball; run npx projen compile && npx projen package:js first" >&2; exit 2; }
TARBALL="$(cd "$(dirname "$TARBALL")" && pwd)/$(basename "$TARBALL")"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cdk8s-kubearmor-init.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cp "$ROOT"/examples/cdk8s-init/{main.ts,cdk8s.yaml,package.json,tsconfig.json} "$WORK/"
cd "$WORK"
fail() { echo "smoke-cdk8s-init: FAIL: $*" >&2; exit 1; }

# The versions this repository is tested with (package.json devDependencies); typescript 5 and @types/node as
# `cdk8s init` scaffolds them.
DEPS="$(node -e "const p=require('$ROOT/package.json');const v=(n)=>(p.devDependencies||{})[n]||'latest';console.log(['cdk8s','cdk8s-plus-33','constructs','cdk8s-cli','ts-node'].map(n=>n+'@'+v(n)).join(' '))")"
echo "smoke-cdk8s-init: installing $(basename "$TARBALL") with $DEPS typescript@5 @types/node@20 in $WORK"
# shellcheck disable=SC2086
npm install --prefer-offline --no-audit --no-fund "$TARBALL" $DEPS typescript@5 @types/node@20 >npm.log 2>&1 || { cat npm.log >&2; fail "npm install"; }

synth() { # synth <expected exit> [env...]
  local want="$1"; shift
  set +e; env "$@" npx --no-install cdk8s synth --check-upgrade=false >out.txt 2>err.txt; local got=$?; set -e
  [ "$got" = "$want" ] || { cat out.txt err.txt >&2; fail "cdk8s synth exited $got, expected $want"; }
}

check() { # check <expected action>
  node -e "
    const { Yaml } = require('cdk8s');
    const docs = Yaml.load('dist/cdk8s-init.k8s.yaml');
    const kinds = docs.map((d) => d.kind).sort();
    for (const k of ['CronJob', 'Deployment', 'StatefulSet']) if (!kinds.includes(k)) throw new Error('no ' + k + ' in ' + kinds);
    const policies = docs.filter((d) => d.kind === 'KubeArmorPolicy');
    if (policies.length !== 3) throw new Error('expected 3 KubeArmorPolicies, got ' + policies.map((p) => p.metadata.name));
    for (const p of policies) {
      if (p.metadata.namespace !== undefined) throw new Error(p.metadata.name + ' has namespace ' + p.metadata.namespace);
      if ((p.spec.action || 'Block') !== '$1') throw new Error(p.metadata.name + ' action ' + p.spec.action + ', expected $1');
    }
    for (const d of docs.filter((x) => ['Deployment', 'StatefulSet', 'CronJob'].includes(x.kind))) {
      if (d.metadata.namespace !== undefined) throw new Error(d.kind + ' has a namespace');
    }
    console.log('smoke-cdk8s-init: ' + policies.map((p) => p.metadata.name + ' (' + (p.spec.action || 'Block') + ')').join(', '));
  " || fail "dist/cdk8s-init.k8s.yaml: $(cat dist/cdk8s-init.k8s.yaml | head -40)"
}

echo "smoke-cdk8s-init: cdk8s synth with the validation plugin"
synth 0
grep -q 'Status  │ success' out.txt || { cat out.txt err.txt >&2; fail "the plugin did not report success"; }
[ "$(grep -c 'KA016' out.txt err.txt | awk -F: '{ s += $2 } END { print s }')" -ge 3 ] || { cat out.txt err.txt >&2; fail "expected a KA016 warning per namespaceless policy"; }
check Block

echo "smoke-cdk8s-init: staged rollout from the command line (FIM_ACTION=Audit)"
synth 0 FIM_ACTION=Audit
check Audit

echo "smoke-cdk8s-init: OK"
