#!/usr/bin/env bash
# Runs the engine's xunit tests on real ARM64 (NEON) code under qemu user-mode emulation: once with
# AdvSimd (Vector128 in force) and once with hardware intrinsics off (scalar). KMEANSPS_EXPECT_WIDTH makes the
# engine's probe test fail if a leg does not run the width it claims. Results go to out/test-results as
# xunit XML, which build/Write-TestSummary.ps1 adds to the closing count.
set -euo pipefail
cd "$(dirname "$0")/../.."

need_install=0
command -v qemu-aarch64-static >/dev/null 2>&1 || need_install=1
[ -e /usr/lib/aarch64-linux-gnu/libstdc++.so.6 ] || need_install=1
if [ "$need_install" = 1 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "arm64: qemu-user-static and the arm64 C/C++ runtime are missing; as root run:" >&2
    echo "  dpkg --add-architecture arm64 && apt-get update && apt-get install -y qemu-user-static libc6:arm64 libstdc++6:arm64 libssl3:arm64" >&2
    exit 1
  fi
  echo "arm64: installing qemu-user-static and the arm64 runtime libraries"
  dpkg --add-architecture arm64
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static libc6:arm64 libstdc++6:arm64 libssl3:arm64 >/dev/null
fi

# A self-contained linux-arm64 build of the engine tests, kept apart from the x64 outputs.
dotnet publish tests/KMeansPS.Engine.Tests/KMeansPS.Engine.Tests.csproj -c Release \
  -p:TestRuntimeIdentifier=linux-arm64 --artifacts-path out/arm64 --nologo -v quiet
app=out/arm64/publish/KMeansPS.Engine.Tests/release_linux-arm64/KMeansPS.Engine.Tests
mkdir -p out/test-results

status=0
run_leg() {
  local leg=$1 expect=$2; shift 2
  local start=$SECONDS
  echo "== KMeansPS.Engine.Tests [arm64-$leg] under qemu-aarch64"
  if env DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_EnableWriteXorExecute=0 KMEANSPS_EXPECT_WIDTH="$expect" "$@" \
      qemu-aarch64-static "$app" -noColor -result-xml "out/test-results/arm64-$leg.xml"; then
    echo "arm64-$leg: passed in $((SECONDS - start)) s"
  else
    echo "arm64-$leg: FAILED after $((SECONDS - start)) s"
    status=1
  fi
}
run_leg neon 128
run_leg scalar scalar DOTNET_EnableHWIntrinsic=0
exit $status
