import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ClusterCerts {
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  /** Client certificate with O=system:masters: full access, bypasses RBAC. */
  adminCert: string;
  adminKey: string;
  /** Signs and verifies service-account tokens (TokenRequest, legacy token secrets). */
  serviceAccountKey: string;
  serviceAccountPub: string;
}

/**
 * Names the API server's certificate answers to: loopback for us, and the in-cluster
 * service names and first service IP so clients built from in-cluster config would also verify.
 */
export function servingSubjectAltNames(serviceIp: string): string {
  return [
    'IP:127.0.0.1',
    `IP:${serviceIp}`,
    'DNS:localhost',
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local',
  ].join(',');
}

/**
 * Generates a throw-away PKI with the openssl CLI (node:crypto makes keys but not X.509
 * certificates). EC P-256 keys keep generation around 100 ms. A minimal openssl config is
 * passed so the system openssl.cnf cannot add CA extensions to leaf certificates.
 */
export async function generateCerts(dir: string, serviceIp: string): Promise<ClusterCerts> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const p = (name: string) => join(dir, name);
  const certs: ClusterCerts = {
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    servingCert: p('apiserver.crt'),
    servingKey: p('apiserver.key'),
    adminCert: p('admin.crt'),
    adminKey: p('admin.key'),
    serviceAccountKey: p('sa.key'),
    serviceAccountPub: p('sa.pub'),
  };
  const config = p('openssl.cnf');
  await writeFile(config, '[req]\ndistinguished_name=dn\n[dn]\n');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  const leaf = ['-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'keyUsage=critical,digitalSignature'];

  await run('openssl', [
    'req', '-config', config, '-x509', ...ec, '-keyout', certs.caKey, '-out', certs.caCert, '-days', '3650',
    '-subj', '/CN=mcp-runtime-local-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const signed = (key: string, cert: string, subject: string, extra: string[]) =>
    run('openssl', [
      'req', '-config', config, '-x509', '-CA', certs.caCert, '-CAkey', certs.caKey, ...ec,
      '-keyout', key, '-out', cert, '-days', '365', '-subj', subject, ...leaf, ...extra,
    ]);
  const serviceAccount = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  await Promise.all([
    signed(certs.servingKey, certs.servingCert, '/CN=kube-apiserver', [
      '-addext', `subjectAltName=${servingSubjectAltNames(serviceIp)}`,
      '-addext', 'extendedKeyUsage=serverAuth',
    ]),
    signed(certs.adminKey, certs.adminCert, '/O=system:masters/CN=mcp-runtime-admin', [
      '-addext', 'extendedKeyUsage=clientAuth',
    ]),
    writeFile(certs.serviceAccountKey, serviceAccount.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 }),
    writeFile(certs.serviceAccountPub, serviceAccount.publicKey.export({ type: 'spki', format: 'pem' })),
  ]);
  return certs;
}

/**
 * Issues one more leaf certificate from the cluster CA (generateCerts' dir holds the CA and the
 * openssl config). `usage` is the extended key usage, `subject` e.g. `/O=system:nodes/CN=system:node:x`.
 */
export async function issueCert(
  certs: Pick<ClusterCerts, 'caCert' | 'caKey'>,
  out: { cert: string; key: string },
  subject: string,
  usage: 'serverAuth' | 'clientAuth',
  subjectAltNames?: string,
): Promise<void> {
  const config = join(dirname(certs.caCert), 'openssl.cnf');
  await run('openssl', [
    'req', '-config', config, '-x509', '-CA', certs.caCert, '-CAkey', certs.caKey,
    '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', out.key, '-out', out.cert, '-days', '365', '-subj', subject,
    '-addext', 'basicConstraints=critical,CA:FALSE', '-addext', 'keyUsage=critical,digitalSignature',
    '-addext', `extendedKeyUsage=${usage}`,
    ...(subjectAltNames === undefined ? [] : ['-addext', `subjectAltName=${subjectAltNames}`]),
  ]);
}
