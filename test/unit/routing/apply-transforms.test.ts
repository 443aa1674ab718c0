import { describe, expect, test } from 'bun:test'
import type { CanonRequest } from '../../../src/canonical/request'
import type { ModelEntry } from '../../../src/config/types'
import { applyTransforms, applyTransformsToBody, hasTransforms } from '../../../src/routing/apply-transforms'
import { alias } from './make-config'

const withT = (t: Partial<ModelEntry>): ModelEntry => alias('smart', 'fallback', ['openai/gpt-4o'], t)

function canon(over: Partial<CanonRequest> = {}): CanonRequest {
  return {
    model: 'smart',
    system: [{ type: 'text', text: 'You are Claude. Claude helps.' }, { type: 'image', source: { kind: 'url', url: 'u' } }],
    messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi Claude' }] }],
    stream: false,
    ...over,
  }
}

const deepFreeze = <T>(o: T): T => {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v)
    Object.freeze(o)
  }
  return o
}

describe('applyTransforms (canonical)', () => {
  test('no transforms: the same object', () => {
    const req = canon()
    expect(hasTransforms(withT({}))).toBe(false)
    expect(applyTransforms(req, withT({}))).toBe(req)
    expect(applyTransforms(req, withT({ system: { prepend: '', append: '' } }))).toBe(req)
  })

  test('system replace over every system text part, prepend and append as parts', () => {
    const req = deepFreeze(canon())
    const out = applyTransforms(req, withT({ system: { replace: { Claude: 'Assistant' }, prepend: 'P', append: 'A' } }))
    expect(out.system).toEqual([
      { type: 'text', text: 'P' },
      { type: 'text', text: 'You are Assistant. Assistant helps.' },
      { type: 'image', source: { kind: 'url', url: 'u' } },
      { type: 'text', text: 'A' },
    ])
    // user messages are not system text
    expect(out.messages).toBe(req.messages)
    expect(req.system[0]).toEqual({ type: 'text', text: 'You are Claude. Claude helps.' })
  })

  test('append to an empty system', () => {
    expect(applyTransforms(canon({ system: [] }), withT({ system: { append: 'Be brief.' } })).system).toEqual([{ type: 'text', text: 'Be brief.' }])
  })

  test('params are defaults: mapped to canonical names, client values win', () => {
    const params = {
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      max_tokens: 1000,
      seed: 7,
      presence_penalty: 0.1,
      frequency_penalty: 0.3,
      stop: 'END',
      parallel_tool_calls: false,
      reasoning_effort: 'low',
      user: 'u1',
    }
    const out = applyTransforms(deepFreeze(canon()), withT({ params }))
    expect(out).toMatchObject({
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 1000,
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.3,
      stop: ['END'],
      parallelToolCalls: false,
      reasoning: { effort: 'low' },
      user: 'u1',
    })
    const client = canon({ temperature: 1, maxOutputTokens: 50, reasoning: { effort: 'high' }, stop: ['x'] })
    const kept = applyTransforms(client, withT({ params }))
    expect(kept.temperature).toBe(1)
    expect(kept.maxOutputTokens).toBe(50)
    expect(kept.reasoning).toEqual({ effort: 'high' })
    expect(kept.stop).toEqual(['x'])
    expect(kept.topP).toBe(0.9)
  })

  test('override: max_tokens caps, others replace', () => {
    const e = withT({ override: { max_tokens: 4096, temperature: 0 } })
    const big = applyTransforms(canon({ maxOutputTokens: 10_000, temperature: 1 }), e)
    expect(big.maxOutputTokens).toBe(4096)
    expect(big.temperature).toBe(0)
    expect(applyTransforms(canon({ maxOutputTokens: 100 }), e).maxOutputTokens).toBe(100)
    expect(applyTransforms(canon(), e).maxOutputTokens).toBe(4096)
  })

  test('params and override together: override wins', () => {
    const out = applyTransforms(canon(), withT({ params: { max_tokens: 8000 }, override: { max_tokens: 2000 } }))
    expect(out.maxOutputTokens).toBe(2000)
  })

  test('unknown keys go to extras by wire name; the input is not mutated', () => {
    const req = deepFreeze(canon({ extras: { verbosity: 'high' } }))
    const out = applyTransforms(req, withT({ params: { verbosity: 'low', service_tier: 'flex' } }))
    expect(out.extras).toEqual({ verbosity: 'high', service_tier: 'flex' })
    expect(req.extras).toEqual({ verbosity: 'high' })
  })

  test('values of the wrong type are ignored', () => {
    const out = applyTransforms(canon(), withT({ params: { temperature: 'hot', max_tokens: '9' } }))
    expect(out.temperature).toBeUndefined()
    expect(out.maxOutputTokens).toBeUndefined()
  })
})

