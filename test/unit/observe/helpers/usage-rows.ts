import type { UsageRecord } from '../../../../src/observe/usage-record'
import type { UsageStore } from '../../../../src/observe/usage-store'

let seq = 0

export const usageRow = (o: Partial<UsageRecord> = {}): UsageRecord => ({
  time: Date.now(),
  request_id: `req_${++seq}`,
  key_name: 'alice',
  group_name: 'default',
  front: 'openai-chat',
  model_requested: 'fast',
  provider: 'openai',
  model_upstream: 'gpt-4o',
  attempts: 1,
  status: 200,
  input_tokens: 1000,
  output_tokens: 10,
  cache_read_tokens: 100,
  cache_write_tokens: 0,
  reasoning_tokens: 0,
  cost_usd: 0.01,
  ttft_ms: 120,
  duration_ms: 200,
  client_disconnected: false,
  error: null,
  ...o,
})

/** Rows visible to another connection. */
export async function countRows(store: UsageStore): Promise<number> {
  const [all] = await store.query({ since: 0, by: 'all' })
  return all?.requests ?? 0
}

export async function waitFor(cond: () => Promise<boolean>, timeoutMs: number, stepMs = 25): Promise<boolean> {
  const end = performance.now() + timeoutMs
  while (performance.now() < end) {
    if (await cond()) return true
    await Bun.sleep(stepMs)
  }
  return cond()
}
