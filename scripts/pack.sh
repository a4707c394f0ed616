#!/usr/bin/env bash
# Packs Carrot's NuGet packages (each with its readme, license, XML docs, and a .snupkg of symbols):
#   bash scripts/pack.sh [--output DIR] [--version X.Y.Z[-suffix]]
# into artifacts/nuget by default, at the version in Directory.Build.props unless --version says otherwise.
# It builds into folders of its own (bin/pack, obj/pack in each project), so packing — at any version — never
# changes the build that the tests, the published programs and the .deb use.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

output=$PWD/artifacts/nuget
version=
while (( $# > 0 )); do
    case $1 in
        --output) output=$(realpath -m "${2:?--output needs a folder}"); shift 2 ;;
        --version) version=${2:?--version needs a version, e.g. 0.2.0 or 0.2.0-beta.1}; shift 2 ;;
        -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "pack.sh: unknown argument '${1:0:40}'. Use --output DIR and --version X.Y.Z[-suffix]." >&2; exit 2 ;;
    esac
done

projects=(Carrot.Abstractions Carrot.Core Carrot.Extensions.DependencyInjection)
properties=(-p:IntermediateOutputPath=obj/pack/ -p:OutputPath=bin/pack/)
if [[ -n $version ]]; then
    properties+=("-p:Version=$version")
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p "$output"
for project in "${projects[@]}"; do
    dotnet pack "$project" -c Release -nologo -clp:ErrorsOnly -o "$output" "${properties[@]}"
done
ls -1 "$output" | grep -E "^($(IFS='|'; echo "${projects[*]}"))\.${version:-[0-9]}" || true
