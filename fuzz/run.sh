#!/usr/bin/env bash
# Fuzzes one parser with afl-fuzz through SharpFuzz: fuzz/run.sh <target> [seconds]
# Targets: rtsp sdp rtp rtcp h264 h265 aac stun whep (see fuzz/README.md). Installs afl++ and the
# sharpfuzz instrumentation tool when missing, builds the fuzz project in Release into fuzz/bin,
# instruments the product assemblies there, and runs afl-fuzz on fuzz/corpus/<target> for the
# given time (default 600 s). Findings go to fuzz/findings/<target>; the script exits 1 if AFL
# saved any crash, and prints how to replay each one.
set -euo pipefail
cd "$(dirname "$0")/.."

targets="rtsp sdp rtp rtcp h264 h265 aac stun whep"
target="${1:-}"
seconds="${2:-600}"
if [ -z "$target" ] || [[ " $targets " != *" $target "* ]]; then
  echo "usage: fuzz/run.sh <target> [seconds]; targets: $targets" >&2
  exit 2
fi

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
if ! command -v afl-fuzz >/dev/null 2>&1; then
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null
fi

export PATH="$PATH:$HOME/.dotnet/tools"
if ! command -v sharpfuzz >/dev/null 2>&1; then
  dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0
fi

# A fresh output every time: sharpfuzz rewrites assemblies in place and refuses to do it twice.
out="fuzz/bin"
rm -rf "$out"
dotnet publish fuzz/MediaServer.Fuzz/MediaServer.Fuzz.csproj -c Release -o "$out" --nologo -v q

# Only the product's own assemblies carry coverage: instrumenting the BCL or BouncyCastle
# would drown the parsers' edges in noise.
for assembly in MediaServer.Media MediaServer.Core MediaServer.Rtsp MediaServer.WebRtc; do
  sharpfuzz "$out/$assembly.dll"
done

findings="fuzz/findings/$target"
rm -rf "$findings"
mkdir -p "$findings"

# dotnet itself is not instrumented (SharpFuzz speaks AFL's forkserver protocol from managed
# code), so the binary check is skipped; the runtime's start-up needs a generous first timeout.
export AFL_SKIP_BIN_CHECK=1
export AFL_SKIP_CPUFREQ=1
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export AFL_NO_AFFINITY=1
export AFL_FORKSRV_INIT_TMOUT=60000
export AFL_NO_UI=1
status=0
afl-fuzz -i "fuzz/corpus/$target" -o "$findings" -t 5000 -m none -V "$seconds" \
  -- dotnet "$out/MediaServer.Fuzz.dll" "$target" || status=$?

shopt -s nullglob
crashes=("$findings"/default/crashes/id:*)
hangs=("$findings"/default/hangs/id:*)
echo "afl-fuzz exited $status; ${#crashes[@]} crash(es), ${#hangs[@]} hang(s) in $findings/default"
for crash in "${crashes[@]}"; do
  echo "  replay: dotnet run --project fuzz/MediaServer.Fuzz -c Release -- $target --replay '$crash'"
done
[ "$status" -eq 0 ] && [ ${#crashes[@]} -eq 0 ]
