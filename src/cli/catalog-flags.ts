/** Flags of the `catalog list|get` commands (clients of an MCP Registry API). */
import { Flags } from '@oclif/core';

export const catalogFlags = {
  url: Flags.string({
    description: 'Base URL of the catalog, e.g. http://mcp.example.com (the platform host) or http://127.0.0.1:8080.',
    env: 'MCP_RUNTIME_CATALOG_URL',
    required: true,
  }),
};
