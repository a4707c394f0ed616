#!/usr/bin/env bash
# Builds artifacts/carrot_VERSION_ARCH.deb: carrot and carrotd (framework-dependent, so the package stays small and
# takes .NET security updates from the distribution's or Microsoft's dotnet-runtime-10.0 package), the systemd unit,
# a default /etc/carrot/carrot.json (a conffile) and the docs. Needs only the .NET SDK and dpkg-deb.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
arch=$(dpkg --print-architecture)
case $arch in
    amd64) rid=linux-x64 ;;
    arm64) rid=linux-arm64 ;;
    *) echo "build-deb.sh: no .NET runtime identifier for $arch" >&2; exit 1 ;;
esac
stage=artifacts/deb/carrot_${version}_${arch}
rm -rf "$stage" && mkdir -p "$stage/DEBIAN" "$stage/usr/lib/carrot" "$stage/usr/bin" \
    "$stage/lib/systemd/system" "$stage/etc/carrot" "$stage/usr/share/doc/carrot"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet publish Carrot.Cli -c Release -r "$rid" --self-contained false -o "$stage/usr/lib/carrot/carrot" -nologo -v q
dotnet publish Carrot.Daemon -c Release -r "$rid" --self-contained false -o "$stage/usr/lib/carrot/carrotd" -nologo -v q
ln -s ../lib/carrot/carrot/carrot "$stage/usr/bin/carrot"
ln -s ../lib/carrot/carrotd/carrotd "$stage/usr/bin/carrotd"
install -m 0644 systemd/carrotd.service "$stage/lib/systemd/system/carrotd.service"
install -m 0640 packaging/debian/carrot.json "$stage/etc/carrot/carrot.json"
install -m 0644 README.md docs/architecture.md "$stage/usr/share/doc/carrot/"
for script in postinst postrm; do
    install -m 0755 "packaging/debian/$script" "$stage/DEBIAN/$script"
done
echo /etc/carrot/carrot.json > "$stage/DEBIAN/conffiles"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" \
    -e "s/@SIZE@/$(du -sk "$stage" | cut -f1)/" packaging/debian/control > "$stage/DEBIAN/control"

dpkg-deb --root-owner-group --build "$stage" artifacts/ >/dev/null
echo "artifacts/carrot_${version}_${arch}.deb ($(du -h "artifacts/carrot_${version}_${arch}.deb" | cut -f1))"
