/**
 * Which servers' children are known to match their render, so that a reconcile with nothing
 * new to compare skips rendering.
 *
 * Most reconciles of a server change nothing it renders from: a child's status moved (a
 * Deployment became Available), a resync came round, the verifier published a finding. Rendering
 * (cdk8s constructs, the spec's schema, a digest per child) is then most of the operator's CPU,
 * on machines where that CPU is taken from the API server it waits for.
 *
 * After a reconcile in which every child was applied or found without drift, the server's
 * render inputs and each child's resourceVersion are remembered. A later reconcile may skip the
 * render only while all of them are unchanged: the same server object generation (the spec; name
 * and namespace are the key), the same route owner and served kinds, the same cert-manager
 * answer, and every cached child still as it was compared. A child is as it was compared when it
 * has the same resourceVersion, or when all but its status (and annotations and labels the
 * operator does not set) is the same: a digest of the cached object, which the informer already
 * reduced to the fields the operator owns plus metadata and status. The reconciles this saves
 * are mostly caused by status changes (a Deployment becoming Available), which give the child a
 * new resourceVersion but can never be drift, since nothing the operator applies is status. Any
 * other edit of what the operator applies, by anyone, changes the digest, so drift detection
 * (including removals) is untouched. A few hundred bytes
 * per server, not the rendered objects.
 */
import { createHash } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';

/** What the render of a server depended on besides its spec (a change means render again). */
export interface RenderContext {
  readonly uid: string;
  readonly generation: number;
  /** The server that owns the route when this one lost it (undefined: it owns its route). */
  readonly routeOwner: string | undefined;
  /** The child kinds the cluster serves, as `kind,kind,…` (an optional kind may join later). */
  readonly servedKinds: string;
  /** cert-manager missing (the reason), or undefined. */
  readonly certManagerProblem: string | undefined;
}

/** A child as the reconcile left it: its kind, cache key and the resourceVersion compared. */
export interface SettledChild {
  readonly kind: string;
  readonly key: string;
  readonly resourceVersion: string;
  /** The annotation and label keys the operator sets on it (others' are not drift). */
  readonly metadataKeys: MetadataKeys;
  /** contentDigest of that version as the cache holds it, when known (an apply's answer, projected). */
  readonly digest?: string;
}

export interface MetadataKeys {
  readonly annotations: readonly string[];
  readonly labels: readonly string[];
}

interface RememberedChild {
  readonly kind: string;
  readonly key: string;
  readonly metadataKeys: MetadataKeys;
  /** The last version seen to match (moves on with status-only changes). */
  resourceVersion: string;
  /** contentDigest of that version as cached; taken the first time it is seen in the cache. */
  digest: string | undefined;
}

interface Entry {
  readonly context: RenderContext;
  readonly children: readonly RememberedChild[];
}

const pick = (map: Record<string, string> | undefined, keys: readonly string[]) => keys.map((k) => map?.[k] ?? null);

/**
 * A digest of a cached object but for its status, its versions and the annotations and labels
 * others set (a Deployment's revision annotation is the Deployment controller's, not drift).
 */
export function contentDigest(obj: KubernetesObject, keys: MetadataKeys): string {
  const { status: _status, metadata, ...rest } = obj as KubernetesObject & { status?: unknown };
  const { resourceVersion: _v, generation: _g, managedFields: _m, annotations, labels, ...identity } = metadata ?? {};
  const kept = { ...rest, metadata: identity, annotations: pick(annotations, keys.annotations), labels: pick(labels, keys.labels) };
  return createHash('sha1').update(JSON.stringify(kept)).digest('base64');
}

const sameContext = (a: RenderContext, b: RenderContext): boolean =>
  a.uid === b.uid && a.generation === b.generation && a.routeOwner === b.routeOwner && a.servedKinds === b.servedKinds && a.certManagerProblem === b.certManagerProblem;

export class SettledChildren {
  private readonly entries = new Map<string, Entry>();

  /** After a reconcile that left every child matching its render (no error, nothing not kept). */
  remember(server: string, context: RenderContext, children: readonly SettledChild[]): void {
    this.entries.set(server, { context, children: children.map((c) => ({ kind: c.kind, key: c.key, metadataKeys: c.metadataKeys, resourceVersion: c.resourceVersion, digest: c.digest })) });
  }

  forget(server: string): void {
    this.entries.delete(server);
  }

  /**
   * The children as remembered when nothing the render reads has changed and every cached child
   * (`cached(kind, key)`) is as it was compared, but for its status; otherwise undefined.
   */
  settled(server: string, context: RenderContext, cached: (kind: string, key: string) => KubernetesObject | undefined): readonly SettledChild[] | undefined {
    const entry = this.entries.get(server);
    if (entry === undefined || !sameContext(entry.context, context)) return undefined;
    for (const child of entry.children) {
      const live = cached(child.kind, child.key);
      const version = live?.metadata?.resourceVersion;
      if (live === undefined || version === undefined) return undefined;
      if (version === child.resourceVersion) {
        // The version compared (or applied, now seen in the cache): its digest for later versions.
        child.digest ??= contentDigest(live, child.metadataKeys);
        continue;
      }
      if (child.digest === undefined || contentDigest(live, child.metadataKeys) !== child.digest) return undefined;
      child.resourceVersion = version; // only the status moved
    }
    return entry.children;
  }

  get size(): number {
    return this.entries.size;
  }
}
