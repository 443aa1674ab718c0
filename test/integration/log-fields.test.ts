// logging.fields: lm-proxy users' logger field mapping on the JSON request line.
import { describe, expect, test } from 'bun:test'
import { ConfigError } from '../../src/config/config-error'
import { startGateway, testConfig } from '../helpers/proxy'

const chat = (model: string) =>
  new Request('http://proxy/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) })

describe('logging.fields', () => {
  test('renames fields and drops those mapped to false; the rest keep their names', async () => {
    const { gateway, logs } = await startGateway({
      providers: { demo: { dialect: 'echo' } },
      models: { fast: 'demo/echo-1' },
      logging: { level: 'info', fields: { model: 'requested_model', upstream_model: 'model', duration_ms: false } },
    })
    const res = await gateway.fetch(chat('fast'))
    expect(res.status).toBe(200)
    await res.text()
    await Bun.sleep(5)
    const line = logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'request')
    expect(line.requested_model).toBe('fast')
    expect(line.model).toBe('echo-1')
    expect(line.upstream_model).toBeUndefined()
    expect('duration_ms' in line).toBe(false)
    expect(line.provider).toBe('demo')
    await gateway.close()
  })

  test('a field the request line does not have is refused, naming the ones it has', () => {
    let err: unknown
    try {
      testConfig({ providers: { demo: { dialect: 'echo' } }, logging: { fields: { prompt: 'text' } } })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ConfigError)
    expect(String((err as Error).message)).toContain('logging.fields.prompt: the request line has no field prompt')
  })
})
