// `server.metrics_auth: key`: /metrics needs a client key that auth accepts (any group), and
// /health answers only its status without one. Liveness and readiness stay open for probes.
import type { ProxyContext } from './context'

/** throws the 401 GatewayError of authenticate() when a key is required and missing or wrong */
export async function requireMetricsKey(ctx: ProxyContext, request: Request): Promise<void> {
  if (ctx.config.server.metrics_auth === 'key') await ctx.authenticate(request, new URL(request.url))
}

/** whether /health may show its details to this caller */
export async function mayShowDetails(ctx: ProxyContext, request: Request): Promise<boolean> {
  if (ctx.config.server.metrics_auth !== 'key') return true
  return ctx.authenticate(request, new URL(request.url)).then(
    () => true,
    () => false,
  )
}
