// One mock upstream speaking every dialect (chosen by the request path) behind one proxy with a
// provider per dialect, as the clients tests share it. `model` prefixes pick the upstream.
import { startMock, type Mock, type Received, type Reply } from '../helpers/mock-upstream'
import { startProxy, type TestProxy } from '../helpers/proxy'

export const UPSTREAMS = ['openai-chat', 'openai-responses', 'anthropic', 'gemini'] as const
export type Up = (typeof UPSTREAMS)[number]
export const MODEL: Record<Up, string> = { 'openai-chat': 'chat-model', 'openai-responses': 'resp-model', anthropic: 'ant-model', gemini: 'gem-model' }

export const dialectOfPath = (p: string): Up =>
  p.endsWith('/chat/completions') ? 'openai-chat' : p.endsWith('/responses') ? 'openai-responses' : p.includes('/v1beta/models/') ? 'gemini' : 'anthropic'

export interface Rig {
  mock: Mock
  proxy: TestProxy
  /** the script answering the next upstream requests */
  reply: (r: Received) => Reply | Promise<Reply>
  /** upstream generation requests (count_tokens excluded unless asked) */
  generations(): Received[]
  stop(): void
}

export async function startRig(): Promise<Rig> {
  const rig = { reply: (() => ({ kind: 'json', status: 500, body: {} })) as Rig['reply'] } as Rig
  rig.mock = startMock((r) => rig.reply(r))
  rig.proxy = await startProxy({
    providers: {
      'up-chat': { dialect: 'openai-chat', base_url: `${rig.mock.url}/v1`, api_key: 'sk-chat', max_retries: 0 },
      'up-resp': { dialect: 'openai-responses', base_url: `${rig.mock.url}/v1`, api_key: 'sk-resp', max_retries: 0 },
      'up-ant': { dialect: 'anthropic', base_url: rig.mock.url, api_key: 'sk-ant', max_retries: 0 },
      'up-gem': { dialect: 'gemini', base_url: rig.mock.url, api_key: 'sk-gem', max_retries: 0 },
    },
    models: { 'chat-*': 'up-chat/*', 'resp-*': 'up-resp/*', 'ant-*': 'up-ant/*', 'gem-*': 'up-gem/*' },
  })
  rig.generations = () => rig.mock.received.filter((r) => !r.path.endsWith('/count_tokens'))
  rig.stop = () => {
    rig.proxy.stop()
    rig.mock.stop()
  }
  return rig
}

/** Read an SSE body into (event, parsed data) pairs; data that is not JSON is kept as a string. */
export async function readSse(res: Response): Promise<Array<{ event?: string; data: any }>> {
  const text = await res.text()
  const out: Array<{ event?: string; data: any }> = []
  for (const block of text.split(/\r?\n\r?\n/)) {
    let event: string | undefined
    const data: string[] = []
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim()
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''))
    }
    if (!data.length) continue
    const joined = data.join('\n')
    let parsed: unknown = joined
    try {
      parsed = JSON.parse(joined)
    } catch {}
    out.push({ event, data: parsed })
  }
  return out
}
