// Media parts ⇄ Gemini `inlineData {mimeType, data}` / `fileData {mimeType, fileUri}`.
// Data URLs are split into inline data; other URLs go as fileData (Gemini fetches Files-API, GCS
// and, on recent models, public https URIs), with the MIME type guessed from the extension.
import type { CanonPart } from '../../canonical/request'
import { asString, field, isObject, type Json } from './wire'
import { parseDataUrl } from '../data-url'

const MIME_BY_EXT: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  html: 'text/html',
  csv: 'text/csv',
  mp3: 'audio/mp3',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  flac: 'audio/flac',
  mp4: 'video/mp4',
  mov: 'video/mov',
  webm: 'video/webm',
}

/** MIME type from a URL's file extension (query and fragment ignored) */
export function guessMimeType(url: string, fallback: string): string {
  let end = url.length
  const q = url.indexOf('?')
  if (q !== -1) end = q
  const h = url.indexOf('#')
  if (h !== -1 && h < end) end = h
  const path = url.slice(0, end)
  const dot = path.lastIndexOf('.')
  if (dot === -1 || dot < path.lastIndexOf('/')) return fallback
  return MIME_BY_EXT[path.slice(dot + 1).toLowerCase()] ?? fallback
}

function fromUrl(url: string, mediaType: string | undefined, fallback: string): Json {
  const parsed = parseDataUrl(url)
  if (parsed) return { inlineData: { mimeType: parsed.mediaType, data: parsed.data } }
  return { fileData: { mimeType: mediaType ?? guessMimeType(url, fallback), fileUri: url } }
}

/** canonical image/file part → a Gemini part (undefined: nothing Gemini can read, dropped) */
export function mediaToGemini(p: CanonPart): Json | undefined {
  if (p.type === 'image') {
    const s = p.source
    return s.kind === 'base64' ? { inlineData: { mimeType: s.mediaType, data: s.data } } : fromUrl(s.url, undefined, 'image/jpeg')
  }
  if (p.type !== 'file') return undefined
  if (p.data) return { inlineData: { mimeType: p.mediaType ?? 'application/pdf', data: p.data } }
  if (p.url) return fromUrl(p.url, p.mediaType, 'application/pdf')
  // Files-API / GCS references only; an OpenAI or Anthropic file id means nothing to Google
  const id = p.fileId
  if (id && (id.startsWith('https://') || id.startsWith('gs://'))) return { fileData: { mimeType: p.mediaType ?? guessMimeType(id, 'application/pdf'), fileUri: id } }
  return undefined
}

/** a Gemini `inlineData` / `fileData` part → canonical (front door) */
export function mediaFromGemini(part: Json): CanonPart | undefined {
  const inline = field(part, 'inlineData', 'inline_data')
  if (isObject(inline)) {
    const mimeType = asString(field(inline, 'mimeType', 'mime_type')) ?? 'application/octet-stream'
    const data = asString(inline.data)
    if (data === undefined) return undefined
    if (mimeType.startsWith('image/')) return { type: 'image', source: { kind: 'base64', mediaType: mimeType, data } }
    return { type: 'file', data, mediaType: mimeType }
  }
  const file = field(part, 'fileData', 'file_data')
  if (isObject(file)) {
    const uri = asString(field(file, 'fileUri', 'file_uri'))
    if (!uri) return undefined
    const mimeType = asString(field(file, 'mimeType', 'mime_type'))
    if (mimeType?.startsWith('image/')) return { type: 'image', source: { kind: 'url', url: uri } }
    const out: CanonPart = { type: 'file', url: uri }
    if (mimeType) out.mediaType = mimeType
    return out
  }
  return undefined
}
