// The shape of the code: imports only go down the layer table, and nothing outside a dialect's
// folder branches on that dialect's name. Each rule is also run on a planted violation, so the
// test is known to fail when the code breaks it.
import { describe, expect, test } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { dialectNames } from '../../src/dialects'
import { importViolations, LAYERS, nameViolations, NAME_ALLOWED, type SourceFile } from './rules'

const SRC = join(import.meta.dir, '../../src')

function sources(): SourceFile[] {
  return (readdirSync(SRC, { recursive: true }) as string[])
    .filter((p) => p.endsWith('.ts'))
    .map((p) => p.split('\\').join('/'))
    .sort()
    .map((path) => ({ path, text: readFileSync(join(SRC, path), 'utf8') }))
}

describe('layers', () => {
  test('every src entry is in the table and nothing imports upward', () => {
    expect(importViolations(sources())).toEqual([])
  })

  test('a planted upward import is caught', () => {
    const planted = [
      { path: 'dialects/anthropic/x.ts', text: "import { handleGenerate } from '../../proxy/handle'\n" },
      { path: 'canonical/y.ts', text: "export type T = import('../config/types').Config\n" },
      { path: 'config/z.ts', text: "const m = await import('../server')\n" },
      { path: 'proxy/ok.ts', text: "import { x } from '../dialects'\nimport { y } from './sibling'\nimport z from 'elysia'\n" },
    ]
    expect(importViolations(planted)).toEqual([
      'dialects/anthropic/x.ts (dialects) imports upward: ../../proxy/handle (proxy)',
      'canonical/y.ts (core) imports upward: ../config/types (services)',
      'config/z.ts (services) imports upward: ../server (edge)',
    ])
  })

  test('a file outside the table is caught', () => {
    expect(importViolations([{ path: 'misc/helper.ts', text: '' }])).toEqual(['misc/helper.ts: not in the layer table (test/architecture/rules.ts LAYERS)'])
  })

  test('the table places each top-level entry once', () => {
    const members = LAYERS.flatMap((l) => l.members)
    expect(new Set(members).size).toBe(members.length)
  })
})

describe('dialect names', () => {
  test('no file outside a dialect folder spells a registered dialect name', () => {
    expect(nameViolations(sources(), dialectNames())).toEqual([])
  })

  test('a planted branch on a dialect name is caught', () => {
    const planted = [
      { path: 'proxy/attempt.ts', text: "if (provider.dialect === 'gemini') retry()\n" },
      { path: 'routing/keys.ts', text: 'export const KEYS = { anthropic: 1 }\n' },
      { path: 'routing/pick.ts', text: 'export const k = (table: any) => table.anthropic\n' },
      { path: 'dialects/openai-chat/x.ts', text: "const other = 'anthropic'\nconst mine = 'openai-chat'\n" },
      { path: 'dialects/anthropic/y.ts', text: "import a from '../gemini'\nconst mine = 'anthropic'\n" },
    ]
    expect(nameViolations(planted, ['openai-chat', 'anthropic', 'gemini'])).toEqual([
      'proxy/attempt.ts:1: names dialect "gemini" outside its folder',
      'routing/keys.ts:1: names dialect "anthropic" outside its folder',
      'routing/pick.ts:1: names dialect "anthropic" outside its folder',
      'dialects/openai-chat/x.ts:1: names dialect "anthropic" outside its folder',
    ])
  })

  test('every allow-list entry is still needed', () => {
    for (const [path, rule] of Object.entries(NAME_ALLOWED)) {
      if (rule.names.includes('*')) continue
      const text = readFileSync(join(SRC, path), 'utf8')
      expect(nameViolations([{ path: `unlisted/${path}`, text }], rule.names).length).toBeGreaterThan(0)
    }
  })
})
