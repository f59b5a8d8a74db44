/**
 * Which folder an MCPServer was deployed from, recorded on the object so that a later
 * `pipeline deploy --prune` of the same folder can find the servers that left it (the idea of
 * kubectl's ApplySet: membership is a label, the set is named by its source).
 *
 * The label carries a hash (label values are short and cannot hold '/'); the annotation carries
 * the readable source, and prune requires both to match.
 */
import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { GROUP } from '../api/v1alpha1/group.js';
import type { KubeObject } from '../kube/rest.js';

export const SOURCE_LABEL = `${GROUP}/deploy-source`;
export const SOURCE_ANNOTATION = `${GROUP}/deploy-source`;

export interface DeploySource {
  /** What names the set: `--source`, else the folder relative to the working directory. */
  readonly name: string;
  /** The label value: a hash of `name`. */
  readonly id: string;
}

/**
 * The source of a folder. Relative to the working directory, so a CI job that runs
 * `pipeline deploy --dir manifests/` from the checkout names the same set on every runner.
 */
export function deploySource(dir: string, explicit?: string, cwd = process.cwd()): DeploySource {
  let name = explicit?.trim();
  if (name === undefined || name === '') {
    const rel = relative(cwd, resolve(cwd, dir));
    name = rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? resolve(cwd, dir) : rel;
    name = name.split(sep).join('/');
  }
  return { name, id: createHash('sha256').update(name).digest('hex').slice(0, 40) };
}

/** The object with the source label and annotation added (a copy; the input is not changed). */
export function withSource<T extends KubeObject>(object: T, source: DeploySource): T {
  const copy = structuredClone(object);
  copy.metadata = {
    ...copy.metadata,
    labels: { ...copy.metadata?.labels, [SOURCE_LABEL]: source.id },
    annotations: { ...copy.metadata?.annotations, [SOURCE_ANNOTATION]: source.name },
  };
  return copy;
}

export const isFromSource = (object: KubeObject, source: DeploySource): boolean =>
  object.metadata?.labels?.[SOURCE_LABEL] === source.id && object.metadata?.annotations?.[SOURCE_ANNOTATION] === source.name;
