/**
 * The two things `mcp-runtime synth` does, behind the thin oclif command: render everything in
 * memory, and only when all of it succeeded, write it. Errors come back as text for the
 * command to print (never containing the registry password).
 */
import type { PlatformOptions } from '../../charts-ts/platform/index.js';
import { InvalidPlatformOptionsError } from '../../charts-ts/platform/option-problems.js';
import { defaultOperatorSettings, OPERATOR_ENV } from '../../charts-ts/server/index.js';
import { operatorSettingsProblems } from '../../charts-ts/server/settings.js';
import { loadServerManifests } from './manifests.js';
import { OutputWriteError, writeFileSet } from './output.js';
import { synthPlatform } from './platform.js';
import { ManifestError, sortProblems } from './problems.js';
import { synthServers } from './servers.js';

/**
 * `invalidInput`: the error is about the flags or the input files (the CLI's "invalid input"
 * exit code); `cannotWrite`: the output folder could not be written (and was left as it was).
 */
export type SynthOutcome =
  | { readonly written: string[]; readonly warnings: readonly string[] }
  | { readonly error: string; readonly invalidInput?: boolean; readonly cannotWrite?: boolean };

async function write(...args: Parameters<typeof writeFileSet>): Promise<{ written: string[] } | { error: string; cannotWrite: true }> {
  try {
    return { written: await writeFileSet(...args) };
  } catch (error) {
    if (error instanceof OutputWriteError) return { error: error.message, cannotWrite: true };
    throw error;
  }
}

export async function renderPlatformFiles(input: { output: string; options: PlatformOptions }): Promise<SynthOutcome> {
  let files;
  try {
    files = synthPlatform(input.options);
  } catch (error) {
    if (error instanceof InvalidPlatformOptionsError) return { error: error.message, invalidInput: true };
    return { error: `cannot render the platform: ${(error as Error).message}` };
  }
  const result = await write(input.output, files);
  return 'error' in result ? result : { written: result.written, warnings: [] };
}

/** The `synth --servers` flag behind each operator setting. */
const SETTING_FLAGS: Record<string, string> = {
  [OPERATOR_ENV.defaultIngressHost]: '--default-ingress-host',
  [OPERATOR_ENV.defaultIngressClass]: '--ingress-class',
  [OPERATOR_ENV.registryUrl]: '--provisioned-registry',
  [OPERATOR_ENV.registrySecretName]: '--registry-pull-secret',
};

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
  const flagProblems = operatorSettingsProblems(settings).map((p) => `${SETTING_FLAGS[p.env] ?? p.env} ${JSON.stringify(p.value)}: ${p.message}`);
  if (flagProblems.length > 0) return { error: flagProblems.join('\n'), invalidInput: true };
  const { servers, problems } = await loadServerManifests(input.serversDir);
  let result;
  try {
    // Render the valid ones too, so render errors (e.g. a bad image) show up in the same run.
    result = synthServers(servers, settings);
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0 || result === undefined) return { error: new ManifestError(sortProblems(problems)).message, invalidInput: true };
  const written = await write(input.output, result.files, result.privateFiles);
  return 'error' in written ? written : { written: written.written, warnings: result.warnings };
}
