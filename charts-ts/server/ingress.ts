/** A server's Ingress: one Prefix rule for `ingressPath` (with or without a host) to its Service. */
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s-server.js';
import type { ResolvedServer } from './resolve.js';

export interface ServerIngressProps {
  /** The server with every default applied (resolveServer()); nothing is defaulted here. */
  readonly server: ResolvedServer;
}

export class ServerIngress extends Construct {
  constructor(scope: Construct, id: string, props: ServerIngressProps) {
    super(scope, id);
    const s = props.server;
    const annotations = s.ingressAnnotations;
    new k8s.KubeIngress(this, 'Resource', {
      metadata: {
        name: s.name,
        namespace: s.namespace,
        labels: s.labels,
        ...(Object.keys(annotations).length === 0 ? {} : { annotations: { ...annotations } }),
      },
      spec: {
        ingressClassName: s.ingressClass,
        // The server's own certificate; without one, the controller's default (the platform's).
        ...(s.tls?.secretName === undefined ? {} : { tls: [{ ...(s.ingressHost === undefined ? {} : { hosts: [s.ingressHost] }), secretName: s.tls.secretName }] }),
        rules: [
          {
            // No host = the rule matches any host.
            ...(s.ingressHost === undefined ? {} : { host: s.ingressHost }),
            http: {
              paths: [
                {
                  path: s.ingressPath,
                  pathType: 'Prefix',
                  backend: { service: { name: s.name, port: { number: s.servicePort } } },
                },
              ],
            },
          },
        ],
      },
    });
  }
}
