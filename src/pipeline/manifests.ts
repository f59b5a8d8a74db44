/**
 * Reads a folder of MCPServer manifests (every `*.yaml|*.yml`, multi-document) and validates
 * every document before anything touches a cluster. Problems are reported like the metadata
 * loader's: `file:LINE:COL field.path: message`.
 */
import { isScalar } from 'yaml';
import type { z } from 'zod';
import { DEFAULT_SERVER_NAMESPACE, MCPServerManifestSchema } from '../api/v1alpha1/index.js';
import { friendlyIssueMessage } from '../metadata/issue-messages.js';
import { ProblemsError, type Problem } from '../metadata/problem.js';
import { positionOf } from '../metadata/yaml-positions.js';
import { issueProblems, listYamlFiles, parseYamlDocuments } from '../metadata/yaml-files.js';
import { documentValue, readInputFile } from '../metadata/input-files.js';
import type { KubeObject } from '../kube/rest.js';

export interface LoadedManifest {
  file: string;
  /** 0-based index of the document in its file. */
  document: number;
  line: number;
  /** The object as written (status dropped, namespace filled in): what gets applied. */
  object: KubeObject & { metadata: { name: string; namespace: string } };
}

const KUSTOMIZE_GROUP = 'kustomize.config.k8s.io/';

function isKustomization(raw: unknown): boolean {
  const apiVersion = (raw as { apiVersion?: unknown } | null)?.apiVersion;
  return typeof apiVersion === 'string' && apiVersion.startsWith(KUSTOMIZE_GROUP);
}

/** Validates the text of one manifest file; never throws on bad input. */
export function parseManifestText(file: string, text: string): { manifests: LoadedManifest[]; problems: Problem[] } {
  const parsedFile = parseYamlDocuments(file, text);
  const { counter } = parsedFile;
  const manifests: LoadedManifest[] = [];
  const problems: Problem[] = [...parsedFile.problems];
  parsedFile.documents.forEach(({ doc, index }) => {
    // An empty document (e.g. after a trailing `---`) is not a manifest.
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return;
    const value = documentValue(file, doc, positionOf(doc, counter, []).line);
    if ('problem' in value) {
      problems.push(value.problem);
      return;
    }
    const raw = value.value;
    // A kustomization (written by `pipeline generate` and `synth`) lists the manifests; it is
    // kustomize's, not an object for the API server.
    if (isKustomization(raw)) return;
    const parsed = MCPServerManifestSchema.safeParse(raw, { error: friendlyIssueMessage });
    if (!parsed.success) {
      for (const issue of parsed.error.issues as z.core.$ZodIssue[]) problems.push(...issueProblems(file, doc, counter, issue));
      return;
    }
    const object = structuredClone(raw) as LoadedManifest['object'];
    delete object.status;
    object.metadata.namespace = parsed.data.metadata.namespace ?? DEFAULT_SERVER_NAMESPACE;
    manifests.push({ file, document: index, line: positionOf(doc, counter, []).line, object });
  });
  return { manifests, problems };
}

/**
 * Loads every manifest of `dir`; throws ProblemsError listing every problem in every file
 * (including the same server defined twice).
 */
export async function loadManifests(dir: string, consequence = 'nothing was applied'): Promise<LoadedManifest[]> {
  const files = await listYamlFiles(dir, 'Manifest folder');
  if (files.length === 0) {
    throw new ProblemsError(`No *.yaml or *.yml files in ${dir}: run \`mcp-runtime pipeline generate --output ${dir}\` first.`, []);
  }
  const manifests: LoadedManifest[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const input = await readInputFile(file);
    if ('problem' in input) {
      problems.push(input.problem);
      continue;
    }
    const result = parseManifestText(file, input.text);
    manifests.push(...result.manifests);
    problems.push(...result.problems);
  }
  const seen = new Map<string, LoadedManifest>();
  for (const m of manifests) {
    const key = `${m.object.metadata.namespace}/${m.object.metadata.name}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, m);
      continue;
    }
    problems.push({
      file: m.file,
      line: m.line,
      col: 1,
      path: ['metadata', 'name'],
      message: `MCPServer ${key} is also defined at ${first.file}:${first.line}; each server must be defined once`,
    });
  }
  if (problems.length > 0) {
    throw new ProblemsError(
      `Invalid manifests in ${dir} (${problems.length} problem${problems.length === 1 ? '' : 's'}); ${consequence}:`,
      problems,
    );
  }
  if (manifests.length === 0) throw new ProblemsError(`The YAML files in ${dir} contain no MCPServer manifests.`, []);
  return manifests;
}
