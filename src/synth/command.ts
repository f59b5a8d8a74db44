/**
 * The two things `mcp-runtime synth` does, behind the thin oclif command: render everything in
 * memory, and only when all of it succeeded, write it. Errors come back as text for the
 * command to print (never containing the registry password).
 */
import type { PlatformOptions } from '../../charts-ts/platform/index.js';
import { defaultOperatorSettings, OPERATOR_ENV } from '../../charts-ts/server/index.js';
import { loadServerManifests } from './manifests.js';
import { writeFileSet } from './output.js';
import { synthPlatform } from './platform.js';
import { ManifestError, sortProblems } from './problems.js';
import { synthServers } from './servers.js';

export type SynthOutcome = { readonly written: string[]; readonly warnings: readonly string[] } | { readonly error: string };

export async function renderPlatformFiles(input: { output: string; options: PlatformOptions }): Promise<SynthOutcome> {
  let files;
  try {
    files = synthPlatform(input.options);
  } catch (error) {
    return { error: `cannot render the platform: ${(error as Error).message}` };
  }
  return { written: await writeFileSet(input.output, files), warnings: [] };
}

export interface ServerFilesInput {
  readonly serversDir: string;
  readonly output: string;
  readonly defaultIngressHost?: string;
  readonly ingressClass?: string;
  readonly provisionedRegistry?: string;
  readonly registryUsername?: string;
  readonly registryPassword?: string;
  readonly pullSecretName?: string;
}

export async function renderServerFiles(input: ServerFilesInput): Promise<SynthOutcome> {
  // The flags map onto the operator's environment, so the settings are parsed exactly as the
  // operator parses its own.
  const settings = defaultOperatorSettings({
    [OPERATOR_ENV.defaultIngressHost]: input.defaultIngressHost,
    [OPERATOR_ENV.defaultIngressClass]: input.ingressClass,
    [OPERATOR_ENV.registryUrl]: input.provisionedRegistry,
    [OPERATOR_ENV.registryUsername]: input.registryUsername,
    [OPERATOR_ENV.registryPassword]: input.registryPassword,
    [OPERATOR_ENV.registrySecretName]: input.pullSecretName,
  });
  const { servers, problems } = await loadServerManifests(input.serversDir);
  let result;
  try {
    // Render the valid ones too, so render errors (e.g. a bad image) show up in the same run.
    result = synthServers(servers, settings);
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0 || result === undefined) return { error: new ManifestError(sortProblems(problems)).message };
  return { written: await writeFileSet(input.output, result.files, result.privateFiles), warnings: result.warnings };
}
