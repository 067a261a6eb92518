#!/bin/sh
# GUI smoke test of the Trace Compass plugin (not part of the default CI run: root, ~1 GB chroot).
# Starts the Debian bullseye Trace Compass 6.2 on OpenJDK 17 under Xvfb in the chroot made by
# make-chroot.sh, with the plugin jar and a small test-only driver bundle, opens each TRACE from
# the command line (--cli --open: the trace type is auto-detected by magic), shows every mbscope
# view maximized, saves one PNG per view, and checks the logs.
#
# Usage:  sh run-gui-smoke.sh OUT_DIR TRACE...        (build the jar first: ./mvnw -pl plugins/tracecompass -am package)
# Env:    ROOT=/tmp/tcroot  SETTLE=25 (s before the first shot)  PERVIEW=10 (s per view)
#         VIEWS=id=name,... (default: every mbscope view; a name ending in +select clicks the table's
#         first row instead of maximizing, to show the other views following the selection)
# Output: OUT_DIR/<trace name>/{overview,<view>.png,tc.log,workspace.log?}
#
# Why a private -configuration: the Debian RCP has no p2 dropins reconciler; its bundles come from
# the fixed configuration/org.eclipse.equinox.simpleconfigurator/bundles.info, so we copy that
# and append our bundles (the installed package is not modified).
# Why not /usr/bin/tracecompass: the Debian wrapper drops its arguments and uses the default JVM.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
OUT=$(realpath -m "$1"); shift
ROOT=${ROOT:-/tmp/tcroot}; SETTLE=${SETTLE:-25}; PERVIEW=${PERVIEW:-10}
PLUGIN=$REPO/plugins/tracecompass/target/io.mbscope.tracecompass_0.1.0.jar
[ -f "$PLUGIN" ] || { echo "build the plugin first: ./mvnw -pl plugins/tracecompass -am package" >&2; exit 1; }
[ -x "$ROOT/usr/lib/jvm/java-17-openjdk-amd64/bin/java" ] || { echo "run make-chroot.sh first" >&2; exit 1; }
V=io.mbscope.tracecompass.views
VIEWS=${VIEWS:-$V.freespace=tracecompass-freespace,$V.allocation=tracecompass-allocation,$V.atomic=tracecompass-atomic,$V.replay=tracecompass-replay,$V.divergences=tracecompass-divergences+select,$V.atomicverdicts=tracecompass-atomicverdicts}

# the driver bundle, compiled against the chroot's own Eclipse jars
R=/tmp/mbscope-smoke
W=$ROOT$R; rm -rf "$W"; mkdir -p "$W/build/classes" "$W/plugins"
J=$ROOT/usr/share/java
CP=$(ls "$J"/eclipse-ui-workbench.jar "$J"/org.eclipse.swt.jar "$J"/swt4.jar "$J"/eclipse-jface.jar "$J"/equinox-common.jar \
       "$J"/eclipse-core-commands.jar "$J"/eclipse-ui.jar "$J"/eclipse-core-runtime.jar 2>/dev/null | tr '\n' ':')
javac --release 17 -nowarn -d "$W/build/classes" -cp "$CP" "$HERE"/helper/src/io/mbscope/tcsmoke/SmokeDriver.java
cp "$HERE/helper/plugin.xml" "$W/build/classes/"
jar --create --file "$W/plugins/io.mbscope.tcsmoke_0.1.0.jar" --manifest "$HERE/helper/META-INF/MANIFEST.MF" \
    -C "$W/build/classes" .
cp "$PLUGIN" "$W/plugins/"

# Xvfb and the session bus may still be exiting when java is done: retry, then detach lazily
unmount() { umount "$1" 2>/dev/null || { sleep 3; umount "$1" 2>/dev/null; } || umount -l "$1" 2>/dev/null || true; }
cleanup() { unmount "$ROOT/proc"; unmount "$ROOT/dev"; }
trap cleanup EXIT
mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
mountpoint -q "$ROOT/dev" || mount --bind /dev "$ROOT/dev"

