# Homebrew formula for llm-proxy's prebuilt binaries (the single files from `make build-all`;
# nothing is compiled on the user's machine).
#
# TEMPLATE: every @@…@@ placeholder below is filled in by the release step, never by hand:
#   make build-all
#   deploy/homebrew/update-formula.sh https://github.com/OWNER/llm-proxy/releases/download/v0.1.0
# That writes dist/homebrew/llm-proxy.rb with the version (from package.json), the download URLs
# and the sha256 of each dist/llm-proxy-<os>-<arch>. Upload those four binaries to the release
# under the same names, then commit the generated file to the tap (Formula/llm-proxy.rb).
class LlmProxy < Formula
  desc "Single-binary LLM API gateway: routing, translation, access control and usage"
  homepage "@@HOMEPAGE@@"
  version "@@VERSION@@"

  on_macos do
    on_arm do
      url "@@URL_BASE@@/llm-proxy-darwin-arm64"
      sha256 "@@SHA256_DARWIN_ARM64@@"
    end
    on_intel do
      url "@@URL_BASE@@/llm-proxy-darwin-x64"
      sha256 "@@SHA256_DARWIN_X64@@"
    end
  end
  on_linux do
    on_arm do
      url "@@URL_BASE@@/llm-proxy-linux-arm64"
      sha256 "@@SHA256_LINUX_ARM64@@"
    end
    on_intel do
      url "@@URL_BASE@@/llm-proxy-linux-x64"
      sha256 "@@SHA256_LINUX_X64@@"
    end
  end

  def install
    # The download is the bare executable, staged under its URL's file name.
    os = OS.mac? ? "darwin" : "linux"
    arch = Hardware::CPU.arm? ? "arm64" : "x64"
    bin.install "llm-proxy-#{os}-#{arch}" => "llm-proxy"
    # `bun build --compile` adds the app to the executable after the linker has signed it.
    # Apple silicon kills a binary whose signature does not match, so sign it again ad hoc.
    # This is harmless if the signature was already valid.
    system "codesign", "--force", "--sign", "-", bin/"llm-proxy" if OS.mac?
  end

  def post_install
    (var/"llm-proxy").mkpath
    config = etc/"llm-proxy/config.yaml"
    return if config.exist? # never overwrite the user's config on upgrade

    config.dirname.mkpath
    config.write <<~YAML
      # llm-proxy config. Every key is listed in the project's config/config.example.yaml.
      # Provider keys go into #{var}/llm-proxy/.env (KEY=value lines). The service starts in that
      # directory, and the proxy reads ./.env at startup.
      server: { host: 127.0.0.1, port: 8080 }
      providers:
        demo: { dialect: echo }                     # answers locally: no key needed
        openai: { dialect: openai-chat, api_key: "${OPENAI_API_KEY:-}" }
      models:
        echo: demo/echo
        "gpt-*": openai/*
      usage:
        store: sqlite:#{var}/llm-proxy/usage.db
    YAML
  end

  def caveats
    <<~EOS
      Config: #{etc}/llm-proxy/config.yaml
        apply edits with: brew services restart llm-proxy (it drains in-flight requests first)
      Keys:   #{var}/llm-proxy/.env
      Data:   #{var}/llm-proxy/usage.db
      Logs:   #{var}/log/llm-proxy.log
    EOS
  end

  service do
    run [opt_bin/"llm-proxy", "serve", "--config", etc/"llm-proxy/config.yaml"]
    # Restart after a crash or a non-zero exit, but not after a clean stop. This matches
    # systemd's Restart=on-failure.
    keep_alive successful_exit: false
    working_dir var/"llm-proxy"
    log_path var/"log/llm-proxy.log"
    error_log_path var/"log/llm-proxy.log"
  end

  test do
    assert_match "llm-proxy #{version}", shell_output("#{bin}/llm-proxy version")
  end
end
