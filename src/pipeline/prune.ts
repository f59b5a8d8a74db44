/**
 * `pipeline deploy --prune`: deletes the MCPServers an earlier deploy of the same source put in
 * the cluster that the folder no longer defines. Runs only after every object of the folder was
 * applied, and deletes with a UID precondition, so it removes exactly the objects it listed.
 */
import { API_VERSION, PLURAL } from '../api/v1alpha1/group.js';
import { describeObject } from '../kube/apply.js';
import { ApiError } from '../kube/errors.js';
import type { KubeObject, KubeRest } from '../kube/rest.js';
import { isFromSource, SOURCE_LABEL, type DeploySource } from './source.js';

export interface PrunedObject {
  readonly ref: string;
  /** False when the object was gone or re-created by someone else before the delete. */
  readonly deleted: boolean;
}

const collection = (namespace?: string) =>
  `/apis/${API_VERSION}${namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`}/${PLURAL}`;

/**
 * The servers labelled with `source`: cluster-wide when the user may list them there, else in
 * the namespaces the folder names (a namespace-scoped user cannot have deployed elsewhere).
 */
async function membersOf(rest: KubeRest, source: DeploySource, namespaces: readonly string[]): Promise<KubeObject[]> {
  const query = { labelSelector: `${SOURCE_LABEL}=${source.id}` };
  try {
    return await rest.list(collection(), query);
  } catch (error) {
    if (!(error instanceof ApiError && error.code === 403)) throw error;
  }
  const found: KubeObject[] = [];
  for (const ns of namespaces) found.push(...(await rest.list(collection(ns), query)));
  return found;
}

export async function pruneServers(
  rest: KubeRest,
  source: DeploySource,
  keep: readonly { metadata: { name: string; namespace: string } }[],
  options: { dryRun?: boolean } = {},
): Promise<PrunedObject[]> {
  const wanted = new Set(keep.map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
  const namespaces = [...new Set(keep.map((o) => o.metadata.namespace))].sort();
  const stale = (await membersOf(rest, source, namespaces))
    .filter((o) => isFromSource(o, source) && !wanted.has(`${o.metadata?.namespace}/${o.metadata?.name}`))
    .sort((a, b) => describeObject(a).localeCompare(describeObject(b)));
  const pruned: PrunedObject[] = [];
  for (const object of stale) {
    const ref = describeObject({ ...object, apiVersion: API_VERSION, kind: 'MCPServer' });
    try {
      // dryRun goes in the body: with a DeleteOptions body, the API server ignores the query.
      await rest.request('DELETE', `${collection(object.metadata?.namespace)}/${encodeURIComponent(object.metadata?.name ?? '')}`, {
        body: {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          preconditions: { uid: object.metadata?.uid },
          ...(options.dryRun === true ? { dryRun: ['All'] } : {}),
        },
      });
      pruned.push({ ref, deleted: true });
    } catch (error) {
      // 404: deleted meanwhile; 409: the UID precondition failed, i.e. someone re-created it.
      if (error instanceof ApiError && (error.code === 404 || error.code === 409)) pruned.push({ ref, deleted: false });
      else throw error;
    }
  }
  return pruned;
}
