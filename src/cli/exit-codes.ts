/**
 * Exit codes of every mcp-runtime command. Documented in docs/cli.md; scripts may rely on them,
 * so never renumber: only add.
 */
export const ExitCode = {
  /** Success. */
  OK: 0,
  /** Failure not covered below (an API error, a component that did not become ready, a bug). */
  FAILURE: 1,
  /** Wrong usage: unknown flag, missing argument, bad flag value (oclif's own parse errors use 2 too). */
  USAGE: 2,
  /** Input files are invalid (metadata, manifests) or the API server rejected an object as invalid. */
  INVALID_INPUT: 3,
  /** The cluster cannot be reached, no kubeconfig is configured, or the platform is not set up (CRD missing). */
  UNREACHABLE: 4,
  /** The credentials were rejected (401) or lack a permission (403). */
  FORBIDDEN: 5,
  /** A named object (a server) does not exist. */
  NOT_FOUND: 6,
  /** Waiting for readiness or deletion took longer than --timeout. */
  TIMEOUT: 7,
  /** `pipeline diff --exit-code` only: deploying would change something. */
  CHANGES_PENDING: 8,
  /** An image push failed: registry unreachable, TLS verification failed, push refused. */
  PUSH_FAILED: 9,
  /** An image build failed. */
  BUILD_FAILED: 10,
  /** An output file or folder cannot be written (a file where a folder is needed, read-only, no space); nothing was changed. */
  CANNOT_WRITE: 11,
  /** `server connect`: the server has no public URL yet (the operator has not reconciled it). */
  NOT_READY: 12,
  /** Interrupted (Ctrl-C) after cleaning up, as shells report SIGINT. */
  INTERRUPTED: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** One line per code, in the order of the numbers (used by docs and `--help` texts). */
export const EXIT_CODE_DESCRIPTIONS: Readonly<Record<ExitCodeValue, string>> = {
  0: 'success',
  1: 'failure (API error, timeout of a component, unexpected error)',
  2: 'usage error (unknown flag, missing argument, invalid flag value)',
  3: 'invalid input files, or an object the API server rejected as invalid',
  4: 'cluster unreachable, no kubeconfig, or platform not set up (MCPServer CRD missing)',
  5: 'unauthorized or forbidden (RBAC)',
  6: 'named object not found',
  7: 'timed out waiting (readiness, deletion)',
  8: '`pipeline diff --exit-code`: changes pending',
  9: 'image push failed (registry unreachable, TLS verification failed, push refused)',
  10: 'image build failed',
  11: 'output cannot be written (a file in the way, read-only folder, no space); nothing was changed',
  12: 'the server has no public URL yet (not reconciled by the operator)',
  130: 'interrupted (Ctrl-C); what the command created was cleaned up',
};
