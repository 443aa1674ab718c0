import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../../../src/errors'
import { resolveModel, RoundRobinCounters, type Plan, type ResolveOptions } from '../../../src/routing/resolve-model'
import { seededRandom } from '../../../src/routing/strategy'
import type { Config } from '../../../src/config/types'
import { alias, entry, makeConfig, provider } from './make-config'

const opts = (o: Partial<ResolveOptions> = {}): ResolveOptions => ({ counters: new RoundRobinCounters(), random: () => 0, ...o })
const targets = (p: Plan) => p.attempts.map((a) => a.target)

function fails(cfg: Config, name: string | undefined, o: Partial<ResolveOptions> = {}): GatewayError {
  try {
    resolveModel(cfg, name, opts(o))
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError)
    return err as GatewayError
  }
  throw new Error(`expected ${name} to fail`)
}

const table = makeConfig({
  models: [
    entry('gpt-*', 'openai/*'),
    entry('claude-*', 'anthropic/*'),
    entry('claude-sonnet-4-5', 'ollama/llama3.2'), // shadowed by the glob above: order is the rule
    entry('local', 'ollama/llama3.2'),
    entry('or-*', 'ollama/vendor/*'),
    alias('fast', 'fallback', ['openai/gpt-4o-mini', 'anthropic/claude-3-5-haiku-latest'], { fallbacks: ['ollama/llama3.2'] }),
    alias('team', 'fallback', ['anthropic/claude-opus-4'], { base_path: '/team-a' }),
    alias('secret', 'fallback', ['openai/gpt-4o'], { hidden: true }),
  ],
})

