// The contract both stores fulfil, and which scopes (key, group) a principal counts against.
import type { Principal } from '../auth/principal'
import type { Limits } from '../config/types'
import type { Scope } from './limiter'

export interface AdmitRequest {
  principal: Principal
  /** tokens reserved against tpm until the real usage is known */
  estimatedTokens: number
  /** USD reserved against budgets until the real cost is known (see estimate.ts) */
  estimatedCostUsd?: number
}

/** What admission took; handed back to `release`. */
export interface Ticket {
  readonly id: string
  readonly scopes: readonly Scope[]
  /** the tpm reservation (whole tokens) */
  readonly estimate: number
  /** the budget reservation (USD) */
  readonly costEstimate: number
  /** start of the rpm/tpm window the reservation was counted in */
  readonly window: number
  released: boolean
}

export interface AdmitResult {
  ticket: Ticket
  /** x-ratelimit-* headers to add to every response of this request (may be empty; read-only,
   *  the empty one is shared) */
  headers: Record<string, string>
}

export interface Usage {
  tokens: number
  costUsd: number
}

export interface LimitStore {
  /** Atomically checks every limit and counts the request; throws a 429 GatewayError when over. */
  admit(req: AdmitRequest, now: number): Promise<AdmitResult>
  /** Settles the reservation to the real usage and frees the slot. Idempotent: only the first
   *  call counts. Never rejects (Redis: a failed settle is queued and retried until Redis is
   *  back, see redis-store.ts). */
  release(ticket: Ticket, usage: Usage, now: number): Promise<void>
  /** settles waiting for Redis to come back (Redis store only) */
  pendingSettles?(): number
  close(): Promise<void>
}

const hasLimits = (l: Limits) =>
  l.rpm !== undefined || l.tpm !== undefined || l.max_concurrent !== undefined || l.budget !== undefined

const scopeOf = (id: string, label: string, l: Limits): Scope => ({
  id,
  label,
  rpm: l.rpm,
  tpm: l.tpm,
  maxConcurrent: l.max_concurrent,
  budget: l.budget,
})

const cache = new WeakMap<Principal, readonly Scope[]>()

/** The scopes with limits a principal counts against: its key's, then its group's. Cached per
 *  principal object (static keys and cached external answers reuse theirs). */
export function scopesOf(p: Principal): readonly Scope[] {
  let scopes = cache.get(p)
  if (scopes) return scopes
  const list: Scope[] = []
  if (p.key && hasLimits(p.key)) list.push(scopeOf(`key:${p.key.name}`, `key ${p.key.name}`, p.key))
  if (hasLimits(p.groupConfig)) list.push(scopeOf(`group:${p.group}`, `group ${p.group}`, p.groupConfig))
  scopes = list
  cache.set(p, scopes)
  return scopes
}

/** A ticket that holds nothing: no limits apply, or the store failed open. */
export const emptyTicket = (): Ticket => ({ id: '', scopes: [], estimate: 0, costEstimate: 0, window: 0, released: false })

export const EMPTY_SCOPES: readonly Scope[] = []
