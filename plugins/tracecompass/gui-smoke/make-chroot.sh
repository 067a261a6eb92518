#!/bin/sh
# One-time preparation of the GUI smoke test: a Debian bullseye chroot holding the distribution's
# Trace Compass 6.2 (eclipse-tracecompass), an OpenJDK 17 runtime (the plugin is class-file 61),
# Xvfb and ImageMagick's `import` for screenshots. Root needed (debootstrap, chroot, mounts).
# About 3 minutes and 1.2 GB, almost all of it downloads from the Debian archive.
# Usage: sh make-chroot.sh [ROOT]    (default /tmp/tcroot; skips what is already there)
set -eu
ROOT=${1:-/tmp/tcroot}
# reuse the mirror the host's apt is configured with (deb822 or one-line sources)
MIRROR=$(sed -n -e 's|^URIs: *\([^ ]*/debian\)/*$|\1|p' \
                -e 's|^deb \(\[[^]]*\] \)*\([^ ]*/debian\)/* .*|\2|p' \
                /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | head -n 1)
[ -n "$MIRROR" ] || { echo "no Debian mirror found in the host's apt sources" >&2; exit 1; }
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
if [ -x "$ROOT/usr/lib/jvm/java-17-openjdk-amd64/bin/java" ] && [ -d "$ROOT/usr/share/eclipse-tracecompass" ] \
   && [ -x "$ROOT/usr/bin/import" ]; then
  echo "$ROOT is ready"; exit 0
fi
[ -x "$ROOT/usr/bin/apt-get" ] || debootstrap --variant=minbase bullseye "$ROOT" "$MIRROR"
printf 'deb %s bullseye main\ndeb %s-security bullseye-security main\n' "$MIRROR" "$MIRROR" > "$ROOT/etc/apt/sources.list"
# maintainer scripts must not start daemons inside the chroot
printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"; chmod 755 "$ROOT/usr/sbin/policy-rc.d"
cleanup() { umount "$ROOT/proc" 2>/dev/null || true; umount "$ROOT/dev" 2>/dev/null || true; }
trap cleanup EXIT
mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
mountpoint -q "$ROOT/dev" || mount --bind /dev "$ROOT/dev"
export DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
chroot "$ROOT" apt-get update -qq
chroot "$ROOT" apt-get install -y -qq --no-install-recommends eclipse-tracecompass openjdk-17-jre \
  xvfb xauth x11-utils imagemagick fonts-dejavu-core libcanberra-gtk3-module dbus-x11 unzip >/dev/null
chroot "$ROOT" apt-get clean
du -shx "$ROOT"
