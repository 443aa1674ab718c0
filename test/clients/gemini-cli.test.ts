// Gemini CLI's request shape (gemini-cli-request.ts) through the Gemini front door to every other
// vendor, with the @google/genai SDK the CLI is built on: a streamed tool call the SDK assembles
// (with the upstream's call id), then the tool-result turn, accepted by each upstream's rules.
import { GoogleGenAI } from '@google/genai'
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Received } from '../helpers/mock-upstream'
import { WIRE_WITH_GEMINI as WIRE } from '../helpers/wire'
import { upstreamView } from '../translation/upstream-view'
import { GEMINI_CLI_CONFIG, geminiCliHistory } from './gemini-cli-request'
import { dialectOfPath, MODEL, startRig, type Rig, type Up } from './rig'
import { PROBLEMS } from './upstream-checks'

const FOREIGN: Up[] = ['openai-chat', 'openai-responses', 'anthropic']
const ASK = { reasoning: 'I should run the failing test.', text: 'Running it.', tools: [{ id: 'call_run1', name: 'run_shell_command', args: { command: 'bun test test/login.test.ts' } }] }

let rig: Rig
let ai: GoogleGenAI
beforeAll(async () => {
  rig = await startRig()
  ai = new GoogleGenAI({ apiKey: 'cli-key', httpOptions: { baseUrl: rig.proxy.url, headers: { 'user-agent': 'GeminiCLI/0.20.0 (linux; x64)' }, retryOptions: { attempts: 1 } } as any })
})
afterAll(() => rig?.stop())

async function stream(model: string, contents: any[]) {
  const chunks: any[] = []
  for await (const c of await ai.models.generateContentStream({ model, contents, config: GEMINI_CLI_CONFIG as any })) chunks.push(c)
  return chunks
}

describe('Gemini CLI → another vendor', () => {
  for (const up of FOREIGN) {
    test(`→ ${up}: thought summary, text and a whole function call with its id; the result turn is accepted`, async () => {
      rig.reply = (r: Received) => WIRE[dialectOfPath(r.path)](r, ASK)
      const before = rig.generations().length
      const chunks = await stream(MODEL[up], [{ role: 'user', parts: [{ text: 'The login test fails. Find out why.' }] }])
      const parts = chunks.flatMap((c) => c.candidates[0].content.parts)
      expect(chunks.every((c) => c.candidates[0].content.role === 'model' && c.candidates[0].content.parts.length > 0)).toBe(true)
      expect(parts.filter((p) => p.thought).map((p) => p.text).join('')).toBe(ASK.reasoning)
      expect(parts.filter((p) => p.text && !p.thought).map((p) => p.text).join('')).toBe(ASK.text)
      const calls = parts.filter((p) => p.functionCall).map((p) => p.functionCall)
      expect(calls).toEqual([{ id: 'call_run1', name: 'run_shell_command', args: { command: 'bun test test/login.test.ts' } }])
      expect(chunks.at(-1).candidates[0].finishReason).toBe('STOP')
      let sent = rig.generations().slice(before)
      expect(sent).toHaveLength(1)
      expect(PROBLEMS[up](sent[0].body)).toEqual([])
      const v = upstreamView(up, sent[0].body)
      expect(v.toolNames).toEqual(['run_shell_command', 'read_file', 'list_directory'])
      expect(v.reasoning).toBe(true)

      // the tool-result turn, with the id as the CLI got it, and with a CLI-made id for an id-less call
      for (const id of ['call_run1', undefined]) {
        rig.reply = (r: Received) => WIRE[dialectOfPath(r.path)](r, { text: 'The assertion is wrong.' })
        const next = await stream(MODEL[up], geminiCliHistory(id, 'skip_thought_signature_validator'))
        expect(next.flatMap((c) => c.candidates[0].content.parts).map((p: any) => p.text ?? '').join('')).toBe('The assertion is wrong.')
        sent = rig.generations().slice(-1)
        expect(PROBLEMS[up](sent[0].body)).toEqual([])
        const w = upstreamView(up, sent[0].body)
        expect(w.toolCallIds).toHaveLength(1)
        expect(w.toolResults).toEqual([{ id: w.toolCallIds[0], output: 'FAIL test/login.test.ts\nExpected: true\nReceived: false' }])
        expect(JSON.stringify(sent[0].body)).not.toContain('skip_thought_signature_validator')
      }
    })
  }
})
