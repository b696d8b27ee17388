#!/usr/bin/env bash
# Smoke test of the packed library, as a user installs it:
#   npx projen compile && npx projen package:js && bash scripts/smoke-tarball.sh [dist/js/cdk8s-kubearmor@*.jsii.tgz]
# Installs the tarball with cdk8s, cdk8s-plus-27, constructs and cdk8s-cli into a temp dir, then checks
#   - `npx cdk8s-kubearmor lint` exit codes (0 clean, 1 errors, 2 usage) and its file:line output,
#   - `npx cdk8s-kubearmor import` prints TypeScript,
#   - `cdk8s synth` with ./node_modules/cdk8s-kubearmor/lib/validation-plugin.js reports a violation (exit 2).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TARBALL="${1:-$(ls "$ROOT"/dist/js/cdk8s-kubearmor@*.jsii.tgz 2>/dev/null | head -1 || true)}"
[ -n "$TARBALL" ] && [ -f "$TARBALL" ] || { echo "smoke: no tarball; run npx projen compile && npx projen package:js first" >&2; exit 2; }
TARBALL="$(cd "$(dirname "$TARBALL")" && pwd)/$(basename "$TARBALL")"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/cdk8s-kubearmor-smoke.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
fail() { echo "smoke: FAIL: $*" >&2; exit 1; }
expect_exit() { # expect_exit <code> <cmd...>
  local want="$1"; shift
  set +e; "$@" >out.txt 2>err.txt; local got=$?; set -e
  [ "$got" = "$want" ] || { cat out.txt err.txt >&2; fail "'$*' exited $got, expected $want"; }
}

PEERS="$(node -e "const p=require('$ROOT/package.json');const v=(n)=>(p.devDependencies||{})[n]||'latest';console.log(['cdk8s','cdk8s-plus-27','constructs','cdk8s-cli'].map(n=>n+'@'+v(n)).join(' '))")"
echo "smoke: installing $(basename "$TARBALL") with $PEERS in $WORK"
npm init -y >/dev/null
# shellcheck disable=SC2086
npm install --prefer-offline --no-audit --no-fund "$TARBALL" $PEERS >npm.log 2>&1 || { cat npm.log >&2; fail "npm install"; }

mkdir -p policies
cat > policies/good.yaml <<'YAML'
apiVersion: security.kubearmor.com/v1
kind: KubeArmorPolicy
metadata: { name: web-bin, namespace: shop }
spec:
  severity: 5
  action: Block
  selector: { matchLabels: { app: web } }
  file:
    matchDirectories:
      - { dir: /bin/, readOnly: true, recursive: true }
      - { dir: /usr/bin/, readOnly: true, recursive: true }
YAML
cat > policies/bad.yaml <<'YAML'
apiVersion: security.kubearmor.com/v1
kind: KubeArmorPolicy
metadata: { name: web-etc, namespace: shop }
spec:
  severity: 5
  action: block
  selector: { matchLabels: { app: web } }
  file:
    matchDirectories:
      - { dir: /etc, readOnly: true, recursive: true }
YAML

echo "smoke: lint"
expect_exit 0 npx --no-install cdk8s-kubearmor lint policies/good.yaml
grep -q '^1 file, 1 document' out.txt || fail "lint summary missing: $(cat out.txt)"
expect_exit 1 npx --no-install cdk8s-kubearmor lint policies
grep -qF "policies/bad.yaml:6 (document 1): ERROR KA-SCHEMA: spec.action 'block' is not a KubeArmor action" out.txt || fail "lint output: $(cat out.txt)"
grep -qF "policies/bad.yaml:10 (document 1): ERROR KA-SCHEMA: spec.file.matchDirectories[0].dir" out.txt || fail "lint output: $(cat out.txt)"
expect_exit 1 npx --no-install cdk8s-kubearmor lint --format json policies/bad.yaml
node -e "const j=JSON.parse(require('fs').readFileSync('out.txt','utf8'));if(j.summary.errors!==2)process.exit(1)" || fail "lint json: $(cat out.txt)"
expect_exit 2 npx --no-install cdk8s-kubearmor lint

echo "smoke: import"
expect_exit 0 npx --no-install cdk8s-kubearmor import policies/good.yaml
grep -q "new SecurityPolicy(scope, 'KubeArmorPolicy.shop.web-bin'" out.txt || fail "import output: $(cat out.txt)"
expect_exit 1 npx --no-install cdk8s-kubearmor import policies/bad.yaml

echo "smoke: cdk8s synth with the validation plugin"
cat > cdk8s.yaml <<'YAML'
language: typescript
app: node main.js
validations:
  - package: ./node_modules/cdk8s-kubearmor/lib/validation-plugin.js
    version: 0.0.0
    class: KubeArmorValidation
YAML
cat > main.js <<'JS'
const { App, Chart, Include } = require('cdk8s');
const kplus = require('cdk8s-plus-27');
const { PolicyAction, PolicyTarget, SecurityPolicy } = require('cdk8s-kubearmor');
process.env.CDK8S_KUBEARMOR_QUIET = '1';
const app = new App();
const chart = new Chart(app, 'shop', { namespace: 'shop' });
const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx', portNumber: 80 }] });
new SecurityPolicy(chart, 'web-fim', {
  target: PolicyTarget.workload(web), action: PolicyAction.BLOCK, severity: 5,
  fileDirectories: [{ dir: '/bin/', readOnly: true, recursive: true }, { dir: '/usr/bin/', readOnly: true, recursive: true }],
});
if (process.env.SMOKE_CLEAN !== '1') new Include(chart, 'legacy', { url: 'policies/bad.yaml' });
app.synth();
JS
expect_exit 2 npx --no-install cdk8s synth --check-upgrade=false
grep -q 'KA-SCHEMA (error)' out.txt || { cat out.txt err.txt >&2; fail "no KA-SCHEMA violation in the report"; }
grep -q 'Construct Path: shop/legacy/' out.txt || fail "no construct path in the report"
SMOKE_CLEAN=1 expect_exit 0 npx --no-install cdk8s synth --check-upgrade=false

echo "smoke: OK"
