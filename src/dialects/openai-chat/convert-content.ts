// Chat content parts ⇄ canonical parts: images (data URLs), files and audio.
import type { CanonPart } from '../../canonical/request'
import { asString, isObject, type Json } from './wire'
import { fileData, parseDataUrl, toDataUrl, imageSourceFromUrl } from '../data-url'

const DETAILS = new Set(['auto', 'low', 'high'])

/** one user content part → canonical (undefined: a part type we cannot carry, dropped) */
export function partFromChat(p: Json): CanonPart | undefined {
  switch (p.type) {
    case 'text':
      return typeof p.text === 'string' ? { type: 'text', text: p.text } : undefined
    case 'image_url': {
      const img = p.image_url
      const url = isObject(img) ? asString(img.url) : asString(img)
      if (!url) return undefined
      const part: CanonPart = { type: 'image', source: imageSourceFromUrl(url) }
      const detail = isObject(img) ? img.detail : undefined
      if (typeof detail === 'string' && DETAILS.has(detail)) part.detail = detail as 'auto' | 'low' | 'high'
      return part
    }
    case 'input_audio': {
      const a = p.input_audio
      if (!isObject(a) || typeof a.data !== 'string') return undefined
      return { type: 'file', data: a.data, mediaType: `audio/${asString(a.format) ?? 'wav'}` }
    }
    case 'file': {
      const f = p.file
      if (!isObject(f)) return undefined
      const part: CanonPart = { type: 'file' }
      const data = asString(f.file_data)
      if (data) {
        const inline = fileData(data)
        part.data = inline.data
        if (inline.mediaType) part.mediaType = inline.mediaType
      }
      const fileId = asString(f.file_id)
      const filename = asString(f.filename)
      if (fileId) part.fileId = fileId
      if (filename) part.filename = filename
      if (!part.data && !part.fileId) return undefined
      if (!part.mediaType && filename?.toLowerCase().endsWith('.pdf')) part.mediaType = 'application/pdf'
      return part
    }
    default:
      return undefined
  }
}

const AUDIO_FORMATS: Record<string, string> = { 'audio/wav': 'wav', 'audio/x-wav': 'wav', 'audio/mp3': 'mp3', 'audio/mpeg': 'mp3' }

/** canonical image/file part → a Chat user content part (undefined: not expressible, dropped) */
export function partToChat(p: CanonPart): Json | undefined {
  if (p.type === 'text') return { type: 'text', text: p.text }
  if (p.type === 'image') {
    const url = p.source.kind === 'base64' ? toDataUrl(p.source.mediaType, p.source.data) : p.source.url
    return { type: 'image_url', image_url: p.detail ? { url, detail: p.detail } : { url } }
  }
  if (p.type === 'file') {
    const audio = p.mediaType ? AUDIO_FORMATS[p.mediaType] : undefined
    if (audio && p.data) return { type: 'input_audio', input_audio: { data: p.data, format: audio } }
    // Chat cannot fetch a file by URL: such parts are dropped
    if (!p.data && !p.fileId) return undefined
    const file: Json = {}
    if (p.data) file.file_data = toDataUrl(p.mediaType ?? 'application/pdf', p.data)
    if (p.fileId) file.file_id = p.fileId
    // OpenAI requires a filename with file_data
    if (p.filename) file.filename = p.filename
    else if (p.data) file.filename = !p.mediaType || p.mediaType === 'application/pdf' ? 'file.pdf' : 'file'
    return { type: 'file', file }
  }
  return undefined
}
