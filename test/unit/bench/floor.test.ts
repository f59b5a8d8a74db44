import { describe, expect, it } from '@jest/globals';
import { FLOOR_TYPES, floorServers } from '../../../bench/floor.js';
import { defaultOperatorSettings, renderServer } from '../../../charts-ts/server/index.js';
import { mcpServerManifest, serverNames } from '../../../bench/servers.js';
import { MCPServerStatusSchema } from '../../../src/api/v1alpha1/index.js';
import { asMCPServer } from '../../../src/operator/routes.js';

const ownerOf = (name: string) => ({ apiVersion: 'mcp.agent-hellboy.io/v1alpha1', kind: 'MCPServer', name, uid: `uid-${name}` });

describe('the floor', () => {
  it("applies every object the operator applies for a bench server, no fewer (else the ratio flatters the operator's work)", () => {
    const [first] = floorServers('bench', 1, ownerOf);
    const rendered = renderServer(asMCPServer(mcpServerManifest('bench', serverNames(1)[0]!) as never)!, defaultOperatorSettings(process.env));
    expect(first!.applies.map((p) => p.object.kind).sort()).toEqual(rendered.map((o) => o.kind).sort());
    expect(rendered.every((o) => FLOOR_TYPES[o.kind] !== undefined)).toBe(true);
  });

  it("owns each server's children by that server's MCPServer, as the operator does", () => {
    const servers = floorServers('bench', 2, ownerOf);
    for (const server of servers) {
      for (const p of server.applies) {
        expect((p.object.metadata as { ownerReferences?: unknown }).ownerReferences).toEqual([{ ...ownerOf(server.name), controller: true, blockOwnerDeletion: true }]);
      }
    }
  });

  it('writes one status per server: a valid MCPServer status, to that server\'s status subresource', () => {
    const [first] = floorServers('bench', 1, ownerOf);
    expect(first!.statusPath).toBe(`/apis/mcp.agent-hellboy.io/v1alpha1/namespaces/bench/mcpservers/${first!.name}/status`);
    expect(MCPServerStatusSchema.safeParse(first!.status).success).toBe(true);
    expect(first!.status).toMatchObject({ observedGeneration: 1 });
    expect((first!.status.conditions as unknown[]).length).toBeGreaterThan(2);
  });
});
