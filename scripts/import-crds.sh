#!/usr/bin/env bash
# Regenerates src/imports (the typed L1) from the real KubeArmor CRDs. Never edit src/imports by hand.
# CRDs come from $KUBEARMOR_CRDS, else ../shared/kubearmor/crds; they are read, never copied into the project.
set -euo pipefail
cd "$(dirname "$0")/.."
crds="${KUBEARMOR_CRDS:-../shared/kubearmor/crds}"
mkdir -p .tmp
for kind in KubeArmorPolicy KubeArmorClusterPolicy KubeArmorHostPolicy; do
  [ -f "$crds/$kind.yaml" ] || { echo "import: $crds/$kind.yaml not found (set KUBEARMOR_CRDS)" >&2; exit 1; }
  echo '---'
  cat "$crds/$kind.yaml"
done > .tmp/kubearmor.yaml
npx cdk8s import kubearmor:=.tmp/kubearmor.yaml --language typescript --output src/imports --no-save --check-upgrade=false
