// The tokenizer's own thread: it loads the BPE tables (1–1.5 s of CPU) where no request waits for
// them, then counts canonical requests for count_tokens. Messages: { id, request } → { id, tokens }.
import type { CanonRequest } from '../canonical/request'
import { countRequestTokensAsync, warmTokenizer } from './count-tokens'

declare const self: { onmessage: (e: MessageEvent) => void; postMessage(m: unknown): void }

warmTokenizer()
self.postMessage({ ready: true })
self.onmessage = async (e: MessageEvent<{ id: number; request: CanonRequest }>) => {
  const { id, request } = e.data
  try {
    const { tokens, estimated } = await countRequestTokensAsync(request)
    self.postMessage({ id, tokens, estimated })
  } catch (err) {
    self.postMessage({ id, error: String(err) })
  }
}
