#!/usr/bin/env bash
# Builds artifacts/carrot_VERSION_ARCH.deb with dpkg-deb: carrot and carrotd published self-contained into one
# folder, /usr/lib/carrot (they share the .NET runtime files there; ReadyToRun for a fast CLI start), symlinked
# from /usr/bin; the systemd unit; a default /etc/carrot/carrot.json (a conffile); docs; bash completion; and the
# maintainer scripts. Self-contained because neither Debian nor this machine has a dotnet-runtime-10.0 package
# to depend on. Needs the .NET SDK (and NuGet for the runtime packs) and dpkg-deb. Prints the package's path.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
arch=$(dpkg --print-architecture)
case $arch in
    amd64) rid=linux-x64 ;;
    arm64) rid=linux-arm64 ;;
    *) echo "build-deb.sh: no .NET runtime identifier for $arch" >&2; exit 1 ;;
esac
package=artifacts/carrot_${version}_${arch}.deb
stage=artifacts/deb/carrot_${version}_${arch}
lib=$stage/usr/lib/carrot
doc=$stage/usr/share/doc/carrot
rm -rf "$stage" "$package"
mkdir -p "$stage/DEBIAN" "$lib" "$stage/usr/bin" "$stage/lib/systemd/system" "$stage/etc/carrot" "$doc" \
    "$stage/usr/share/bash-completion/completions"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# All into one folder: the runtime and the shared libraries are the same files for every program (carrot-runner
# beside carrotd is where carrotd looks for it, for workers with isolation "process").
for project in Carrot.Cli Carrot.Daemon Carrot.Runner; do
    dotnet publish "$project" -c Release -r "$rid" --self-contained true -p:PublishReadyToRun=true \
        -p:SatelliteResourceLanguages=en -o "$lib" -nologo -v q -clp:ErrorsOnly
done
ln -s ../lib/carrot/carrot "$stage/usr/bin/carrot"
ln -s ../lib/carrot/carrotd "$stage/usr/bin/carrotd"

install -m 0644 systemd/carrotd.service "$stage/lib/systemd/system/carrotd.service"
install -m 0640 packaging/debian/carrot.json "$stage/etc/carrot/carrot.json"
install -m 0644 packaging/completion/carrot.bash "$stage/usr/share/bash-completion/completions/carrot"
install -m 0644 README.md docs/architecture.md packaging/debian/copyright "$doc/"
sed "s/@VERSION@/$version/" packaging/debian/changelog | gzip -9n > "$doc/changelog.gz"
chmod 0644 "$doc/changelog.gz"
for script in postinst prerm postrm; do
    install -m 0755 "packaging/debian/$script" "$stage/DEBIAN/$script"
done
echo /etc/carrot/carrot.json > "$stage/DEBIAN/conffiles"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" \
    -e "s/@SIZE@/$(du -sk --exclude=DEBIAN "$stage" | cut -f1)/" packaging/debian/control > "$stage/DEBIAN/control"

# Every file is root's: dpkg-deb records owners as they are in the stage.
dpkg-deb --root-owner-group -Zxz --build "$stage" "$package" >/dev/null
echo "$package ($(du -h "$package" | cut -f1))"
