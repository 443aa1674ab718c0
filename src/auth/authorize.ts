// What a principal's group may use: `models` globs over the requested name, `providers` globs
// over provider names.
import { GatewayError } from '../errors'
import { matchAny } from '../routing/glob'
import type { Principal } from './principal'

const allowsAll = (patterns: readonly string[]) => patterns.length === 1 && patterns[0] === '*'

const who = (p: Principal) => (p.key ? `key ${p.name} (group ${p.group})` : `group ${p.group}`)

const listed = (patterns: readonly string[]) => (patterns.length ? patterns.join(', ') : 'none')

/** 403 naming what the group may use when the requested model is not allowed. */
export function checkModelAllowed(principal: Principal, requestedModel: string): void {
  const { models } = principal.groupConfig
  const own = principal.keyModels
  if (own && !matchAny(own, requestedModel))
    throw new GatewayError(403, `model ${requestedModel} is not allowed for key ${principal.name}; allowed models: ${listed(own)}`, {
      code: 'model_not_allowed',
      param: 'model',
      retryable: false,
    })
  if (allowsAll(models) || matchAny(models, requestedModel)) return
  throw new GatewayError(403, `model ${requestedModel} is not allowed for ${who(principal)}; allowed models: ${listed(models)}`, {
    code: 'model_not_allowed',
    param: 'model',
    retryable: false,
  })
}

export function checkProviderAllowed(principal: Principal, providerName: string): void {
  const { providers } = principal.groupConfig
  if (allowsAll(providers) || matchAny(providers, providerName)) return
  throw new GatewayError(403, `provider ${providerName} is not allowed for ${who(principal)}; allowed providers: ${listed(providers)}`, {
    code: 'provider_not_allowed',
    retryable: false,
  })
}

export const isModelAllowed = (principal: Principal, name: string): boolean => {
  const { models } = principal.groupConfig
  if (principal.keyModels && !matchAny(principal.keyModels, name)) return false
  return allowsAll(models) || matchAny(models, name)
}

/** The names (e.g. for /v1/models) this principal may request. */
export function filterModels(principal: Principal, names: readonly string[]): string[] {
  return names.filter((n) => isModelAllowed(principal, n))
}
