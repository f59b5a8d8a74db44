/** Flags shared by the `server` commands. */
import { Args, Flags } from '@oclif/core';

export const namespaceFlag = {
  namespace: Flags.string({ char: 'n', description: 'Namespace of the server.', default: 'mcp-servers' }),
};

export const scopeFlags = {
  ...namespaceFlag,
  'all-namespaces': Flags.boolean({ char: 'A', description: 'Servers in every namespace.' }),
};

export const serverArg = {
  name: Args.string({ description: 'Name of the MCPServer.', required: true }),
};
