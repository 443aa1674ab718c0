// Shared mechanics for a dialect's WireEdits (dialect.ts): the text edits a `system` transform
// makes on wire bodies, whatever the dialect keeps its system prompt in. Pure.
import type { SystemEdit } from './dialect'

type Body = Record<string, unknown>

import { hasKeys } from './wire-json'

export function replaceAll(text: string, pairs: Record<string, string>): string {
  for (const from in pairs) if (from) text = text.replaceAll(from, pairs[from])
  return text
}

/** the edit's replacement pairs, when it has any */
export const replacements = (t: SystemEdit): Record<string, string> | undefined => (hasKeys(t.replace) ? t.replace : undefined)

export const isSystemRole = (m: unknown): boolean => {
  const r = (m as Body | null)?.role
  return r === 'system' || r === 'developer'
}

/** text content (string or parts) with the replacements applied; the same object when nothing changed */
export function replaceContent(content: unknown, pairs: Record<string, string>): unknown {
  if (typeof content === 'string') return replaceAll(content, pairs)
  if (!Array.isArray(content)) return content
  let changed = false
  const out = content.map((p) => {
    const b = p as Body | null
    if (!b || typeof b.text !== 'string') return p
    const text = replaceAll(b.text, pairs)
    if (text === b.text) return p
    changed = true
    return { ...b, text }
  })
  return changed ? out : content
}

/** a message list with the replacements applied to its system/developer messages; the same array when nothing changed */
export function replaceInSystemMessages(messages: unknown[], pairs: Record<string, string>): unknown[] {
  let changed = false
  const out = messages.map((m) => {
    if (!isSystemRole(m)) return m
    const mm = m as Body
    const content = replaceContent(mm.content, pairs)
    if (content === mm.content) return m
    changed = true
    return { ...mm, content }
  })
  return changed ? out : messages
}
