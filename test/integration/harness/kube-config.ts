import { KubeConfig } from '@kubernetes/client-node';
import { KUBECONFIG_ENV } from './env.js';

/** Admin KubeConfig for the control plane started by global setup (or the one named in the env). */
export function kubeConfig(): KubeConfig {
  const path = process.env[KUBECONFIG_ENV];
  if (path === undefined || path === '') {
    throw new Error(
      `${KUBECONFIG_ENV} is not set: run integration tests through jest's "integration" project ` +
        '(its global setup starts a control plane), or point it at a kubeconfig yourself',
    );
  }
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}
