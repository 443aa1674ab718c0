// Importers' edge cases (pure: trees in, our config tree and notes out), the renderer's comments
// and the import command's arguments.
import { describe, expect, test } from 'bun:test'
import YAML from 'yaml'
import { fromAnthropicFront } from '../../../src/cli/import/from-anthropic-front'
import { fromLitellm } from '../../../src/cli/import/from-litellm'
import { fromLmDeluge } from '../../../src/cli/import/from-lm-deluge'
import { fromLmProxy } from '../../../src/cli/import/from-lm-proxy'
import { fromPythonLlmProxy } from '../../../src/cli/import/from-python-llm-proxy'
import { fromVandamme } from '../../../src/cli/import/from-vandamme'
import { ImportError, type Note } from '../../../src/cli/import/imported'
import { renderImported } from '../../../src/cli/import/render'
import { parseImportArgs } from '../../../src/cli/import/run'
import { resolveConfig } from '../../../src/config/resolve'

const texts = (notes: Note[]) => notes.map((n) => n.text).join('\n')

describe('renderImported', () => {
  test('notes become comments above their key, or at the top; the YAML round-trips', () => {
    const text = renderImported(
      { file: { providers: { a: { dialect: 'echo' } }, models: { '*': 'a/*', x: 'a/y' } }, notes: [{ at: ['models', 'x'], text: 'about x' }, { text: 'general' }, { at: ['nope', 'z'], text: 'lost key' }] },
      ' header',
    )
    expect(text).toStartWith('# header\n# general\n# lost key\n')
    expect(text).toContain('  # about x\n  x: a/y')
    expect(YAML.parse(text).models).toEqual({ '*': 'a/*', x: 'a/y' })
  })
})

describe('lm-proxy', () => {
  const base = { connections: { openai: { api_type: 'open_ai', api_key: 'env:OPENAI_API_KEY' } }, routing: { '*': 'openai.*' } }
  test('an HTTP api_key_check becomes auth.check; a Python one is commented', () => {
    const http = fromLmProxy({
      ...base,
      groups: { users: { allowed_connections: ['openai'] } },
      api_key_check: { class: 'lm_proxy.api_key_check.CheckAPIKeyWithRequest', method: 'post', url: 'https://idp.example/userinfo', use_cache: true, cache_ttl: 60, headers: { Authorization: 'Bearer {api_key}' } },
    })
    expect(http.file.auth).toEqual({ groups: { users: { providers: ['openai'] } }, check: { url: 'https://idp.example/userinfo', method: 'POST', headers: { Authorization: 'Bearer {api_key}' }, cache_ttl: '60s' } })
    expect(resolveConfig(http.file, { OPENAI_API_KEY: 'k' }).auth?.check?.cache_ttl).toBe(60_000)
    const py = fromLmProxy({ ...base, api_key_check: 'my_validators.validate', model_listing_mode: 'expand_wildcards', connections: { ...base.connections, hf: { api_type: 'transformers' } } })
    expect(texts(py.notes)).toContain('api_key_check "my_validators.validate" not carried over')
    expect(py.file.policy).toEqual({ list_wildcards: 'expand' }) // supported now
    expect(texts(py.notes)).toContain('connections.hf not carried over')
    expect(py.file.auth).toBeUndefined()
  })
  test('a routing value naming no connection is commented, not guessed', () => {
    const r = fromLmProxy({ ...base, routing: { 'x*': 'nowhere.model' } })
    expect(r.file.models).toEqual({})
    expect(texts(r.notes)).toContain('routing "x*" = "nowhere.model" not carried over')
  })
  test('input of another shape is an ImportError', () => {
    expect(() => fromLmProxy({ model_list: [] })).toThrow(ImportError)
  })
})

describe('litellm', () => {
  test('weights, database_url, redis, strategies and unsupported providers', () => {
    const r = fromLitellm({
      model_list: [
        { model_name: 'm', litellm_params: { model: 'openai/gpt-4o', weight: 3 } },
        { model_name: 'm', litellm_params: { model: 'groq/llama-3', api_base: 'https://api.groq.com/openai/v1', api_key: 'os.environ/GROQ_API_KEY', weight: 1 } },
        { model_name: 'v', litellm_params: { model: 'vertex_ai/gemini-pro' } },
      ],
      router_settings: { routing_strategy: 'latency-based-routing', redis_host: 'os.environ/REDIS_HOST', redis_port: 6379, redis_password: 'os.environ/REDIS_PASSWORD' },
      general_settings: { master_key: 'sk-1234', database_url: 'os.environ/DATABASE_URL' },
    })
    expect(r.file.models.m).toEqual({ strategy: 'weighted', targets: [{ model: 'openai/gpt-4o', weight: 3 }, { model: 'groq/llama-3', weight: 1 }] })
    expect(r.file.providers.groq).toEqual({ dialect: 'openai-chat', base_url: 'https://api.groq.com/openai/v1', api_key: '${GROQ_API_KEY}' })
    expect(r.file.state.redis).toBe('redis://:${REDIS_PASSWORD}@${REDIS_HOST}:6379')
    expect(r.file.usage.store).toBe('${DATABASE_URL}')
    expect(r.file.auth.keys[0].key).toBe('sk-1234')
    expect(texts(r.notes)).toContain('"latency-based-routing" is not supported')
    expect(texts(r.notes)).toContain('"vertex_ai" has no llm-proxy dialect yet')
    const c = resolveConfig(r.file, { OPENAI_API_KEY: 'k', GROQ_API_KEY: 'g', REDIS_HOST: 'h', REDIS_PASSWORD: 'p', DATABASE_URL: 'postgres://u@h/db' })
    expect(c.state.redis).toBe('redis://:p@h:6379')
  })
})

