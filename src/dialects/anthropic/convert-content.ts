// Anthropic content blocks ⇄ canonical parts: text, images, documents and cache hints. Decoding
// is the front door (a known block with a wrong shape is a 400 naming it; unknown blocks are
// ignored); encoding is the upstream side (what Anthropic cannot take is dropped).
import type { CacheHint, CanonPart } from '../../canonical/request'
import { badRequest } from '../../errors'
import { needString, wrongType } from './validate'
import { asString, isObject, type Json } from './wire'
import { parseDataUrl } from '../data-url'

/** `cache_control: {type:"ephemeral", ttl?}` → canonical hint */
export function cacheFrom(cc: unknown): CacheHint | undefined {
  if (!isObject(cc)) return undefined
  const ttl = cc.ttl
  return ttl === '5m' || ttl === '1h' ? { ttl } : {}
}

/** canonical hint → `cache_control`; Anthropic knows only 5m and 1h (OpenAI's 30m → default) */
export function cacheTo(hint: CacheHint): Json {
  return hint.ttl === '5m' || hint.ttl === '1h' ? { type: 'ephemeral', ttl: hint.ttl } : { type: 'ephemeral' }
}

const withCache = <P extends CanonPart>(part: P, b: Json): P => {
  const cache = b.cache_control === undefined ? undefined : cacheFrom(b.cache_control)
  if (cache) (part as { cache?: CacheHint }).cache = cache
  return part
}

/** a text, image or document block (user content, tool_result content, system) → parts */
export function mediaFromBlock(b: Json, field: string, out: CanonPart[]): void {
  switch (b.type) {
    case 'text':
      out.push(withCache({ type: 'text', text: needString(b.text, `${field}.text`) }, b))
      return
    case 'image': {
      const src = b.source
      if (!isObject(src)) throw wrongType(`${field}.source`, 'a valid object', src)
      if (src.type === 'base64') {
        const mediaType = needString(src.media_type, `${field}.source.media_type`)
        out.push(withCache({ type: 'image', source: { kind: 'base64', mediaType, data: needString(src.data, `${field}.source.data`) } }, b))
      } else if (src.type === 'url') {
        out.push(withCache({ type: 'image', source: { kind: 'url', url: needString(src.url, `${field}.source.url`) } }, b))
      } else if (src.type === 'file') {
        out.push(withCache({ type: 'file', fileId: needString(src.file_id, `${field}.source.file_id`), mediaType: 'image/*' }, b))
      } else throw badRequest(`${field}.source.type: Input should be 'base64', 'url' or 'file'`, `${field}.source.type`)
      return
    }
    case 'document':
      documentFromBlock(b, field, out)
      return
    default:
      // search_result, container_upload, server-tool blocks…: nothing another upstream can take
      return
  }
}

function documentFromBlock(b: Json, field: string, out: CanonPart[]): void {
  const src = b.source
  if (!isObject(src)) throw wrongType(`${field}.source`, 'a valid object', src)
  const title = asString(b.title)
  switch (src.type) {
    case 'base64': {
      const part: CanonPart = { type: 'file', data: needString(src.data, `${field}.source.data`), mediaType: asString(src.media_type) ?? 'application/pdf' }
      if (title) part.filename = title
      out.push(withCache(part, b))
      return
    }
    case 'url': {
      const part: CanonPart = { type: 'file', url: needString(src.url, `${field}.source.url`), mediaType: 'application/pdf' }
      if (title) part.filename = title
      out.push(withCache(part, b))
      return
    }
    case 'file': {
      const part: CanonPart = { type: 'file', fileId: needString(src.file_id, `${field}.source.file_id`) }
      if (title) part.filename = title
      out.push(withCache(part, b))
      return
    }
    case 'text':
      // a plain-text document is just text to every other upstream
      out.push(withCache({ type: 'text', text: needString(src.data, `${field}.source.data`) }, b))
      return
    case 'content': {
      const inner = src.content
      if (typeof inner === 'string') out.push(withCache({ type: 'text', text: inner }, b))
      else if (Array.isArray(inner))
        for (let i = 0; i < inner.length; i++) {
          const c = inner[i]
          if (isObject(c)) mediaFromBlock(c, `${field}.source.content.${i}`, out)
        }
      return
    }
    default:
      throw badRequest(`${field}.source.type: Input should be 'base64', 'url', 'file', 'text' or 'content'`, `${field}.source.type`)
  }
}

/** canonical text/image/file part → an Anthropic block (undefined: not expressible, dropped) */
export function blockFromPart(p: CanonPart): Json | undefined {
  let block: Json | undefined
  if (p.type === 'text') block = { type: 'text', text: p.text }
  else if (p.type === 'refusal') block = { type: 'text', text: p.text }
  else if (p.type === 'image') {
    if (p.source.kind === 'base64') block = { type: 'image', source: { type: 'base64', media_type: p.source.mediaType, data: p.source.data } }
    else {
      const parsed = parseDataUrl(p.source.url)
      block = parsed
        ? { type: 'image', source: { type: 'base64', media_type: parsed.mediaType, data: parsed.data } }
        : { type: 'image', source: { type: 'url', url: p.source.url } }
    }
  } else if (p.type === 'file') block = fileBlock(p)
  if (block && 'cache' in p && p.cache) block.cache_control = cacheTo(p.cache)
  return block
}

function fileBlock(p: Extract<CanonPart, { type: 'file' }>): Json | undefined {
  const mt = p.mediaType
  let source: Json | undefined
  if (mt?.startsWith('image/')) {
    if (p.data) return { type: 'image', source: { type: 'base64', media_type: mt, data: p.data } }
    if (p.url) return { type: 'image', source: { type: 'url', url: p.url } }
    if (p.fileId) return { type: 'image', source: { type: 'file', file_id: p.fileId } }
    return undefined
  }
  if (p.data) {
    if (!mt || mt === 'application/pdf') source = { type: 'base64', media_type: 'application/pdf', data: p.data }
    else if (mt.startsWith('text/')) source = { type: 'text', media_type: 'text/plain', data: Buffer.from(p.data, 'base64').toString('utf8') }
  } else if (p.url) source = { type: 'url', url: p.url }
  else if (p.fileId) source = { type: 'file', file_id: p.fileId }
  // audio, office files…: Anthropic has no block for them
  if (!source) return undefined
  const block: Json = { type: 'document', source }
  if (p.filename) block.title = p.filename
  return block
}
