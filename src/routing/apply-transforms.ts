// A models: entry's transforms: `system` (replace / prepend / append), `params` (defaults the
// client may override) and `override` (max_tokens is a cap: the smaller wins; anything else is
// replaced). Two forms: on the canonical request (translated path) and on the client's wire body
// (same-dialect pass-through). Both return a new object and copy only what they change.
//
// Config keys are snake_case (the OpenAI names). On the canonical request, keys without a
// canonical field go to `extras` under their wire name (encoders forward only the extras they
// know). On a wire body, keys the dialect has no field for are dropped; unknown keys are passed
// as written (an operator may set a provider-native field).
import type { CanonPart, CanonRequest, ReasoningEffort } from '../canonical/request'
import type { ModelEntry, SystemTransform } from '../config/types'
import type { DialectName } from '../dialects/dialect'

type Body = Record<string, unknown>

const hasKeys = (o: Record<string, unknown> | undefined): o is Record<string, unknown> => {
  if (o) for (const _ in o) return true
  return false
}

const hasSystem = (s: SystemTransform | undefined): s is SystemTransform => !!s && (hasKeys(s.replace) || !!s.prepend || !!s.append)

/** true when the entry changes anything (lets callers skip the copy) */
export const hasTransforms = (e: ModelEntry): boolean => hasSystem(e.system) || hasKeys(e.params) || hasKeys(e.override)

function replaceAll(text: string, pairs: Record<string, string>): string {
  for (const from in pairs) if (from) text = text.replaceAll(from, pairs[from])
  return text
}

const MAX_TOKEN_KEYS = new Set(['max_tokens', 'max_output_tokens', 'max_completion_tokens'])

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

// ---------------------------------------------------------------- canonical request

type Setter = (req: CanonRequest, v: unknown, force: boolean) => void

/** sets a field unless the client set it (force: always) */
const field =
  <K extends keyof CanonRequest>(k: K, conv: (v: unknown) => CanonRequest[K] | undefined): Setter =>
  (req, v, force) => {
    const x = conv(v)
    if (x !== undefined && (force || req[k] === undefined)) req[k] = x
  }

const asBool = (v: unknown) => (typeof v === 'boolean' ? v : undefined)
const asString = (v: unknown) => (typeof v === 'string' ? v : undefined)
const asStops = (v: unknown) =>
  typeof v === 'string' ? [v] : Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : undefined

const CANON_SETTERS: Record<string, Setter> = {
  temperature: field('temperature', num),
  top_p: field('topP', num),
  top_k: field('topK', num),
  seed: field('seed', num),
  presence_penalty: field('presencePenalty', num),
  frequency_penalty: field('frequencyPenalty', num),
  n: field('n', num),
  stop: field('stop', asStops),
  stop_sequences: field('stop', asStops),
  parallel_tool_calls: field('parallelToolCalls', asBool),
  user: field('user', asString),
  reasoning_effort(req, v, force) {
    if (typeof v !== 'string' || (!force && req.reasoning?.effort !== undefined)) return
    req.reasoning = { ...req.reasoning, effort: v as ReasoningEffort }
  },
}

function maxTokens(req: CanonRequest, v: unknown, mode: 'default' | 'cap'): void {
  const x = num(v)
  if (x === undefined) return
  if (mode === 'cap') req.maxOutputTokens = req.maxOutputTokens === undefined ? x : Math.min(req.maxOutputTokens, x)
  else if (req.maxOutputTokens === undefined) req.maxOutputTokens = x
}

function setCanon(req: CanonRequest, values: Record<string, unknown>, force: boolean): void {
  for (const k in values) {
    const v = values[k]
    if (MAX_TOKEN_KEYS.has(k)) maxTokens(req, v, force ? 'cap' : 'default')
    else if (CANON_SETTERS[k]) CANON_SETTERS[k](req, v, force)
    else if (force || req.extras?.[k] === undefined) req.extras = { ...req.extras, [k]: v }
  }
}

function transformSystem(system: CanonPart[], t: SystemTransform): CanonPart[] {
  let out = system
  if (hasKeys(t.replace)) {
    const pairs = t.replace
    out = out.map((p) => (p.type === 'text' ? { ...p, text: replaceAll(p.text, pairs) } : p))
  }
  if (t.prepend || t.append) {
    out = out.slice()
    if (t.prepend) out.unshift({ type: 'text', text: t.prepend })
    if (t.append) out.push({ type: 'text', text: t.append })
  }
  return out
}

/** The request for this entry's target. Never mutates `req`. */
export function applyTransforms(req: CanonRequest, entry: ModelEntry): CanonRequest {
  if (!hasTransforms(entry)) return req
  const out: CanonRequest = { ...req }
  if (hasSystem(entry.system)) out.system = transformSystem(req.system, entry.system)
  if (entry.params) setCanon(out, entry.params, false)
  if (entry.override) setCanon(out, entry.override, true)
  return out
}

// ---------------------------------------------------------------- wire bodies

type WireDialect = 'openai-chat' | 'openai-responses' | 'anthropic'

/** config key → wire key per dialect; null: the dialect has no such field (dropped) */
const WIRE_KEYS: Record<WireDialect, Record<string, string | null>> = {
  'openai-chat': { stop_sequences: 'stop', top_k: null },
  'openai-responses': {
    stop: null,
    stop_sequences: null,
    seed: null,
    presence_penalty: null,
    frequency_penalty: null,
    n: null,
    top_k: null,
  },
  anthropic: {
    stop: 'stop_sequences',
    seed: null,
    presence_penalty: null,
    frequency_penalty: null,
    n: null,
    parallel_tool_calls: null,
    user: null,
    reasoning_effort: null,
  },
}

