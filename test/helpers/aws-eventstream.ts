// AWS event-stream messages for mock upstreams, framed with real CRCs. The CRC here is a plain
// table CRC-32/IEEE, independent of the Bun.hash.crc32 the proxy's decoder uses.
const TABLE = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

export function crc32(b: Uint8Array): number {
  let c = 0xffffffff
  for (let i = 0; i < b.length; i++) c = TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

const enc = new TextEncoder()

/** one message: string headers (type 7) and a payload */
export function encodeMessage(headers: Record<string, string>, payload: Uint8Array | string): Uint8Array {
  const body = typeof payload === 'string' ? enc.encode(payload) : payload
  const hs: number[] = []
  for (const [name, value] of Object.entries(headers)) {
    const n = enc.encode(name)
    const v = enc.encode(value)
    hs.push(n.length, ...n, 7, v.length >> 8, v.length & 255, ...v)
  }
  const total = 12 + hs.length + body.length + 4
  const out = new Uint8Array(total)
  const view = new DataView(out.buffer)
  view.setUint32(0, total)
  view.setUint32(4, hs.length)
  view.setUint32(8, crc32(out.subarray(0, 8)))
  out.set(hs, 12)
  out.set(body, 12 + hs.length)
  view.setUint32(total - 4, crc32(out.subarray(0, total - 4)))
  return out
}

export const eventMessage = (eventType: string, payload: unknown): Uint8Array =>
  encodeMessage({ ':event-type': eventType, ':content-type': 'application/json', ':message-type': 'event' }, JSON.stringify(payload))

export const exceptionMessage = (exceptionType: string, message: string): Uint8Array =>
  encodeMessage({ ':exception-type': exceptionType, ':content-type': 'application/json', ':message-type': 'exception' }, JSON.stringify({ message }))

/** an InvokeModelWithResponseStream chunk carrying one Anthropic stream event */
export const chunkMessage = (event: unknown): Uint8Array => eventMessage('chunk', { bytes: Buffer.from(JSON.stringify(event)).toString('base64'), p: 'abcdefgh' })
