# Homebrew formula for llm-proxy's release archives (nothing is compiled on the user's machine).
#
# TEMPLATE: every @@…@@ placeholder is filled in by deploy/homebrew/update-formula.sh from the
# release's dist/release/SHA256SUMS (the release workflow does it and pushes the result to the
# tap, llm-proxy/homebrew-tap, as Formula/llm-proxy.rb). Users: brew install llm-proxy/tap/llm-proxy
class LlmProxy < Formula
  desc "Single-binary LLM API gateway: routing, translation, access control and usage"
  homepage "https://github.com/llm-proxy/llm-proxy"
  version "@@VERSION@@"
  license "MIT"

  on_macos do
    on_arm do
      url "@@URL_BASE@@/llm-proxy-@@VERSION@@-darwin-arm64.tar.gz"
      sha256 "@@SHA256_DARWIN_ARM64@@"
    end
    on_intel do
      url "@@URL_BASE@@/llm-proxy-@@VERSION@@-darwin-x64.tar.gz"
      sha256 "@@SHA256_DARWIN_X64@@"
    end
  end
  on_linux do
    on_arm do
      url "@@URL_BASE@@/llm-proxy-@@VERSION@@-linux-arm64.tar.gz"
      sha256 "@@SHA256_LINUX_ARM64@@"
    end
    on_intel do
      url "@@URL_BASE@@/llm-proxy-@@VERSION@@-linux-x64.tar.gz"
      sha256 "@@SHA256_LINUX_X64@@"
    end
  end

  livecheck do
    url :stable
    strategy :github_latest
  end

  def install
    bin.install "llm-proxy"
    pkgshare.install "config.example.yaml"
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
      # llm-proxy config. Every key is described in #{opt_pkgshare}/config.example.yaml.
      # Provider keys go into #{var}/llm-proxy/.env (KEY=value lines). The service starts in that
      # directory, and the proxy reads ./.env at startup.
      server: { host: 127.0.0.1, port: 8080 }
      providers:
        demo: { dialect: echo }                     # answers locally: no key needed
        openai: { dialect: openai-chat, api_key: "${OPENAI_API_KEY:-}" }
        anthropic: { dialect: anthropic, api_key: "${ANTHROPIC_API_KEY:-}" }
      models:
        echo: demo/echo
        "gpt-*": openai/*
        "claude-*": anthropic/*
      usage:
        store: sqlite:#{var}/llm-proxy/usage.db
    YAML
  end

  def caveats
    <<~EOS
      Config: #{etc}/llm-proxy/config.yaml   (check it: llm-proxy check -c #{etc}/llm-proxy/config.yaml)
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
    port = free_port
    (testpath/"config.yaml").write <<~YAML
      server: { host: 127.0.0.1, port: #{port} }
      providers: { demo: { dialect: echo } }
      models: { echo: demo/echo }
      usage: { store: none }
    YAML
    pid = spawn bin/"llm-proxy", "serve", "--config", testpath/"config.yaml"
    begin
      healthy = false
      50.times do
        healthy = quiet_system("curl", "-fsS", "http://127.0.0.1:#{port}/healthz")
        break if healthy

        sleep 0.2
      end
      assert healthy, "llm-proxy did not answer /healthz"
      assert_match "ok", shell_output("curl -fsS http://127.0.0.1:#{port}/healthz")
      system bin/"llm-proxy", "healthcheck", "--config", testpath/"config.yaml"
    ensure
      Process.kill("TERM", pid)
      Process.wait(pid)
    end
  end
end
