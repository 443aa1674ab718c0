// Strict readers for the client's request: the Responses API validates exactly like Chat
// Completions (same error wording), so the readers are shared rather than copied.
export * from '../openai-chat/validate'
