/** A server's ClusterIP Service: `servicePort` → the container port named `http`. */
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s-server.js';
import { CONTAINER_PORT_NAME } from './deployment.js';
import type { ResolvedServer } from './resolve.js';

export interface ServerServiceProps {
  /** The server with every default applied (resolveServer()); nothing is defaulted here. */
  readonly server: ResolvedServer;
}

export class ServerService extends Construct {
  constructor(scope: Construct, id: string, props: ServerServiceProps) {
    super(scope, id);
    const s = props.server;
    new k8s.KubeService(this, 'Resource', {
      metadata: { name: s.name, namespace: s.namespace, labels: s.labels },
      spec: {
        type: 'ClusterIP',
        selector: s.selector,
        ports: [{ name: CONTAINER_PORT_NAME, port: s.servicePort, targetPort: k8s.IntOrString.fromString(CONTAINER_PORT_NAME), protocol: 'TCP' }],
      },
    });
  }
}
