// A models: entry's transforms: `system` (replace / prepend / append), `params` (defaults the
// client may override) and `override` (max_tokens is a cap: the smaller wins; anything else is
// replaced). Two forms: on the canonical request (translated path) and on the client's wire body
// (same-dialect pass-through). Both return a new object and copy only what they change.
//
// Config keys are snake_case (the OpenAI names). On the canonical request, keys without a
// canonical field go to `extras` under their wire name (encoders forward only the extras they
// know). On a wire body, the dialect's WireEdits say where each key goes: keys it has no field
// for are dropped; unknown keys are passed as written (an operator may set a provider-native field).
import type { CanonPart, CanonRequest, ReasoningEffort } from '../canonical/request'
import type { ModelEntry, SystemTransform } from '../config/types'
import { wireEdits } from '../dialects'
import type { WireEdits } from '../dialects/dialect'
import { replaceAll } from '../dialects/wire-edit'
import { hasKeys } from '../dialects/wire-json'

type Body = Record<string, unknown>

const hasSystem = (s: SystemTransform | undefined): s is SystemTransform => !!s && (hasKeys(s.replace) || !!s.prepend || !!s.append)

/** true when the entry changes anything (lets callers skip the copy) */
export const hasTransforms = (e: ModelEntry): boolean => hasSystem(e.system) || hasKeys(e.params) || hasKeys(e.override)

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

function setWire(edits: WireEdits, src: Body, out: Body, values: Record<string, unknown>, force: boolean): void {
  for (const k in values) {
    const v = values[k]
    if (MAX_TOKEN_KEYS.has(k)) {
      const x = num(v)
      if (x === undefined) continue
      const key = edits.maxTokensKey(src)
      const cur = num(out[key])
      if (force) out[key] = cur === undefined ? x : Math.min(cur, x)
      else if (out[key] === undefined) out[key] = x
      continue
    }
    const special = edits.special?.[k]
    if (special) {
      special(out, v, force)
      continue
    }
    const wk = k in edits.keys ? edits.keys[k] : k
    if (wk === null) continue
    if (force || out[wk] === undefined) out[wk] = typeof v === 'string' && edits.listKeys?.includes(wk) ? [v] : v
  }
}

/** false when this entry has transforms the dialect's raw body cannot take (it declares no wire
 *  edits): pass-through would skip them silently, so such a request takes the translated path */
export const transformsPassThrough = (dialect: string, entry: ModelEntry | undefined): boolean =>
  !entry || !hasTransforms(entry) || wireEdits(dialect) !== undefined

/**
 * The client's wire body with this entry's transforms, for same-dialect pass-through. Returns
 * `body` itself when nothing applies (or the dialect declares no wire edits); otherwise a shallow
 * copy with only the touched fields replaced.
 */
export function applyTransformsToBody(dialect: string, body: Body, entry: ModelEntry): Body {
  const edits = wireEdits(dialect)
  if (!edits || !hasTransforms(entry)) return body
  const out: Body = { ...body }
  if (hasSystem(entry.system)) edits.system(body, out, entry.system)
  if (entry.params) setWire(edits, body, out, entry.params, false)
  if (entry.override) setWire(edits, body, out, entry.override, true)
  return out
}