status=0
for TRACE in "$@"; do
  name=$(basename "$(dirname "$(realpath "$TRACE")")")-$(basename "$TRACE")
  O=$OUT/$name; mkdir -p "$O"
  rm -rf "$W/run"; mkdir -p "$W/run/config/org.eclipse.equinox.simpleconfigurator" "$W/run/home" "$W/run/shots"
  # the capture folder travels with the trace: the analyses read its start state, tunables and syscalls
  mkdir -p "$W/run/capture"
  cp "$TRACE" "$W/run/capture/"
  d=$(dirname "$TRACE")
  for f in dumpe2fs-before.txt meta.txt syscalls.csv statx.txt fiemap.csv; do [ -f "$d/$f" ] && cp "$d/$f" "$W/run/capture/"; done
  C=/usr/share/eclipse-tracecompass/configuration
  cp "$ROOT$C/config.ini" "$W/run/config/"
  B=$W/run/config/org.eclipse.equinox.simpleconfigurator/bundles.info
  cp "$ROOT$C/org.eclipse.equinox.simpleconfigurator/bundles.info" "$B"
  echo "io.mbscope.tracecompass,0.1.0,file:$R/plugins/io.mbscope.tracecompass_0.1.0.jar,4,false" >> "$B"
  echo "io.mbscope.tcsmoke,0.1.0,file:$R/plugins/io.mbscope.tcsmoke_0.1.0.jar,4,false" >> "$B"
  cat > "$W/inner.sh" <<INNER
#!/bin/sh
export DISPLAY=:98 HOME=$R/run/home LANG=C.UTF-8 NO_AT_BRIDGE=1 GDK_BACKEND=x11
eval \$(dbus-launch --sh-syntax)
Xvfb :98 -screen 0 1280x900x24 -nolisten tcp >$R/run/xvfb.log 2>&1 &
XP=\$!
sleep 1
date +"start %s" >$R/run/times
timeout 300 /usr/lib/jvm/java-17-openjdk-amd64/bin/java -Duser.home=\$HOME -Xms512m -Xmx1536m \
  -Dmbscope.smoke.views=$VIEWS -Dmbscope.smoke.out=$R/run/shots \
  -Dmbscope.smoke.settle=$SETTLE -Dmbscope.smoke.perview=$PERVIEW \
  -jar /usr/share/java/equinox-launcher.jar -name Tracecompass \
  --launcher.library /usr/lib/jni/eclipse_11201.so --launcher.overrideVmargs \
  -INSTALL /usr/share/eclipse-tracecompass -configuration $R/run/config -data @noDefault \
  -consoleLog --cli --open $R/run/capture/$(basename "$TRACE") >$R/run/tc.log 2>&1
echo "exit \$?" >> $R/run/tc.log
date +"java exited %s" >>$R/run/times
kill \$XP \$DBUS_SESSION_BUS_PID 2>/dev/null || true
INNER
  start=$(date +%s)
  chroot "$ROOT" sh $R/inner.sh
  echo "$name: $(( $(date +%s) - start )) s"
  cp "$W/run/tc.log" "$W/run/times" "$O/"
  cp "$W"/run/shots/*.png "$O/" 2>/dev/null || true
  L=$W/run/home/.tracecompass/.metadata/.log
  [ -f "$L" ] && cp "$L" "$O/workspace.log"
  for v in overview $(echo "$VIEWS" | tr ',' '\n' | sed -e 's/^[^=]*=//' -e 's/+select$//'); do
    [ -s "$O/$v.png" ] || { echo "$name: no $v.png" >&2; status=1; }
  done
  grep -q "smoke: cannot show" "$O/tc.log" && { echo "$name: a view failed to open" >&2; status=1; }
  grep -n "Exception" "$O/tc.log" | head -5 || true
done
exit $status
