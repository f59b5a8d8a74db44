import { readFile, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';

export interface AdminKubeconfigInput {
  server: string;
  caCert: string;
  clientCert: string;
  clientKey: string;
  /** Cluster, user and context name. */
  name?: string;
}

/**
 * Writes a self-contained kubeconfig (certificates embedded, no file references), so it
 * can be copied anywhere, e.g. to the path given to `cluster provision --kubeconfig`.
 */
export async function writeAdminKubeconfig(path: string, input: AdminKubeconfigInput): Promise<void> {
  const name = input.name ?? 'mcp-runtime-local';
  const b64 = async (file: string) => (await readFile(file)).toString('base64');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: input.server, 'certificate-authority-data': await b64(input.caCert) } }],
    users: [
      {
        name: `${name}-admin`,
        user: {
          'client-certificate-data': await b64(input.clientCert),
          'client-key-data': await b64(input.clientKey),
        },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin` } }],
    'current-context': name,
  };
  await writeFile(path, stringify(config), { mode: 0o600 });
}
