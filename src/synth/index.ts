// Library behind `mcp-runtime synth`: rendering in memory, then writing.
export { synthPlatform } from './platform.js';
export { synthServers, type ServerSynth } from './servers.js';
export { loadServerManifests, parseServerManifests, readServerManifests, type LoadedServer } from './manifests.js';
export { writeFileSet, type FileSet } from './output.js';
export { renderPlatformFiles, renderServerFiles, type ServerFilesInput, type SynthOutcome } from './command.js';
export { ManifestError, fieldPath, formatProblem, sortProblems, type ManifestProblem } from './problems.js';
export { GENERATED_NOTICE, KUSTOMIZATION_FILE, kustomizationYaml, toYamlDocuments } from './yaml.js';
