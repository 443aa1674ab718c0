// A Bedrock provider's config entry: the region (the config's `region` or `aws_region`, else
// AWS_REGION / AWS_DEFAULT_REGION, which the config loader fills from ~/.aws/config when unset)
// gives the endpoint; an access key id needs its secret.
import type { ProviderFacts } from '../dialect'

/** config keys only a Bedrock provider takes */
export const BEDROCK_KEYS = ['bedrock_api', 'aws_region', 'aws_access_key_id', 'aws_secret_access_key', 'aws_session_token']

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined)

export function normalizeBedrockProvider(p: ProviderFacts, problem: (key: string, message: string) => void): { base_url?: string; region?: string } {
  const s = p.settings ?? {}
  const given = p.region ?? str(s.aws_region)
  if (p.region && str(s.aws_region) && p.region !== s.aws_region) problem('aws_region', 'differs from region (give one)')
  const region = given ?? (str(p.env?.AWS_REGION) || str(p.env?.AWS_DEFAULT_REGION))
  const id = str(s.aws_access_key_id)
  const secret = str(s.aws_secret_access_key)
  if (Boolean(id) !== Boolean(secret)) problem(id ? 'aws_secret_access_key' : 'aws_access_key_id', `is required with ${id ? 'aws_access_key_id' : 'aws_secret_access_key'}`)
  if (!region) {
    problem('region', 'is required for dialect bedrock')
    return {}
  }
  return { region, base_url: p.base_url ?? `https://bedrock-runtime.${region}.amazonaws.com` }
}
