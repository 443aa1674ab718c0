// The pass-through tap keeps views of the first chunks of a stream (its sample) after they were
// enqueued for the client, instead of copying them. That holds only while Bun neither detaches
// nor reuses a chunk it has written to a response: checked here on a real server and client.
import { expect, test } from 'bun:test'

test('chunks enqueued into a streamed response keep their bytes after they were sent', async () => {
  const sent: Uint8Array[] = []
  const copies: Uint8Array[] = []
  const upstream = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: () =>
      new Response(
        new ReadableStream({
          async pull(c) {
            for (let i = 0; i < 20; i++) {
              c.enqueue(new TextEncoder().encode(`data: {"i":${i},"pad":"${'x'.repeat(i * 50)}"}\n\n`))
              await Bun.sleep(1)
            }
            c.close()
          },
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      ),
  })
  const proxy = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch() {
      const reader = (await fetch(`http://127.0.0.1:${upstream.port}/`)).body!.getReader()
      return new Response(
        new ReadableStream(
          {
            async pull(c) {
              const r = await reader.readMany()
              for (const v of r.value) {
                sent.push(v)
                copies.push(v.slice())
                c.enqueue(v)
              }
              if (r.done) c.close()
            },
          },
          { highWaterMark: 0 },
        ),
        { headers: { 'content-type': 'text/event-stream' } },
      )
    },
  })
  try {
    const text = await (await fetch(`http://127.0.0.1:${proxy.port}/`)).text()
    await Bun.sleep(20)
    Bun.gc(true)
    expect(sent.length).toBeGreaterThan(0)
    sent.forEach((v, i) => expect(v).toEqual(copies[i]))
    expect(new TextDecoder().decode(Buffer.concat(sent))).toBe(text)
  } finally {
    proxy.stop(true)
    upstream.stop(true)
  }
})
