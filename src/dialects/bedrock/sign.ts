// Authentication of a Bedrock request, run on the final URL, headers and body bytes. A Bedrock
// API key (the provider's `api_key`) goes as `Authorization: Bearer` (the dialect's auth default)
// and nothing is signed; otherwise the request is SigV4-signed for service `bedrock` with
// credentials from the provider, the AWS_* environment or the AWS_PROFILE credentials file.
// The environment, the file reader and the clock come in from the I/O edge.
import { GatewayError } from '../../errors'
import type { OutgoingRequest, ProviderEntry, SignContext } from '../dialect'
import { resolveAwsCredentials } from './credentials'
import { signSigV4 } from './sigv4'

export function signBedrockRequest(req: OutgoingRequest, provider: ProviderEntry, key: string | undefined, ctx: SignContext): void {
  if (key) return
  const creds = resolveAwsCredentials(provider, ctx.env, ctx.readFile)
  if (!creds)
    throw new GatewayError(401, `provider ${provider.name} has no AWS credentials: set aws_access_key_id and aws_secret_access_key, the AWS_* environment variables, AWS_PROFILE, or a Bedrock api_key`, {
      code: 'no_upstream_credentials',
      kind: 'authentication',
      retryable: true,
    })
  // keys from the environment or a profile file were not in the config: log lines must not show them either
  ctx.registerSecret(creds.secretAccessKey)
  ctx.registerSecret(creds.sessionToken)
  const region = provider.region ?? ctx.env.AWS_REGION ?? ctx.env.AWS_DEFAULT_REGION ?? 'us-east-1'
  signSigV4({ method: 'POST', url: req.url, headers: req.headers, body: req.body }, creds, region, 'bedrock', ctx.now)
}
