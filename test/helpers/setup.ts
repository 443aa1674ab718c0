// Preloaded by bun test (bunfig.toml): keep tests hermetic.
process.env.LLM_PROXY_LOG_LEVEL ??= 'error'
