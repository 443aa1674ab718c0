// Exit statuses scripts and service managers can tell apart (systemd's RestartPreventExitStatus=2:
// a restart cannot fix a bad config or command line; a port in use may free up).
export const EXIT = {
  ok: 0,
  /** anything else: an unexpected error, an unhealthy proxy (healthcheck) */
  failure: 1,
  /** bad command line or config, or a refused public listener */
  usage: 2,
  /** the listen port is taken by another process */
  portInUse: 3,
} as const

/** A one-line reason for a failed listen, or undefined when the error is something else. */
export function listenFailure(err: unknown, host: string, port: number): { code: number; message: string } | undefined {
  const code = (err as { code?: unknown } | null)?.code
  if (code === 'EADDRINUSE')
    return { code: EXIT.portInUse, message: `cannot listen on ${host}:${port}: the port is already in use (another llm-proxy?); choose another with --port or server.port` }
  if (code === 'EACCES')
    return { code: EXIT.failure, message: `cannot listen on ${host}:${port}: permission denied (ports below 1024 need privileges); choose a port ≥ 1024` }
  if (code === 'EADDRNOTAVAIL')
    return { code: EXIT.failure, message: `cannot listen on ${host}:${port}: this machine has no such address; check server.host` }
  return undefined
}
