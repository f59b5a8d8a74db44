import { describe, expect, it } from '@jest/globals';
import { RuntimeMetrics } from '../../../src/runtime/metrics.js';

describe('RuntimeMetrics: Event writes', () => {
  it('exports pending and dropped Event writes as read at scrape time', async () => {
    const metrics = new RuntimeMetrics();
    let pending = 3;
    let dropped = 0;
    metrics.eventWritesPending(() => pending);
    metrics.eventWritesDropped(() => dropped);
    expect(await metrics.registry.metrics()).toMatch(/^mcp_runtime_event_writes_dropped_total 0$/m);
    pending = 0;
    dropped = 7;
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^mcp_runtime_event_writes_pending 0$/m);
    expect(text).toMatch(/^mcp_runtime_event_writes_dropped_total 7$/m);
  });
});
