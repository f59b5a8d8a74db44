import type { KubernetesObject } from '@kubernetes/client-node';
import type { WatchEvent } from '../../../src/runtime/kube-http.js';
import type { ListOptions, ListResult, ListWatcher, WatchOptions } from '../../../src/runtime/list-watch.js';

export interface Obj extends KubernetesObject {
  data?: Record<string, string>;
}

export function obj(name: string, rv: string, extra: Partial<Obj> & { namespace?: string; uid?: string; owners?: NonNullable<Obj['metadata']>['ownerReferences'] } = {}): Obj {
  const { namespace = 'ns', uid, owners, ...rest } = extra;
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, resourceVersion: rv, uid: uid ?? `uid-${namespace}-${name}`, ownerReferences: owners },
    ...rest,
  };
}

export interface WatchCall {
  namespace: string | undefined;
  options: WatchOptions;
  signal: AbortSignal;
  /** Delivers an event as the API server would (a throwing handler fails the watch). */
  emit(event: WatchEvent<Obj>): void;
  /** The server ends the stream cleanly. */
  close(): void;
  /** The connection breaks. */
  fail(error: unknown): void;
  ended: boolean;
}

export interface ListCall {
  namespace: string | undefined;
  options: ListOptions;
}

/** A scripted API server: each list() takes the next scripted answer (default: the current objects). */
export class FakeListWatcher implements ListWatcher<Obj> {
  readonly lists: ListCall[] = [];
  readonly watches: WatchCall[] = [];
  /** Next answers for list(): a result or an error to throw. */
  readonly listAnswers: (ListResult<Obj> | Error)[] = [];
  /** What an unscripted list returns, per namespace key ('' = all). */
  objects: Obj[] = [];
  resourceVersion = '100';

  async list(namespace: string | undefined, options: ListOptions): Promise<ListResult<Obj>> {
    this.lists.push({ namespace, options });
    const answer = this.listAnswers.shift();
    if (answer instanceof Error) throw answer;
    if (answer !== undefined) return answer;
    const items = this.objects.filter((o) => namespace === undefined || o.metadata?.namespace === namespace).map((o) => structuredClone(o));
    return { items, resourceVersion: this.resourceVersion };
  }

  watch(namespace: string | undefined, options: WatchOptions, onEvent: (event: WatchEvent<Obj>) => void, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const call: WatchCall = {
        namespace,
        options,
        signal,
        ended: false,
        emit: (event) => {
          if (call.ended) throw new Error('emit on an ended watch');
          try {
            onEvent(structuredClone(event));
          } catch (error) {
            call.ended = true;
            reject(error);
          }
        },
        close: () => {
          call.ended = true;
          resolve();
        },
        fail: (error) => {
          call.ended = true;
          reject(error);
        },
      };
      signal.addEventListener('abort', () => {
        call.ended = true;
        resolve();
      });
      this.watches.push(call);
    });
  }

  /** The watch currently open (the last one), failing the test if there is none. */
  current(): WatchCall {
    const call = this.watches[this.watches.length - 1];
    if (call === undefined || call.ended) throw new Error('no open watch');
    return call;
  }
}
