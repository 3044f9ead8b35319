#!/usr/bin/env bash
# Installs what Kefu needs on this machine, idempotently: a no-op (about a second) when all is present.
#   setup.sh start  - npm dependencies, the FerretDB launcher and Debian's ffmpeg (enough for `npm start`)
#   setup.sh test   - the same plus Debian's mosquitto and chromium (for `npm test`)
set -euo pipefail
mode="${1:-start}"
cd "$(dirname "$0")/../.."
say() { printf 'setup: %s\n' "$*"; }

# 1. Debian packages, only when absent.
packages=()
# The server converts voice clips with ffmpeg/ffprobe (server/README.md, Voice clips); without them it
# runs but refuses voice uploads.
{ command -v ffmpeg && command -v ffprobe; } >/dev/null 2>&1 || packages+=(ffmpeg)
if [ "$mode" = "test" ]; then
  [ -x /usr/sbin/mosquitto ] || packages+=(mosquitto)
  [ -x /usr/bin/chromium ] || packages+=(chromium)
fi
if [ "${#packages[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "installing Debian packages: ${packages[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi
# Debian starts a system-wide mosquitto on port 1883 after installing it; tests start their own on free
# ports, and the embedded broker wants 1883 for itself.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet mosquitto 2>/dev/null; then
  systemctl stop mosquitto >/dev/null 2>&1 || true
fi

# 2. Go toolchain for the FerretDB launcher (preinstalled on this machine kind).
if ! command -v go >/dev/null 2>&1 && [ ! -x /usr/local/go/bin/go ]; then
  say "Go is required to build the FerretDB launcher (tools/ferretdb); install Go >= 1.24 or set FERRETDB_BIN" >&2
  exit 1
fi

# 3. npm dependencies, when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# 3b. The demo mini-programs (uni-app, Taro) are npm projects of their own, outside the workspaces: their
# official build tools are what demo/test/miniprogram runs. Same rule as above, per project.
if [ "$mode" = "test" ]; then
  for project in demo/miniprogram-uniapp demo/miniprogram-taro; do
    lock="$project/package-lock.json"
    installed="$project/node_modules/.package-lock.json"
    if [ ! -f "$installed" ] || [ "$lock" -nt "$installed" ]; then
      say "installing npm dependencies of $project (npm ci)"
      (cd "$project" && npm ci --no-audit --no-fund --loglevel=error)
    fi
  done
fi

# 4. The FerretDB launcher binary, rebuilt only when its sources change.
node --import tsx tools/src/cli.ts ensure-ferretdb

# 5. Generated Protobuf code (proto/src/generated), regenerated only when kefu.proto changes.
npm run generate --silent -w @kefu/proto
