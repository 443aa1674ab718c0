// Who is calling: a key's name and the group whose rules (models, providers, limits) apply.
import type { AuthConfig, GroupConfig, KeyConfig } from '../config/types'

export interface Principal {
  name: string
  group: string
  /** the static key that matched (absent for anonymous and externally checked callers) */
  key?: KeyConfig
  groupConfig: GroupConfig
  /** a database key's own model globs: they narrow the group's */
  keyModels?: string[]
}

/** The group used when none is configured: everything allowed, no limits. */
export const ALLOW_ALL_GROUP: GroupConfig = Object.freeze({ models: ['*'], providers: ['*'] }) as GroupConfig

/** A group's rules; 'default' exists implicitly (allow-all) unless configured. */
export function groupConfigOf(auth: AuthConfig | undefined, group: string): GroupConfig | undefined {
  const g = auth?.groups[group]
  if (g) return g
  return group === 'default' ? ALLOW_ALL_GROUP : undefined
}

/** The caller when no `auth:` is configured. */
export const anonymousPrincipal = (auth?: AuthConfig): Principal => ({
  name: 'anonymous',
  group: 'default',
  groupConfig: groupConfigOf(auth, 'default') ?? ALLOW_ALL_GROUP,
})
