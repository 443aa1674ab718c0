// What a dialect says about being served by Vertex AI (its registry entry carries it); the URL
// and the OAuth token are built in upstream/vertex.ts and upstream/google-auth.ts.

export interface VertexPublisher {
  /** `google` or `anthropic`: the `publishers/{publisher}/models/…` segment */
  publisher: string
  /** the method after the model, with its query (`streamGenerateContent?alt=sse`) */
  method(stream: boolean): string
  /** the dialect's wire request → the body and headers Vertex takes */
  adapt(body: Record<string, unknown>, headers: Record<string, string> | undefined): { body: Record<string, unknown>; headers?: Record<string, string> }
}