describe('resolveModel: models table and forms', () => {
  const cases: Array<[string, string | undefined, string[]]> = [
    ['glob keeps the requested name', 'gpt-4o', ['openai/gpt-4o']],
    ['second glob', 'claude-3-opus', ['anthropic/claude-3-opus']],
    ['first matching entry wins over a later exact key', 'claude-sonnet-4-5', ['anthropic/claude-sonnet-4-5']],
    ['exact name mapped to another model', 'local', ['ollama/llama3.2']],
    ['* inside a target model is replaced by the name', 'or-x', ['ollama/vendor/or-x']],
    ['alias: targets then fallbacks', 'fast', ['openai/gpt-4o-mini', 'anthropic/claude-3-5-haiku-latest', 'ollama/llama3.2']],
    ['provider/model form', 'ollama/qwen3:8b', ['ollama/qwen3:8b']],
    ['provider:model form', 'ollama:qwen3:8b', ['ollama/qwen3:8b']],
    ['provider/model keeps slashes in the model', 'ollama/meta/llama-3', ['ollama/meta/llama-3']],
  ]
  for (const [title, name, want] of cases)
    test(title, () => {
      expect(targets(resolveModel(table, name, opts()))).toEqual(want)
    })

  test('plan carries the entry and the names', () => {
    const p = resolveModel(table, 'fast', opts())
    expect(p.requested).toBe('fast')
    expect(p.resolvedName).toBe('fast')
    expect(p.entry?.pattern).toBe('fast')
    expect(p.attempts.every((a) => a.entry === p.entry)).toBe(true)
    expect(p.attempts[0].provider.name).toBe('openai')
    expect(p.attempts[0].model).toBe('gpt-4o-mini')
  })

  test('provider forms have no entry', () => {
    const p = resolveModel(table, 'openai:gpt-4.1', opts())
    expect(p.entry).toBeUndefined()
    expect(p.attempts[0].entry).toBeUndefined()
    expect(p.attempts[0].model).toBe('gpt-4.1')
  })

  test('an unknown provider prefix is not a provider form', () => {
    const e = fails(table, 'nobody/gpt-4o')
    expect(e.status).toBe(404)
  })

  test('base_path entries match only under their prefix', () => {
    expect(targets(resolveModel(table, 'team', opts({ basePath: '/team-a' })))).toEqual(['anthropic/claude-opus-4'])
    expect(targets(resolveModel(table, 'team', opts({ basePath: '/team-a/' })))).toEqual(['anthropic/claude-opus-4'])
    expect(fails(table, 'team', { basePath: '/' }).status).toBe(404)
    expect(fails(table, 'team').status).toBe(404)
    // entries without base_path are reachable under every prefix
    expect(targets(resolveModel(table, 'local', opts({ basePath: '/team-a' })))).toEqual(['ollama/llama3.2'])
  })

  test('same key under two prefixes: each prefix gets its own', () => {
    const cfg = makeConfig({
      models: [alias('m', 'fallback', ['anthropic/claude-a'], { base_path: '/a' }), entry('m', 'openai/gpt-b')],
    })
    expect(targets(resolveModel(cfg, 'm', opts({ basePath: '/a' })))).toEqual(['anthropic/claude-a'])
    expect(targets(resolveModel(cfg, 'm', opts({ basePath: '/' })))).toEqual(['openai/gpt-b'])
  })

  test('not found: 404 model_not_found naming the model and what exists', () => {
    const e = fails(table, 'mistral-large')
    expect(e.status).toBe(404)
    expect(e.code).toBe('model_not_found')
    expect(e.message).toContain('mistral-large')
    expect(e.message).toContain('local')
    expect(e.message).toContain('fast')
    expect(e.message).toContain('gpt-*')
    expect(e.message).toContain('openai, anthropic, ollama')
    expect(e.message).not.toContain('secret') // hidden
    expect(e.message).not.toContain('team') // other prefix
  })

  test('not found lists at most 20 names', () => {
    const models = Array.from({ length: 30 }, (_, i) => entry(`m${i}`, 'openai/x'))
    const e = fails(makeConfig({ models }), 'nope')
    expect(e.message).toContain('m19')
    expect(e.message).not.toContain('m20,')
    expect(e.message).toContain('and 10 more')
  })

  test('zero-config family entries are ordinary entries', () => {
    const cfg = makeConfig({
      zero_config: true,
      providers: [provider('openai'), provider('anthropic', 'anthropic')],
      models: [entry('gpt-*', 'openai/*'), entry('o[0-9]*', 'openai/*'), entry('claude-*', 'anthropic/*')],
    })
    expect(targets(resolveModel(cfg, 'claude-haiku-4-5', opts()))).toEqual(['anthropic/claude-haiku-4-5'])
    expect(targets(resolveModel(cfg, 'anthropic/claude-x', opts()))).toEqual(['anthropic/claude-x'])
  })

  test('identical attempts are deduplicated', () => {
    const cfg = makeConfig({ models: [alias('a', 'fallback', ['openai/x', 'anthropic/y', 'openai/x'], { fallbacks: ['anthropic/y', 'ollama/z'] })] })
    expect(targets(resolveModel(cfg, 'a', opts()))).toEqual(['openai/x', 'anthropic/y', 'ollama/z'])
  })

  test('an entry whose targets name no configured provider is a 500', () => {
    const cfg = makeConfig({ models: [entry('x', 'ghost/model')] })
    expect(fails(cfg, 'x').status).toBe(500)
  })
})

