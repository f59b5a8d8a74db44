import { describe, expect, it } from '@jest/globals';
import { FLOOR_TYPES, floorObjects } from '../../../bench/floor.js';
import { defaultOperatorSettings, renderServer } from '../../../charts-ts/server/index.js';
import { mcpServerManifest, serverNames } from '../../../bench/servers.js';
import { asMCPServer } from '../../../src/operator/routes.js';

describe('the floor', () => {
  it("applies every object the operator applies for a bench server, no fewer (else the ratio flatters the operator's work)", () => {
    const owner = { apiVersion: 'v1', kind: 'ConfigMap', name: 'o', uid: 'u' };
    const [first] = floorObjects('bench', 1, owner);
    const rendered = renderServer(asMCPServer(mcpServerManifest('bench', serverNames(1)[0]!) as never)!, defaultOperatorSettings(process.env));
    expect(first!.map((p) => p.object.kind).sort()).toEqual(rendered.map((o) => o.kind).sort());
    expect(rendered.every((o) => FLOOR_TYPES[o.kind] !== undefined)).toBe(true);
  });
});
