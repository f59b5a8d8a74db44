/** What `catalog list|get` show in a table (pure). */
import { LIVE_META_KEY, OFFICIAL_META_KEY, type ServerResponse } from './types.js';

export const CATALOG_COLUMNS = ['name', 'version', 'status', 'ready', 'verified', 'tools', 'url', 'updated'] as const;

export function catalogRow(r: ServerResponse): (string | number | undefined)[] {
  const live = r._meta?.[LIVE_META_KEY];
  const official = r._meta?.[OFFICIAL_META_KEY];
  const verified = live === undefined ? undefined : live.verified ? (live.authRequired ? 'yes (auth)' : 'yes') : (live.verifiedReason ?? 'no');
  return [
    r.server.name,
    r.server.version,
    official?.status,
    live === undefined ? undefined : `${live.readyReplicas}/${live.replicas}`,
    verified,
    live?.toolCount,
    r.server.remotes?.[0]?.url,
    official?.updatedAt,
  ];
}
