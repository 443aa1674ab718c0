import { describe, expect, test } from 'bun:test'
import { storedResponses as s } from '../../../../src/dialects/openai-responses/stored'

describe('Responses stored-state wire facts', () => {
  test('previous id, store, input items, the continued body', () => {
    expect(s.previousId({ previous_response_id: 'resp_1' })).toBe('resp_1')
    expect(s.previousId({})).toBeUndefined()
    expect(() => s.previousId({ previous_response_id: 5 })).toThrow()
    expect(s.wantsStore({})).toBe(true)
    expect(s.wantsStore({ store: false })).toBe(false)
    expect(s.inputItems({ input: 'hi' })).toEqual([{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }])
    const body = s.continued({ model: 'm', previous_response_id: 'resp_1', input: 'next', instructions: 'be brief' }, [{ type: 'message', role: 'user', content: 'first' }])
    expect(body).toEqual({ model: 'm', instructions: 'be brief', input: [{ type: 'message', role: 'user', content: 'first' }, { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'next' }] }] })
  })

  test('ids: kept when sent, stable when made up; pages by limit, order and after', () => {
    const items = [{ role: 'user', content: 'a' }, { id: 'fc_9', type: 'function_call' }, { type: 'function_call_output', call_id: 'c' }].map((it, i) => s.identify(it, 'resp_abc', i))
    expect(items.map((i) => i.id)).toEqual(['msg_abc_0', 'fc_9', 'fco_abc_2'])
    expect(items[0]).toEqual({ role: 'user', type: 'message', content: [{ type: 'input_text', text: 'a' }], id: 'msg_abc_0' })
    const page = s.listItems(items, new URLSearchParams('limit=1')) as any
    expect(page).toMatchObject({ object: 'list', first_id: 'fco_abc_2', last_id: 'fco_abc_2', has_more: true })
    const next = s.listItems(items, new URLSearchParams('limit=5&after=fco_abc_2')) as any
    expect(next.data.map((i: any) => i.id)).toEqual(['fc_9', 'msg_abc_0'])
    expect(next.has_more).toBe(false)
    expect(() => s.listItems(items, new URLSearchParams('order=up'))).toThrow()
    expect(() => s.listItems(items, new URLSearchParams('limit=101'))).toThrow()
  })

  test('not found: 404 by id, 400 as a previous response', () => {
    expect(s.notFound('resp_x').status).toBe(404)
    const e = s.notFound('resp_x', 'previous_response_id')
    expect(e.status).toBe(400)
    expect(e.code).toBe('previous_response_not_found')
  })
})
