/** Domain errors of client set-up; src/cli/errors.ts maps them to exit codes. */

/** The MCPServer has no public URL yet: the operator has not reconciled it (or could not route it). */
export class NoPublicUrlError extends Error {
  constructor(
    readonly namespace: string,
    readonly server: string,
  ) {
    super(
      `MCPServer ${namespace}/${server} has no public URL yet (status.url is empty): the operator has not reconciled it. ` +
        `Wait for the operator, and check \`mcp-runtime server status ${server} -n ${namespace}\` if it does not appear.`,
    );
    this.name = 'NoPublicUrlError';
  }
}

/** A client config file could not be written; the file was left as it was. */
export class ClientConfigWriteError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot write ${path}: ${reason}; the file was not changed`);
    this.name = 'ClientConfigWriteError';
  }
}
