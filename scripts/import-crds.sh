#!/usr/bin/env bash
# Regenerates src/imports (the typed L1) from the vendored KubeArmor CRDs in crds/ (provenance: crds/README.md).
# Never edit src/imports by hand; to move to another KubeArmor commit run `npx projen crds:refresh -- <checkout>` first.
set -euo pipefail
cd "$(dirname "$0")/.."
crds=crds
mkdir -p .tmp
for kind in KubeArmorPolicy KubeArmorClusterPolicy KubeArmorHostPolicy; do
  [ -f "$crds/$kind.yaml" ] || { echo "import: $crds/$kind.yaml not found (restore it with git checkout, or npx projen crds:refresh -- <KubeArmor checkout>)" >&2; exit 1; }
  echo '---'
  cat "$crds/$kind.yaml"
done > .tmp/kubearmor.yaml
npx cdk8s import kubearmor:=.tmp/kubearmor.yaml --language typescript --output src/imports --no-save --check-upgrade=false
