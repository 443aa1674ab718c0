import { test } from 'bun:test'
import { createMemoryStore } from '../../../src/limits/memory-store'
import { limitStoreSuite } from './store-suite'

limitStoreSuite('memory', test, () => createMemoryStore())
