// What a dialect's request signer gets from the I/O edge: the process environment, the
// credentials-file reader, the clock, and the log redaction registry.
import type { SignContext } from '../dialects/dialect'
import { registerSecret } from '../observe/redact'
import { readSmallFile } from './read-small-file'

export const signContext = (): SignContext => ({ env: process.env, readFile: readSmallFile, now: new Date(), registerSecret })
