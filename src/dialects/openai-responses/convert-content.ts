// Responses input content parts ⇄ canonical parts: text, images (URL, data URL or file id), files.
import type { CanonPart } from '../../canonical/request'
import { asString, type Json } from './wire'
import { fileData, parseDataUrl, toDataUrl, imageSourceFromUrl } from '../data-url'

const DETAILS = new Set(['auto', 'low', 'high'])
/** an image known only by an OpenAI file id travels as a file part with this media type */
const IMAGE_FILE = 'image/*'

/** one input content part → canonical (undefined: a part we cannot carry, dropped) */
export function partFromResponses(p: Json): CanonPart | undefined {
  switch (p.type) {
    case 'input_text':
    case 'output_text':
    case 'text':
      return typeof p.text === 'string' ? { type: 'text', text: p.text } : undefined
    case 'input_image': {
      const url = asString(p.image_url)
      const fileId = asString(p.file_id)
      if (!url && fileId) return { type: 'file', fileId, mediaType: IMAGE_FILE }
      if (!url) return undefined
      const part: CanonPart = { type: 'image', source: imageSourceFromUrl(url) }
      if (typeof p.detail === 'string' && DETAILS.has(p.detail)) part.detail = p.detail as 'auto' | 'low' | 'high'
      return part
    }
    case 'input_file': {
      const part: CanonPart = { type: 'file' }
      const data = asString(p.file_data)
      if (data) {
        const inline = fileData(data)
        part.data = inline.data
        if (inline.mediaType) part.mediaType = inline.mediaType
      }
      const fileId = asString(p.file_id)
      const url = asString(p.file_url)
      const filename = asString(p.filename)
      if (fileId) part.fileId = fileId
      if (url) part.url = url
      if (filename) part.filename = filename
      if (!part.data && !part.fileId && !part.url) return undefined
      if (!part.mediaType && filename?.toLowerCase().endsWith('.pdf')) part.mediaType = 'application/pdf'
      return part
    }
    default:
      return undefined
  }
}

/** canonical part → an input content part (undefined: not expressible, dropped) */
export function partToResponses(p: CanonPart): Json | undefined {
  switch (p.type) {
    case 'text':
      return { type: 'input_text', text: p.text }
    case 'image': {
      const url = p.source.kind === 'base64' ? toDataUrl(p.source.mediaType, p.source.data) : p.source.url
      return { type: 'input_image', image_url: url, detail: p.detail ?? 'auto' }
    }
    case 'file': {
      if (p.fileId && p.mediaType?.startsWith('image/')) return { type: 'input_image', file_id: p.fileId, detail: 'auto' }
      const out: Json = { type: 'input_file' }
      if (p.data) {
        out.file_data = toDataUrl(p.mediaType ?? 'application/pdf', p.data)
        // OpenAI requires a filename with file_data
        out.filename = p.filename ?? (!p.mediaType || p.mediaType === 'application/pdf' ? 'file.pdf' : 'file')
      } else if (p.fileId) out.file_id = p.fileId
      else if (p.url) out.file_url = p.url
      else return undefined
      if (p.filename) out.filename = p.filename
      return out
    }
    default:
      return undefined
  }
}
