// The OpenAI API's endpoints besides generation, shared by both OpenAI dialects (one vendor API,
// one family): a provider of either serves them. GET /v1/models stays the proxy's own.
import type { PassthroughApi } from './dialect'

export const openaiApi: PassthroughApi = {
  family: 'openai',
  paths: [
    '/v1/embeddings',
    '/v1/completions',
    '/v1/moderations',
    '/v1/images/**',
    '/v1/audio/**',
    '/v1/files',
    '/v1/files/**',
    '/v1/uploads',
    '/v1/uploads/**',
    '/v1/batches',
    '/v1/batches/**',
    '/v1/fine_tuning/**',
    '/v1/vector_stores',
    '/v1/vector_stores/**',
  ],
  basePrefix: '/v1',
  usage: { input: ['prompt_tokens', 'input_tokens'], output: ['completion_tokens', 'output_tokens'] },
}