describe('resolveModel: policy', () => {
  const models = [entry('gpt-*', 'openai/*'), alias('fast', 'fallback', ['openai/gpt-4o-mini']), entry('local', 'ollama/llama3.2')]

  test('missing model uses default_model', () => {
    const cfg = makeConfig({ models, policy: { default_model: 'fast' } })
    for (const m of [undefined, '']) {
      const p = resolveModel(cfg, m, opts())
      expect(p.requested).toBe('fast')
      expect(targets(p)).toEqual(['openai/gpt-4o-mini'])
    }
  })

  test('missing model without default_model is a 400', () => {
    const e = fails(makeConfig({ models }), undefined)
    expect(e.status).toBe(400)
    expect(e.param).toBe('model')
  })

  test('force_default routes every name to default_model and echoes the asked name', () => {
    const cfg = makeConfig({ models, policy: { mode: 'force_default', default_model: 'local', allowed_models: ['nothing'] } })
    const p = resolveModel(cfg, 'gpt-4o', opts())
    expect(p.requested).toBe('gpt-4o')
    expect(p.resolvedName).toBe('local')
    expect(targets(p)).toEqual(['ollama/llama3.2'])
    expect(targets(resolveModel(cfg, 'anything/at-all', opts()))).toEqual(['ollama/llama3.2'])
  })

  test('alias_only accepts alias keys only', () => {
    const cfg = makeConfig({ models, policy: { mode: 'alias_only' } })
    expect(targets(resolveModel(cfg, 'fast', opts()))).toEqual(['openai/gpt-4o-mini'])
    for (const name of ['gpt-4o', 'local', 'openai/gpt-4o']) {
      const e = fails(cfg, name)
      expect(e.status).toBe(404)
      expect(e.code).toBe('model_not_found')
      expect(e.message).toContain(`model ${name} `)
      expect(e.message).toContain('(fast)')
    }
  })

  test('allowed_models filters the requested name with 403 model_not_allowed', () => {
    const cfg = makeConfig({ models, policy: { allowed_models: ['gpt-4o*', 'fast'] } })
    expect(targets(resolveModel(cfg, 'gpt-4o-mini', opts()))).toEqual(['openai/gpt-4o-mini'])
    expect(targets(resolveModel(cfg, 'fast', opts()))).toEqual(['openai/gpt-4o-mini'])
    const e = fails(cfg, 'gpt-3.5-turbo')
    expect(e.status).toBe(403)
    expect(e.code).toBe('model_not_allowed')
    expect(e.message).toContain('gpt-4o*, fast')
    expect(fails(cfg, 'openai/gpt-4o').status).toBe(403)
  })

  test('allowed_models does not filter the operator default for a missing model', () => {
    const cfg = makeConfig({ models, policy: { allowed_models: ['gpt-*'], default_model: 'local' } })
    expect(targets(resolveModel(cfg, undefined, opts()))).toEqual(['ollama/llama3.2'])
  })

  test('not-found listing respects allowed_models for exact names', () => {
    const cfg = makeConfig({ models, policy: { allowed_models: ['l*', 'z*'] } })
    const e = fails(cfg, 'zz')
    expect(e.message).toContain('local')
    expect(e.message).not.toContain('fast')
  })
})

describe('resolveModel: alias strategies', () => {
  test('round_robin rotates the first attempt, the rest follow in written order', () => {
    const cfg = makeConfig({ models: [alias('rr', 'round_robin', ['openai/a', 'anthropic/b', 'ollama/c'], { fallbacks: ['openai/z'] })] })
    const o = opts()
    const firsts = Array.from({ length: 6 }, () => resolveModel(cfg, 'rr', o))
    expect(firsts.map((p) => p.attempts[0].target)).toEqual(['openai/a', 'anthropic/b', 'ollama/c', 'openai/a', 'anthropic/b', 'ollama/c'])
    expect(targets(firsts[1])).toEqual(['anthropic/b', 'openai/a', 'ollama/c', 'openai/z'])
  })

  test('round_robin counters are per alias', () => {
    const cfg = makeConfig({ models: [alias('x', 'round_robin', ['openai/a', 'openai/b']), alias('y', 'round_robin', ['openai/c', 'openai/d'])] })
    const o = opts()
    expect(resolveModel(cfg, 'x', o).attempts[0].model).toBe('a')
    expect(resolveModel(cfg, 'y', o).attempts[0].model).toBe('c')
    expect(resolveModel(cfg, 'x', o).attempts[0].model).toBe('b')
  })

  test('random uses the injected source', () => {
    const cfg = makeConfig({ models: [alias('r', 'random', ['openai/a', 'openai/b', 'openai/c'])] })
    expect(resolveModel(cfg, 'r', opts({ random: () => 0.99 })).attempts.map((a) => a.model)).toEqual(['c', 'a', 'b'])
    expect(resolveModel(cfg, 'r', opts({ random: () => 0.4 })).attempts[0].model).toBe('b')
  })

  test('weighted follows the weights', () => {
    const cfg = makeConfig({ models: [alias('w', 'weighted', [['anthropic/s', 0.7], ['openai/g', 0.3]], { fallbacks: ['openai/mini'] })] })
    const o = opts({ random: seededRandom(7) })
    let s = 0
    for (let i = 0; i < 10_000; i++) {
      const p = resolveModel(cfg, 'w', o)
      if (p.attempts[0].model === 's') s++
      expect(p.attempts.length).toBe(3)
    }
    expect(s / 10_000).toBeGreaterThan(0.68)
    expect(s / 10_000).toBeLessThan(0.72)
  })

  test('fallback always starts with the first target', () => {
    const cfg = makeConfig({ models: [alias('f', 'fallback', ['openai/a', 'openai/b'])] })
    expect(targets(resolveModel(cfg, 'f', opts({ random: () => 0.9 })))).toEqual(['openai/a', 'openai/b'])
  })
})

