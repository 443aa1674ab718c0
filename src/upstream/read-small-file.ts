// A small local file's text (AWS credentials files a request signer reads), read once per process
// and path and capped at 1 MiB; a missing or unreadable file is `undefined`.
import { readFileSync } from 'node:fs'

const cache = new Map<string, string | undefined>()

export function readSmallFile(path: string): string | undefined {
  if (cache.has(path)) return cache.get(path)
  let text: string | undefined
  try {
    text = readFileSync(path, 'utf8').slice(0, 1024 * 1024)
  } catch {
    text = undefined
  }
  cache.set(path, text)
  return text
}
