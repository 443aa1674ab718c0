// What the echo provider reads from a canonical request: the last user turn and a summary line.
import type { CanonMessage, CanonPart, CanonRequest } from '../../canonical/request'

const SYSTEM_PREVIEW = 60

function joinText(parts: CanonPart[], withToolResults: boolean): string {
  let s = ''
  for (const p of parts) {
    if (p.type === 'text') s += (s ? '\n' : '') + p.text
    else if (withToolResults && p.type === 'tool_result') {
      const inner = joinText(p.content, false)
      if (inner) s += (s ? '\n' : '') + inner
    }
  }
  return s
}

export function lastUserMessage(req: CanonRequest): CanonMessage | undefined {
  for (let i = req.messages.length - 1; i >= 0; i--) if (req.messages[i].role === 'user') return req.messages[i]
  return undefined
}

/** What the user typed in that turn: commands (CALL, ERROR) are read only from this. */
export const typedText = (m: CanonMessage | undefined): string => (m ? joinText(m.parts, false) : '')

/** What gets echoed: the typed text, or the tool results when the turn only returns results. */
export function echoedText(m: CanonMessage | undefined): string {
  const typed = typedText(m)
  return typed || (m ? joinText(m.parts, true) : '')
}

function countImages(parts: CanonPart[]): number {
  let n = 0
  for (const p of parts) {
    if (p.type === 'image') n++
    else if (p.type === 'tool_result') n += countImages(p.content)
  }
  return n
}

function systemPreview(system: CanonPart[]): string {
  let raw = ''
  // a few times the preview is enough even after collapsing whitespace; the prompt may be huge
  for (const p of system) {
    if (p.type !== 'text') continue
    raw += (raw ? ' ' : '') + p.text
    if (raw.length >= SYSTEM_PREVIEW * 4) break
  }
  const flat = raw.replace(/\s+/g, ' ').trim()
  if (!flat) return 'none'
  return flat.length > SYSTEM_PREVIEW ? flat.slice(0, SYSTEM_PREVIEW) + '…' : flat
}

/** `(model m, 3 messages, 1 tools, system: …, images: 0, max tokens: default)` */
export function summaryLine(req: CanonRequest): string {
  let images = 0
  for (const m of req.messages) images += countImages(m.parts)
  return (
    `(model ${req.model}, ${req.messages.length} messages, ${req.tools?.length ?? 0} tools, ` +
    `system: ${systemPreview(req.system)}, images: ${images}, max tokens: ${req.maxOutputTokens ?? 'default'})`
  )
}
