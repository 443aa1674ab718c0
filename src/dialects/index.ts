// The registry: the only place that lists dialects. A new dialect is a folder and a line here.
import type { ProviderConfig } from '../config/types'
import type { AuthDefault } from '../upstream/build-request'
import { addCacheMarkers } from '../routing/cache-markers'
import { anthropicDialect } from './anthropic'
import type { Dialect, DialectName, PassthroughAdaptation } from './dialect'
import { geminiDialect } from './gemini'
import { openaiChatDialect } from './openai-chat'
import { openaiResponsesDialect } from './openai-responses'
import { askStreamUsage } from './openai-chat/stream-usage'
import { dropCarriedReasoning } from './openai-responses/carried-reasoning'

export interface DialectEntry {
  dialect: Dialect
  /** client-facing POST paths this dialect serves as a front door (under every base path) */
  routes: string[]
  /** where a same-dialect (pass-through) request goes, relative to the provider's base_url */
  upstreamPath: string
  /** how its upstreams take a key when the provider config does not say */
  auth: AuthDefault
  /** adds prompt-cache markers to this dialect's wire body per a provider's `cache` pattern */
  cacheMarkers?: (body: Record<string, unknown>, pattern: NonNullable<ProviderConfig['cache']>) => Record<string, unknown>
  /**
   * adapts a pass-through body: strips what only the proxy may read (state it parked with the
   * client), asks for what the ledger needs; `hide` names stream frames the client must not see
   */
  adaptPassthrough?: (body: Record<string, unknown>) => PassthroughAdaptation
  /** body fields a request must have (checked before pass-through, which does not decode) */
  required: Array<[field: string, kinds: Array<'array' | 'string' | 'object'>]>
}

export const DIALECTS: Partial<Record<DialectName, DialectEntry>> = {
  'openai-chat': {
    dialect: openaiChatDialect,
    routes: ['/v1/chat/completions', '/chat/completions'],
    upstreamPath: '/chat/completions',
    auth: { header: 'authorization', scheme: 'Bearer' },
    required: [['messages', ['array']]],
    adaptPassthrough: askStreamUsage,
  },
  'openai-responses': {
    dialect: openaiResponsesDialect,
    routes: ['/v1/responses', '/responses'],
    upstreamPath: '/responses',
    auth: { header: 'authorization', scheme: 'Bearer' },
    required: [['input', ['string', 'array']]],
    adaptPassthrough: (body) => ({ body: dropCarriedReasoning(body) }),
  },
  anthropic: {
    dialect: anthropicDialect,
    routes: ['/v1/messages', '/messages'],
    upstreamPath: '/v1/messages',
    auth: { header: 'x-api-key', scheme: '' },
    required: [['messages', ['array']]],
    cacheMarkers: addCacheMarkers,
  },
  // upstream only for now: a Gemini front door needs pattern routes (model and stream are in the URL)
  gemini: {
    dialect: geminiDialect,
    routes: [],
    upstreamPath: '/v1beta/models',
    auth: { header: 'x-goog-api-key', scheme: '' },
    required: [['contents', ['array']]],
  },
}

/** dialects answered in-process, without an upstream */
export const LOCAL_DIALECTS = new Set<DialectName>(['echo'])

/** the dialects clients can speak (those with front-door routes) */
export const frontDoorNames = (): string[] => (Object.keys(DIALECTS) as DialectName[]).filter((n) => (DIALECTS[n]?.routes.length ?? 0) > 0)

export function dialectEntry(name: DialectName): DialectEntry | undefined {
  return DIALECTS[name]
}