describe('applyTransformsToBody: openai-chat', () => {
  const body = () =>
    deepFreeze({
      model: 'smart',
      messages: [
        { role: 'system', content: 'You are Claude.' },
        { role: 'developer', content: [{ type: 'text', text: 'Claude rules' }] },
        { role: 'user', content: 'Claude?' },
      ],
      temperature: 1,
      stream: true,
    })

  test('system replace in system/developer messages only, prepend first, append after the leading system run', () => {
    const b = body()
    const out = applyTransformsToBody('openai-chat', b, withT({ system: { replace: { Claude: 'Bot' }, prepend: 'P', append: 'A' } }))
    expect(out.messages).toEqual([
      { role: 'system', content: 'P' },
      { role: 'system', content: 'You are Bot.' },
      { role: 'developer', content: [{ type: 'text', text: 'Bot rules' }] },
      { role: 'system', content: 'A' },
      { role: 'user', content: 'Claude?' },
    ])
    expect(out.stream).toBe(true)
    expect((out.messages as unknown[])[4]).toBe(b.messages[2]) // untouched messages are shared
  })

  test('max tokens: default into max_completion_tokens, cap whichever field the client used', () => {
    expect(applyTransformsToBody('openai-chat', body(), withT({ params: { max_tokens: 500 } })).max_completion_tokens).toBe(500)
    const legacy = { ...body(), max_tokens: 9000 }
    const capped = applyTransformsToBody('openai-chat', legacy, withT({ override: { max_tokens: 4096 } }))
    expect(capped.max_tokens).toBe(4096)
    expect(capped.max_completion_tokens).toBeUndefined()
    const modern = { ...body(), max_completion_tokens: 100 }
    expect(applyTransformsToBody('openai-chat', modern, withT({ override: { max_tokens: 4096 } })).max_completion_tokens).toBe(100)
  })

  test('params do not override the client, override does; everything else is kept', () => {
    const b = body()
    const p = applyTransformsToBody('openai-chat', b, withT({ params: { temperature: 0.2, top_p: 0.5, reasoning_effort: 'low' } }))
    expect(p).toEqual({ ...b, top_p: 0.5, reasoning_effort: 'low' })
    expect(applyTransformsToBody('openai-chat', b, withT({ override: { temperature: 0 } })).temperature).toBe(0)
    expect(p.messages).toBe(b.messages)
  })

  test('no transforms returns the body itself', () => {
    const b = body()
    expect(applyTransformsToBody('openai-chat', b, withT({}))).toBe(b)
  })
})

describe('applyTransformsToBody: openai-responses', () => {
  test('instructions replace/prepend/append; system input items replaced; max_output_tokens', () => {
    const b = deepFreeze({
      model: 'smart',
      instructions: 'Claude here',
      input: [
        { role: 'developer', content: 'Claude dev' },
        { role: 'user', content: 'Claude user' },
      ],
      max_output_tokens: 9999,
    })
    const out = applyTransformsToBody('openai-responses', b, withT({ system: { replace: { Claude: 'X' }, prepend: 'P', append: 'A' }, override: { max_tokens: 100 } }))
    expect(out.instructions).toBe('P\n\nX here\n\nA')
    expect(out.input).toEqual([
      { role: 'developer', content: 'X dev' },
      { role: 'user', content: 'Claude user' },
    ])
    expect(out.max_output_tokens).toBe(100)
  })

  test('append without instructions; reasoning_effort goes into reasoning; stop dropped', () => {
    const b = deepFreeze({ model: 'm', input: 'hi', reasoning: { summary: 'auto' } })
    const out = applyTransformsToBody('openai-responses', b, withT({ system: { append: 'A' }, params: { reasoning_effort: 'high', stop: ['x'], max_tokens: 10 } }))
    expect(out).toEqual({ model: 'm', input: 'hi', instructions: 'A', reasoning: { summary: 'auto', effort: 'high' }, max_output_tokens: 10 })
  })
})

describe('applyTransformsToBody: anthropic', () => {
  test('string system: replace stays a string', () => {
    const out = applyTransformsToBody('anthropic', { model: 'm', system: 'I am Claude', max_tokens: 10 }, withT({ system: { replace: { Claude: 'Bot' } } }))
    expect(out.system).toBe('I am Bot')
  })

  test('string system with prepend/append becomes blocks', () => {
    const out = applyTransformsToBody('anthropic', { model: 'm', system: 'S' }, withT({ system: { prepend: 'P', append: 'A' } }))
    expect(out.system).toEqual([
      { type: 'text', text: 'P' },
      { type: 'text', text: 'S' },
      { type: 'text', text: 'A' },
    ])
  })

  test('block system keeps cache_control and other blocks', () => {
    const b = deepFreeze({
      model: 'm',
      system: [
        { type: 'text', text: 'Claude', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'other' },
      ],
    })
    const out = applyTransformsToBody('anthropic', b, withT({ system: { replace: { Claude: 'Bot' }, append: 'A' } }))
    expect(out.system).toEqual([
      { type: 'text', text: 'Bot', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'other' },
      { type: 'text', text: 'A' },
    ])
    expect((out.system as unknown[])[1]).toBe(b.system[1])
  })

  test('no system and append', () => {
    expect(applyTransformsToBody('anthropic', { model: 'm' }, withT({ system: { append: 'A' } })).system).toEqual([{ type: 'text', text: 'A' }])
  })

  test('params map to anthropic names; unsupported ones are dropped', () => {
    const out = applyTransformsToBody(
      'anthropic',
      { model: 'm', max_tokens: 8000 },
      withT({ params: { temperature: 0.5, top_k: 5, stop: 'END', seed: 1, presence_penalty: 1 }, override: { max_tokens: 1024 } }),
    )
    expect(out).toEqual({ model: 'm', max_tokens: 1024, temperature: 0.5, top_k: 5, stop_sequences: ['END'] })
  })

  test('dialects without a raw form are returned unchanged', () => {
    const b = { contents: [] }
    expect(applyTransformsToBody('gemini', b, withT({ params: { temperature: 1 } }))).toBe(b)
  })
})
