#!/usr/bin/env bash
# Refreshes the vendored CRDs in crds/ from a KubeArmor checkout:
#   npx projen crds:refresh -- /path/to/KubeArmor
# Copies deployments/CRD/{KubeArmorPolicy,KubeArmorClusterPolicy,KubeArmorHostPolicy}.yaml and LICENSE byte for
# byte and prints the checkout's commit and each file's git blob id, to record in crds/README.md and test/crds.test.ts.
set -euo pipefail
src="${1:-}"
[ -n "$src" ] || { echo "crds:refresh: usage: npx projen crds:refresh -- /path/to/KubeArmor" >&2; exit 2; }
cd "$(dirname "$0")/.."
for kind in KubeArmorPolicy KubeArmorClusterPolicy KubeArmorHostPolicy; do
  [ -f "$src/deployments/CRD/$kind.yaml" ] || { echo "crds:refresh: $src/deployments/CRD/$kind.yaml not found (pass a KubeArmor checkout)" >&2; exit 1; }
done
[ -f "$src/LICENSE" ] || { echo "crds:refresh: $src/LICENSE not found" >&2; exit 1; }
for kind in KubeArmorPolicy KubeArmorClusterPolicy KubeArmorHostPolicy; do
  cp "$src/deployments/CRD/$kind.yaml" "crds/$kind.yaml"
done
cp "$src/LICENSE" crds/LICENSE
commit="$(git -C "$src" rev-parse HEAD 2>/dev/null || echo unknown)"
echo "crds:refresh: copied from $src (commit $commit)"
for kind in KubeArmorPolicy KubeArmorClusterPolicy KubeArmorHostPolicy; do
  echo "  crds/$kind.yaml blob $(git hash-object "crds/$kind.yaml") bytes $(wc -c < "crds/$kind.yaml")"
done
echo "crds:refresh: now run npx projen import, and update crds/README.md and test/crds.test.ts"
