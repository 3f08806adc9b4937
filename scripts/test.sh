#!/usr/bin/env bash
# The single test command: installs what the tests need, runs every test project, and prints
# "tests: N passed, N failed" from the test results. Exits non-zero if the build or any test
# fails, or if no test ran. Results (.trx) are kept in TestResults/latest for CI to collect.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the end-to-end tests drive: ffmpeg as camera and player, Chromium as the
# WebRTC viewer, GStreamer (rtspsrc, rtspclientsink, webrtcbin through python3-gi) as clients
# nobody here wrote. To add one, append it; only the missing ones are installed.
TEST_PACKAGES=(ffmpeg chromium
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-nice gstreamer1.0-rtsp
  python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0 gir1.2-gst-plugins-bad-1.0
  gir1.2-gst-rtsp-server-1.0)

missing=()
for package in "${TEST_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "installing: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

results="TestResults/latest"
rm -rf "$results"
mkdir -p "$results"

# A test that hangs is killed (with the ffmpeg processes it started) instead of hanging CI.
status=0
dotnet test MediaServer.sln -c Release \
  --logger "trx;LogFilePrefix=results" --results-directory "$results" \
  --blame-hang-timeout 5min --blame-hang-dump-type none || status=$?

passed=0
failed=0
total=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  # <Counters total="11" executed="11" passed="11" failed="0" error="0" ... />
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1 || true)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  total=$((total + ${t:-0}))
done

echo "tests: ${passed} passed, ${failed} failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$total" -eq 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
