import { describe, expect, test } from 'bun:test'
import { afterListen } from '../../../src/cli/after-listen'
import { bannerText, withTerminalDefaults } from '../../../src/cli/terminal'
import { resolveConfig } from '../../../src/config/load'

const base = { providers: { demo: { dialect: 'echo' }, o: { dialect: 'openai-chat', api_key: 'sk-banner-SECRET-1' } }, models: { 'gpt-*': 'o/*', echo: 'demo/echo' } }

describe('terminal defaults', () => {
  test('pretty logs on a terminal unless logging.format was written', () => {
    expect(withTerminalDefaults(resolveConfig(base, {}), true).logging.format).toBe('pretty')
    expect(withTerminalDefaults(resolveConfig(base, {}), false).logging.format).toBe('json')
    expect(withTerminalDefaults(resolveConfig({ ...base, logging: { format: 'json' } }, {}), true).logging.format).toBe('json')
  })

  test('the banner: version, URL, providers, models, a curl to paste; no key in it', () => {
    const text = bannerText(resolveConfig(base, {}), 'http://0.0.0.0:8080', '9.9.9')
    expect(text).toContain('llm-proxy 9.9.9 listening on http://127.0.0.1:8080')
    expect(text).toContain('providers  demo (echo), o (openai-chat, 1 key)')
    expect(text).toContain('models     gpt-*, echo')
    expect(text).toContain(`curl http://127.0.0.1:8080/v1/chat/completions -H 'content-type: application/json' \\`)
    expect(text).toContain(`-d '{"model":"echo","messages":[{"role":"user","content":"hello"}]}'`)
    expect(text).not.toContain('SECRET')
    const keyed = bannerText(resolveConfig(base, { LLM_PROXY_API_KEY: 'pk-banner-SECRET-2' }), 'http://127.0.0.1:9', '1')
    expect(keyed).toContain('-H "authorization: Bearer $LLM_PROXY_API_KEY"')
    expect(keyed).toContain('(client key required)')
    expect(keyed).not.toContain('SECRET')
  })

  test('printed only to a terminal', () => {
    const cfg = resolveConfig(base, {})
    const log = { info() {}, warn() {}, debug() {} }
    let written = ''
    afterListen({ config: cfg, url: 'http://127.0.0.1:1', log }, { isTTY: false, write: (s: string) => (written += s) })
    expect(written).toBe('')
    afterListen({ config: cfg, url: 'http://127.0.0.1:1', log }, { isTTY: true, write: (s: string) => (written += s) })
    expect(written).toContain('listening on http://127.0.0.1:1')
  })
})
