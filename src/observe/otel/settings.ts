// Where traces go and how many: the config's `otel:` section, else the standard OTEL_* variables.
import type { Attributes } from './span'

export interface OtelFileSettings {
  endpoint?: string
  headers?: Record<string, string>
  sampling_ratio?: number
  service_name?: string
}

export interface OtelSettings {
  /** full URL the spans are POSTed to */
  url: string
  headers: Record<string, string>
  ratio: number
  resource: Attributes
}

type Env = Record<string, string | undefined>

/** "k=v,k2=v2" with %-encoded values (the OTLP exporter's header format) */
export function parseHeaderList(s: string | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const part of (s ?? '').split(',')) {
    const i = part.indexOf('=')
    if (i <= 0) continue
    const k = part.slice(0, i).trim()
    const v = part.slice(i + 1).trim()
    try {
      out[k] = decodeURIComponent(v)
    } catch {
      out[k] = v
    }
  }
  return out
}

const traces = (base: string) => base.replace(/\/+$/, '') + '/v1/traces'

function samplerRatio(env: Env): number | undefined {
  const sampler = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase()
  if (!sampler) return undefined
  if (sampler === 'always_on' || sampler === 'parentbased_always_on') return 1
  if (sampler === 'always_off' || sampler === 'parentbased_always_off') return 0
  if (sampler === 'traceidratio' || sampler === 'parentbased_traceidratio') {
    const r = Number(env.OTEL_TRACES_SAMPLER_ARG ?? '1')
    return Number.isFinite(r) ? Math.min(1, Math.max(0, r)) : 1
  }
  return undefined
}

/** undefined: tracing is off (no endpoint anywhere, or OTEL_SDK_DISABLED=true) */
export function resolveOtel(file: OtelFileSettings | undefined, env: Env, version: string): OtelSettings | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true' && !file?.endpoint) return undefined
  const url = file?.endpoint
    ? traces(file.endpoint)
    : env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || (env.OTEL_EXPORTER_OTLP_ENDPOINT ? traces(env.OTEL_EXPORTER_OTLP_ENDPOINT) : undefined)
  if (!url) return undefined
  const headers = {
    ...parseHeaderList(env.OTEL_EXPORTER_OTLP_HEADERS),
    ...parseHeaderList(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS),
    ...(file?.headers ?? {}),
  }
  const ratio = file?.sampling_ratio ?? samplerRatio(env) ?? 1
  const resource: Attributes = {
    ...parseHeaderList(env.OTEL_RESOURCE_ATTRIBUTES),
    'service.name': file?.service_name ?? env.OTEL_SERVICE_NAME ?? 'llm-proxy',
    'service.version': version,
  }
  return { url, headers, ratio, resource }
}
