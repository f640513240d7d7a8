#!/usr/bin/env bash
# Installs what building, running and testing kuberust needs on Debian 12.
# Idempotent: installs only what is missing. Needs root (or sudo) for apt.
set -euo pipefail

APT_PACKAGES=(etcd-server etcd-client protobuf-compiler python3-pip curl)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  # Debian may try to start etcd as a service on install; we run our own.
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq || true
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The Python client used by the compatibility test.
if ! python3 -c 'import kubernetes' 2>/dev/null; then
  echo "install-deps: installing the Python kubernetes client"
  python3 -m pip install --quiet --disable-pip-version-check kubernetes || \
    python3 -m pip install --quiet --disable-pip-version-check --break-system-packages kubernetes
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "install-deps: cargo (Rust) is required: https://rustup.rs" >&2
  exit 1
fi
if ! command -v kubectl >/dev/null 2>&1; then
  echo "install-deps: note: kubectl is not on PATH; the integration tests need the upstream kubectl" >&2
fi
echo "install-deps: ok"