describe('lm-deluge, anthropic-front, python-llm-proxy', () => {
  test('lm-deluge: names of no known family are listed; an unknown strategy is noted', () => {
    const r = fromLmDeluge({ routes: { r: { models: ['gpt-4o', 'llama-3-70b'], strategy: 'fastest' } } })
    expect(r.file.models.r).toEqual({ strategy: 'round_robin', targets: ['openai/gpt-4o'] })
    expect(texts(r.notes)).toContain('no provider known for "llama-3-70b"')
    expect(texts(r.notes)).toContain('strategy "fastest" is not one of ours')
  })
  test('anthropic-front: default_backend becomes policy.default_provider', () => {
    const r = fromAnthropicFront({ backends: { b: { url: 'http://localhost:8000/v1', api_key: 'env:K' } }, models: { c: { backend: 'b', model: 'm' } }, default_backend: 'b' })
    expect(r.file.policy).toEqual({ default_provider: 'b' })
    expect(r.file.providers.b.api_key).toBe('${K}')
  })
  test('python-llm-proxy: the same name under a second base path gets a table per base path', () => {
    const item = { frontend_model_name: 'x', backend_base_url: 'http://localhost:9000/v1', backend_model_name: 'y' }
    const r = fromPythonLlmProxy({ models: [item, { ...item, frontend_base_url: '/other' }], system_replacements: [['a', 'b']] })
    expect(Object.keys(r.file.models)).toEqual(['x@/', 'x@/other'])
    expect(r.file.models['x@/other']).toEqual({ targets: ['local-9000/y'] })
    expect(r.file.providers).toEqual({ 'local-9000': { dialect: 'openai-chat', base_url: 'http://localhost:9000/v1' } })
    expect(texts(r.notes)).not.toContain('per-base-path')
  })
  test('python-llm-proxy: the same name under the same base path twice keeps the first, commented', () => {
    const item = { frontend_model_name: 'x', backend_base_url: 'http://localhost:9000/v1', backend_model_name: 'y' }
    const r = fromPythonLlmProxy({ models: [item, { ...item, backend_model_name: 'z' }] })
    expect(r.file.models).toEqual({ x: { targets: ['local-9000/y'] } })
    expect(texts(r.notes)).toContain('the same name under the same base path twice')
  })
})

describe('vandamme', () => {
  test('TOML only: providers keep ${P_API_KEY}; profiles commented', () => {
    const r = fromVandamme([{ poe: { 'base-url': 'https://api.poe.com/v1', aliases: { fast: 'grok' } }, profiles: { top: {} } }], undefined)
    expect(r.file.providers.poe).toEqual({ dialect: 'openai-chat', base_url: 'https://api.poe.com/v1', api_key: '${POE_API_KEY}' })
    expect(r.file.models.fast).toBe('poe/grok')
    expect(texts(r.notes)).toContain('[profiles] (top) not carried over')
  })
})

describe('parseImportArgs', () => {
  test('--env alone, --env FILE, --env=FILE; a .toml after --env is an input', () => {
    expect(parseImportArgs(['--from', 'vandamme', '--env'])).toEqual({ from: 'vandamme', files: [], env: '', check: false })
    expect(parseImportArgs(['--from', 'vandamme', '--env', '.env.prod', 'a.toml'])).toMatchObject({ env: '.env.prod', files: ['a.toml'] })
    expect(parseImportArgs(['--from=vandamme', '--env', 'a.toml', '--check'])).toEqual({ from: 'vandamme', files: ['a.toml'], env: '', check: true })
    expect(parseImportArgs(['--from', 'vandamme', '--env=x.env'])).toMatchObject({ env: 'x.env' })
  })
  test('errors', () => {
    expect(() => parseImportArgs(['x.yaml'])).toThrow('--from is required')
    expect(() => parseImportArgs(['--from', 'litelm', 'x'])).toThrow('--from must be one of')
    expect(() => parseImportArgs(['--from', 'litellm'])).toThrow('give the config file to import')
    expect(() => parseImportArgs(['--from', 'litellm', '--env', 'x'])).toThrow('--env is for --from vandamme')
    expect(() => parseImportArgs(['--from', 'litellm', '--bogus', 'x'])).toThrow('unknown flag --bogus')
  })
})
