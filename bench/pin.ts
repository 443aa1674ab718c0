// CPU pinning, as issue 17 measures: the proxy under test alone on the last core, everything else
// (the orchestrator and its stream clients, the mock, wrk/autocannon, which inherit its affinity)
// on the others. Without it, the proxy and the load generator fight for the same cores and a
// proxy that uses more CPU also slows its own client, which blurs every ratio. Linux `taskset`
// only; off with BENCH_PIN=0, and on a one-core machine.
import { cpus } from 'node:os'

// the machine's cores, not this process's share: the orchestrator itself runs pinned to the client cores
const cores = cpus().length
const enabled = process.env.BENCH_PIN !== '0' && cores >= 2 && Bun.which('taskset') !== null

/** the core the proxies run on, and the ones left for the load */
export const PROXY_CPUS = String(cores - 1)
export const CLIENT_CPUS = cores > 2 ? `0-${cores - 2}` : '0'

export const pinning = enabled ? `proxies on core ${PROXY_CPUS}; mock, load tools and clients on ${CLIENT_CPUS} (taskset)` : 'none'

/** `cmd` pinned to the proxy core (unchanged when pinning is off) */
export function onProxyCore(cmd: string[]): string[] {
  return enabled ? ['taskset', '-c', PROXY_CPUS, ...cmd] : cmd
}

/** `cmd` pinned to the client cores (the orchestrator re-runs itself this way) */
export function onClientCores(cmd: string[]): string[] {
  return enabled ? ['taskset', '-c', CLIENT_CPUS, ...cmd] : cmd
}

/** `cmd` free to run on every core, as a user starts it (the start-up lane: a child would otherwise
 *  inherit the orchestrator's client cores) */
export function onAllCores(cmd: string[]): string[] {
  return enabled ? ['taskset', '-c', `0-${cores - 1}`, ...cmd] : cmd
}
