// The built-in model catalog (generated with the price table): which provider family serves a
// known model id, and the real id behind a friendly spelling ("claude-sonnet-4.5", "GPT-4o",
// "gemini_2.5_flash"). Zero-config and env-only setups route known names with it.
import { BUILTIN_CATALOG } from '../observe/prices/catalog'

/** lower case, `.` `_` and spaces as `-`: the spellings people type for the same id */
const fold = (s: string): string => s.toLowerCase().replace(/[._\s]+/g, '-')

let folded: Map<string, string> | undefined
function byFolded(): Map<string, string> {
  if (!folded) {
    folded = new Map()
    for (const id of Object.keys(BUILTIN_CATALOG)) if (!folded.has(fold(id))) folded.set(fold(id), id)
  }
  return folded
}

export interface CatalogHit {
  /** the real model id */
  id: string
  /** the provider family that serves it (a zero-config / env-only provider name) */
  family: string
}

export function catalogLookup(name: string): CatalogHit | undefined {
  if (name.length > 200) return undefined
  const exact = BUILTIN_CATALOG[name]
  if (exact) return { id: name, family: exact }
  const id = byFolded().get(fold(name))
  return id ? { id, family: BUILTIN_CATALOG[id] } : undefined
}

/** the known ids of one family (a provider's /models fallback) */
export const catalogIds = (family: string): string[] => Object.keys(BUILTIN_CATALOG).filter((id) => BUILTIN_CATALOG[id] === family)
