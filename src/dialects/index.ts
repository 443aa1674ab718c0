// The registry: the only place that lists dialects. A new dialect is a folder and one line here;
// everything else (the DialectName type, the config enum, default base URLs, front-door routes,
// zero-config discovery, the test matrix) is derived from it.
import { anthropicDialect } from './anthropic'
import { bedrockDialect } from './bedrock'
import type { Dialect, LocalDialect, Registered, WireEdits } from './dialect'
import { echoDialect } from './echo'
import { geminiDialect } from './gemini'
import { openaiChatDialect } from './openai-chat'
import { openaiResponsesDialect } from './openai-responses'

const BUILT_IN = {
  'openai-chat': openaiChatDialect,
  'openai-responses': openaiResponsesDialect,
  anthropic: anthropicDialect,
  gemini: geminiDialect,
  bedrock: bedrockDialect,
  echo: echoDialect,
} satisfies Record<string, Registered>

/** the built-in dialects' names (a dialect registered by a test is a DialectName too at run time) */
export type DialectName = keyof typeof BUILT_IN

/** the front door for requests that name no dialect (models list, unknown paths) */
const DEFAULT_FRONT: DialectName = 'openai-chat'

const registry = new Map<string, Registered>(Object.entries(BUILT_IN))

/** Registers a dialect at run time: for tests that prove a dialect is a folder plus one line. */
export function registerDialect(d: Registered): () => void {
  if (registry.has(d.name)) throw new Error(`dialect ${d.name} is already registered`)
  registry.set(d.name, d)
  return () => void registry.delete(d.name)
}

/** every registered dialect, in registration order */
export const dialects = (): Registered[] => [...registry.values()]

/** every registered dialect's name, in registration order */
export const dialectNames = (): string[] => [...registry.keys()]

export const isLocal = (d: Registered): d is LocalDialect => d.local !== undefined

/** the registered dialect of that name (local or wire), if any */
export const registered = (name: string): Registered | undefined => registry.get(name)

/** a dialect spoken on the wire, by name; undefined for unknown and local ones */
export function dialectEntry(name: string): Dialect | undefined {
  const d = registry.get(name)
  return d && !isLocal(d) ? d : undefined
}

/** dialects that serve client routes (fixed paths, or paths that carry the model) */
export const frontDoors = (): Dialect[] => dialects().filter((d): d is Dialect => !isLocal(d) && (d.routes.length > 0 || d.pathRoutes !== undefined))

/** the dialects clients can speak (those with front-door routes) */
export const frontDoorNames = (): string[] => frontDoors().map((d) => d.name)

/** the dialect whose shape answers a request on an endpoint that belongs to no dialect */
export const frontFor = (headers: Headers, url?: URL): Dialect =>
  frontDoors().find((d) => d.claims?.(headers, url)) ?? (dialectEntry(DEFAULT_FRONT) as Dialect)

/** how pass-through transforms edit this dialect's wire body, if it says */
export const wireEdits = (name: string): WireEdits | undefined => dialectEntry(name)?.wire

/** `*` one path segment, a trailing `**` any rest (none included) */
function pathMatches(glob: string, path: string): boolean {
  const g = glob.split('/')
  const p = path.split('/')
  for (let i = 0; i < g.length; i++) {
    if (g[i] === '**' && i === g.length - 1) return p.length >= i
    if (i >= p.length || (g[i] === '*' ? p[i] === '' : g[i] !== p[i])) return false
  }
  return g.length === p.length
}

/**
 * The front door whose vendor API holds this path (embeddings, files, batches…): when two
 * families hold it (`/v1/files`), the one whose client the headers say it is, else one that claims
 * no client (the default front door's family).
 */
export function apiDialectFor(path: string, headers: Headers): Dialect | undefined {
  const hits = frontDoors().filter((d) => d.api?.paths.some((g) => pathMatches(g, path)))
  return hits.find((d) => d.claims?.(headers)) ?? hits.find((d) => !d.claims) ?? hits[0]
}

/** true when providers of this dialect serve that vendor API family */
export const servesFamily = (dialect: string, family: string): boolean => dialectEntry(dialect)?.api?.family === family

/** the built-in entries by name (tests reach codecs through it) */
export const DIALECTS: { readonly [K in DialectName]: (typeof BUILT_IN)[K] } = BUILT_IN
