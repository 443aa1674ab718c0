// Canonical parts → Converse content blocks (union objects with exactly one key). Images and
// documents go as base64 `bytes` or as `s3Location` for s3:// URLs; Bedrock cannot fetch web URLs
// (and the proxy does not fetch for it), so those are a 400 that says so. Cache hints become a
// `cachePoint` block right after the block they end.
import { parseDataUrl } from '../data-url'
import type { CacheHint, CanonPart } from '../../canonical/request'
import { badRequest } from '../../errors'
import type { Json } from '../anthropic/wire'

const IMAGE_FORMATS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/jpg': 'jpeg', 'image/gif': 'gif', 'image/webp': 'webp' }

const DOC_FORMATS: Record<string, string> = {
  'application/pdf': 'pdf',
  'text/csv': 'csv',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/html': 'html',
  'text/plain': 'txt',
  'text/markdown': 'md',
}

/** a cache hint → `cachePoint` (Bedrock knows 5m and 1h) */
export function cachePoint(hint: CacheHint): Json {
  return { cachePoint: hint.ttl === '5m' || hint.ttl === '1h' ? { type: 'default', ttl: hint.ttl } : { type: 'default' } }
}

function source(data: string | undefined, url: string | undefined, what: string): Json {
  if (data !== undefined) return { bytes: data }
  if (url?.startsWith('s3://')) return { s3Location: { uri: url } }
  const inline = url ? parseDataUrl(url) : undefined
  if (inline) return { bytes: inline.data }
  throw badRequest(`Bedrock takes ${what} as base64 data or an s3:// location, not a web URL`)
}

/** document names: letters, digits, spaces, hyphens, parentheses and brackets, no runs of spaces */
function docName(name: string | undefined, n: number): string {
  const clean = (name ?? '').replace(/\.[a-z0-9]+$/i, '').replace(/[^A-Za-z0-9\-()[\] ]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200)
  return clean || `document ${n}`
}

// a data URL's declared type (bounded: it is echoed in error messages)
const mediaTypeOfDataUrl = (url: string | undefined): string | undefined => (url ? parseDataUrl(url)?.mediaType.slice(0, 100) : undefined)

/** an image or file part → its block; `n` numbers unnamed documents */
export function mediaBlock(p: Extract<CanonPart, { type: 'image' | 'file' }>, n: number): Json {
  if (p.type === 'image') {
    const s = p.source
    const mediaType = s.kind === 'base64' ? s.mediaType : mediaTypeOfDataUrl(s.url)
    const format = IMAGE_FORMATS[mediaType ?? ''] ?? (s.kind === 'url' && /\.(png|jpe?g|gif|webp)$/i.exec(s.url)?.[1].toLowerCase().replace('jpg', 'jpeg'))
    if (!format) throw badRequest(`Bedrock takes png, jpeg, gif and webp images (got ${mediaType ?? 'an image of unknown type'})`)
    return { image: { format, source: s.kind === 'base64' ? source(s.data, undefined, 'images') : source(undefined, s.url, 'images') } }
  }
  if (p.fileId !== undefined && p.data === undefined && p.url === undefined) throw badRequest('Bedrock cannot read uploaded file ids; send the file as base64 data')
  const mediaType = p.mediaType ?? mediaTypeOfDataUrl(p.url) ?? 'application/pdf'
  if (mediaType.startsWith('image/')) return mediaBlock({ type: 'image', source: p.data !== undefined ? { kind: 'base64', mediaType, data: p.data } : { kind: 'url', url: p.url ?? '' } }, n)
  const format = DOC_FORMATS[mediaType]
  if (!format) throw badRequest(`Bedrock takes documents as pdf, csv, doc, docx, xls, xlsx, html, txt or md (got ${mediaType.slice(0, 100)})`)
  return { document: { format, name: docName(p.filename, n), source: source(p.data, p.url, 'documents') } }
}
