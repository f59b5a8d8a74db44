/**
 * Container logs on simulated nodes. KWOK serves the kubelet API on the port every simulated
 * node advertises (status.daemonEndpoints.kubeletEndpoint), so the API server's
 * `pods/<name>/log` proxy reaches it as it would reach a kubelet. KWOK answers from files in the
 * CRI log format named by `ClusterLogs` (pods selected by namespace/name) and `Logs` (one pod,
 * same namespace and name) objects of `kwok.x-k8s.io/v1alpha1`; we run it with
 * `--enable-crds=ClusterLogs,Logs` and install the two CRDs below, so logs can be given to pods
 * while the cluster runs. A pod no object names has no logs: KWOK answers 400 "no logs found".
 */
import { appendFile } from 'node:fs/promises';

export const KWOK_GROUP = 'kwok.x-k8s.io';
export const KWOK_VERSION = 'v1alpha1';
/** The KWOK kinds given to `--enable-crds`. */
export const KWOK_LOG_KINDS = ['ClusterLogs', 'Logs'] as const;

export interface KwokLog {
  /** Containers this file is for; empty: every container not named by another entry. */
  containers?: string[];
  /** Absolute path of a file in the CRI log format (see criLogLine), read by the KWOK process. */
  logsFile: string;
  /** The same for `--previous`. */
  previousLogsFile?: string;
}

interface Crd {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: Record<string, unknown>;
}

const logItems = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      containers: { type: 'array', items: { type: 'string' } },
      logsFile: { type: 'string' },
      previousLogsFile: { type: 'string' },
      follow: { type: 'boolean' },
    },
  },
};

function crd(kind: string, plural: string, scope: 'Cluster' | 'Namespaced', spec: Record<string, unknown>): Crd {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${KWOK_GROUP}` },
    spec: {
      group: KWOK_GROUP,
      scope,
      names: { kind, listKind: `${kind}List`, plural, singular: plural === 'logs' ? 'logs' : kind.toLowerCase() },
      versions: [
        {
          name: KWOK_VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', required: ['logs'], properties: spec },
                status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
              },
            },
          },
        },
      ],
    },
  };
}

/** The ClusterLogs and Logs CRDs (the fields KWOK v0.7 reads). */
export function kwokLogCrds(): Crd[] {
  return [
    crd('ClusterLogs', 'clusterlogs', 'Cluster', {
      selector: {
        type: 'object',
        properties: {
          matchNamespaces: { type: 'array', items: { type: 'string' } },
          matchNames: { type: 'array', items: { type: 'string' } },
        },
      },
      logs: logItems,
    }),
    crd('Logs', 'logs', 'Namespaced', { logs: logItems }),
  ];
}

/** A `Logs` object: the log files of one pod, by container. */
export function podLogs(namespace: string, pod: string, logs: KwokLog[]): Record<string, unknown> {
  return {
    apiVersion: `${KWOK_GROUP}/${KWOK_VERSION}`,
    kind: 'Logs',
    metadata: { name: pod, namespace },
    spec: { logs },
  };
}

/** One line in the CRI log format the kubelet (and KWOK) read: `<RFC 3339 time> stdout F <text>`. */
export function criLogLine(text: string, time = new Date(), stream: 'stdout' | 'stderr' = 'stdout'): string {
  return `${time.toISOString()} ${stream} F ${text}\n`;
}

/** Appends lines to a CRI-format log file (creating it), as a running container would. */
export async function appendCriLog(file: string, lines: string[], time = new Date()): Promise<void> {
  await appendFile(file, lines.map((l) => criLogLine(l, time)).join(''));
}
