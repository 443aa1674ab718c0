import { expect, test } from 'bun:test'
import { ConfigError } from '../../../src/config/config-error'
import { resolveConfig } from '../../../src/config/resolve'

const providers = { main: { dialect: 'anthropic' }, small: { dialect: 'openai-chat' } }

function problemsOf(raw: unknown): string[] {
  try {
    resolveConfig(raw, {})
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  throw new Error('expected the config to be refused')
}

test('rules load in order, nested conditions kept', () => {
  const c = resolveConfig(
    {
      providers,
      models: {
        'claude-*': {
          targets: ['main/claude-sonnet-4-5'],
          rules: [
            { name: 'background', when: { model: 'claude-*haiku*' }, target: 'small/gpt-5-mini' },
            { name: 'long', when: { any: [{ input_tokens_gt: 60000 }, { not: { front: ['anthropic', 'openai-chat'] } }] }, target: 'small/long' },
          ],
        },
      },
    },
    {},
  )
  expect(c.models[0].rules?.map((r) => r.name)).toEqual(['background', 'long'])
  expect(c.models[0].rules?.[1].when).toEqual({ any: [{ input_tokens_gt: 60000 }, { not: { front: ['anthropic', 'openai-chat'] } }] })
})

test('a rule that can never work is refused with its path', () => {
  const problems = problemsOf({
    providers,
    models: {
      x: {
        targets: ['main/m'],
        rules: [
          { name: 'a', when: { fronts: 'anthropic' }, target: 'small/m' },
          { name: 'a', when: { front: 'antropic' }, target: 'nope/m' },
          { name: 'c', when: {}, target: 'small/m' },
          { name: 'd', when: { all: [{ thinking: 'yes' }] }, target: 'small/m' },
        ],
      },
    },
  })
  expect(problems.join('\n')).toContain('models.x.rules[0].when.fronts: unknown key')
  expect(problems.join('\n')).toContain('models.x.rules[3].when.all[0].thinking')
  // the shape is fixed first; then the meaning
  const meaning = problemsOf({
    providers,
    models: {
      x: {
        targets: ['main/m'],
        rules: [
          { name: 'a', when: { model: 'x' }, target: 'small/m' },
          { name: 'a', when: { front: 'antropic' }, target: 'nope/m' },
          { name: 'c', when: {}, target: 'small/m' },
        ],
      },
    },
  })
  expect(meaning).toEqual([
    'models.x.rules[1].target: unknown provider "nope" (configured: main, small)',
    'models.x.rules[1].when.front: unknown front door "antropic" (did you mean "anthropic"?)',
    'models.x.rules[2].when: an empty condition matches every request; write the target as the alias\'s own target instead',
    'models.x.rules[1].name: rule name "a" is used twice',
  ])
})
