/** The editor schema for `.mcp/metadata.yaml` (yaml-language-server, VS Code, JetBrains). */
import { z } from 'zod';
import { MetadataFileSchema } from './schema.js';

export const METADATA_SCHEMA_ID =
  'https://raw.githubusercontent.com/Agent-Hellboy/mcp-runtime/main/schemas/metadata.schema.json';

export function metadataJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(MetadataFileSchema, { target: 'draft-7', io: 'input', unrepresentable: 'any' });
  return { ...schema, $id: METADATA_SCHEMA_ID, title: 'mcp-runtime metadata' };
}
