// The Response object a Responses client receives (non-streaming body, and the `response` of the
// lifecycle stream events): the request's settings echoed as OpenAI does, plus status, output, usage.
import type { CanonRequest } from '../../canonical/request'
import type { ResponseContext, ResponseKeeper } from '../dialect'
import { encodeTool, encodeToolChoice } from './convert-tools'
import { encodeFormat } from './encode-request'
import { encodeInstructions } from './encode-input'
import type { Json } from './wire'

/** the echoed request settings (everything but id, status, output, usage, error) */
export function echoFields(req: CanonRequest | undefined, keep?: ResponseKeeper): Json {
  const text: Json = { format: req?.responseFormat ? encodeFormat(req.responseFormat) : { type: 'text' } }
  const verbosity = req?.extras?.verbosity
  if (typeof verbosity === 'string') text.verbosity = verbosity
  return {
    instructions: (req && encodeInstructions(req)) ?? null,
    max_output_tokens: req?.maxOutputTokens ?? null,
    metadata: req?.metadata ?? {},
    parallel_tool_calls: req?.parallelToolCalls ?? true,
    previous_response_id: keep?.previousId ?? null,
    reasoning: { effort: req?.reasoning?.effort ?? null, summary: req?.reasoning?.summary ?? null },
    // stored by the proxy (proxy/stored.ts) when it keeps it; a pass-through answer is the upstream's own
    store: keep !== undefined,
    temperature: req?.temperature ?? 1,
    text,
    tool_choice: req?.toolChoice ? encodeToolChoice(req.toolChoice, req.tools) : 'auto',
    tools: req?.tools ? req.tools.map(encodeTool) : [],
    top_p: req?.topP ?? 1,
    truncation: 'disabled',
    user: null,
  }
}

/**
 * The object as JSON text around a prebuilt echo: the stream sends it three times (created,
 * in_progress, terminal), so the echo (tools, instructions: often tens of KB) is serialized once.
 */
export class ResponseWriter {
  private readonly head: string
  private readonly tail: string

  constructor(ctx: ResponseContext, id: string, createdAt: number) {
    this.head = `{"id":${JSON.stringify(id)},"object":"response","created_at":${createdAt},`
    this.tail = `,"model":${JSON.stringify(ctx.model)},${JSON.stringify(echoFields(ctx.request, ctx.keep)).slice(1)}`
  }

  /** `output` and `usage` are JSON text; `extra` holds completed_at / error / incomplete_details */
  write(status: string, output: string, usage: string, extra: { completedAt?: number; error?: Json; reason?: string } = {}): string {
    const error = extra.error ? JSON.stringify(extra.error) : 'null'
    const incomplete = extra.reason ? `{"reason":"${extra.reason}"}` : 'null'
    const completedAt = extra.completedAt ?? 'null'
    return `${this.head}"status":"${status}","completed_at":${completedAt},"error":${error},"incomplete_details":${incomplete},"output":[${output}],"usage":${usage}${this.tail}`
  }
}