describe('RoundRobinCounters across reloads', () => {
  test('unchanged aliases keep their counter, changed and removed ones restart', () => {
    const a = alias('a', 'round_robin', ['openai/1', 'openai/2', 'openai/3'])
    const b = alias('b', 'round_robin', ['openai/1', 'openai/2'])
    const c = alias('c', 'round_robin', ['openai/1', 'openai/2'])
    const counters = new RoundRobinCounters()
    const cfg1 = makeConfig({ models: [a, b, c] })
    for (const name of ['a', 'b', 'c']) resolveModel(cfg1, name, opts({ counters }))
    expect(counters.peek('a')).toBe(1)

    // reload: a is equal (a new object with keys in another order), b changed, c vanished
    const { pattern, ...rest } = a
    const a2 = { ...rest, targets: a.targets.map((t) => ({ weight: t.weight, model: t.model })), pattern }
    const b2 = alias('b', 'round_robin', ['openai/1', 'openai/9'])
    const cfg2 = makeConfig({ models: [a2, b2] })
    counters.retain(cfg2.models)
    expect(counters.peek('a')).toBe(1)
    expect(counters.peek('b')).toBe(0)
    expect(counters.peek('c')).toBe(0)
    expect(resolveModel(cfg2, 'a', opts({ counters })).attempts[0].model).toBe('2')
    expect(resolveModel(cfg2, 'b', opts({ counters })).attempts[0].model).toBe('1')
  })

  test('next wraps within n', () => {
    const c = new RoundRobinCounters()
    expect([c.next('k', 3), c.next('k', 3), c.next('k', 3), c.next('k', 3)]).toEqual([0, 1, 2, 0])
  })
})

describe('resolveModel: allowed_models admits an alias through its targets (lm-deluge)', () => {
  const models = [
    entry('gpt-*', 'openai/*'),
    alias('fast', 'fallback', ['openai/gpt-4o-mini'], { fallbacks: ['anthropic/claude-3-5-haiku-latest'] }),
    alias('cheap', 'fallback', ['openai/gpt-4o-mini']),
    entry('local', 'ollama/llama3.2'),
  ]
  test('an alias whose every target and fallback is allowed passes; one with a disallowed fallback does not', () => {
    const cfg = makeConfig({ models, policy: { allowed_models: ['gpt-4o-mini', 'anthropic/claude-3-5-haiku-*'] } })
    expect(targets(resolveModel(cfg, 'fast', opts()))).toEqual(['openai/gpt-4o-mini', 'anthropic/claude-3-5-haiku-latest'])
    expect(targets(resolveModel(cfg, 'cheap', opts()))).toEqual(['openai/gpt-4o-mini'])
    const strict = makeConfig({ models, policy: { allowed_models: ['gpt-4o-mini'] } })
    expect(targets(resolveModel(strict, 'cheap', opts()))).toEqual(['openai/gpt-4o-mini'])
    expect(fails(strict, 'fast').status).toBe(403)
    expect(fails(strict, 'local').status).toBe(403)
  })
  test('a glob entry is not an alias: its names must match allowed_models themselves', () => {
    const cfg = makeConfig({ models, policy: { allowed_models: ['openai/*'] } })
    expect(fails(cfg, 'gpt-4o').status).toBe(403)
  })
  test('the not-found listing offers admitted aliases', () => {
    const cfg = makeConfig({ models, policy: { allowed_models: ['gpt-4o-mini', 'nothing*'] } })
    const e = fails(cfg, 'nothing-like-it')
    expect(e.status).toBe(404)
    expect(e.message).toContain('cheap')
    expect(e.message).not.toContain('fast')
  })
})
