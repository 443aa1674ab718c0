// The built-in local provider (`dialect: echo` in config): no upstream, no key, any front dialect.
// A registry entry like any dialect, with a `local` responder instead of codecs.
import type { CanonEvent } from '../../canonical/event'
import type { CanonRequest } from '../../canonical/request'
import type { LocalDialect } from '../dialect'
import { echoRespond, type EchoContext } from './respond'

export { echoRespond, type EchoContext }

export const ECHO_DIALECT_NAME = 'echo'

export interface LocalProvider {
  name: typeof ECHO_DIALECT_NAME
  respond(req: CanonRequest, ctx: EchoContext): CanonEvent[]
}

export const echoProvider: LocalProvider = { name: ECHO_DIALECT_NAME, respond: echoRespond }

export const echoDialect: LocalDialect = { name: ECHO_DIALECT_NAME, local: echoProvider }