/** where each dialect keeps the output budget: the field the body already uses, else the preferred one */
function maxTokensKey(dialect: WireDialect, body: Body): string {
  if (dialect === 'anthropic') return 'max_tokens'
  if (dialect === 'openai-responses') return 'max_output_tokens'
  return body.max_completion_tokens === undefined && body.max_tokens !== undefined ? 'max_tokens' : 'max_completion_tokens'
}

function setWire(dialect: WireDialect, src: Body, out: Body, values: Record<string, unknown>, force: boolean): void {
  const names = WIRE_KEYS[dialect]
  for (const k in values) {
    const v = values[k]
    if (MAX_TOKEN_KEYS.has(k)) {
      const x = num(v)
      if (x === undefined) continue
      const key = maxTokensKey(dialect, src)
      const cur = num(out[key])
      if (force) out[key] = cur === undefined ? x : Math.min(cur, x)
      else if (out[key] === undefined) out[key] = x
      continue
    }
    if (k === 'reasoning_effort' && dialect === 'openai-responses') {
      const r = out.reasoning as Body | undefined
      if (force || r?.effort === undefined) out.reasoning = { ...r, effort: v }
      continue
    }
    const wk = k in names ? names[k] : k
    if (wk === null) continue
    if (force || out[wk] === undefined) out[wk] = wk === 'stop_sequences' && typeof v === 'string' ? [v] : v
  }
}

const isSystemRole = (m: unknown) => {
  const r = (m as Body | null)?.role
  return r === 'system' || r === 'developer'
}

/** text content (string or parts) with the replacements applied; the same object when nothing changed */
function replaceContent(content: unknown, pairs: Record<string, string>): unknown {
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

function chatSystem(body: Body, out: Body, t: SystemTransform): void {
  const messages = body.messages
  if (!Array.isArray(messages)) return
  let msgs: unknown[] = messages
  if (hasKeys(t.replace)) {
    const pairs = t.replace
    msgs = messages.map((m) => {
      if (!isSystemRole(m)) return m
      const mm = m as Body
      const content = replaceContent(mm.content, pairs)
      return content === mm.content ? m : { ...mm, content }
    })
  }
  if (t.prepend || t.append) {
    if (msgs === messages) msgs = messages.slice()
    if (t.append) {
      // after the leading run of system messages (before the conversation), else at the very start
      let i = 0
      while (i < msgs.length && isSystemRole(msgs[i])) i++
      msgs.splice(i, 0, { role: 'system', content: t.append })
    }
    if (t.prepend) msgs.unshift({ role: 'system', content: t.prepend })
  }
  if (msgs !== messages) out.messages = msgs
}

function responsesSystem(body: Body, out: Body, t: SystemTransform): void {
  const pairs = hasKeys(t.replace) ? t.replace : undefined
  let instructions = typeof body.instructions === 'string' ? body.instructions : ''
  if (pairs) instructions = replaceAll(instructions, pairs)
  if (t.prepend) instructions = instructions ? `${t.prepend}\n\n${instructions}` : t.prepend
  if (t.append) instructions = instructions ? `${instructions}\n\n${t.append}` : t.append
  if (instructions !== (body.instructions ?? '')) out.instructions = instructions
  // system/developer messages inside `input` are system text too
  if (pairs && Array.isArray(body.input)) {
    let changed = false
    const input = body.input.map((m) => {
      if (!isSystemRole(m)) return m
      const mm = m as Body
      const content = replaceContent(mm.content, pairs)
      if (content === mm.content) return m
      changed = true
      return { ...mm, content }
    })
    if (changed) out.input = input
  }
}

function anthropicSystem(body: Body, out: Body, t: SystemTransform): void {
  const pairs = hasKeys(t.replace) ? t.replace : undefined
  let system: unknown = body.system
  if (pairs) system = replaceContent(system, pairs)
  if (t.prepend || t.append) {
    const blocks: unknown[] =
      typeof system === 'string' ? (system ? [{ type: 'text', text: system }] : []) : Array.isArray(system) ? system.slice() : []
    if (t.prepend) blocks.unshift({ type: 'text', text: t.prepend })
    if (t.append) blocks.push({ type: 'text', text: t.append })
    system = blocks
  }
  if (system !== body.system) out.system = system
}

const SYSTEM_BY_DIALECT: Record<WireDialect, (body: Body, out: Body, t: SystemTransform) => void> = {
  'openai-chat': chatSystem,
  'openai-responses': responsesSystem,
  anthropic: anthropicSystem,
}

const isWireDialect = (d: DialectName): d is WireDialect => d in SYSTEM_BY_DIALECT

/**
 * The client's wire body with this entry's transforms, for same-dialect pass-through. Returns
 * `body` itself when nothing applies (or the dialect has no raw support); otherwise a shallow copy
 * with only the touched fields replaced.
 */
export function applyTransformsToBody(dialect: DialectName, body: Body, entry: ModelEntry): Body {
  if (!isWireDialect(dialect) || !hasTransforms(entry)) return body
  const out: Body = { ...body }
  if (hasSystem(entry.system)) SYSTEM_BY_DIALECT[dialect](body, out, entry.system)
  if (entry.params) setWire(dialect, body, out, entry.params, false)
  if (entry.override) setWire(dialect, body, out, entry.override, true)
  return out
}
