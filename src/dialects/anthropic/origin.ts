// The name Anthropic's reasoning parts carry as their origin (its thinking signatures and
// redacted_thinking data). Other folders that carry Claude's state (the Responses encoder parks it
// in encrypted_content) import it from here rather than spelling the name.
export const ANTHROPIC_ORIGIN = 'anthropic'
