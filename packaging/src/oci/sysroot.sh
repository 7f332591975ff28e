#!/usr/bin/env bash
# Fetches, for one Debian architecture, the files the container image's jlink runtime needs and no
# base image can give here (docs/install.md, "Docker"): the C libraries its native code links
# (libc6, libgcc-s1, libstdc++6, zlib1g) and, for arm64, the JDK whose jmods jlink links it from.
# Unpacks them under DIR/root. Idempotent: a second run with the same package versions does nothing.
#
#   packaging/src/oci/sysroot.sh amd64|arm64 [DIR]     (DIR: ~/.cache/hearth-oci/<arch>)
# Needs apt-get and dpkg-deb; for a foreign architecture it adds it to dpkg (root or sudo).
set -euo pipefail
arch="${1:?usage: sysroot.sh amd64|arm64 [DIR]}"
dir="${2:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth-oci/$arch}"
pkgs=(libc6 libgcc-s1 libstdc++6 zlib1g)
[ "$arch" != "$(dpkg --print-architecture)" ] && pkgs+=(openjdk-17-jdk-headless)
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

if [ "$arch" != "$(dpkg --print-architecture)" ] && ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
  $SUDO dpkg --add-architecture "$arch"
  $SUDO apt-get update -qq
fi
candidates() {  # one "package=version" line per package, as apt would fetch it now
  apt-cache policy "${pkgs[@]/%/:$arch}" | awk '/^[^ ]/ {sub(/:.*/, ""); p=$0} /Candidate:/ {print p "=" $2}'
}
# the exact versions apt would fetch now: a new version (a security update) refetches
want="$(candidates)"
if [ -f "$dir/versions" ] && [ "$(cat "$dir/versions")" = "$want" ] && [ -d "$dir/root" ]; then
  exit 0
fi
if grep -q '=(none)$' <<<"$want"; then
  $SUDO apt-get update -qq
  want="$(candidates)"
fi
rm -rf "$dir" && mkdir -p "$dir/debs" "$dir/root"
(cd "$dir/debs" && apt-get download -q=2 $(sed "s/=/:$arch=/" <<<"$want"))
n="$(ls "$dir"/debs/*.deb | wc -l)"
[ "$n" -eq "${#pkgs[@]}" ] || { echo "sysroot.sh: got $n of ${#pkgs[@]} packages" >&2; exit 1; }
for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
rm -rf "$dir/debs"
echo "$want" > "$dir/versions"
echo "hearth-oci: $arch files in $dir/root"
