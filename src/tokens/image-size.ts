// Pixel dimensions of a base64 image read from its header, without decoding the whole payload:
// only the few bytes each format needs are decoded (JPEG walks its segment headers).
export interface ImageSize {
  width: number
  height: number
}

/** `len` bytes starting at byte `offset` of a base64 payload (undefined past the end) */
function bytesAt(b64: string, offset: number, len: number): Uint8Array | undefined {
  const first = Math.floor(offset / 3)
  const last = Math.ceil((offset + len) / 3)
  const chunk = Buffer.from(b64.slice(first * 4, last * 4), 'base64')
  const skip = offset - first * 3
  if (chunk.length < skip + len) return undefined
  return chunk.subarray(skip, skip + len)
}

const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to))

function pngSize(h: Uint8Array): ImageSize | undefined {
  // signature (8) + IHDR length (4) + "IHDR" (4) + width (4, BE) + height (4, BE)
  if (h.length < 24 || h[0] !== 0x89 || ascii(h, 1, 4) !== 'PNG' || ascii(h, 12, 16) !== 'IHDR') return undefined
  const v = new DataView(h.buffer, h.byteOffset, h.byteLength)
  return { width: v.getUint32(16), height: v.getUint32(20) }
}

function gifSize(h: Uint8Array): ImageSize | undefined {
  if (h.length < 10 || ascii(h, 0, 3) !== 'GIF') return undefined
  return { width: h[6] | (h[7] << 8), height: h[8] | (h[9] << 8) }
}

function webpSize(h: Uint8Array): ImageSize | undefined {
  if (h.length < 30 || ascii(h, 0, 4) !== 'RIFF' || ascii(h, 8, 12) !== 'WEBP') return undefined
  const chunk = ascii(h, 12, 16)
  if (chunk === 'VP8 ') return { width: (h[26] | (h[27] << 8)) & 0x3fff, height: (h[28] | (h[29] << 8)) & 0x3fff }
  if (chunk === 'VP8L') {
    const bits = h[21] | (h[22] << 8) | (h[23] << 16) | (h[24] << 24)
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 }
  }
  if (chunk === 'VP8X') return { width: (h[24] | (h[25] << 8) | (h[26] << 16)) + 1, height: (h[27] | (h[28] << 8) | (h[29] << 16)) + 1 }
  return undefined
}

// SOF markers carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc
/** segment headers walked before giving up (EXIF/ICC segments come first, but not hundreds) */
const MAX_JPEG_SEGMENTS = 64

function jpegSize(b64: string): ImageSize | undefined {
  let pos = 2
  for (let i = 0; i < MAX_JPEG_SEGMENTS; i++) {
    const seg = bytesAt(b64, pos, 9)
    if (!seg || seg[0] !== 0xff) return undefined
    const marker = seg[1]
    if (marker === 0xff) {
      pos += 1 // fill byte
      continue
    }
    if (isSof(marker)) return { width: (seg[7] << 8) | seg[8], height: (seg[5] << 8) | seg[6] }
    if (marker === 0xd9 || marker === 0xda) return undefined // end of image / start of scan: no SOF before
    pos += 2 + ((seg[2] << 8) | seg[3])
  }
  return undefined
}

/** Dimensions of a PNG, JPEG, GIF or WebP image given as base64; undefined when unknown. */
export function imageSizeFromBase64(b64: string): ImageSize | undefined {
  const head = bytesAt(b64, 0, 30) ?? bytesAt(b64, 0, 10)
  if (!head) return undefined
  let size: ImageSize | undefined
  if (head[0] === 0xff && head[1] === 0xd8) size = jpegSize(b64)
  else if (head[0] === 0x89) size = pngSize(head)
  else if (head[0] === 0x47) size = gifSize(head)
  else if (head[0] === 0x52) size = webpSize(head)
  return size && size.width > 0 && size.height > 0 ? size : undefined
}
