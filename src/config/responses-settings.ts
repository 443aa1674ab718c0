// Stored responses' settings: the config's `responses:` or, when absent, the defaults: on (the
// Responses API's own default is store: true), kept 30 days like OpenAI's, 16 MiB per response.
import type { Config, ResponsesSettings } from './types'

export const RESPONSES_DEFAULTS: ResponsesSettings = { store: true, ttl: 30 * 86_400_000, max_bytes: 16 * 1024 * 1024 }

export const responsesSettings = (cfg: Config): ResponsesSettings => cfg.responses ?? RESPONSES_DEFAULTS
