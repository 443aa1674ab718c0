// Reads what a mock upstream received, whatever its dialect, into one comparable shape.
export interface UpstreamView {
  system: string
  roles: string[]
  text: string
  toolResults: Array<{ id: string; output: string }>
  toolCallIds: string[]
  toolNames: string[]
  images: number
  jsonSchema: boolean
  reasoning: boolean
}

const textOf = (c: any): string =>
  typeof c === 'string' ? c : Array.isArray(c) ? c.map((p) => (typeof p === 'string' ? p : (p.text ?? (typeof p.content === 'string' ? p.content : '')))).join('') : ''

export function upstreamView(dialect: string, b: any): UpstreamView {
  const v: UpstreamView = { system: '', roles: [], text: '', toolResults: [], toolCallIds: [], toolNames: [], images: 0, jsonSchema: false, reasoning: false }
  if (dialect === 'openai-chat') {
    for (const m of b.messages) {
      if (m.role === 'system' || m.role === 'developer') {
        v.system += textOf(m.content)
        continue
      }
      v.roles.push(m.role)
      if (m.role === 'tool') v.toolResults.push({ id: m.tool_call_id, output: textOf(m.content) })
      else v.text += textOf(m.content)
      for (const tc of m.tool_calls ?? []) v.toolCallIds.push(tc.id)
      if (Array.isArray(m.content)) v.images += m.content.filter((p: any) => p.type === 'image_url').length
    }
    v.toolNames = (b.tools ?? []).map((t: any) => t.function.name)
    v.jsonSchema = b.response_format?.type === 'json_schema'
    v.reasoning = !!b.reasoning_effort
  } else if (dialect === 'openai-responses') {
    v.system = b.instructions ?? ''
    const items = typeof b.input === 'string' ? [{ role: 'user', content: b.input }] : b.input
    for (const it of items) {
      if (it.role === 'system' || it.role === 'developer') {
        v.system += textOf(it.content)
        continue
      }
      if (it.type === 'function_call_output') v.toolResults.push({ id: it.call_id, output: typeof it.output === 'string' ? it.output : textOf(it.output) })
      else if (it.type === 'function_call') v.toolCallIds.push(it.call_id)
      else if (it.role) {
        v.roles.push(it.role)
        v.text += textOf(it.content)
        if (Array.isArray(it.content)) v.images += it.content.filter((p: any) => p.type === 'input_image').length
      }
    }
    v.toolNames = (b.tools ?? []).map((t: any) => t.name)
    v.jsonSchema = b.text?.format?.type === 'json_schema'
    v.reasoning = !!b.reasoning?.effort
  } else if (dialect === 'gemini') {
    v.system = (b.systemInstruction?.parts ?? []).map((p: any) => p.text ?? '').join('')
    for (const c of b.contents) {
      v.roles.push(c.role === 'model' ? 'assistant' : 'user')
      for (const p of c.parts) {
        if (typeof p.text === 'string' && !p.thought) v.text += p.text
        if (p.inlineData || p.fileData) v.images++
        if (p.functionCall) v.toolCallIds.push(p.functionCall.id ?? p.functionCall.name)
        if (p.functionResponse) {
          const r = p.functionResponse.response
          v.toolResults.push({ id: p.functionResponse.id ?? p.functionResponse.name, output: typeof r?.output === 'string' ? r.output : JSON.stringify(r) })
        }
      }
    }
    v.toolNames = (b.tools ?? []).flatMap((t: any) => (t.functionDeclarations ?? []).map((f: any) => f.name))
    v.jsonSchema = !!(b.generationConfig?.responseJsonSchema || b.generationConfig?.responseSchema)
    v.reasoning = !!b.generationConfig?.thinkingConfig
  } else if (dialect === 'bedrock' && !b.anthropic_version) {
    // Converse (InvokeModel bodies are Anthropic's: the branch below)
    v.system = (b.system ?? []).map((p: any) => p.text ?? '').join('')
    for (const m of b.messages) {
      v.roles.push(m.role)
      for (const p of m.content) {
        if (typeof p.text === 'string') v.text += p.text
        if (p.image) v.images++
        if (p.toolUse) v.toolCallIds.push(p.toolUse.toolUseId)
        if (p.toolResult) v.toolResults.push({ id: p.toolResult.toolUseId, output: p.toolResult.content.map((c: any) => c.text ?? '').join('') })
      }
    }
    v.toolNames = (b.toolConfig?.tools ?? []).filter((t: any) => t.toolSpec).map((t: any) => t.toolSpec.name)
    v.jsonSchema = b.outputConfig?.textFormat?.type === 'json_schema'
    v.reasoning = b.additionalModelRequestFields?.thinking?.type === 'enabled'
  } else {
    v.system = textOf(b.system)
    for (const m of b.messages) {
      v.roles.push(m.role)
      const parts = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content
      for (const p of parts) {
        if (p.type === 'text') v.text += p.text
        if (p.type === 'image') v.images++
        if (p.type === 'tool_use') v.toolCallIds.push(p.id)
        if (p.type === 'tool_result') v.toolResults.push({ id: p.tool_use_id, output: textOf(p.content) })
      }
    }
    v.toolNames = (b.tools ?? []).map((t: any) => t.name)
    v.jsonSchema = b.output_config?.format?.type === 'json_schema'
    v.reasoning = b.thinking?.type === 'enabled' || b.thinking?.type === 'adaptive'
  }
  return v
}
