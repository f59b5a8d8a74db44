/**
 * A real mutating admission webhook for tests: an HTTPS server on 127.0.0.1 (certificate from a
 * throw-away CA made with openssl) registered with the API server through a
 * MutatingWebhookConfiguration. It answers every admission review for the given resource in
 * one namespace with the JSON patch that `mutate` returns — a way to make the API server store
 * something other than what a client applied, as third-party webhooks do in real clusters.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { admin } from './fixture.js';

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace';
  path: string;
  value?: unknown;
}

export interface WebhookOptions {
  name: string;
  namespace: string;
  rule: { apiGroups: string[]; apiVersions: string[]; resources: string[] };
  /** The patch for an admitted object (empty: leave it as it is). */
  mutate(object: Record<string, unknown>): JsonPatchOp[];
}

export interface RunningWebhook {
  /** Admission reviews answered so far. */
  readonly reviews: number;
  stop(): Promise<void>;
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

export async function startMutatingWebhook(options: WebhookOptions): Promise<RunningWebhook> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-runtime-webhook-'));
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=webhook test CA'], dir);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'], dir);
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', 'ext.cnf'], dir);

  let reviews = 0;
  const server = createServer({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.crt')) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { request: { uid: string; object: Record<string, unknown> } };
      reviews += 1;
      const patch = options.mutate(review.request.object);
      const response = {
        uid: review.request.uid,
        allowed: true,
        ...(patch.length === 0 ? {} : { patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64') }),
      };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const path = `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/${options.name}`;
  await admin().request('PATCH', path, {
    contentType: 'application/apply-patch+yaml',
    query: { fieldManager: 'tests', force: true },
    body: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: options.name },
      webhooks: [
        {
          name: `${options.name}.tests.mcp-runtime.local`,
          clientConfig: { url: `https://127.0.0.1:${port}/mutate`, caBundle: readFileSync(join(dir, 'ca.crt')).toString('base64') },
          rules: [{ operations: ['CREATE', 'UPDATE'], ...options.rule, scope: 'Namespaced' }],
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': options.namespace } },
          failurePolicy: 'Fail',
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
          timeoutSeconds: 5,
        },
      ],
    },
  });

  return {
    get reviews() {
      return reviews;
    },
    async stop() {
      await admin().request('DELETE', path).catch(() => undefined);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
