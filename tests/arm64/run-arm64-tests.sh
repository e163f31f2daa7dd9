#!/usr/bin/env bash
# Runs the engine's and the imaging library's xunit tests on real ARM64 (NEON) code under qemu user-mode emulation: once with
# AdvSimd (Vector128 in force) and once with hardware intrinsics off (scalar). KMEANSPS_EXPECT_WIDTH makes the
# engine's probe test fail if a leg does not run the width it claims; KMEANSPS_EMULATED=1 tells tests that read the
# kernel's view of the process (/proc/self/smaps) that it describes qemu, not the tests. Results go to out/test-results as
# xunit XML (or the folder --results names), which build/Write-TestSummary.ps1 adds to the closing count.
# --install-only installs what the legs need and stops (.ci/run does it before anything else runs apt-get);
# --results DIR writes the XML there instead of out/test-results.
set -euo pipefail
cd "$(dirname "$0")/../.."
install_only=0
results=out/test-results
while [ $# -gt 0 ]; do
  case $1 in
    --install-only) install_only=1; shift ;;
    --results) results=$2; shift 2 ;;
    *) echo "run-arm64-tests.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

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
if [ "$install_only" = 1 ]; then exit 0; fi

# Self-contained linux-arm64 builds of the test projects, kept apart from the x64 outputs.
for project in KMeansPS.Engine.Tests KMeansPS.Imaging.Tests; do
  dotnet publish "tests/$project/$project.csproj" -c Release \
    -p:TestRuntimeIdentifier=linux-arm64 --artifacts-path out/arm64 --nologo -v quiet
done
mkdir -p "$results"

