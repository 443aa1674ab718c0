// The config's YAML goes through Bun's parser when a scan vouches that no mapping repeats a key:
// the same tree the yaml library gives, for every YAML in this repository, and the library's
// refusal (with its line number) for every shape of repeated key.
import { describe, expect, test } from 'bun:test'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import YAML from 'yaml'
import { ConfigError } from '../../../src/config/config-error'
import { parseConfigText } from '../../../src/config/parse-file'
import { fastYaml, keysAreUnique } from '../../../src/config/yaml-fast'

const ROOT = join(import.meta.dir, '../../..')
const library = (text: string) => {
  const doc = YAML.parseDocument(text, { prettyErrors: true, merge: true })
  return doc.errors.length ? undefined : doc.toJS()
}

/** every YAML file and every ```yaml block in the repository's docs */
function corpus(): Array<[string, string]> {
  const out: Array<[string, string]> = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name)
      if (name === 'node_modules' || name.startsWith('.')) continue
      if (statSync(p).isDirectory()) walk(p)
      else if (/\.ya?ml$/.test(name)) out.push([p.slice(ROOT.length + 1), readFileSync(p, 'utf8')])
      else if (name.endsWith('.md')) {
        const md = readFileSync(p, 'utf8')
        for (const [i, m] of [...md.matchAll(/```ya?ml\n([\s\S]*?)```/g)].entries()) out.push([`${p.slice(ROOT.length + 1)} block ${i}`, m[1]])
      }
    }
  }
  for (const d of ['config', 'deploy', 'docs', 'test/fixtures']) walk(join(ROOT, d))
  for (const [i, m] of [...readFileSync(join(ROOT, 'README.md'), 'utf8').matchAll(/```ya?ml\n([\s\S]*?)```/g)].entries()) out.push([`README.md block ${i}`, m[1]])
  return out
}

describe('fastYaml', () => {
  const files = corpus()
  test(`the same tree as the yaml library for every YAML in the repository (${files.length} texts)`, () => {
    let fast = 0
    for (const [name, text] of files) {
      const got = fastYaml(text)
      if (got === undefined) continue
      fast++
      expect({ name, tree: got }).toEqual({ name, tree: library(text) })
    }
    // the scan vouches for most of them: the fast path is the common one
    expect(fast).toBeGreaterThan(files.length / 2)
  })

  test('the example config and a typical one take the fast path', () => {
    expect(fastYaml(readFileSync(join(ROOT, 'config/config.example.yaml'), 'utf8'))).toBeDefined()
    const typical = [
      'server: { host: 127.0.0.1, port: 8080 }',
      'providers:',
      '  openai: { dialect: openai-chat, base_url: "https://api.openai.com/v1", api_key: "${OPENAI_API_KEY}" }',
      '  anthropic:',
      '    dialect: anthropic',
      '    api_key: ${ANTHROPIC_API_KEY}',
      'models:',
      '  "gpt-*": openai/*',
      "  'claude-*': anthropic/*",
      '  fast:',
      '    - openai/gpt-4o-mini',
      '    - anthropic/claude-haiku-4-5',
      'auth:',
      '  keys:',
      '    - { key: "sk-a", name: alice, group: dev }',
      '    - key: sk-b',
      '      name: bob',
      '      group: dev',
      '  groups: { dev: { models: ["*"], rpm: 60 } }',
      'logging: { level: info }  # comment: with a colon',
      'system: |',
      '  name: repeated',
      '  name: repeated',
    ].join('\n')
    expect(fastYaml(typical)).toEqual(library(typical))
  })

  const repeats: Record<string, string> = {
    'top level': 'a: 1\nb: 2\na: 3\n',
    nested: 'providers:\n  x:\n    dialect: a\n    dialect: b\n',
    'in a list item': 'keys:\n  - key: a\n    name: x\n    name: y\n',
    'list at the parent column': 'keys:\n- key: a\n  key: b\n',
    'after a block scalar': 'a: |\n  text\nb: 1\na: 2\n',
    'one-line flow mapping': 'p: { dialect: a, dialect: b }\n',
    'flow mapping in a list': 'k:\n  - { key: a, key: b }\n',
    'quoted and plain': '"gpt-*": a\ngpt-*: b\n',
    'single-quoted': "'x': 1\n'x': 2\n",
    'CRLF line ends': 'a: 1\r\nb: 2\r\na: 3\r\n',
  }
  for (const [shape, text] of Object.entries(repeats))
    test(`a repeated key (${shape}) is never taken from Bun's parser: the library refuses it`, () => {
      expect(keysAreUnique(text)).toBe(false)
      expect(fastYaml(text)).toBeUndefined()
      expect(() => parseConfigText(text, 'c.yaml')).toThrow(ConfigError)
      try {
        parseConfigText(text, 'c.yaml')
      } catch (err) {
        expect((err as ConfigError).problems.join('\n')).toMatch(/^c\.yaml:\d+:\d+: /)
      }
    })

  test('what the scan cannot vouch for goes to the library: several documents, tabs, explicit keys, multi-line flows', () => {
    for (const text of ['a: 1\n---\nb: 2\n', 'a:\n\tb: 1\n', '? a\n: 1\n', 'a: { b: 1,\n  c: 2 }\n', 'a: "multi\n  line"\n', '"a\\u0062": 1\n', 'a: &a { x: 1 }\nb:\n  <<: *a\n  <<: *a\n'])
      expect(fastYaml(text)).toBeUndefined()
  })

  test('not a mapping, or not YAML Bun reads: the library decides', () => {
    for (const text of ['- a\n- b\n', 'just a string\n', '', 'a: [1, 2\n']) expect(fastYaml(text)).toBeUndefined()
  })
})
