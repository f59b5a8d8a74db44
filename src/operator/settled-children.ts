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
 * answer, and every cached child still at the version that was compared. Any edit to a child by
 * anyone gives it a new resourceVersion, so drift detection (including removals) is untouched.
 * A few hundred bytes per server, not the rendered objects.
 */

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
}

interface Entry {
  readonly context: RenderContext;
  readonly children: readonly SettledChild[];
}

const sameContext = (a: RenderContext, b: RenderContext): boolean =>
  a.uid === b.uid && a.generation === b.generation && a.routeOwner === b.routeOwner && a.servedKinds === b.servedKinds && a.certManagerProblem === b.certManagerProblem;

export class SettledChildren {
  private readonly entries = new Map<string, Entry>();

  /** After a reconcile that left every child matching its render (no error, nothing not kept). */
  remember(server: string, context: RenderContext, children: readonly SettledChild[]): void {
    this.entries.set(server, { context, children });
  }

  forget(server: string): void {
    this.entries.delete(server);
  }

  /**
   * The children as remembered when nothing the render reads has changed and every cached child
   * (`cachedVersion(kind, key)`) is still at the version compared; otherwise undefined.
   */
  settled(server: string, context: RenderContext, cachedVersion: (kind: string, key: string) => string | undefined): readonly SettledChild[] | undefined {
    const entry = this.entries.get(server);
    if (entry === undefined || !sameContext(entry.context, context)) return undefined;
    return entry.children.every((c) => cachedVersion(c.kind, c.key) === c.resourceVersion) ? entry.children : undefined;
  }

  get size(): number {
    return this.entries.size;
  }
}
