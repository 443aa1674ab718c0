// `data:` URLs, the way every dialect carries inline bytes in a URL field. Pure.
import type { ImageSource } from '../canonical/request'

/** `data:<type>;base64,<data>` → its parts; anything else is undefined */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  if (!url.startsWith('data:')) return undefined
  const comma = url.indexOf(',')
  if (comma === -1) return undefined
  const meta = url.slice(5, comma)
  if (!meta.endsWith(';base64')) return undefined
  return { mediaType: meta.slice(0, -7) || 'application/octet-stream', data: url.slice(comma + 1) }
}

export const toDataUrl = (mediaType: string, data: string): string => `data:${mediaType};base64,${data}`

/** OpenAI's `file_data`: a data URL, or bare base64 (tolerated) */
export function fileData(value: string): { data: string; mediaType?: string } {
  const parsed = parseDataUrl(value)
  return parsed ? { data: parsed.data, mediaType: parsed.mediaType } : { data: value }
}

/** an image URL as a canonical source: inline bytes when it is a data URL */
export function imageSourceFromUrl(url: string): ImageSource {
  const parsed = parseDataUrl(url)
  return parsed ? { kind: 'base64', mediaType: parsed.mediaType, data: parsed.data } : { kind: 'url', url }
}
