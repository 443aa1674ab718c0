// One row of the usage ledger: one client request, whatever happened to it.
import type { DialectName } from '../dialects/dialect'

export interface UsageRecord {
  /** request arrival, ms since the epoch */
  time: number
  request_id: string
  /** '' when no client key is configured */
  key_name: string
  group_name: string
  /** the client's dialect */
  front: DialectName
  model_requested: string
  /** '' when no upstream was reached */
  provider: string
  model_upstream: string
  attempts: number
  /** HTTP status sent to the client */
  status: number
  input_tokens: number
  output_tokens: number
  cache_read_tokens: number
  cache_write_tokens: number
  reasoning_tokens: number
  cost_usd: number
  ttft_ms: number | null
  duration_ms: number
  client_disconnected: boolean
  /** short text, never a key */
  error: string | null
  /** some token figure was counted locally: the upstream's usage never arrived (stream cut) */
  usage_estimated?: boolean
  /** the routing rule that chose the target (rules: on an alias) */
  rule?: string | null
}

/** Column order shared by every store. */
export const USAGE_COLUMNS = [
  'time',
  'request_id',
  'key_name',
  'group_name',
  'front',
  'model_requested',
  'provider',
  'model_upstream',
  'attempts',
  'status',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
  'ttft_ms',
  'duration_ms',
  'client_disconnected',
  'error',
  'usage_estimated',
  'rule',
] as const satisfies ReadonlyArray<keyof UsageRecord>

export type UsageGroupBy = 'key' | 'group' | 'model' | 'provider' | 'day' | 'all'

export interface UsageQuery {
  /** ms since the epoch, inclusive */
  since: number
  by: UsageGroupBy
}

/** One aggregated line of a usage report. */
export interface UsageAggregate {
  group: string
  requests: number
  input_tokens: number
  output_tokens: number
  cache_read_tokens: number
  cache_write_tokens: number
  cost_usd: number
  p50_ms: number
  p95_ms: number
}
