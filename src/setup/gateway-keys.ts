/**
 * The gateway's session-key Secret. `setup` creates it once with a random key and never
 * replaces it (every live session id was sealed with it); `gateway rotate-keys` replaces it on
 * purpose, keeping the old key as `previous` so ids issued before still open. The keys exist only
 * in the Secret: never in `synth` output, never printed.
 */
import { App, Chart } from 'cdk8s';
import { GATEWAY_SESSION_KEYS_SECRET, GatewaySessionKeys } from '../../charts-ts/platform/gateway.js';
import { generateSessionKey, parseSessionKeys, rotatedSessionKeys } from '../gateway/session-keys.js';
import { applyWithOutcome, CLI_FIELD_MANAGER, type ApplyOutcome } from '../kube/apply.js';
import type { KubeObject, KubeRest } from '../kube/rest.js';

interface SecretObject extends KubeObject {
  data?: Record<string, string>;
}

function keySecret(namespace: string, keys: { current: string; previous?: string }): KubeObject {
  const app = new App();
  const chart = new Chart(app, 'keys', { disableResourceNameHashes: true });
  new GatewaySessionKeys(chart, 'Keys', { namespace, keys });
  return chart.toJson()[0] as KubeObject;
}

const secretPath = (namespace: string) => `/api/v1/namespaces/${namespace}/secrets/${GATEWAY_SESSION_KEYS_SECRET}`;

/** Creates the Secret when it does not exist; leaves an existing one alone. */
export async function ensureGatewaySessionKeys(rest: KubeRest, namespace: string, dryRun: boolean): Promise<ApplyOutcome> {
  if ((await rest.find<SecretObject>(secretPath(namespace))) !== undefined) return 'unchanged';
  await applyWithOutcome(rest, keySecret(namespace, { current: generateSessionKey() }), { dryRun, fieldManager: CLI_FIELD_MANAGER });
  return 'created';
}

export class GatewayKeysMissingError extends Error {}

/**
 * A new current key; the old current becomes `previous` (ids sealed with it still open). Returns
 * the key ids, current first (never the keys). Replicas pick the new Secret up when the kubelet
 * refreshes the mounted volume (about a minute); until then a replica that has not yet seen the
 * new key answers 404 to a session sealed with it, and the client initializes again.
 */
export async function rotateGatewaySessionKeys(rest: KubeRest, namespace: string): Promise<readonly string[]> {
  const existing = await rest.find<SecretObject>(secretPath(namespace));
  const decode = (v: string | undefined) => (v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8'));
  const current = decode(existing?.data?.current);
  if (current === undefined) {
    throw new GatewayKeysMissingError(`Secret ${namespace}/${GATEWAY_SESSION_KEYS_SECRET} not found (or has no key "current"): install the gateway with \`mcp-runtime setup\` first.`);
  }
  const previous = decode(existing?.data?.previous);
  const keys = rotatedSessionKeys({ current, ...(previous === undefined ? {} : { previous }) });
  await applyWithOutcome(rest, keySecret(namespace, keys), { fieldManager: CLI_FIELD_MANAGER, force: true });
  return parseSessionKeys(keys, `Secret ${namespace}/${GATEWAY_SESSION_KEYS_SECRET}`).keyIds;
}
