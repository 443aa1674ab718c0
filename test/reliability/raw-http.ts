// A minimal HTTP/1.1 client on raw sockets, for load: Bun's fetch caps requests in flight per
// process (BUN_CONFIG_MAX_HTTP_REQUESTS, 256 by default), which would queue 1,000 "concurrent"
// streams behind each other. One connection per request, `connection: close`, body de-chunked.

export interface RawResponse {
  status: number
  headers: Map<string, string>
  body: string
}

export interface RawRequest {
  port: number
  method?: string
  path: string
  headers?: Record<string, string>
  body?: string
  /** hang up after this many body bytes arrived (a client that leaves mid-stream) */
  leaveAfterBytes?: number
  timeoutMs?: number
}

const enc = new TextEncoder()

export function rawRequest(o: RawRequest): Promise<RawResponse> {
  const body = o.body ?? ''
  const head =
    `${o.method ?? 'POST'} ${o.path} HTTP/1.1\r\nhost: 127.0.0.1:${o.port}\r\nconnection: close\r\n` +
    Object.entries({ 'content-type': 'application/json', ...o.headers })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('') +
    `content-length: ${enc.encode(body).byteLength}\r\n\r\n`
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let headEnd = -1
    let settled = false
    let socket: { terminate(): void } | undefined
    const finish = (err?: Error) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      // a timed-out request hangs up too: the server must see the client leave
      if (err) socket?.terminate()
      if (err) return reject(err)
      try {
        resolve(parse(Buffer.concat(chunks, size)))
      } catch (e) {
        reject(e as Error)
      }
    }
    const timer = setTimeout(() => finish(new Error(`no complete answer within ${o.timeoutMs ?? 30_000} ms`)), o.timeoutMs ?? 30_000)
    Bun.connect({
      hostname: '127.0.0.1',
      port: o.port,
      socket: {
        open(s) {
          socket = s
          s.write(head + body)
        },
        data(s, d) {
          chunks.push(Buffer.from(d))
          size += d.byteLength
          if (o.leaveAfterBytes !== undefined) {
            if (headEnd < 0) headEnd = Buffer.concat(chunks, size).indexOf('\r\n\r\n')
            if (headEnd >= 0 && size - headEnd - 4 >= o.leaveAfterBytes) {
              s.terminate()
              finish()
            }
          }
        },
        close: () => finish(),
        error: (_s, e) => finish(e),
        connectError: (_s, e) => finish(e),
      },
    }).catch((e: Error) => finish(e))
  })
}

function parse(buf: Buffer): RawResponse {
  const end = buf.indexOf('\r\n\r\n')
  if (end < 0) throw new Error(`no HTTP head in ${buf.byteLength} bytes`)
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n')
  const status = Number(lines[0].split(' ')[1])
  const headers = new Map<string, string>()
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':')
    headers.set(l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim())
  }
  let rest = buf.subarray(end + 4)
  if (headers.get('transfer-encoding')?.includes('chunked')) rest = dechunk(rest)
  return { status, headers, body: rest.toString('utf8') }
}

/** chunked transfer coding → bytes (a cut-off final chunk keeps what arrived) */
function dechunk(b: Buffer): Buffer {
  const parts: Buffer[] = []
  let i = 0
  while (i < b.byteLength) {
    const nl = b.indexOf('\r\n', i)
    if (nl < 0) break
    const n = parseInt(b.subarray(i, nl).toString('latin1'), 16)
    if (!Number.isFinite(n) || n === 0) break
    parts.push(b.subarray(nl + 2, Math.min(b.byteLength, nl + 2 + n)))
    i = nl + 2 + n + 2
  }
  return Buffer.concat(parts)
}
