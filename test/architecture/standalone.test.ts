// The repository stands alone: a user's clone has nothing beside it, so no tracked file may read or
// link the reference material the developers keep next to the project.
import { expect, test } from 'bun:test'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const ROOT = join(import.meta.dir, '../..')
const SKIP = new Set(['node_modules', '.git', 'dist', 'bun.lock'])
const OUTSIDE = /(\.\.\/)+shared\/|\/work\/shared/

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue
    const p = join(dir, name)
    if (statSync(p).isDirectory()) yield* files(p)
    else if (statSync(p).size < 4 * 1024 * 1024) yield p
  }
}

test('no file reads or links the reference folder kept beside the project', () => {
  const hits: string[] = []
  for (const p of files(ROOT)) {
    if (p === import.meta.path) continue
    const text = readFileSync(p, 'utf8')
    const m = OUTSIDE.exec(text)
    if (m) hits.push(`${relative(ROOT, p)}: ${text.slice(Math.max(0, m.index - 40), m.index + 40).replace(/\n/g, ' ')}`)
  }
  expect(hits).toEqual([])
})
