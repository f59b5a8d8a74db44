/**
 * Structured JSON logs (pino). The runtime logs keys and object summaries, never whole
 * objects: a Secret's data must never reach a log line. As a second line of defence, `obj`
 * and `object` fields are reduced to a summary and the usual secret-bearing paths are
 * redacted, so a careless `log.info({ obj: secret })` is still safe.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { KubernetesObject } from '@kubernetes/client-node';

export type { Logger };

export interface CreateLoggerOptions {
  /** Default 'info' (or LOG_LEVEL). */
  level?: string;
  /** Bound as `name` on every line. */
  name?: string;
  /** Where lines go (default stdout); tests pass a stream to inspect output. */
  destination?: DestinationStream;
}

/** Fields that hold credentials or Secret payloads wherever they appear (up to three levels deep). */
export const REDACTED_PATHS: readonly string[] = ['data', 'stringData', 'token', 'password', 'authorization'].flatMap((field) => [
  field,
  `*.${field}`,
  `*.*.${field}`,
]);

export interface ObjectSummary {
  kind?: string;
  namespace?: string;
  name?: string;
  resourceVersion?: string;
  generation?: number;
}

/** What may be logged about an object: identity and version, never its content. */
export function objectSummary(obj: unknown): ObjectSummary | undefined {
  if (obj === null || typeof obj !== 'object') return undefined;
  const o = obj as KubernetesObject;
  return {
    kind: o.kind,
    namespace: o.metadata?.namespace,
    name: o.metadata?.name,
    resourceVersion: o.metadata?.resourceVersion,
    generation: o.metadata?.generation,
  };
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const config = {
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    base: options.name !== undefined ? { name: options.name } : {},
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACTED_PATHS], censor: '[REDACTED]' },
    serializers: { obj: objectSummary, object: objectSummary, err: pino.stdSerializers.err, error: pino.stdSerializers.err },
  };
  return options.destination !== undefined ? pino(config, options.destination) : pino(config);
}

/** A logger that drops everything: the default for building blocks used without a manager. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** Child logger for one controller. */
export function controllerLogger(base: Logger, controller: string): Logger {
  return base.child({ controller });
}

/** Child logger for one reconcile of one key. */
export function keyLogger(base: Logger, key: string, reconcileId?: string): Logger {
  return base.child(reconcileId === undefined ? { key } : { key, reconcileId });
}
