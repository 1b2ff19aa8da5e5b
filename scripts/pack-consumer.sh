#!/usr/bin/env bash
# Packs the harness library (and ConvRef, which it depends on) into a local folder, then creates a
# throwaway consumer project outside the repository that restores the package from that folder,
# builds, and runs one case through the harness: ConvRef's vectorized algorithm judged against
# TorchSharp, and a case of the convolution family through the public runner. Exit 0 means the package restores and works on this machine, TorchSharp loading
# included: on Debian 12 only because the package's buildTransitive targets patched the
# consumer's own copy of libLibTorchSharp.so (docs/library.md#the-package).
#
# Usage: scripts/pack-consumer.sh [work-dir]   (default: a new temporary directory, removed at the end)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-}"
if [[ -z "$work" ]]; then
  work="$(mktemp -d -t convcompare-consumer-XXXXXX)"
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work/feed" "$work/consumer"
# A version of its own per run, so the global NuGet cache never serves an older pack of the same number.
version="0.1.0-local.$(date +%s)"

for project in src/ConvRef/ConvRef.csproj src/ConvCompare.Harness/ConvCompare.Harness.csproj; do
  dotnet pack "$root/$project" -c Release -o "$work/feed" -p:Version="$version" --nologo -v quiet
done
ls "$work/feed"
unzip -l "$work/feed/ConvCompare.Harness.$version.nupkg" | grep "buildTransitive/ConvCompare.Harness.targets" > /dev/null \
  || { echo "pack-consumer: the package lacks buildTransitive/ConvCompare.Harness.targets" >&2; exit 1; }

cat > "$work/consumer/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local-feed" value="$work/feed" />
  </packageSources>
</configuration>
XML
cat > "$work/consumer/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="ConvCompare.Harness" Version="$version" />
  </ItemGroup>
</Project>
XML
cat > "$work/consumer/Program.cs" <<'CS'
using ConvCompare.Checking;
using ConvCompare.Implementations;
using ConvRef;

var registry = ImplementationRegistry.CreateDefault();
var vectorized = new ConvRefImplementation(Conv2dAlgorithm.Vectorized);
const string id = "n2c3h7w7-o4k3x3-s1x1-p1,1,1,1-d1x1-g1-f64-v1";
Conformance.Assert(vectorized, id);
Console.WriteLine($"consumer: registered {string.Join(", ", registry.Names)}; {vectorized.Name} passed {id} against {registry.OracleName} (TorchSharp loaded)");
// The public runner and its reports, on a case of the family that ConvRef declares.
const string family = "conv_transpose1d-n2c2w5-o4k3-s2-p1,1-op1-d1-g2-f64-v9";
var outcome = new HarnessRunner([vectorized]).Check(family)[0];
if (!outcome.Pass)
    throw new InvalidOperationException($"{family}: {outcome.Implementation} did not pass");
Console.WriteLine($"consumer: the public runner passed {outcome.Implementation} on {family}");
CS

cd "$work/consumer"
dotnet build -c Release --nologo -v quiet
readelf -V $(find bin -name libLibTorchSharp.so | head -1) | grep "GLIBCXX_3.4.32  Flags: WEAK" > /dev/null \
  || { echo "pack-consumer: the consumer's libLibTorchSharp.so was not patched" >&2; exit 1; }
dotnet run -c Release --no-build
echo "pack-consumer: output folder $(du -sh bin | cut -f1)"
