import { expect, test } from 'bun:test'
import { onAllCores } from '../pin'
import { Recorder } from '../recorder'
import { renderReport } from '../report'

const verdictOf = (report: string, name: string) => {
  const line = report.split('\n').find((l) => l.startsWith(`| ${name} |`))
  if (!line) throw new Error(`no row ${name}`)
  return line.split('|').map((c) => c.trim())[4]
}

test("the report checks issue 17's targets: pass-through streaming at 85 %, Responses → Anthropic at 70 %, c=1 at 100 µs", () => {
  const rec = new Recorder()
  for (const n of [20, 2000]) {
    rec.add(`st${n}.oo.sps`, 'bare', 1000), rec.add(`st${n}.oo.sps`, 'llm', 860) // 86 %: met
    rec.add(`st${n}.aa.sps`, 'bare', 1000), rec.add(`st${n}.aa.sps`, 'llm', 840) // 84 %: missed
    rec.add(`st${n}.ra.sps`, 'llm', 690) // 69 % of aa's bare: missed
  }
  rec.add('ns.c1.p50', 'bare', 200), rec.add('ns.c1.p50', 'llm', 320) // 120 µs added: missed at 100
  const report = renderReport({ rec, conditions: [], startupCmd: 'x' })
  expect(verdictOf(report, 'Pass-through streaming OpenAI Chat → OpenAI, 20 chunks, streams/s')).toBe('**met**')
  expect(verdictOf(report, 'Pass-through streaming Anthropic → Anthropic, 2000 chunks, streams/s')).toBe('**MISSED**')
  expect(verdictOf(report, 'Translated streaming Responses client → Anthropic upstream, 20 chunks, streams/s')).toBe('**MISSED**')
  expect(verdictOf(report, 'Added p50 latency at c=1 over bare (non-streaming)')).toBe('**MISSED**')
})

test('the start-up lane runs the binary on every core, or unchanged without pinning', () => {
  const cmd = onAllCores(['bin', 'serve'])
  expect(cmd.slice(-2)).toEqual(['bin', 'serve'])
  if (cmd.length > 2) expect(cmd.slice(0, 3)).toEqual(['taskset', '-c', expect.stringMatching(/^0-\d+$/)])
})
