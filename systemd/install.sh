#!/usr/bin/env bash
# Installs bindsight as a systemd service on a Jetson (JetPack/Ubuntu) or Raspberry Pi OS, from a
# checkout (after `npm ci && npm run build`) or from a tarball made by `npm pack`. Idempotent: run
# it again to upgrade; the config, the secrets file, the state and the model packs are kept.
#
#   sudo systemd/install.sh [options] [SOURCE]
#
# SOURCE              a checkout folder or a .tgz from `npm pack` (default: the checkout holding this script)
# --prefix DIR        where the package goes (default /opt/bindsight)
# --config FILE       install this config as /etc/bindsight/config.yaml (an existing one is kept otherwise)
# --no-start          enable the service but do not (re)start it
# --skip-npm          do not run `npm ci --omit=dev` (the source already has its production node_modules)
# --root DIR          install into DIR instead of / (packaging, tests): no users, no systemctl
#
# What it does: creates the system user "bindsight" and the device groups it needs (i2c, video,
# dialout, audio), copies the package to PREFIX (swapping in the new one only when it is complete),
# installs the production dependencies, writes /etc/bindsight/{config.yaml,bindsight.env} if absent
# (the demo config and its model pack when no config is given), installs the unit with the paths
# of this machine (node, PREFIX), adds a Jetson drop-in for the GPU devices, checks the unit with
# systemd-analyze verify, then enables and (re)starts it.
set -euo pipefail

PREFIX=/opt/bindsight
ROOT=
CONFIG=
START=1
NPM=1
SOURCE=
UNIT_NAME=bindsight.service
GROUPS_NEEDED=(i2c video dialout audio)

die() { echo "install.sh: $*" >&2; exit 1; }
say() { echo "install.sh: $*"; }

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX=${2:?--prefix needs a folder}; shift 2 ;;
    --config) CONFIG=${2:?--config needs a file}; shift 2 ;;
    --root) ROOT=${2:?--root needs a folder}; shift 2 ;;
    --no-start) START=0; shift ;;
    --skip-npm) NPM=0; shift ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [ -z "$SOURCE" ] || die "one SOURCE only, got $SOURCE and $1"; SOURCE=$1; shift ;;
  esac
done

