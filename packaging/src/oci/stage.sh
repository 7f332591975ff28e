#!/usr/bin/env bash
# Lays out, for one architecture, the whole file system of the container image (Jib adds it to its
# "scratch" base as extra files; docs/install.md, "Docker"):
#   /opt/hearth/runtime/        the jlink runtime (RUNTIME: a finished one; or JMODS: linked here)
#   /opt/hearth/hearth-gateway.jar
#   /lib*, /usr/lib/<triplet>/  the C libraries the runtime links, from SYSROOT (sysroot.sh)
#   /etc/passwd, /etc/group     the image's user, hearth (65532)
#   /tmp, /var/lib/hearth       the JVM's temporary files (native libraries unpack there), the data
# Symbolic links are resolved inside the image's root, so no file of the build machine slips in.
#
#   stage.sh OUT SYSROOT JAR MODULES (--runtime DIR | --jmods DIR)
set -euo pipefail
out="$1" sysroot="$2" jar="$3" modules="$4" how="$5" from="$6"
[ -d "$sysroot/lib" ] || { echo "stage.sh: no $sysroot/lib: run packaging/src/oci/sysroot.sh first (docs/install.md)" >&2; exit 1; }
rm -rf "$out" && mkdir -p "$out/opt/hearth" "$out/etc" "$out/tmp" "$out/var/lib/hearth"

if [ "$how" = "--runtime" ]; then
  cp -rL --preserve=mode "$from" "$out/opt/hearth/runtime"
else
  # another architecture's jmods: only the Java debug attributes are stripped (stripping native
  # symbols runs this machine's objcopy, which cannot read another architecture's ELF files)
  "${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}/bin/jlink" \
    --module-path "$from" --add-modules "$modules" --strip-java-debug-attributes --no-header-files \
    --no-man-pages --compress=2 --output "$out/opt/hearth/runtime"
fi
cp "$jar" "$out/opt/hearth/hearth-gateway.jar"

# the libraries, without the packages' docs, gconv modules and (arm64) the JDK the jmods came from
(cd "$sysroot" && find lib* usr/lib -path usr/lib/jvm -prune -o -path '*/gconv' -prune -o \( -type f -o -type l \) -print) \
  | while read -r f; do
      mkdir -p "$out/$(dirname "$f")"
      src="$sysroot/$f"
      while [ -L "$src" ]; do  # resolve inside the sysroot: absolute targets are the image's paths
        t="$(readlink "$src")"
        case "$t" in /*) src="$sysroot$t" ;; *) src="$(dirname "$src")/$t" ;; esac
      done
      cp "$src" "$out/$f"
    done

printf 'root:x:0:0:root:/root:/sbin/nologin\nhearth:x:65532:65532:hearth:/var/lib/hearth:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\nhearth:x:65532:\n' > "$out/etc/group"
