#!/bin/sh
# Install llm-proxy from a release: picks the archive for this machine, verifies it against the
# release's SHA256SUMS, installs the binary to PREFIX/bin and the example config to
# PREFIX/share/llm-proxy.
#
#   curl -fsSL https://github.com/llm-proxy/llm-proxy/releases/latest/download/install.sh | sh
#   sh install.sh [--version 0.1.0] [--prefix /usr/local] [--base-url URL]
#
# --version   default: the latest release
# --prefix    default: /usr/local when writable, else ~/.local
# --base-url  where the archives and SHA256SUMS are (default: the GitHub release of --version);
#             file:// and http:// work too, for mirrors and tests
# The same settings can come from LLM_PROXY_VERSION, LLM_PROXY_PREFIX, LLM_PROXY_BASE_URL.
set -eu

REPO="llm-proxy/llm-proxy"
version="${LLM_PROXY_VERSION:-}"
prefix="${LLM_PROXY_PREFIX:-}"
base_url="${LLM_PROXY_BASE_URL:-}"

die() { echo "install.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --version) version="${2:?--version needs a value}"; shift 2 ;;
    --prefix) prefix="${2:?--prefix needs a value}"; shift 2 ;;
    --base-url) base_url="${2:?--base-url needs a value}"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done

fetch() { # URL FILE
  if command -v curl >/dev/null 2>&1; then curl -fsSL "$1" -o "$2"
  elif command -v wget >/dev/null 2>&1; then wget -q "$1" -O "$2"
  else die "needs curl or wget"; fi
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  else die "needs sha256sum or shasum to verify the download"; fi
}

# this machine as a release target: linux-x64, linux-arm64(-musl), darwin-x64, darwin-arm64
os="$(uname -s)"
case "$os" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) die "no release archive for $os; on Windows download the .zip from https://github.com/$REPO/releases" ;;
esac
arch="$(uname -m)"
case "$arch" in
  x86_64|amd64) arch=x64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) die "no release archive for $arch" ;;
esac
target="$os-$arch"
if [ "$os" = linux ] && { ls /lib/ld-musl-* >/dev/null 2>&1 || ldd --version 2>&1 | grep -qi musl; }; then
  target="$target-musl"
fi

if [ -z "$version" ]; then
  [ -z "$base_url" ] || die "--base-url needs --version"
  tmpjson="$(mktemp)"
  fetch "https://api.github.com/repos/$REPO/releases/latest" "$tmpjson"
  version="$(sed -n 's/.*"tag_name": *"v\{0,1\}\([^"]*\)".*/\1/p' "$tmpjson" | head -n1)"
  rm -f "$tmpjson"
  [ -n "$version" ] || die "could not find the latest release; pass --version"
fi
version="${version#v}"
base_url="${base_url:-https://github.com/$REPO/releases/download/v$version}"
base_url="${base_url%/}"

if [ -z "$prefix" ]; then
  if [ -w /usr/local/bin ] || { [ ! -e /usr/local/bin ] && [ -w /usr/local ]; }; then prefix=/usr/local; else prefix="$HOME/.local"; fi
fi

archive="llm-proxy-$version-$target.tar.gz"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT INT TERM
echo "downloading $base_url/$archive"
fetch "$base_url/$archive" "$work/$archive" || die "cannot download $base_url/$archive"
fetch "$base_url/SHA256SUMS" "$work/SHA256SUMS" || die "cannot download $base_url/SHA256SUMS"
want="$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$work/SHA256SUMS")"
[ -n "$want" ] || die "SHA256SUMS has no line for $archive"
got="$(sha256 "$work/$archive")"
[ "$want" = "$got" ] || die "checksum mismatch for $archive: expected $want, got $got (download corrupted or tampered with)"

mkdir -p "$work/x"
tar -xzf "$work/$archive" -C "$work/x"
[ -f "$work/x/llm-proxy" ] || die "$archive holds no llm-proxy binary"
mkdir -p "$prefix/bin" "$prefix/share/llm-proxy"
# install to a temporary name, then rename: a running llm-proxy keeps its old file
cp "$work/x/llm-proxy" "$prefix/bin/.llm-proxy.new"
chmod 0755 "$prefix/bin/.llm-proxy.new"
if [ "$os" = darwin ] && command -v codesign >/dev/null 2>&1; then codesign --force --sign - "$prefix/bin/.llm-proxy.new" >/dev/null 2>&1 || true; fi
mv -f "$prefix/bin/.llm-proxy.new" "$prefix/bin/llm-proxy"
cp "$work/x/config.example.yaml" "$work/x/README.md" "$work/x/LICENSE" "$prefix/share/llm-proxy/"

echo "installed $("$prefix/bin/llm-proxy" version) to $prefix/bin/llm-proxy"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "add $prefix/bin to your PATH" ;; esac
echo "start: llm-proxy init && llm-proxy -c config.yaml   (example config: $prefix/share/llm-proxy/config.example.yaml)"
