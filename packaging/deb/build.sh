#!/usr/bin/env bash
# Builds the Debian package posturegate_<version>_amd64.deb (docs/deploy.md).
#   packaging/deb/build.sh [OUTDIR]        (default: artifacts/deb)
# Self-contained: `dotnet publish -r linux-x64 --self-contained` puts pgate and the .NET
# runtime in /usr/lib/posturegate, so the target needs no .NET packages (Debian ships none);
# /usr/bin/pgate links to it. Then dpkg-deb, files owned by root.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/packaging/deb"
out=${1:-$root/artifacts/deb}
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props" | head -n1)
[[ -n $version ]] || { echo "build.sh: no <Version> in Directory.Build.props" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
pkg="$stage/posturegate"
mkdir -p "$pkg/DEBIAN" "$pkg/usr/bin" "$pkg/lib/systemd/system" "$pkg/etc/posturegate" "$pkg/usr/share/doc/posturegate"

# Publish from a copy of the sources: a runtime-specific restore rewrites every project's
# obj/project.assets.json, which would break a build or test run going on in the tree meanwhile.
tree="$stage/tree"
mkdir -p "$tree"
tar -C "$root" --exclude=bin --exclude=obj -cf - Directory.Build.props Directory.Packages.props global.json src \
    $(cd "$root" && ls nuget.config NuGet.Config 2>/dev/null) | tar -C "$tree" -xf -
dotnet publish "$tree/src/PostureGate.Cli/PostureGate.Cli.csproj" -c Release -r linux-x64 --self-contained \
    -p:DebugType=none -p:GenerateDocumentationFile=false --nologo -v quiet -o "$pkg/usr/lib/posturegate"
ln -s ../lib/posturegate/pgate "$pkg/usr/bin/pgate"

install -m 0644 "$here"/units/*.service "$pkg/lib/systemd/system/"
install -D -m 0644 "$root/packaging/bash-completion/pgate" "$pkg/usr/share/bash-completion/completions/pgate"
install -m 0644 "$root/examples/dialup.conf" "$pkg/etc/posturegate/gateway.conf.example"
install -m 0644 "$here/client.env.example" "$pkg/etc/posturegate/client.env.example"
install -m 0644 "$root/README.md" "$root/docs/deploy.md" "$root/docs/operations.md" "$root/docs/configuration.md" \
    "$pkg/usr/share/doc/posturegate/"
install -m 0644 "$here/debian/conffiles" "$pkg/DEBIAN/conffiles"
install -m 0755 "$here/debian/postinst" "$here/debian/prerm" "$here/debian/postrm" "$pkg/DEBIAN/"
size=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" "$here/debian/control" >"$pkg/DEBIAN/control"

mkdir -p "$out"
deb="$out/posturegate_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zxz --build "$pkg" "$deb" >/dev/null
echo "$deb"
