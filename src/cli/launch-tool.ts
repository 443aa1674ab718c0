// `llm-proxy claude` / `llm-proxy codex`: run Claude Code or Codex CLI through this proxy with one
// command (as `ccr code` does for claude-code-router). Reuses an llm-proxy already answering on the
// configured address, otherwise starts one for the session (its own process group, so the Ctrl-C
// the tool handles does not stop it; logs to a file, so they do not draw over the tool's screen),
// and stops it when the tool exits. The tool's exit status is ours.
import { closeSync, openSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Config } from '../config/types'
import { probeUrl } from './healthcheck'
import { selfCommand } from './upstream-concurrency'

export type Tool = 'claude' | 'codex'
type Env = Record<string, string | undefined>

const INSTALL: Record<Tool, string> = {
  claude: 'npm install -g @anthropic-ai/claude-code',
  codex: 'npm install -g @openai/codex',
}

/** The key the tool presents: LLM_PROXY_API_KEY, else the config's first plain client key. */
export function clientKeyFor(cfg: Pick<Config, 'auth'>, env: Env): string {
  return env.LLM_PROXY_API_KEY || cfg.auth?.keys.find((k) => k.key)?.key || 'llm-proxy-local'
}

/** Environment and arguments for the tool: pure, so tests can check them without launching. */
export function toolInvocation(tool: Tool, baseUrl: string, key: string, model: string | undefined, args: string[], env: Env): { argv: string[]; env: Env } {
  if (tool === 'claude') {
    // the bearer token needs no "use this API key?" prompt; a real Anthropic key must not override it
    const out: Env = { ...env, ANTHROPIC_BASE_URL: baseUrl, ANTHROPIC_AUTH_TOKEN: key, ANTHROPIC_API_KEY: undefined }
    // the main model and the small/fast one Claude Code uses for background tasks
    if (model) Object.assign(out, { ANTHROPIC_MODEL: model, ANTHROPIC_DEFAULT_HAIKU_MODEL: model, ANTHROPIC_SMALL_FAST_MODEL: model })
    return { argv: ['claude', ...args], env: out }
  }
  const c = (kv: string) => ['-c', kv]
  const overrides = [
    ...c('model_provider="llm_proxy"'),
    ...c('model_providers.llm_proxy.name="llm-proxy"'),
    ...c(`model_providers.llm_proxy.base_url=${JSON.stringify(`${baseUrl}/v1`)}`),
    ...c('model_providers.llm_proxy.wire_api="responses"'),
    ...c('model_providers.llm_proxy.env_key="LLM_PROXY_CODEX_KEY"'),
    ...(model ? c(`model=${JSON.stringify(model)}`) : []),
  ]
  return { argv: ['codex', ...overrides, ...args], env: { ...env, LLM_PROXY_CODEX_KEY: key } }
}

/** Our own arguments for a `serve` child: the tool-only ones (--model, after --) removed. */
export function serveArgs(argv: readonly string[]): string[] {
  const dash = argv.indexOf('--')
  const own = (dash < 0 ? argv : argv.slice(0, dash)).slice(1)
  const out: string[] = []
  for (let i = 0; i < own.length; i++) {
    if (own[i] === '--model') i++
    else if (!own[i].startsWith('--model=')) out.push(own[i])
  }
  return ['serve', ...out]
}

async function isLlmProxy(healthUrl: string): Promise<'yes' | 'other' | 'none'> {
  try {
    const res = await fetch(healthUrl.replace(/\/healthz$/, '/health'), { signal: AbortSignal.timeout(5000) })
    const body = (await res.json().catch(() => null)) as { version?: unknown; providers?: unknown } | null
    return body && typeof body.version === 'string' && Array.isArray(body.providers) ? 'yes' : 'other'
  } catch (err) {
    return (err as Error).name === 'TimeoutError' ? 'other' : 'none'
  }
}

const clean = (env: Env): Record<string, string> => Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined))

export async function runTool(tool: Tool, cfg: Config, argv: readonly string[], model: string | undefined, toolArgs: string[]): Promise<number> {
  const health = probeUrl(cfg.server)
  const baseUrl = health.replace(/\/healthz$/, '')
  const say = (s: string) => process.stderr.write(`llm-proxy: ${s}\n`)
  if (!Bun.which(tool)) {
    say(`${tool} was not found on PATH; install it with: ${INSTALL[tool]}`)
    return 127
  }
  let child: ReturnType<typeof Bun.spawn> | undefined
  const state = await isLlmProxy(health)
  if (state === 'other') {
    say(`${baseUrl} is taken by something that is not llm-proxy; choose another port with --port`)
    return 1
  }
  if (state === 'yes') say(`using the llm-proxy already running at ${baseUrl}`)
  else {
    const log = join(tmpdir(), `llm-proxy-${tool}-${process.pid}.log`)
    const fd = openSync(log, 'a', 0o600)
    const self = selfCommand(process)
    child = Bun.spawn([...self, ...serveArgs(argv)], { stdin: 'ignore', stdout: fd, stderr: fd, env: clean(process.env), detached: true } as Parameters<typeof Bun.spawn>[1])
    closeSync(fd)
    const deadline = performance.now() + 15_000
    while ((await isLlmProxy(health)) !== 'yes') {
      if (child.exitCode !== null || performance.now() > deadline) {
        child.kill('SIGKILL')
        say(`the proxy did not start (exit ${child.exitCode ?? 'none'}); its log: ${log}`)
        return 1
      }
      await Bun.sleep(50)
    }
    say(`started llm-proxy at ${baseUrl} for this ${tool} session (log: ${log})`)
  }
  const inv = toolInvocation(tool, baseUrl, clientKeyFor(cfg, process.env), model, toolArgs, process.env)
  // the tool owns the terminal: Ctrl-C is its business, not ours
  const ignore = () => {}
  process.on('SIGINT', ignore)
  let code: number
  try {
    const p = Bun.spawn(inv.argv, { stdio: ['inherit', 'inherit', 'inherit'], env: clean(inv.env) })
    code = await p.exited
  } catch {
    say(`${tool} was not found on PATH; install it with: ${INSTALL[tool]}`)
    code = 127
  } finally {
    process.off('SIGINT', ignore)
    if (child) {
      child.kill('SIGTERM')
      await Promise.race([child.exited, Bun.sleep(12_000).then(() => child!.kill('SIGKILL'))])
    }
  }
  return code
}
