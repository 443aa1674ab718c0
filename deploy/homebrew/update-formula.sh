#!/usr/bin/env bash
# Fill the Homebrew formula template with a release's version, URLs and checksums.
#
#   deploy/homebrew/update-formula.sh [URL_BASE] [OUT]
#
# URL_BASE  where the release archives are downloaded from, without a trailing slash; the formula
#           appends /llm-proxy-<version>-<os>-<arch>.tar.gz. Default:
#           https://github.com/llm-proxy/llm-proxy/releases/download/v<version>
# OUT       the filled formula; default dist/homebrew/llm-proxy.rb (the template stays untouched).
# Optional environment:
#   SUMS      the release's SHA256SUMS (default dist/release/SHA256SUMS, from `make release`)
#   VERSION   default: "version" in package.json
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
template="$root/deploy/homebrew/llm-proxy.rb"
version="${VERSION:-$(sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' "$root/package.json" | head -n1)}"
[ -n "$version" ] || { echo "cannot read the version from package.json; set VERSION" >&2; exit 1; }
url_base="${1:-https://github.com/llm-proxy/llm-proxy/releases/download/v$version}"
url_base="${url_base%/}"
out="${2:-$root/dist/homebrew/llm-proxy.rb}"
sums="${SUMS:-$root/dist/release/SHA256SUMS}"
[ -f "$sums" ] || { echo "missing $sums: run make release first" >&2; exit 1; }

args=(-e "s|@@VERSION@@|$version|g" -e "s|@@URL_BASE@@|$url_base|g")
for target in darwin-arm64 darwin-x64 linux-arm64 linux-x64; do
  archive="llm-proxy-$version-$target.tar.gz"
  sum="$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$sums")"
  [ -n "$sum" ] || { echo "$sums has no line for $archive" >&2; exit 1; }
  key="SHA256_$(echo "$target" | tr 'a-z-' 'A-Z_')"
  args+=(-e "s|@@$key@@|$sum|g")
done

mkdir -p "$(dirname "$out")"
sed "${args[@]}" "$template" > "$out"
# A placeholder left behind means the template and this script have drifted apart.
if grep -n '@@[A-Z0-9_]*@@' "$out" >&2; then echo "unfilled placeholders in $out" >&2; exit 1; fi
echo "wrote $out (llm-proxy $version)"
