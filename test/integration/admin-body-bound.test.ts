// The admin API's body is bounded while it is read, chunked or not: /admin/login is reachable
// before any key is checked.
import { expect, test } from 'bun:test'
import { startGateway } from '../helpers/proxy'

test('a chunked body past 64 KiB to /admin/login is a 413, read no further', async () => {
  const { gateway } = await startGateway({ usage: { store: 'none' }, admin: { keys: [{ key: 'admin-key-0123456789abcdef', name: 'root' }] }, providers: { demo: { dialect: 'echo' } } })
  try {
    let sent = 0
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        // 1 MiB in 16 KiB chunks, no content-length
        if (sent >= 1 << 20) return c.close()
        sent += 16_384
        c.enqueue(new Uint8Array(16_384).fill(32))
      },
    })
    const res = await gateway.fetch(new Request('http://proxy.test/admin/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit))
    expect(res.status).toBe(413)
    expect(sent).toBeLessThan(1 << 20)
  } finally {
    await gateway.close()
  }
})
