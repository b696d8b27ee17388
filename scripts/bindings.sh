#!/usr/bin/env bash
# Bindings that run: build the jsii Python wheel, install it with pip into a fresh venv together with the jsii
# runtime and the PyPI packages of cdk8s, cdk8s-plus-27 and constructs (the versions node_modules holds, so both
# languages run the same JavaScript), run test/bindings/python/seed_app.py and compare its YAML byte for byte with
# test/bindings/seed-app.ts. Run through `npx projen bindings` (which compiles first).
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

export CDK8S_KUBEARMOR_QUIET=1 # the FIM template's expected KA004 warning; outputs are compared, not logs
npx ts-node --project test/tsconfig.json test/bindings/seed-app.ts >"$OUT/out/typescript.yaml"

passed=0
failed=0
compare() { # compare <language> <yaml file>
  if cmp -s "$OUT/out/typescript.yaml" "$2"; then
    echo "bindings: $1 output is byte-identical to TypeScript ($(wc -c <"$2") bytes)"
    passed=$((passed + 1))
  else
    echo "bindings: FAIL: $1 output differs from TypeScript:" >&2
    diff -u "$OUT/out/typescript.yaml" "$2" >&2 || true
    failed=$((failed + 1))
  fi
}

t0=$SECONDS
"$OUT/venv/bin/python" test/bindings/python/seed_app.py >"$OUT/out/python.yaml"
echo "bindings: python seed_app.py ran ($((SECONDS - t0))s)"
compare python "$OUT/out/python.yaml"

echo "bindings: $passed passed, $failed failed"
[ "$failed" = 0 ]
