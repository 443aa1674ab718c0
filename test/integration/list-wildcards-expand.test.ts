// policy.list_wildcards: expand — /v1/models lists the real ids behind glob entries: asked of each
// provider's own models list once (with its key), cached, the built-in catalog when it fails.
import { afterAll, expect, test } from 'bun:test'
import { startMock } from '../helpers/mock-upstream'
import { startGateway } from '../helpers/proxy'
import { catalogIds } from '../../src/routing/model-catalog'

const openai = startMock((r) =>
  r.path === '/v1/models' ? { kind: 'json', body: { object: 'list', data: [{ id: 'gpt-5' }, { id: 'gpt-5-mini' }, { id: 'o3' }, { id: 'text-embedding-3-small' }] } } : { kind: 'json', status: 404, body: {} },
)
const anthropic = startMock(() => ({ kind: 'json', status: 500, body: { error: 'down' } }))
afterAll(() => {
  openai.stop()
  anthropic.stop()
})

test('glob entries expand to the ids the providers serve; the catalog stands in for one that fails', async () => {
  const { gateway } = await startGateway({
    policy: { list_wildcards: 'expand' },
    providers: {
      openai: { dialect: 'openai-chat', base_url: `${openai.url}/v1`, api_key: 'sk-listing' },
      anthropic: { dialect: 'anthropic', base_url: anthropic.url, api_key: 'sk-ant' },
    },
    models: { 'gpt-*': 'openai/*', 'claude-*': 'anthropic/*', fast: 'openai/gpt-5-mini' },
  })
  try {
    const list = async () => (await (await gateway.fetch(new Request('http://proxy.test/v1/models'))).json()).data.map((m: any) => m.id) as string[]
    const ids = await list()
    expect(ids).toContain('fast')
    expect(ids).toContain('gpt-5')
    expect(ids).toContain('gpt-5-mini')
    expect(ids).not.toContain('o3') // not matched by gpt-*
    expect(ids).not.toContain('gpt-*') // the glob itself is replaced by what it stands for
    // Anthropic answered 500: its catalog ids stand in
    expect(ids).toContain('claude-sonnet-4-5')
    expect(ids.filter((i) => i.startsWith('claude-')).length).toBe(catalogIds('anthropic').filter((i) => i.startsWith('claude-')).length)
    expect(openai.received[0].headers.get('authorization')).toBe('Bearer sk-listing')
    // cached: a second listing asks nobody
    await list()
    expect(openai.received.length).toBe(1)
    expect(anthropic.received.length).toBe(1)
  } finally {
    await gateway.close()
  }
})
