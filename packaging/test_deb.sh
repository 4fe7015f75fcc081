#!/bin/sh
# The .deb: cpack builds it, dpkg-deb extracts it into a temporary root, and the installed programs start from
# there (--version, no display needed); the desktop file, AppStream metainfo, icons and MIME type are in place.
# usage: test_deb.sh BUILD_DIR OUT_DIR VERSION [CPACK]
set -eu
build=$1 out=$2 version=$3 cpack=${4:-cpack}
id=io.github.consisti2v.Studio
rm -rf "$out"
mkdir -p "$out"
"$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$out" >"$out/cpack.log" 2>&1 || { cat "$out/cpack.log"; exit 1; }
deb=$(ls "$out"/consisti2v-studio_"$version"_*.deb)
dpkg-deb -f "$deb" Package Version Depends | tee "$out/control.txt"
grep -q "^Package: consisti2v-studio$" "$out/control.txt"
grep -q "^Version: $version$" "$out/control.txt"
# The libraries it needs come with it: LibTorch, Qt's GUI (with its X11 platform plugin), the SVG plugins, and the
# CA certificates for the model download.
grep -q "^Depends: .*libtorch" "$out/control.txt" || { echo "no LibTorch dependency"; exit 1; }
grep -q "^Depends: .*libqt6gui6" "$out/control.txt" || { echo "no libqt6gui6 dependency (the xcb plugin)"; exit 1; }
grep -q "^Depends: .*libqt6svg6" "$out/control.txt" || { echo "no libqt6svg6 dependency"; exit 1; }
grep -q "^Depends: .*ca-certificates" "$out/control.txt" || { echo "no ca-certificates dependency"; exit 1; }
dpkg-deb -x "$deb" "$out/root"
r="$out/root/usr"
for f in bin/consisti2v bin/consisti2v-studio share/applications/$id.desktop share/metainfo/$id.metainfo.xml \
         share/mime/packages/$id.xml share/icons/hicolor/scalable/apps/$id.svg \
         share/icons/hicolor/256x256/apps/$id.png share/icons/hicolor/48x48/apps/$id.png; do
  [ -f "$r/$f" ] || { echo "missing in the package: /usr/$f"; dpkg-deb -c "$deb"; exit 1; }
done
# Nothing outside /usr, no build paths.
if dpkg-deb -c "$deb" | awk '{print $6}' | grep -v '^\./usr/' | grep -v '^\./$'; then echo "files outside /usr"; exit 1; fi

# The programs start from the extracted root, without a display.
v1=$(env -u DISPLAY -u WAYLAND_DISPLAY "$r/bin/consisti2v" --version)
[ "$v1" = "consisti2v $version" ] || { echo "consisti2v --version said: $v1"; exit 1; }
v2=$(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM "$r/bin/consisti2v-studio" --version)
[ "$v2" = "ConsistI2V Studio $version" ] || { echo "consisti2v-studio --version said: $v2"; exit 1; }

# The demo model comes with it (the studio starts with it when no ConsistI2V weights are found) and loads.
demo="$r/share/consisti2v-studio/models/demo"
[ -f "$demo/model_index.json" ] || { echo "the demo model is not in the package"; exit 1; }
# ... without what its training left beside it (the optimizer state is 80-100 MB)
for f in optimizer unet-raw train_state.json; do
  [ ! -e "$demo/$f" ] || { echo "the package holds the demo's training leftover $f"; exit 1; }
done
env -u DISPLAY "$r/bin/consisti2v" info --model "$demo" | grep -q "no problems found" || { echo "the packaged demo model does not load"; exit 1; }

# Desktop entry: starts the installed program, names the icon and the project MIME type.
d="$r/share/applications/$id.desktop"
grep -q "^Exec=consisti2v-studio " "$d"
grep -q "^Icon=$id$" "$d"
grep -q "^MimeType=.*application/x-consisti2v-project;" "$d"
if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$d"; fi
# AppStream metainfo: well-formed, the right id and version.
if command -v xmllint >/dev/null; then xmllint --noout "$r/share/metainfo/$id.metainfo.xml" "$r/share/mime/packages/$id.xml"; fi
grep -q "<id>$id</id>" "$r/share/metainfo/$id.metainfo.xml"
grep -q "<release version=\"$version\"" "$r/share/metainfo/$id.metainfo.xml"
if command -v appstreamcli >/dev/null; then appstreamcli validate --no-net --pedantic "$r/share/metainfo/$id.metainfo.xml" || exit 1; fi
# MIME type: *.ci2v is application/x-consisti2v-project once the database is built.
if command -v update-mime-database >/dev/null; then
  update-mime-database "$r/share/mime"
  grep -q "application/x-consisti2v-project:\*\.ci2v" "$r/share/mime/globs" || { cat "$r/share/mime/globs"; exit 1; }
fi
echo "package ok: $deb"
