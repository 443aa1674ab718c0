// `llm-proxy init`: a commented starter config from the provider keys in the environment. The
// file names the variables (`${OPENAI_API_KEY:-}`), never their values; providers whose variable
// is unset are written commented out, ready to switch on. Pure text building + one write.
import { existsSync, writeFileSync } from 'node:fs'
import { knownProviders } from '../config/known-providers'
import { dialects } from '../dialects'

type Env = Record<string, string | undefined>

const q = (s: string) => (/^[\w.-]+$/.test(s) && !/^[*]/.test(s) ? s : JSON.stringify(s))

export function starterConfig(env: Env, now = new Date()): { text: string; found: string[] } {
  const found: string[] = []
  const providers: string[] = ['  demo: { dialect: echo }   # answers locally, no key: try the model "echo"']
  const models: string[] = ['  echo: demo/echo']
  // the dialects' own providers are always written (commented out when their key is unset);
  // the compatible services only when their key is set, the rest named in one comment
  const own = new Set(dialects().flatMap((d) => (d.discovery ? [d.discovery.provider] : [])))
  const others: string[] = []
  for (const k of knownProviders()) {
    const v = k.env.find((name) => env[name])
    const on = v !== undefined
    if (!on && !own.has(k.name)) {
      others.push(`${k.name} (${k.env[0]})`)
      continue
    }
    if (on) found.push(`${k.name} (${v})`)
    const c = on ? '' : '# '
    const why = on ? `# found ${v}` : `# ${k.env.join(' / ')} not set`
    const url = own.has(k.name) ? '' : `, base_url: ${k.base_url}`
    providers.push(`  ${c}${k.name}: { dialect: ${k.dialect}${url}, api_key: "\${${v ?? k.env[0]}:-}" }   ${why}`)
    for (const f of k.families) models.push(`  ${c}${q(f)}: ${k.name}/*`)
  }
  if (others.length) providers.push(`  # also known by name (set its key and run init again): ${others.join(', ')}`)
  const text = `# llm-proxy config, started by \`llm-proxy init\` on ${now.toISOString().slice(0, 10)}.
# Keys stay in the environment (or ./.env): \${VAR:-} is read when the proxy starts.
# Every key is described in config.example.yaml. Check this file: llm-proxy check -c config.yaml
# Run it: llm-proxy -c config.yaml

server:
  host: 127.0.0.1            # 0.0.0.0 serves other machines: then require client keys (auth below)
  port: 8080

providers:                   # named upstreams
${providers.join('\n')}

models:                      # the first key matching the requested name wins; provider/model always routes
${models.join('\n')}

# auth:                      # require a client key (LLM_PROXY_API_KEY=... in the environment adds one too)
#   keys:
#     - { key: "\${LLM_PROXY_CLIENT_KEY:-}", name: me }

# pricing:                   # USD per million tokens; built-in prices cover the well-known models
#   "my-model*": { input: 1, output: 2 }

logging:
  level: info                # debug: one line per upstream attempt (or LLM_PROXY_DEBUG=1)
  # bodies: true             # log request and response bodies (redacted, capped) to debug a client

usage:
  store: sqlite:./llm-proxy.db   # the ledger \`llm-proxy usage\` reads; none to keep nothing
`
  return { text, found }
}

/** Writes the starter config; returns the message for the user, or throws with the reason. */
export function runInit(env: Env, out: string, force: boolean, write = writeFileSync): { output: string; message: string } {
  const { text, found } = starterConfig(env)
  if (out === '-') return { output: text, message: '' }
  if (existsSync(out) && !force) throw new Error(`${out} already exists; pass --force to overwrite it, or --out another path`)
  write(out, text, { mode: 0o600 })
  const providers = found.length ? `providers from the environment: ${found.join(', ')}` : 'no provider key found in the environment (OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, …); the demo echo model works without one'
  return { output: '', message: `wrote ${out}: ${providers}\nnext: llm-proxy check -c ${out} && llm-proxy -c ${out}\n` }
}
