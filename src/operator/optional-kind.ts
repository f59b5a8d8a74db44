/**
 * A child kind whose CRD may be missing (cert-manager's Certificate): the operator must keep
 * serving every other server on such a cluster, tell the servers that need the kind why they do
 * not get it, and start using it once the CRD appears, without a restart.
 *
 * An informer on a kind the API server does not serve never syncs, and a controller waits for
 * every informer it owns before it takes work, so the kind cannot simply be one more `owns`.
 * Instead, a reconcile that needs it asks `problem()`: discovery is asked again (at most every
 * `recheckMs`); once the kind is served, its informer is created and started, and when that has
 * synced the kind joins the reconciler's children (apply, drift, prune) and `onReady` enqueues
 * the servers again. Nothing waits inside a reconcile, so an informer that cannot sync (say, RBAC
 * without the new rule) costs a message, not a worker.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Informer, Logger, ResourceType } from '../runtime/index.js';
import { resourceName } from '../runtime/index.js';
import type { ChildKind } from './reconciler.js';

/** How often discovery is asked again while the kind is missing. */
export const OPTIONAL_KIND_RECHECK_MS = 30_000;

export interface OptionalChildKindOptions {
  readonly type: ResourceType;
  /** The reconciler's children: the kind is added here once its informer has synced. */
  readonly children: Map<string, ChildKind>;
  /** Whether the API server serves the kind now (discovery). */
  readonly served: () => Promise<boolean>;
  /** Creates the kind's informer (started by the manager while leading) and subscribes the controller to it. Called once. */
  readonly watch: () => Informer<KubernetesObject>;
  /** The kind became usable: look at every server again. */
  readonly onReady: () => void;
  /** What to tell a server that needs the kind while it is not served, e.g. which product to install. */
  readonly missing: string;
  readonly logger: Logger;
  readonly recheckMs?: number;
  readonly now?: () => number;
}

export class OptionalChildKind {
  private readonly options: OptionalChildKindOptions;
  private informer: Informer<KubernetesObject> | undefined;
  private checkedAt = -Infinity;
  private checking: Promise<void> | undefined;
  private lastError: string | undefined;

  constructor(options: OptionalChildKindOptions) {
    this.options = options;
  }

  get kind(): string {
    return this.options.type.kind;
  }

  /** Undefined when the kind is a child the reconciler can apply; else why not, for the server's status. */
  async problem(): Promise<string | undefined> {
    const { children, type } = this.options;
    if (children.has(type.kind)) return undefined;
    if (this.informer === undefined) {
      const now = (this.options.now ?? Date.now)();
      if (this.checking === undefined && now - this.checkedAt >= (this.options.recheckMs ?? OPTIONAL_KIND_RECHECK_MS)) {
        this.checkedAt = now;
        this.checking = this.check().finally(() => {
          this.checking = undefined;
        });
      }
      await this.checking;
    }
    if (children.has(type.kind)) return undefined;
    if (this.informer !== undefined) {
      return `${resourceName(type)} is served, and the operator is still listing them before it applies the ${type.kind} (if this lasts, its ClusterRole may lack list and watch on them: run \`mcp-runtime setup\`)`;
    }
    return this.lastError === undefined ? this.options.missing : `${this.options.missing} (discovery failed: ${this.lastError})`;
  }

  private async check(): Promise<void> {
    const { type, logger } = this.options;
    let served: boolean;
    try {
      served = await this.options.served();
      this.lastError = undefined;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      return;
    }
    if (!served) return;
    logger.info({ kind: resourceName(type) }, 'kind is served now: watching it');
    const informer = this.options.watch();
    this.informer = informer;
    void informer.waitForSync().then((synced) => {
      if (!synced) return;
      this.options.children.set(type.kind, { type, informer });
      this.options.onReady();
    });
  }
}
