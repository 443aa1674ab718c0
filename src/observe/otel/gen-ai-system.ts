// gen_ai.system for an upstream dialect (the OpenTelemetry GenAI semantic conventions' names):
// each dialect's registry entry says its own; the dialect's name otherwise.
import { registered } from '../../dialects'

export const genAiSystem = (dialect: string): string => registered(dialect)?.genAiSystem ?? dialect
