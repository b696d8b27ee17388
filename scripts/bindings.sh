#!/usr/bin/env bash
# Bindings that run: build the jsii Python wheel, install it with pip into a fresh venv together with the jsii
# runtime and the PyPI packages of cdk8s, cdk8s-plus-27 and constructs (the versions node_modules holds, so both
# languages run the same JavaScript), run test/bindings/python/seed_app.py and compare its YAML byte for byte with
# test/bindings/seed-app.ts; then run test/bindings/python/wordpress_mysql.py (examples/wordpress-mysql/main.ts in
# Python) and compare each file it writes with the committed examples/wordpress-mysql/dist. Run through `npx projen bindings` (which compiles first).
#
# Java and Go cannot be built on these machines (README "Other languages"): the Maven mirror has no
# org.cdk8s:cdk8s-plus-27 and the Go module proxy refuses github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
OUT=.tmp/bindings-run
rm -rf "$OUT"
mkdir -p "$OUT/out"
[ -f .jsii ] || { echo "bindings: no .jsii; run npx projen compile first" >&2; exit 2; }
ver() { node -p "require('$1/package.json').version"; }
JSII_RUNTIME="$(ver jsii-pacmak)" # pacmak pins the generated wheel to jsii>=<its version>; take exactly that
PY_DEPS="cdk8s==$(ver cdk8s) cdk8s-plus-27==$(ver cdk8s-plus-27) constructs==$(ver constructs) jsii==$JSII_RUNTIME"

t0=$SECONDS
npx jsii-pacmak --target python -o "$OUT/dist" >"$OUT/pacmak-python.log" 2>&1 \
  || { cat "$OUT/pacmak-python.log" >&2; echo "bindings: FAIL: jsii-pacmak --target python" >&2; exit 1; }
WHEEL="$(ls "$OUT"/dist/python/cdk8s_kubearmor-*-py3-none-any.whl)"
echo "bindings: built $(basename "$WHEEL") ($((SECONDS - t0))s)"

t0=$SECONDS
python3 -m venv "$OUT/venv"
# shellcheck disable=SC2086
"$OUT/venv/bin/pip" install --quiet --disable-pip-version-check "$WHEEL" $PY_DEPS >"$OUT/pip.log" 2>&1 \
  || { cat "$OUT/pip.log" >&2; echo "bindings: FAIL: pip install" >&2; exit 1; }
echo "bindings: pip installed the wheel with $PY_DEPS ($((SECONDS - t0))s)"

export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
export CDK8S_KUBEARMOR_QUIET=1 # the FIM template's expected KA004 warning; outputs are compared, not logs
npx ts-node --project test/tsconfig.json test/bindings/seed-app.ts >"$OUT/out/typescript.yaml"

passed=0
failed=0
compare() { # compare <what> <TypeScript's file> <the binding's file>
  if cmp -s "$2" "$3"; then
    echo "bindings: $1 is byte-identical to TypeScript's $2 ($(wc -c <"$3") bytes)"
    passed=$((passed + 1))
  else
    echo "bindings: FAIL: $1 differs from TypeScript's $2:" >&2
    diff -u "$2" "$3" >&2 || true
    failed=$((failed + 1))
  fi
}

t0=$SECONDS
"$OUT/venv/bin/python" test/bindings/python/seed_app.py >"$OUT/out/python.yaml"
echo "bindings: python seed_app.py ran ($((SECONDS - t0))s)"
compare "python seed_app.py" "$OUT/out/typescript.yaml" "$OUT/out/python.yaml"

t0=$SECONDS
"$OUT/venv/bin/python" test/bindings/python/wordpress_mysql.py "$OUT/out/wordpress-mysql"
echo "bindings: python wordpress_mysql.py ran ($((SECONDS - t0))s)"
for f in wordpress-mysql.k8s.yaml compliance-report.md compliance-report.json compliance-report.html; do
  compare "python wordpress_mysql.py: $f" "examples/wordpress-mysql/dist/$f" "$OUT/out/wordpress-mysql/$f"
done

echo "bindings: $passed passed, $failed failed"
[ "$failed" = 0 ]
