// A client's broken request is the client's fault, never a 500 or an error log line: one that
// hangs up while sending its body is recorded as 499 client_disconnected; a request without a
// usable Host (HTTP/1.0 without one, a malformed one) is a 400.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startMock, type Mock } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'
import { openaiChat } from '../helpers/wire'

let up: Mock
let proxy: TestProxy
let port: number

beforeAll(async () => {
  up = startMock((r) => openaiChat(r, { text: 'ok' }))
  proxy = await startProxy({
    providers: { up: { dialect: 'openai-chat', base_url: `${up.url}/v1`, api_key: 'sk-client-faults-123456' } },
    models: { 'gpt-*': 'up/*' },
  })
  port = Number(new URL(proxy.url).port)
})
afterAll(() => {
  proxy.stop()
  up.stop()
})

/** writes raw bytes, optionally hangs up without reading; resolves with what came back */
function raw(bytes: string, o: { hangUpAfterMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => resolve(out), 3000)
    Bun.connect({
      hostname: '127.0.0.1',
      port,
      socket: {
        open(s) {
          s.write(bytes)
          if (o.hangUpAfterMs !== undefined)
            setTimeout(() => {
              s.end()
              clearTimeout(timer)
              resolve(out)
            }, o.hangUpAfterMs)
        },
        data(_s, d) {
          out += d.toString()
        },
        close() {
          clearTimeout(timer)
          resolve(out)
        },
        error(_s, e) {
          reject(e)
        },
      },
    }).catch(reject)
  })
}

const BODY = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })
const statusOf = (response: string) => Number(/^HTTP\/1\.[01] (\d{3})/.exec(response)?.[1] ?? 0)
const errorLines = (from: number) => proxy.logs.slice(from).filter((l) => JSON.parse(l).level === 'error')

async function until<T>(f: () => T | undefined, ms = 2000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const v = f()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error('timed out')
    await Bun.sleep(20)
  }
}

describe('a client that hangs up while sending its body', () => {
  test('is recorded as 499 client_disconnected, with no error log line', async () => {
    const from = proxy.logs.length
    const head = `POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 5000\r\n\r\n`
    await raw(head + BODY.slice(0, 30), { hangUpAfterMs: 100 })
    const line = await until(() => proxy.logs.slice(from).find((l) => l.includes('"request"') && l.includes('/v1/chat/completions')))
    const rec = JSON.parse(line)
    expect(rec.status).toBe(499)
    expect(rec.error_class).toBe('client_disconnected')
    expect(errorLines(from)).toEqual([])
    expect(up.received.length).toBe(0)
  })
})

describe('Host', () => {
  for (const [name, request] of [
    ['HTTP/1.0 without Host', `POST /v1/chat/completions HTTP/1.0\r\ncontent-type: application/json\r\ncontent-length: ${BODY.length}\r\n\r\n${BODY}`],
    ['a Host with a space', `POST /v1/chat/completions HTTP/1.1\r\nhost: exa mple\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${BODY.length}\r\n\r\n${BODY}`],
    ['a Host with a broken IPv6 literal', `POST /v1/chat/completions HTTP/1.1\r\nhost: [::1\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: ${BODY.length}\r\n\r\n${BODY}`],
    ['a Host with a path', `GET /v1/models HTTP/1.1\r\nhost: a/b?c\r\nconnection: close\r\n\r\n`],
  ] as const)
    test(`${name}: a 400, no error log line`, async () => {
      const from = proxy.logs.length
      const res = await raw(request)
      expect(statusOf(res)).toBe(400)
      expect(res).toContain('invalid_host')
      expect(errorLines(from)).toEqual([])
    })
})
