// Lane 6: time from exec of the compiled binary to its first 200 on /healthz (polled every 1 ms),
// the binary on every core as a user runs it.
import { join } from 'node:path'
import { onAllCores } from '../pin'
import { freePort, spawnChild, stopChild, waitHealthy } from '../procs'
import { proxyConfig } from '../proxy-config'

export async function startupLane(cmd: string[], mockPort: number, runs: number, tmpDir: string): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const port = freePort()
    const config = join(tmpDir, `startup-${i}.yaml`)
    await Bun.write(config, proxyConfig(port, mockPort))
    const t0 = performance.now()
    const proc = spawnChild(onAllCores([...cmd, 'serve', '--config', config]), join(tmpDir, `startup-${i}.log`))
    try {
      times.push(await waitHealthy(`http://127.0.0.1:${port}/healthz`, proc, t0, 1, 5000))
    } finally {
      await stopChild(proc)
    }
  }
  return times
}