case "$PREFIX" in /*) ;; *) die "--prefix must be an absolute path, got $PREFIX" ;; esac
[ -n "$ROOT" ] || [ "$(id -u)" -eq 0 ] || die "run as root (sudo), or use --root DIR to install into a folder"
[ -z "$CONFIG" ] || [ -f "$CONFIG" ] || die "--config $CONFIG: no such file"

NODE=$(command -v node || true)
[ -n "$NODE" ] || die "node not found; install Node.js 20 or newer (https://nodejs.org or NodeSource packages)"
"$NODE" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
  die "Node.js $("$NODE" --version) is too old; bindsight needs 20 or newer"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The package to install: a checkout, or the package/ folder of an npm pack tarball.
SOURCE=${SOURCE:-$(cd "$(dirname "$0")/.." && pwd)}
if [ -f "$SOURCE" ]; then
  tar -xzf "$SOURCE" -C "$WORK" || die "$SOURCE is not a tarball from npm pack"
  PKG="$WORK/package"
else
  PKG=$(cd "$SOURCE" && pwd)
fi
[ -f "$PKG/package.json" ] || die "$SOURCE holds no package.json: not a bindsight checkout or tarball"
[ -f "$PKG/dist/src/cli.js" ] || die "$PKG/dist/src/cli.js is missing: run \`npm ci && npm run build\` in the checkout first"

DEST="$ROOT$PREFIX"
ETC="$ROOT/etc/bindsight"
UNIT_DIR="$ROOT/etc/systemd/system"

# 1. User and groups (not with --root: those belong to the target system).
if [ -z "$ROOT" ]; then
  for g in "${GROUPS_NEEDED[@]}"; do
    getent group "$g" >/dev/null || { groupadd --system "$g"; say "created group $g"; }
  done
  if ! id bindsight >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/bindsight --no-create-home --shell /usr/sbin/nologin \
      --user-group bindsight
    say "created system user bindsight"
  fi
fi

# 2. The package: staged next to the old one, swapped in once complete; model packs carried over.
STAGE="$DEST.new"
rm -rf "$STAGE"
mkdir -p "$STAGE"
for item in package.json package-lock.json .npmrc README.md dist config systemd models/README.md node_modules; do
  [ -e "$PKG/$item" ] || continue
  [ "$item" = node_modules ] && [ "$NPM" -eq 1 ] && continue
  mkdir -p "$STAGE/$(dirname "$item")"
  cp -R "$PKG/$item" "$STAGE/$item"
done
if [ "$NPM" -eq 1 ]; then
  say "installing production dependencies (npm ci --omit=dev; native addons build from source)"
  (cd "$STAGE" && npm ci --omit=dev --no-audit --no-fund) || die "npm ci failed in $STAGE"
fi
if [ -d "$DEST/models/packs" ]; then
  mkdir -p "$STAGE/models"
  mv "$DEST/models/packs" "$STAGE/models/packs"
fi
rm -rf "$DEST.old"
[ ! -e "$DEST" ] || mv "$DEST" "$DEST.old"
mv "$STAGE" "$DEST"
rm -rf "$DEST.old"
say "installed $(cd "$DEST" && "$NODE" -p 'require("./package.json").version') in $PREFIX"

# 3. Config and secrets: never overwritten (an explicit --config replaces the config).
mkdir -p "$ETC"
chmod 0750 "$ETC"
if [ -n "$CONFIG" ]; then
  install -m 0640 "$CONFIG" "$ETC/config.yaml"
  say "installed $CONFIG as /etc/bindsight/config.yaml"
elif [ ! -f "$ETC/config.yaml" ]; then
  # The demo: recorded streams through the synthetic pack, with the package's absolute paths.
  sed -e "s#\.\./models/packs/demo#$PREFIX/models/packs/demo#" \
    -e "/^[[:space:]]*#/!s#\([[ ,]\)demo/#\1$PREFIX/config/demo/#g" \
    "$DEST/config/default.yaml" >"$ETC/config.yaml"
  chmod 0640 "$ETC/config.yaml"
  say "no config yet: installed the demo config as /etc/bindsight/config.yaml (edit it for your sensors)"
fi
if [ ! -f "$DEST/models/packs/demo/pack.json" ] && grep -q "$PREFIX/models/packs/demo" "$ETC/config.yaml"; then
  "$NODE" "$DEST/dist/src/cli.js" models demo --out "$DEST/models/packs/demo" >/dev/null
  say "built the demo model pack in $PREFIX/models/packs/demo"
fi
[ -f "$ETC/bindsight.env" ] || install -m 0600 "$DEST/systemd/bindsight.env" "$ETC/bindsight.env"
if [ -z "$ROOT" ]; then chgrp bindsight "$ETC" "$ETC/config.yaml"; fi

# 4. The unit, with this machine's node and the prefix; a drop-in on Jetson boards.
mkdir -p "$UNIT_DIR"
sed -e "s#/usr/bin/node #$NODE #" -e "s#/opt/bindsight#$PREFIX#g" "$DEST/systemd/$UNIT_NAME" >"$WORK/$UNIT_NAME"
install -m 0644 "$WORK/$UNIT_NAME" "$UNIT_DIR/$UNIT_NAME"
if [ -f "$ROOT/etc/nv_tegra_release" ]; then
  mkdir -p "$UNIT_DIR/$UNIT_NAME.d"
  cat >"$UNIT_DIR/$UNIT_NAME.d/jetson.conf" <<'EOF'
# Jetson: CUDA/TensorRT and CSI cameras use the nvhost/nvmap/nvgpu devices, too many to list.
# Lift the device list; file permissions and the video group still decide access.
[Service]
DeviceAllow=
DevicePolicy=auto
EOF
  say "Jetson detected: added $UNIT_NAME.d/jetson.conf (GPU devices)"
fi
if command -v systemd-analyze >/dev/null 2>&1; then
  systemd-analyze verify "$UNIT_DIR/$UNIT_NAME" || die "systemd-analyze verify rejected the unit"
fi

# 5. Enable and (re)start.
if [ -n "$ROOT" ]; then
  say "installed into $ROOT; enable it on the target with: systemctl enable --now bindsight"
  exit 0
fi
systemctl daemon-reload
systemctl enable "$UNIT_NAME" >/dev/null
if [ "$START" -eq 1 ]; then
  systemctl restart "$UNIT_NAME"
  say "started; status: systemctl status bindsight; logs: journalctl -u bindsight -f; page: http://127.0.0.1:8080/"
else
  say "enabled; start it with: systemctl start bindsight"
fi
