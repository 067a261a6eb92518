#!/bin/sh
# Puts the Trace Compass 6.2 bundles the plugin compiles and tests against into the local Maven
# repository. Trace Compass is not published to Maven Central; Debian bullseye's
# eclipse-tracecompass 6.2.0+repack-1 (Architecture: all) ships every bundle as a plain jar, so we
# download that one .deb through a throw-away apt configuration (the host's sources, lists and
# dpkg state are neither read for sources nor written), verify its SHA-256 (from bullseye's Packages
# index), unpack it with dpkg-deb and copy the jars into the repository layout
#   org/eclipse/tracecompass/<bundle>/6.2.0-bullseye/<bundle>-6.2.0-bullseye.{jar,pom}
# Eclipse platform jars come from Maven Central through the normal build.
# Needs apt-get, dpkg-deb, sha256sum; no root. Idempotent (marker file), ~5 s the first time.
# Usage: sh fetch-tc-deps.sh [LOCAL_REPO]   (default: Maven's own: -Dmaven.repo.local / ~/.m2/repository)
set -eu
VERSION=6.2.0-bullseye
DEB_VERSION=6.2.0+repack-1
DEB_SHA256=57a1b7ac29a9385aa989d67a5cbd9e81257febd7193f092c8acecbc80dde419a
BUNDLES="common.core datastore.core statesystem.core segmentstore.core tmf.core tmf.ui tmf.filter.parser
         analysis.timing.core analysis.timing.ui"

REPO=${1:-${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}}
mkdir -p "$REPO"; REPO=$(cd "$REPO" && pwd)
# the marker names the bundle list too: a new bundle in the list fetches again
DONE="$REPO/org/eclipse/tracecompass/.mbscope-$DEB_SHA256-$(echo $BUNDLES | sha256sum | cut -c1-12)"
if [ -f "$DONE" ]; then
  echo "Trace Compass $VERSION jars already in $REPO"; exit 0
fi
# the Debian mirror the host's apt already uses (deb822 .sources or one-line .list)
MIRROR=$(sed -n -e 's|^URIs: *\([^ ]*/debian\)/*$|\1|p' \
                -e 's|^deb \(\[[^]]*\] \)*\([^ ]*/debian\)/* .*|\2|p' \
                /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null | head -n 1)
MIRROR=${MIRROR:-http://deb.debian.org/debian}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$KEYRING" ] || { echo "missing $KEYRING (package debian-archive-keyring)" >&2; exit 1; }

WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT INT TERM
APT=$WORK/apt; mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/etc"
echo "deb [signed-by=$KEYRING] $MIRROR bullseye main" > "$APT/etc/sources.list"
: > "$APT/status"
set -- -o Dir::Etc::sourcelist="$APT/etc/sources.list" -o Dir::Etc::sourceparts=- \
       -o Dir::State::Lists="$APT/lists" -o Dir::State::status="$APT/status" -o Dir::Cache="$APT/cache" \
       -o Debug::NoLocking=1 -o APT::Sandbox::User="$(id -un)"
apt-get "$@" -qq update
(cd "$WORK" && apt-get "$@" -qq download "eclipse-tracecompass=$DEB_VERSION")
DEB=$(ls "$WORK"/eclipse-tracecompass_*_all.deb)
echo "$DEB_SHA256  $DEB" | sha256sum -c --quiet -
dpkg-deb -x "$DEB" "$WORK/x"
PLUGINS=$WORK/x/usr/share/eclipse-tracecompass/plugins
n=0
for b in $BUNDLES; do
  a=org.eclipse.tracecompass.$b
  [ -f "$PLUGINS/$a.jar" ] || { echo "$a.jar not in the package" >&2; exit 1; }
  d=$REPO/org/eclipse/tracecompass/$a/$VERSION
  mkdir -p "$d"
  cp "$PLUGINS/$a.jar" "$d/$a-$VERSION.jar"
  cat > "$d/$a-$VERSION.pom" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.eclipse.tracecompass</groupId>
  <artifactId>$a</artifactId>
  <version>$VERSION</version>
  <description>Bundle from Debian bullseye eclipse-tracecompass $DEB_VERSION (EPL-2.0); dependencies declared by the consumer</description>
</project>
POM
  n=$((n + 1))
done
touch "$DONE"
echo "installed $n Trace Compass $VERSION jars into $REPO"
