import { expect, test } from 'bun:test'
import { geminiPathCall, parseGeminiCall } from '../../../../src/dialects/gemini/front-door-path'

const u = (q = '') => new URL(`http://x/v1beta/models/m:streamGenerateContent${q}`)

test('model and method from the path; the method follows the LAST colon', () => {
  expect(parseGeminiCall('gemini-2.5-flash:generateContent')).toEqual({ model: 'gemini-2.5-flash', method: 'generateContent' })
  expect(parseGeminiCall('up/gemini-2.5-flash:countTokens')).toEqual({ model: 'up/gemini-2.5-flash', method: 'countTokens' })
  expect(parseGeminiCall('up:gemini-2.5-flash:streamGenerateContent')).toEqual({ model: 'up:gemini-2.5-flash', method: 'streamGenerateContent' })
  expect(parseGeminiCall('models%2Fgemini-x:generateContent')).toEqual({ model: 'gemini-x', method: 'generateContent' })
  expect(parseGeminiCall('claude%40x:generateContent')?.model).toBe('claude@x')
})

test('anything else is no call', () => {
  for (const bad of ['gemini', ':generateContent', 'm:embedContent', 'm:generatecontent', 'm%ZZ:generateContent', `${'a'.repeat(300)}:generateContent`, 'a%0Ab:generateContent', 'm:generateContent:'])
    expect(parseGeminiCall(bad)).toBeUndefined()
})

test('alt=sse picks SSE; without it a stream is a JSON array', () => {
  expect(geminiPathCall('m:streamGenerateContent', u('?alt=sse'))).toEqual({ model: 'm', action: 'generate', stream: true, jsonArray: false })
  expect(geminiPathCall('m:streamGenerateContent', u())).toEqual({ model: 'm', action: 'generate', stream: true, jsonArray: true })
  expect(geminiPathCall('m:generateContent', u())).toEqual({ model: 'm', action: 'generate', stream: false, jsonArray: false })
  expect(geminiPathCall('m:countTokens', u('?alt=sse'))?.action).toBe('count_tokens')
})
