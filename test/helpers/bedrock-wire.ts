// A Bedrock Runtime mock's replies: Converse / ConverseStream and InvokeModel /
// InvokeModelWithResponseStream (Claude's native body), chosen by the request path as AWS does,
// streams framed as AWS event-streams with real CRCs. Every request's SigV4 signature is checked
// against @smithy/signature-v4 first (or its bearer API key), and refused the way AWS refuses it.
import { chunkMessage, eventMessage } from './aws-eventstream'
import type { Received, Reply } from './mock-upstream'
import { verifySigV4, type Creds } from './sigv4-verify'
import { anthropic, type Script } from './wire'

export const BEDROCK_CREDS: Creds = { accessKeyId: 'AKIDBEDROCKTEST', secretAccessKey: 'bedrock/secret+KEY' }
export const BEDROCK_API_KEY = 'bedrock-api-key-test'

const EVENT_STREAM = 'application/vnd.amazon.eventstream'

const pieces = (s: string, n = 3): string[] => {
  const size = Math.max(1, Math.ceil(s.length / n))
  const out: string[] = []
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size))
  return out
}

/** `/model/{id}/{op}` → its parts (the id decoded) */
export function bedrockPath(path: string): { model: string; op: string } {
  const m = /^\/model\/([^/]+)\/([a-z-]+)$/.exec(path)
  return m ? { model: decodeURIComponent(m[1]), op: m[2] } : { model: '', op: '' }
}

export async function checkAuth(r: Received, creds: Creds = BEDROCK_CREDS): Promise<Reply | undefined> {
  const auth = r.headers.get('authorization') ?? ''
  if (auth === `Bearer ${BEDROCK_API_KEY}`) return undefined
  const why = auth.startsWith('Bearer ') ? 'Invalid API key' : await verifySigV4({ method: r.method, url: r.url, headers: r.headers, raw: r.raw }, creds)
  if (!why) return undefined
  const type = why.includes('signature') ? 'InvalidSignatureException' : 'UnrecognizedClientException'
  return { kind: 'json', status: 403, headers: { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.coral.service/` }, body: { message: why } }
}

export async function bedrock(r: Received, s: Script): Promise<Reply> {
  const denied = await checkAuth(r)
  if (denied) return denied
  const { op } = bedrockPath(r.path)
  if (op === 'invoke' || op === 'invoke-with-response-stream') return invoke(r, s, op === 'invoke-with-response-stream')
  if (op === 'converse') return { kind: 'json', body: converseBody(s) }
  if (op === 'count-tokens') return countTokens(r)
  if (op === 'converse-stream') return { kind: 'binary', contentType: EVENT_STREAM, chunks: converseStream(s) }
  return { kind: 'json', status: 404, headers: { 'x-amzn-errortype': 'UnknownOperationException' }, body: { message: `no operation ${r.path}` } }
}

function invoke(r: Received, s: Script, stream: boolean): Reply {
  if (r.body?.anthropic_version !== 'bedrock-2023-05-31' || 'model' in r.body || 'stream' in r.body)
    return { kind: 'json', status: 400, headers: { 'x-amzn-errortype': 'ValidationException' }, body: { message: 'Malformed input request' } }
  const reply = anthropic({ ...r, body: { ...r.body, stream } }, s)
  if (reply.kind === 'json') return reply
  if (reply.kind !== 'sse') throw new Error('unexpected')
  const chunks = reply.frames.map((f) => chunkMessage(typeof f === 'string' ? JSON.parse(f) : f.data))
  return { kind: 'binary', contentType: EVENT_STREAM, headers: { 'x-amzn-bedrock-content-type': 'application/json' }, chunks }
}

const usageOf = (s: Script) => ({ inputTokens: s.usage?.input ?? 11, outputTokens: s.usage?.output ?? 7, totalTokens: (s.usage?.input ?? 11) + (s.usage?.output ?? 7) })
const stopOf = (s: Script) => (s.tools?.length ? 'tool_use' : s.finish === 'length' ? 'max_tokens' : 'end_turn')

export function converseBody(s: Script): unknown {
  const content: any[] = []
  if (s.reasoning) content.push({ reasoningContent: { reasoningText: { text: s.reasoning, signature: 'sig-bedrock' } } })
  if (s.text) content.push({ text: s.text })
  for (const t of s.tools ?? []) content.push({ toolUse: { toolUseId: t.id, name: t.name, input: t.args } })
  return { output: { message: { role: 'assistant', content } }, stopReason: stopOf(s), usage: usageOf(s), metrics: { latencyMs: 10 } }
}

export function converseStream(s: Script): Uint8Array[] {
  const out: Uint8Array[] = [eventMessage('messageStart', { role: 'assistant' })]
  let index = 0
  if (s.reasoning) {
    for (const p of pieces(s.reasoning)) out.push(eventMessage('contentBlockDelta', { contentBlockIndex: index, delta: { reasoningContent: { text: p } }, p: 'abc' }))
    out.push(eventMessage('contentBlockDelta', { contentBlockIndex: index, delta: { reasoningContent: { signature: 'sig-bedrock' } } }))
    out.push(eventMessage('contentBlockStop', { contentBlockIndex: index++ }))
  }
  if (s.text) {
    for (const p of pieces(s.text)) out.push(eventMessage('contentBlockDelta', { contentBlockIndex: index, delta: { text: p }, p: 'abcdef' }))
    out.push(eventMessage('contentBlockStop', { contentBlockIndex: index++ }))
  }
  for (const t of s.tools ?? []) {
    out.push(eventMessage('contentBlockStart', { contentBlockIndex: index, start: { toolUse: { toolUseId: t.id, name: t.name } } }))
    for (const p of pieces(JSON.stringify(t.args))) out.push(eventMessage('contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input: p } } }))
    out.push(eventMessage('contentBlockStop', { contentBlockIndex: index++ }))
  }
  out.push(eventMessage('messageStop', { stopReason: stopOf(s) }))
  out.push(eventMessage('metadata', { usage: usageOf(s), metrics: { latencyMs: 10 } }))
  return out
}

/** CountTokens: the InvokeModel body, base64 in `input.invokeModel.body`; answers its JSON length / 10 */
function countTokens(r: Received): Reply {
  const b64 = r.body?.input?.invokeModel?.body
  let inner: any
  try {
    inner = JSON.parse(Buffer.from(String(b64), 'base64').toString('utf8'))
  } catch {
    inner = undefined
  }
  if (inner?.anthropic_version !== 'bedrock-2023-05-31' || !Array.isArray(inner.messages))
    return { kind: 'json', status: 400, headers: { 'x-amzn-errortype': 'ValidationException' }, body: { message: 'The provided request is not valid' } }
  return { kind: 'json', body: { inputTokens: Math.ceil(JSON.stringify(inner).length / 10) } }
}
