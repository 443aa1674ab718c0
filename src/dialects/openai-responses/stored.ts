// The Responses API's stored state, as wire facts: which response a request continues, whether it
// wants storing, its input as items, the rebuilt body, and the shapes of GET …/input_items and
// DELETE. The proxy (proxy/stored.ts) keeps the rows; nothing here does I/O.
import { badRequest, GatewayError } from '../../errors'
import type { StoredResponses } from '../dialect'
import { isObject, type Json } from './wire'

const MAX_LIMIT = 100
const DEFAULT_LIMIT = 20

function previousId(body: Json): string | undefined {
  const v = body.previous_response_id
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string' || !v || v.length > 256) throw badRequest("Invalid 'previous_response_id': expected a response id string.", 'previous_response_id')
  return v
}

/** `input` as items: a string is one user message */
function inputItems(body: Json): unknown[] {
  const input = body.input
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: input }] }]
  return Array.isArray(input) ? input : []
}

function continued(body: Json, history: unknown[]): Json {
  const { previous_response_id: _, ...rest } = body
  return { ...rest, input: [...history, ...inputItems(body)] }
}

function outputItems(response: Json): unknown[] {
  return Array.isArray(response.output) ? response.output : []
}

const notFound = (id: string, param?: string): GatewayError =>
  param
    ? new GatewayError(400, `Previous response with id '${id}' not found.`, { code: 'previous_response_not_found', param, kind: 'invalid_request' })
    : new GatewayError(404, `Response with id '${id}' not found.`, { kind: 'not_found' })

const PREFIX: Record<string, string> = { message: 'msg', function_call: 'fc', function_call_output: 'fco', reasoning: 'rs', custom_tool_call: 'ctc', custom_tool_call_output: 'ctco' }

/** an input item as OpenAI lists it: typed, with an id (a stable one made up when the client sent none) */
function listed(item: unknown, responseId: string, i: number): Json {
  const o: Json = isObject(item) ? { ...item } : { type: 'unknown' }
  o.type ??= o.role !== undefined ? 'message' : 'unknown'
  if (o.type === 'message' && typeof o.content === 'string') o.content = [{ type: o.role === 'assistant' ? 'output_text' : 'input_text', text: o.content }]
  if (typeof o.id !== 'string' || !o.id) o.id = `${PREFIX[String(o.type)] ?? 'item'}_${responseId.replace(/^resp_/, '')}_${i}`
  return o
}

function readLimit(query: URLSearchParams): number {
  const raw = query.get('limit')
  if (raw === null) return DEFAULT_LIMIT
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) throw badRequest(`Invalid 'limit': expected an integer from 1 to ${MAX_LIMIT}.`, 'limit')
  return n
}

function listItems(items: Json[], query: URLSearchParams): Json {
  const limit = readLimit(query)
  const order = query.get('order') ?? 'desc'
  if (order !== 'asc' && order !== 'desc') throw badRequest("Invalid 'order': expected 'asc' or 'desc'.", 'order')
  let all = [...items]
  if (order === 'desc') all = all.reverse()
  const after = query.get('after')
  if (after !== null) {
    const at = all.findIndex((it) => it.id === after)
    all = at < 0 ? [] : all.slice(at + 1)
  }
  const data = all.slice(0, limit)
  return { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null, has_more: all.length > limit }
}

export const storedResponses: StoredResponses = {
  routes: ['/v1/responses', '/responses'],
  previousId,
  wantsStore: (body) => body.store !== false,
  inputItems,
  continued,
  outputItems,
  notFound,
  identify: listed,
  listItems,
  deleted: (id) => ({ id, object: 'response', deleted: true }),
}
