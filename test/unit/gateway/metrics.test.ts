import { describe, expect, it } from '@jest/globals';
import { GatewayMetrics, OTHER_LABEL } from '../../../src/gateway/metrics.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the exposition text into samples (label values here never contain quotes or commas). */
async function samples(metrics: GatewayMetrics): Promise<Sample[]> {
  const text = await metrics.registry.metrics();
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (m === null) throw new Error(`unparsable line: ${line}`);
      const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]));
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}

/** The one sample of `name` whose labels are exactly `labels`; undefined if there is none. */
async function value(metrics: GatewayMetrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const found = (await samples(metrics)).filter(
    (s) => s.name === name && Object.keys(s.labels).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0]?.value;
}

const S = 'default/notes';

describe('GatewayMetrics', () => {
  it('counts requests per server, method, tool and HTTP code, and observes their duration', async () => {
    const m = new GatewayMetrics();
    m.request(S, 'tools/call', 'add', 200, 'ok', 0.002);
    m.request(S, 'tools/call', 'add', 200, 'ok', 0.004);
    m.request(S, 'tools/list', undefined, 200, 'ok', 0.0001);
    const labels = { server: S, method: 'tools/call', tool: 'add' };
    expect(await value(m, 'mcp_gateway_requests_total', { ...labels, code: '200' })).toBe(2);
    expect(await value(m, 'mcp_gateway_requests_total', { server: S, method: 'tools/list', tool: '', code: '200' })).toBe(1);
    expect(await value(m, 'mcp_gateway_request_duration_seconds_count', labels)).toBe(2);
    expect(await value(m, 'mcp_gateway_request_duration_seconds_sum', labels)).toBeCloseTo(0.006, 9);
    // Buckets from 0.5 ms to 30 s: the 2 ms call is above 1 ms, both are within 5 ms.
    expect(await value(m, 'mcp_gateway_request_duration_seconds_bucket', { ...labels, le: '0.0005' })).toBe(0);
    expect(await value(m, 'mcp_gateway_request_duration_seconds_bucket', { ...labels, le: '0.0025' })).toBe(1);
    expect(await value(m, 'mcp_gateway_request_duration_seconds_bucket', { ...labels, le: '0.005' })).toBe(2);
    expect(await value(m, 'mcp_gateway_request_duration_seconds_bucket', { ...labels, le: '30' })).toBe(2);
    expect(await value(m, 'mcp_gateway_request_errors_total', { ...labels, reason: 'ok' })).toBeUndefined();
  });

  it('counts errors by reason: the outcome when it is one, else http_<code> for 5xx', async () => {
    const m = new GatewayMetrics();
    const labels = { server: S, method: 'tools/call', tool: 'add' };
    m.request(S, 'tools/call', 'add', 200, 'tool_error', 0.01);
    m.request(S, 'tools/call', 'add', 200, 'error', 0.01);
    m.request(S, 'tools/call', 'add', 502, 'upstream_error', 0.01);
    m.request(S, 'tools/call', 'add', 404, 'session_not_found', 0.01);
    m.request(S, 'tools/call', 'add', 503, 'unknown', 0.01);
    m.request(S, 'tools/call', 'add', 500, 'ok', 0.01);
    m.request(S, 'tools/call', 'add', 202, 'unknown', 0.01); // a notification: no outcome, no error
    m.request(S, 'tools/call', 'add', 400, 'unknown', 0.01);
    m.request(S, 'tools/call', 'add', 200, 'client_left', 0.01); // the client hung up: says nothing of the server
    for (const reason of ['tool_error', 'error', 'upstream_error', 'session_not_found', 'http_503', 'http_500']) {
      expect(await value(m, 'mcp_gateway_request_errors_total', { ...labels, reason })).toBe(1);
    }
    const errors = (await samples(m)).filter((s) => s.name === 'mcp_gateway_request_errors_total');
    expect(errors.reduce((sum, s) => sum + s.value, 0)).toBe(6);
    expect(await value(m, 'mcp_gateway_requests_total', { ...labels, code: '200' })).toBe(3);
  });

  it('caps client-chosen tool names at 100 per server, then "other"', async () => {
    const m = new GatewayMetrics();
    for (let i = 0; i < 150; i += 1) m.request(S, 'tools/call', `tool-${i}`, 200, 'ok', 0.001);
    m.request(S, 'tools/call', 'tool-5', 200, 'ok', 0.001); // seen before the cap: keeps its series
    m.request(S, 'tools/call', undefined, 200, 'ok', 0.001); // the empty tool is never capped
    const requests = (await samples(m)).filter((s) => s.name === 'mcp_gateway_requests_total');
    const tools = new Set(requests.map((s) => s.labels.tool));
    expect(tools.size).toBe(102); // 100 names, other, ""
    expect(await value(m, 'mcp_gateway_requests_total', { server: S, method: 'tools/call', tool: 'tool-5', code: '200' })).toBe(2);
    expect(await value(m, 'mcp_gateway_requests_total', { server: S, method: 'tools/call', tool: OTHER_LABEL, code: '200' })).toBe(50);
    // Another server has its own budget.
    m.request('default/other', 'tools/call', 'tool-149', 200, 'ok', 0.001);
    expect(await value(m, 'mcp_gateway_requests_total', { server: 'default/other', method: 'tools/call', tool: 'tool-149', code: '200' })).toBe(1);
  });

  it('caps invented methods, but the protocol’s own methods always keep their series', async () => {
    const m = new GatewayMetrics({ maxLabelValues: 3 });
    for (let i = 0; i < 5; i += 1) m.request(S, `x/${i}`, undefined, 200, 'error', 0.001);
    m.request(S, 'tools/list', undefined, 200, 'ok', 0.001);
    m.request(S, 'initialize', undefined, 200, 'ok', 0.001);
    const methods = new Set((await samples(m)).filter((s) => s.name === 'mcp_gateway_requests_total').map((s) => s.labels.method));
    expect([...methods].sort()).toEqual(['initialize', OTHER_LABEL, 'tools/list', 'x/0', 'x/1', 'x/2']);
  });

  it('cuts label values longer than 128 characters', async () => {
    const m = new GatewayMetrics();
    m.request(S, 'tools/call', 't'.repeat(1000), 200, 'ok', 0.001);
    const tool = (await samples(m)).find((s) => s.name === 'mcp_gateway_requests_total')!.labels.tool!;
    expect(tool).toBe('t'.repeat(128));
  });

  it('tracks sessions: opened and closed counters, and this replica’s open gauge', async () => {
    const m = new GatewayMetrics();
    m.sessionOpened(S);
    m.sessionOpened(S);
    m.sessionOpened(S);
    m.sessionClosed(S);
    expect(await value(m, 'mcp_gateway_sessions_opened_total', { server: S })).toBe(3);
    expect(await value(m, 'mcp_gateway_sessions_closed_total', { server: S })).toBe(1);
    expect(await value(m, 'mcp_gateway_sessions_open', { server: S })).toBe(2);
    const help = (await m.registry.metrics()).split('\n').find((l) => l.startsWith('# HELP mcp_gateway_sessions_open '));
    expect(help).toMatch(/replica/);
  });

  it('tracks open streams and upstream retries', async () => {
    const m = new GatewayMetrics();
    m.streamOpened(S);
    m.streamOpened(S);
    m.streamClosed(S);
    m.upstreamRetry(S);
    expect(await value(m, 'mcp_gateway_streams_open', { server: S })).toBe(1);
    expect(await value(m, 'mcp_gateway_upstream_retries_total', { server: S })).toBe(1);
  });

  it('exports zeroes for a declared server before any traffic', async () => {
    const m = new GatewayMetrics();
    m.declareServer(S);
    for (const name of ['mcp_gateway_sessions_opened_total', 'mcp_gateway_sessions_closed_total', 'mcp_gateway_sessions_open', 'mcp_gateway_streams_open', 'mcp_gateway_upstream_retries_total']) {
      expect(await value(m, name, { server: S })).toBe(0);
    }
  });

  it('keeps one registry per instance, process metrics only when asked', async () => {
    const a = new GatewayMetrics();
    const b = new GatewayMetrics({ defaultMetrics: true });
    a.sessionOpened(S);
    expect(await value(b, 'mcp_gateway_sessions_opened_total', { server: S })).toBeUndefined();
    expect((await samples(a)).some((s) => s.name.startsWith('process_'))).toBe(false);
    expect((await samples(b)).some((s) => s.name.startsWith('process_') || s.name.startsWith('nodejs_'))).toBe(true);
  });
});
