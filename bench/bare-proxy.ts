// The bare reference proxy every ratio is stated against: Bun.serve + fetch, forwarding method,
// path, headers and body to one upstream and streaming the answer back, rewriting nothing.
// Run: `bun bench/bare-proxy.ts --port N --upstream http://127.0.0.1:M`.
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : dflt
}
const upstream = arg('--upstream', 'http://127.0.0.1:19001')
const port = Number(arg('--port', '18081'))

const server = Bun.serve({
  hostname: '127.0.0.1',
  port,
  idleTimeout: 0,
  async fetch(req) {
    const path = req.url.slice(req.url.indexOf('/', 8))
    if (path === '/healthz') return new Response('ok')
    const headers = new Headers(req.headers)
    headers.delete('host')
    const res = await fetch(upstream + path, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : await req.arrayBuffer(),
      signal: req.signal,
      decompress: false,
    })
    return new Response(res.body, { status: res.status, headers: res.headers })
  },
})
process.stdout.write(`bare proxy on http://127.0.0.1:${server.port} -> ${upstream}\n`)
