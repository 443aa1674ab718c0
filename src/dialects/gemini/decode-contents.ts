// Front door: Gemini `contents` and `systemInstruction` → canonical messages and system parts.
//
// role "model" → assistant; "user" and the legacy "function" → user. Consecutive same-role turns
// are merged. Function calls usually carry no id: one is synthesized from their position
// (`call_<turn>_<part>`), and an id-less functionResponse is paired with the first unanswered call
// of the same name in the turn before. A thoughtSignature on a text part becomes a text-less gemini
// reasoning part right after it (the convention encode-contents.ts reverses).
import type { CanonMessage, CanonPart } from '../../canonical/request'
import { badRequest } from '../../errors'
import { mediaFromGemini } from './convert-content'
import { needObject, optArray, wrongType } from './validate'
import { asString, field, isObject, type Json } from './wire'

interface Call {
  id: string
  name: string
  answered: boolean
}

/** systemInstruction: a Content (its role ignored) or a bare string */
export function decodeSystem(v: unknown, out: CanonPart[] = []): CanonPart[] {
  if (v === undefined || v === null) return out
  if (typeof v === 'string') {
    if (v) out.push({ type: 'text', text: v })
    return out
  }
  const parts = optArray(needObject(v, 'system_instruction'), 'parts', 'parts', 'system_instruction.parts') ?? []
  for (const p of parts) if (isObject(p) && typeof p.text === 'string' && p.text) out.push({ type: 'text', text: p.text })
  return out
}

export function decodeContents(list: unknown[], system: CanonPart[]): CanonMessage[] {
  const messages: CanonMessage[] = []
  /** the calls of the latest model turn, for id-less results */
  let calls: Call[] = []
  for (let i = 0; i < list.length; i++) {
    const path = `contents[${i}]`
    const c = needObject(list[i], path)
    const role = c.role ?? 'user'
    if (role === 'system') {
      decodeSystem(c, system)
      continue
    }
    if (role !== 'user' && role !== 'model' && role !== 'function') throw badRequest(`Invalid value at '${path}.role': Please use a valid role: user, model.`, `${path}.role`)
    const parts = optArray(c, 'parts', 'parts', `${path}.parts`) ?? []
    const model = role === 'model'
    if (model) calls = []
    const out: CanonPart[] = []
    for (let k = 0; k < parts.length; k++) {
      const p = needObject(parts[k], `${path}.parts[${k}]`)
      if (model) modelPart(p, `${i}_${k}`, out, calls)
      else userPart(p, `${path}.parts[${k}]`, out, calls)
    }
    const last = messages[messages.length - 1]
    const canonRole = model ? 'assistant' : 'user'
    if (last && last.role === canonRole) for (const p of out) last.parts.push(p)
    else if (out.length) messages.push({ role: canonRole, parts: out })
  }
  for (const m of messages) if (m.role === 'assistant') m.parts = joinText(m.parts)
  return messages
}

/**
 * A streamed answer kept in chat history (@google/genai) is one part, even one content, per
 * chunk: adjacent text becomes one block again, except a part whose signature follows it (a
 * signature must stay on the part it came with).
 */
function joinText(parts: CanonPart[]): CanonPart[] {
  const out: CanonPart[] = []
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]
    const prev = out[out.length - 1]
    const next = parts[i + 1]
    const signed = next?.type === 'reasoning' && next.text === '' && next.signature !== undefined
    if (p.type === 'text' && prev?.type === 'text' && !signed) prev.text += p.text
    else out.push(p.type === 'text' ? { ...p } : p)
  }
  return out
}

/** placeholders clients (Gemini CLI) send for history Gemini did not sign: no signature at all */
const PLACEHOLDER_SIGNATURES = new Set(['skip_thought_signature_validator', 'context_engineering_is_the_way_to_go'])

function modelPart(p: Json, pos: string, out: CanonPart[], calls: Call[]): void {
  let signature = asString(field(p, 'thoughtSignature', 'thought_signature')) || undefined
  if (signature && PLACEHOLDER_SIGNATURES.has(signature)) signature = undefined
  const fc = field(p, 'functionCall', 'function_call')
  if (isObject(fc)) {
    const name = asString(fc.name) ?? ''
    const id = asString(fc.id) || `call_${pos}`
    calls.push({ id, name, answered: false })
    const part: CanonPart = { type: 'tool_call', id, name, argumentsJson: JSON.stringify(isObject(fc.args) ? fc.args : {}) }
    if (signature) part.signature = signature
    out.push(part)
    return
  }
  const text = asString(p.text)
  if (p.thought === true) {
    if (!text && !signature) return
    const part: CanonPart = { type: 'reasoning', text: text ?? '', origin: 'gemini' }
    if (signature) part.signature = signature
    out.push(part)
    return
  }
  if (text) out.push({ type: 'text', text })
  if (signature) out.push({ type: 'reasoning', text: '', signature, origin: 'gemini' })
}

function userPart(p: Json, path: string, out: CanonPart[], calls: Call[]): void {
  const fr = field(p, 'functionResponse', 'function_response')
  if (fr !== undefined) {
    out.push(toolResult(needObject(fr, `${path}.function_response`), path, calls))
    return
  }
  const text = p.text
  if (text !== undefined) {
    if (typeof text !== 'string') throw wrongType(`${path}.text`, 'a string', text)
    if (text) out.push({ type: 'text', text })
    return
  }
  const media = mediaFromGemini(p)
  if (media) out.push(media)
}

function toolResult(fr: Json, path: string, calls: Call[]): CanonPart {
  const name = asString(fr.name) ?? ''
  let id = asString(fr.id)
  // an id no call of the turn has (Gemini CLI makes its own for id-less calls) pairs by name
  const call = (id && calls.find((c) => c.id === id)) || calls.find((c) => !c.answered && c.name === name)
  if (call) {
    call.answered = true
    id = call.id
  }
  id ||= `call_${name}`
  const response = fr.response
  let text: string
  let isError = false
  if (isObject(response) && response.error !== undefined && response.output === undefined) {
    isError = true
    text = typeof response.error === 'string' ? response.error : JSON.stringify(response.error)
  } else if (isObject(response) && typeof response.output === 'string') text = response.output
  else if (response === undefined || response === null) text = ''
  else if (!isObject(response)) throw wrongType(`${path}.function_response.response`, 'an object', response)
  else text = JSON.stringify(isObject(response) && response.output !== undefined ? response.output : response)
  const part: CanonPart = { type: 'tool_result', callId: id, name, content: text ? [{ type: 'text', text }] : [] }
  if (isError) part.isError = true
  return part
}
