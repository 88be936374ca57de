#!/usr/bin/env bash
# Installs everything pikt needs on a bare Debian machine with Node 20 and npm:
# pnpm at the pinned version, the Debian packages the tests and experiments use, the lockfile's
# packages, and builds every workspace package. Safe to run again (skips what is already there).
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1

PNPM_VERSION=12.4.2
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm@$PNPM_VERSION"
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null
fi

# chromium: figures rendered and screenshotted in tests, the webgl suites (vitest browser mode) and,
# through its SwiftShader Vulkan ICD, the node-gpu suites' software adapter; dataset-fashion-mnist:
# the Fashion-MNIST files (the datasets tests and `--dataset fashion-mnist`); libvulkan1: the Vulkan
# loader Dawn (npm webgpu) opens for the node-gpu backend; redis-server: the BullMQ queue tests
# (each starts its own server on a free loopback port).
DEB_PACKAGES="chromium dataset-fashion-mnist libvulkan1 redis-server"
missing=""
for p in $DEB_PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  echo "setup: installing Debian packages:$missing"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

pnpm install --frozen-lockfile
pnpm run build
