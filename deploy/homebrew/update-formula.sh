#!/usr/bin/env bash
# Fill the Homebrew formula template with this release's version, URLs and checksums.
#
#   deploy/homebrew/update-formula.sh URL_BASE [OUT]
#
# URL_BASE  where the release binaries are downloaded from, without a trailing slash. The formula
#           appends /llm-proxy-<os>-<arch>. Example:
#           https://github.com/OWNER/llm-proxy/releases/download/v0.1.0
# OUT       the filled formula; default dist/homebrew/llm-proxy.rb. The template stays untouched,
#           so this can be re-run.
# Optional environment:
#   DIST      folder holding the make build-all binaries (default dist)
#   VERSION   default: "version" in package.json
#   HOMEPAGE  default: the GitHub repository in URL_BASE
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
template="$root/deploy/homebrew/llm-proxy.rb"

url_base="${1:?usage: $0 URL_BASE [OUT]   (e.g. https://github.com/OWNER/llm-proxy/releases/download/v0.1.0)}"
url_base="${url_base%/}"
out="${2:-$root/dist/homebrew/llm-proxy.rb}"
dist="${DIST:-$root/dist}"
version="${VERSION:-$(sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' "$root/package.json" | head -n1)}"
homepage="${HOMEPAGE:-${url_base%%/releases/*}}"
[ -n "$version" ] || { echo "cannot read the version from package.json; set VERSION" >&2; exit 1; }

# sha256sum on Linux, shasum on macOS (where release jobs often run).
sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

args=(-e "s|@@VERSION@@|$version|g" -e "s|@@URL_BASE@@|$url_base|g" -e "s|@@HOMEPAGE@@|$homepage|g")
for target in darwin-arm64 darwin-x64 linux-arm64 linux-x64; do
  bin="$dist/llm-proxy-$target"
  [ -f "$bin" ] || { echo "missing $bin: run make build-all first" >&2; exit 1; }
  key="SHA256_$(echo "$target" | tr 'a-z-' 'A-Z_')"
  args+=(-e "s|@@$key@@|$(sha256 "$bin")|g")
done

mkdir -p "$(dirname "$out")"
sed "${args[@]}" "$template" > "$out"
# A placeholder left behind means the template and this script have drifted apart.
if grep -n '@@[A-Z0-9_]*@@' "$out" >&2; then echo "unfilled placeholders in $out" >&2; exit 1; fi
echo "wrote $out (llm-proxy $version)"
