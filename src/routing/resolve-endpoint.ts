// Which providers an API pass-through call (embeddings, files, batches…) may go to. With a model:
// the generation plan's attempts whose dialect serves that vendor API. Without one (file lists,
// uploads, batches): policy.default_provider when it serves the API, else the only provider that
// does. Pure.
import type { Config, ProviderConfig } from '../config/types'
import { servesFamily } from '../dialects'
import { GatewayError } from '../errors'
import type { Attempt, Plan } from './resolve-model'

/** a provider that takes this vendor API as it is (a vendor's model on Vertex speaks Google's API around it) */
const serves = (p: ProviderConfig, family: string): boolean => servesFamily(p.dialect, family) && p.vertex === undefined

/** the plan's attempts a provider of this API family can take; a 400 when none can */
export function familyAttempts(plan: Pick<Plan, 'requested' | 'attempts'>, family: string, path: string): Attempt[] {
  const out = plan.attempts.filter((a) => serves(a.provider, family))
  if (out.length) return out
  const dialects = [...new Set(plan.attempts.map((a) => a.provider.dialect))].join(', ')
  throw new GatewayError(400, `model ${plan.requested} routes to providers of dialect ${dialects}, none of which serves ${path}`, {
    code: 'no_route',
    param: 'model',
    retryable: false,
  })
}

/** the provider a model-less call of this API family goes to */
export function modellessProvider(cfg: Config, family: string, path: string): ProviderConfig {
  const serving = cfg.providers.filter((p) => serves(p, family))
  const chosen = cfg.policy.default_provider
  const dp = chosen !== undefined ? serving.find((p) => p.name === chosen) : undefined
  if (dp) return dp
  if (serving.length === 1) return serving[0]
  const why = serving.length
    ? `${serving.length} providers serve it (${serving.map((p) => p.name).join(', ')})${chosen !== undefined ? ` and policy.default_provider (${chosen}) is not one of them` : ''}`
    : 'no configured provider serves it'
  throw new GatewayError(400, `${path} names no model, so the proxy cannot tell which provider it is for: ${why}; set policy.default_provider to one that serves it`, {
    code: 'no_default_provider',
    retryable: false,
  })
}
