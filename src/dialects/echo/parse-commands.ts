// The echo provider's commands, typed in the last user turn:
//   CALL <tool> [<json>]   one line per call; several lines → parallel calls
//   ERROR <status>         answer with a stream error of that status
import type { CanonTool } from '../../canonical/request'

export interface EchoCall {
  name: string
  /** JSON arguments, or the raw input of a custom tool */
  argumentsJson: string
  custom: boolean
}

const CALL_LINE = /^[ \t]*CALL[ \t]+(\S+)(?:[ \t]+(.*?))?[ \t]*$/gm
const ERROR_STATUS = /\bERROR[ \t]+([45]\d\d)\b/

export function parseErrorStatus(text: string): number | undefined {
  const m = ERROR_STATUS.exec(text)
  return m ? Number(m[1]) : undefined
}

function isJsonObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text)
    return typeof v === 'object' && v !== null && !Array.isArray(v)
  } catch {
    return false
  }
}

/** Calls of declared tools only. A function tool's arguments must be a JSON object (default
 *  `{}`), else the line is not a call; a custom tool takes the rest of the line verbatim. */
export function parseCalls(text: string, tools: CanonTool[]): EchoCall[] {
  if (!text.includes('CALL')) return []
  const calls: EchoCall[] = []
  for (const m of text.matchAll(CALL_LINE)) {
    const tool = tools.find((t) => t.name === m[1])
    if (!tool) continue
    const rest = m[2] ?? ''
    if (tool.custom) calls.push({ name: tool.name, argumentsJson: rest, custom: true })
    else if (rest === '' || isJsonObject(rest)) calls.push({ name: tool.name, argumentsJson: rest || '{}', custom: false })
  }
  return calls
}
