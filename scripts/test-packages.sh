#!/usr/bin/env bash
# Debian packages the test suite starts for real: redis-server (fleet rate limits, shared
# state) and prometheus (for promtool, which checks the /metrics exposition). Installed with
# apt-get when missing; a no-op when present. Run by `npm test` (pretest) and by .ci/run.
set -uo pipefail
need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v promtool >/dev/null || need+=(prometheus)
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
echo "installing ${need[*]} from Debian (needed by the tests)"
if ! { $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${need[@]}"; }; then
  echo "could not install ${need[*]}: install them with apt-get and run the tests again" >&2
  exit 1
fi