status=0
# run_leg PROJECT LEG EXPECTED-WIDTH [VAR=value ...]; xunit arguments for the leg in the array leg_args.
leg_args=()
run_leg() {
  local project=$1 leg=$2 expect=$3; shift 3
  local app="out/arm64/publish/$project/release_linux-arm64/$project"
  local start=$SECONDS
  echo "== $project [arm64-$leg] under qemu-aarch64"
  if env DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_EnableWriteXorExecute=0 KMEANSPS_EXPECT_WIDTH="$expect" KMEANSPS_EMULATED=1 "$@" \
      qemu-aarch64-static "$app" -noColor -result-xml "$results/$project-arm64-$leg.xml" "${leg_args[@]}"; then
    echo "$project arm64-$leg: passed in $((SECONDS - start)) s"
  else
    echo "$project arm64-$leg: FAILED after $((SECONDS - start)) s"
    status=1
  fi
}
# The NEON leg leaves out the shared-worker scheduling tests: their kernels are the fits that DeterminismTests and the
# kernel classes compare here, and their thread handoffs prove nothing about ARM's memory order under qemu, which runs
# them with the x64 host's (they took 250 of the leg's 1,000 test-seconds).
# It also leaves out the stream order check (label statistics in scalar code over mini-batch fits, whose kernels
# DeterminismTests compares here: 31 of the leg's 308 test-seconds) and the rented buffers' cache (memory management
# without vector code, run alone after the parallel classes: 14 s).
leg_args=(-class- "*.Fitting.SharedWorkersTests" -class- "*.Fitting.StreamOrderCheckTests" -class- "*.Fitting.RentedBufferTests")
run_leg KMeansPS.Engine.Tests neon 128
# With intrinsics off, the kernels only: the NEON leg already fits at every width this platform has, the scalar
# reference included (InstructionSet.Scalar), and compares the bits; what this leg adds is the runtime's fallback
# when the hardware paths are switched off, which the kernels and the width probe show. The x64 scalar leg runs every
# class that way. (Every class here took 213 s; CI's whole run must stay near 20 minutes.)
leg_args=(-class "*.Kernels.*")
run_leg KMeansPS.Engine.Tests scalar scalar DOTNET_EnableHWIntrinsic=0
leg_args=()
# The imaging library's vector code (PNG unfiltering, SSIM filters, histogram, nearest-colour search, JPEG kernels)
# on NEON and on scalar. Both legs leave out classes whose code has no vector path and no platform call: the
# file-structure scanners at every truncation point, damaged-file decoding (under qemu 40 % of a leg's time) and
# libwebp's verdicts on WebP mutants (a process a mutant; the chunk corpus against dwebp's pixels, 11,000 processes), and
# the palette seedings and the bounded histograms' quantization, whose only vector code is the engine's (the engine's
# legs above) and the nearest-colour search (its own class stays); the four x64 legs run them all. The scalar leg
# also leaves out the scanline layouts of the encoder (deflate is the runtime's), the encoder's deflate block redraw
# (scalar code; the NEON leg keeps it, since its check calls the platform's inflater), file I/O (the NEON leg keeps
# I/O: its system calls are the platform's), and the whole jobs (Quantization.*, run-merging, cluster moves), whose
# vector code is that of the classes it keeps (decoding, histograms, metrics, nearest colours) and the engine's.
# The NEON leg also leaves out two whole-job classes, the 16-bit sources and the -MinPsnr search, whose vector code is
# the nearest-colour search, metrics and histograms it runs in their own classes (QuantizerTests keeps a whole job
# here), and the near-optimal deflate parse, scalar code whose check calls the inflater the other Deflate classes call.
# Both leave out three methods: the encoder's layout sweep (its stream sizes against the plain layout, deflate's
# sizes, and every layout's decoded pixels; the encoder's one vector loop, the Up filter's byte difference, is checked
# here by the class's small Up-filter method) and coarse histograms built by 2-8 threads (thread handoffs, as with the
# engine's shared workers; the serial coarse histograms stay). Together they were 133 of the NEON leg's 414 test-seconds.
# The lossless and lossy WebP data walks (scanner code, no platform call: 51 and 40 test-seconds of the two legs), the
# import warm-up's palette jobs (a whole job, 20 test-seconds), the metadata carried to outputs (scalar byte handling, 9
# test-seconds of the scalar leg) and the large-buffer cache (memory management, run alone: 8 s) are left out the same way,
# as are the copies ImageSharp is handed of WebP files it misreads (late ALPH chunks, bytes after the RIFF or after a
# still's image data, VP8X bits: byte handling, then ImageSharp's decoder and dwebp, no vector code of ours; 11 test-seconds
# a leg before the tail after the image data added 11 on x64), and the TGA copies and fix-ups for its attribute-bit counts
# and 5-bit channels (a header byte and a table look-up, then ImageSharp's decoder: under a second on x64), with their
# comparison against ImageMagick and PIL over every layout (a convert process a file: 17 test-seconds on x64), and the
# RIFF chunk walk over its seeded mutant corpus (byte handling).
leg_args=(-class- "*.Integrity.TruncationTests" -class- "*.Integrity.MutationTests" -class- "*.Integrity.LimitTests"
  -class- "*.Decoding.WebpLateAlphaChunkTests" -class- "*.Decoding.WebpBytesAfterRiffTests" -class- "*.Decoding.WebpIgnoredVp8xBitsTests"
  -class- "*.Decoding.WebpUnreadTailTests" -class- "*.Decoding.TgaAttributeBitCountTests" -class- "*.Decoding.TgaFiveBitChannelTests"
  -class- "*.Decoding.TgaReferenceReaderTests"
  -class- "*.Integrity.WebpLosslessDataTests" -class- "*.Integrity.WebpLossyDataTests" -class- "*.Quantization.PaletteJobWarmupTests"
  -class- "*.Metadata.OtherFormatsMetadataCarryTests" -class- "*.Metadata.JpegMetadataCarryTests" -class- "*.LargeBufferCacheTests"
  -class- "*.Integrity.WebpLibwebpAgreementTests" -class- "*.Integrity.WebpRiffChunksTests" -class- "*.Decoding.WebpDwebpCorpusTests"
  -class- "*.Decoding.DamagedFileDecodeTests" -class- "*.Palettes.PaletteBuilderTests"
  -class- "*.Quantization.BoundedQuantizerTests" -class- "*.Quantization.SixteenBitSourceTests"
  -class- "*.Quantization.QualityFloorSearchTests" -class- "*.Png.Deflate.NearOptimalParserTests"
  -method- "*.Png.ScanlineLayoutTests.The_image_data_is_never_larger_than_the_plain_layout"
  -method- "*.Png.ScanlineLayoutTests.Every_layout_decodes_to_the_same_pixels_with_ImageSharp_and_by_the_specification"
  -method- "*.Histograms.BoundedHistogramTests.Coarse_histograms_are_the_same_for_any_threads")
run_leg KMeansPS.Imaging.Tests neon 128
# The scalar leg also leaves out the JPEG flip corpus (each file's decode against djpeg's on the kernel in force: the
# NEON leg runs it on NEON, the x64 scalar leg on the scalar reference; 6 test-seconds).
leg_args+=(-class- "*.IO.*" -class- "*.Png.ScanlineLayoutTests" -class- "*.Png.Deflate.*" -class- "*.Jpeg.JpegCorruptionCorpusTests"
  -class- "*.Quantization.*" -class- "*.Palettes.RunExtensionTests" -class- "*.Palettes.ClusterSwapTests")
run_leg KMeansPS.Imaging.Tests scalar scalar DOTNET_EnableHWIntrinsic=0
leg_args=()
exit $status
