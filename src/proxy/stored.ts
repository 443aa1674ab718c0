// Stored responses for every upstream (a front door whose API stores them: Responses). Before
// routing, a request naming a previous response of the caller gets the whole conversation as its
// input; a translated answer is handed to the store as the client's encoder finishes it; GET,
// DELETE and input_items serve what was kept. Ownership: every lookup is by the caller's key name,
// and another key's response answers exactly like a missing one.
import type { Dialect, ResponseKeeper, StoredResponses } from '../dialects/dialect'
import { GatewayError } from '../errors'
import { redact } from '../observe/redact'
import type { StoredRow } from '../responses/response-sql'
import type { Attempt, Call, Principal, ProxyContext } from './context'
import { JSON_HEADERS } from './response-headers'

type Body = Record<string, unknown>

export interface Continued {
  body: Body
  /** where the translated answer goes to be stored (absent: not stored) */
  keep?: ResponseKeeper
  /** a previous response the proxy does not have: only an upstream of the same API may know it */
  unknownPrevious?: string
}

const ownerOf = (p: Principal): string => p.name

/** The request with its conversation rebuilt (when it continues a stored response), and its keeper. */
export async function continueStored(front: Dialect, body: Body, principal: Principal, ctx: ProxyContext): Promise<Continued> {
  const facet = front.stored
  const svc = ctx.responses
  if (!facet || !svc) return { body }
  const owner = ownerOf(principal)
  const previous = facet.previousId(body)
  let next = body
  let found: string | undefined
  let unknownPrevious: string | undefined
  if (previous !== undefined) {
    const chain = await svc.chain(owner, previous)
    if ('rows' in chain) {
      next = facet.continued(body, history(facet, chain.rows))
      found = previous
    } else if ('tooLarge' in chain) {
      throw new GatewayError(400, `previous_response_id '${previous}' cannot be continued: ${chain.tooLarge}. Send the conversation in \`input\` instead.`, {
        code: 'previous_response_too_large',
        param: 'previous_response_id',
      })
    } else unknownPrevious = previous
  }
  if (!facet.wantsStore(body)) return { body: next, unknownPrevious }
  // serialized only when an answer is stored (a pass-through answer never is)
  const keep: ResponseKeeper = {
    previousId: found,
    save: (id, response) => void svc.save({ id, owner, previousId: found, input: JSON.stringify(facet.inputItems(body)), response }),
  }
  return { body: next, keep, unknownPrevious }
}

/** A previous response the proxy does not have is an error unless an attempt passes it through to its own API. */
export function checkUnknownPrevious(front: Dialect, id: string | undefined, attempts: Attempt[]): void {
  if (id === undefined || !front.stored) return
  if (attempts.some((a) => a.provider.dialect === front.name)) return
  throw front.stored.notFound(id, 'previous_response_id')
}

/** every earlier turn's input and output items, oldest first */
function history(facet: StoredResponses, rows: StoredRow[]): unknown[] {
  const items: unknown[] = []
  for (const r of rows) {
    for (const it of JSON.parse(r.input) as unknown[]) items.push(it)
    for (const it of facet.outputItems(JSON.parse(r.response))) items.push(it)
  }
  return items
}

const json = (body: unknown, status = 200) => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: JSON_HEADERS })

const MAX_ID = 256

/**
 * GET {prefix}/{id}, DELETE {prefix}/{id}, GET {prefix}/{id}/input_items. Unknown, expired and
 * another key's ids are the same 404; errors are in the front door's shape (the route's `errors`).
 */
export async function handleStoredRoute(front: Dialect, prefix: string, { request, url }: Call, ctx: ProxyContext): Promise<Response> {
  const facet = front.stored!
  const principal = await ctx.authenticate(request, url)
  const rest = url.pathname.slice(prefix.length + 1).replace(/\/$/, '')
  const [rawId, sub, more] = rest.split('/')
  const id = safeDecode(rawId ?? '')
  if (!id || id.length > MAX_ID || more !== undefined || (sub !== undefined && sub !== 'input_items') || (sub && request.method !== 'GET'))
    throw new GatewayError(404, `no endpoint at ${request.method} ${url.pathname}`, { code: 'not_found' })
  const svc = ctx.responses
  if (!svc) throw facet.notFound(id)
  const owner = ownerOf(principal)
  if (request.method === 'DELETE') {
    if (!(await svc.delete(owner, id))) throw facet.notFound(id)
    return json(facet.deleted(id))
  }
  if (!sub) {
    const row = await svc.one(owner, id)
    if (!row) throw facet.notFound(id)
    // redacted on the way out, like every answer (and so also for secrets registered since it was stored)
    return json(redact(row.response))
  }
  const chain = await svc.chain(owner, id)
  if (!('rows' in chain)) throw facet.notFound(id)
  const rows = chain.rows
  // the input the model saw: earlier turns (their input and output), then this request's own input
  const items: Record<string, unknown>[] = []
  rows.forEach((r, k) => {
    ;(JSON.parse(r.input) as unknown[]).forEach((it, i) => items.push(facet.identify(it, r.id, i)))
    if (k < rows.length - 1) for (const it of facet.outputItems(JSON.parse(r.response))) items.push(it as Record<string, unknown>)
  })
  return json(facet.listItems(items, url.searchParams))
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
