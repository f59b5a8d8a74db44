/**
 * The image pull Secret built from the provisioned registry's credentials. Its content is a
 * secret: it exists only in the rendered object, never in ResolvedServer, logs or errors.
 */
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s-server.js';
import { MANAGED_BY, PART_OF } from '../lib/labels.js';

export interface RegistryPullSecretProps {
  /** Secret name (the operator's PROVISIONED_REGISTRY_SECRET_NAME). No default. */
  readonly name: string;
  /** Namespace of the pods that use it. No default. */
  readonly namespace: string;
  /** Registry host the credentials are for: the `auths` key kubelet matches images against. */
  readonly registry: string;
  readonly username: string;
  readonly password: string;
}

/**
 * One per namespace, shared by every server there that pulls from the provisioned registry, so
 * it carries no server's labels (the operator must not make one server its controller).
 */
export const PULL_SECRET_COMPONENT = 'registry-credentials';

export class RegistryPullSecret extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: RegistryPullSecretProps) {
    super(scope, id);
    this.name = props.name;
    const auth = Buffer.from(`${props.username}:${props.password}`).toString('base64');
    const config = JSON.stringify({ auths: { [props.registry]: { username: props.username, password: props.password, auth } } });
    new k8s.KubeSecret(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: {
          'app.kubernetes.io/component': PULL_SECRET_COMPONENT,
          'app.kubernetes.io/managed-by': MANAGED_BY,
          'app.kubernetes.io/part-of': PART_OF,
        },
      },
      type: 'kubernetes.io/dockerconfigjson',
      // `data`, not `stringData`: stringData is write-only, so a server-side apply of it never
      // compares equal to what the API server returns.
      data: { '.dockerconfigjson': Buffer.from(config).toString('base64') },
    });
  }
}
