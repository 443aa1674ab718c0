// llm-proxy configs for the benchmark (YAML per docs/config.md): the plain one, and
// the one with auth, a rate limit and the sqlite usage ledger.

export const BENCH_KEY = 'sk-bench-client-0000000000000000'

export function proxyConfig(port: number, mockPort: number, opts: { auth?: boolean; dbPath?: string } = {}): string {
  const lines = [
    `server: { host: 127.0.0.1, port: ${port} }`,
    'providers:',
    `  mock-openai: { dialect: openai-chat, base_url: "http://127.0.0.1:${mockPort}/v1", api_key: "sk-bench-upstream" }`,
    `  mock-anthropic: { dialect: anthropic, base_url: "http://127.0.0.1:${mockPort}", api_key: "sk-ant-bench" }`,
    'models:',
    '  "gpt-*": mock-openai/*',
    '  "claude-*": mock-anthropic/*',
    'logging: { level: warn, requests: false }',
  ]
  if (opts.auth) {
    lines.push(
      `auth: { keys: [{ key: "${BENCH_KEY}", name: bench, group: default }], groups: { default: { models: ["*"], providers: ["*"], rpm: 100000000 } } }`,
      `usage: { store: "sqlite:${opts.dbPath}" }`,
    )
  } else lines.push('usage: { store: none }')
  return lines.join('\n') + '\n'
}
