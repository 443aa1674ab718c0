// Carried reasoning state in the pipeline (carry/carried-state.ts says what and why): remembered
// from a translated answer as its canonical events pass, put back into a request that replays the
// calls without it, before any attempt encodes it. Per client key.
import type { CanonEvent } from '../canonical/event'
import type { CanonPart } from '../canonical/request'
import { callsToRestore, carriedFromParts, CarryRecorder, restoreCarried } from '../carry/carried-state'
import type { ProxyContext } from './context'
import { decodedRequest, type RequestState } from './request-state'

/** A request that may be translated gets what its replayed calls were missing. */
export async function restoreCarry(state: RequestState, ctx: ProxyContext): Promise<void> {
  const cache = ctx.carry
  if (!cache || !state.plan.attempts.some((a) => a.provider.dialect !== state.entry.name)) return
  let req
  try {
    req = decodedRequest(state)
  } catch {
    // the attempt decodes it again and reports the client's mistake in its own words
    return
  }
  const ids = callsToRestore(req)
  if (!ids.length) return
  const found = await cache.recall(state.principal.name, ids)
  if (found.size) restoreCarried(req, found)
}

/** The tap a translated stream's canonical events go through (undefined: nothing to remember). */
export function carryTap(state: RequestState, ctx: ProxyContext): ((ev: CanonEvent) => void) | undefined {
  const cache = ctx.carry
  if (!cache) return undefined
  const recorder = new CarryRecorder()
  const owner = state.principal.name
  return (ev) => {
    const e = recorder.push(ev)
    if (e) cache.remember(owner, e.callId, e.value)
  }
}

/** The same for a whole answer. */
export function rememberCarried(state: RequestState, ctx: ProxyContext, parts: CanonPart[]): void {
  const cache = ctx.carry
  if (!cache) return
  for (const e of carriedFromParts(parts)) cache.remember(state.principal.name, e.callId, e.value)
}
