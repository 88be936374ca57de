#!/usr/bin/env bash
# The whole device check, as one command on a lent NVIDIA machine (bare: no Node, no registry).
# Called as `bash tools/gpu-check/run-on-device.sh [gpu-check flags]` from the repo root there, with
# carry [".gl", "tools/gpu-check/bundle"] (see README.md). Output and JSON land in $OUT.
set -uo pipefail
OUT="${OUT:-/tmp}"
# Vulkan/EGL loaders carried as .deb files (the device README's recipe): unpack into / and refresh.
if compgen -G ".gl/*.deb" >/dev/null; then for f in .gl/*.deb; do dpkg -x "$f" /; done; ldconfig; fi
ldconfig -p | grep -q 'libvulkan.so.1' || echo "gpu-check: warning: no libvulkan.so.1 (carry .gl with libvulkan1)"
# The NVIDIA driver's ICD lives under the read-only driver mount on these machines.
for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  if [ -z "${VK_DRIVER_FILES:-}" ] && [ -f "$icd" ]; then export VK_DRIVER_FILES="$icd"; fi
done
export __EGL_VENDOR_LIBRARY_FILENAMES="${__EGL_VENDOR_LIBRARY_FILENAMES:-/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json}"
B=tools/gpu-check/bundle
NODE="$(command -v node || true)"
if [ -z "$NODE" ]; then
  command -v xz >/dev/null || { echo "gpu-check: no node and no xz to unpack $B/node.xz"; exit 1; }
  xz -dc "$B/node.xz" > /tmp/pikt-node && chmod +x /tmp/pikt-node && NODE=/tmp/pikt-node
fi
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null | sed 's/^/gpu: /'
echo "node: $("$NODE" --version); VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset}"
cd "$B" && "$NODE" gpu-check.mjs --json-out "$OUT/gpu-check.json" "$@" 2>&1 | tee "$OUT/gpu-check.log"
exit "${PIPESTATUS[0]}"
