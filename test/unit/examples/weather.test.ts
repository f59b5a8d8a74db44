/** The stateless weather example, run as a real process and spoken to with the SDK client. */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { probeMcp } from './mcp-probe.js';
import { initializeRequest, postMcp, readMessages, startExample, type RunningExample } from './spawn-example.js';

const ALLOWED = 'http://app.example';

interface Forecast {
  city: string;
  unit: string;
  days: { day: number; condition: string; high: number; low: number; precipitationChance: number }[];
}

describe('examples/weather (stateless)', () => {
  let server: RunningExample | undefined;
  let client: Client;
  let transport: StreamableHTTPClientTransport;

  beforeAll(async () => {
    server = await startExample('weather', { ALLOWED_ORIGINS: ALLOWED });
    transport = new StreamableHTTPClientTransport(new URL(server.mcpUrl));
    client = new Client({ name: 'weather-test', version: '1.0.0' });
    await client.connect(transport);
  }, 30_000);

  afterAll(async () => {
    await client?.close().catch(() => {});
    await server?.stop();
  });

  const call = async (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args });

  it('initializes without a session', () => {
    expect(client.getServerVersion()).toEqual({ name: 'weather', version: '0.1.0' });
    expect(transport.sessionId).toBeUndefined();
    expect(transport.protocolVersion).toBe('2025-11-25');
  });

  it('lists both tools with their input schemas', async () => {
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    expect(Object.keys(byName).sort()).toEqual(['convert_temperature', 'get_forecast']);
    expect(byName.get_forecast?.inputSchema).toMatchObject({
      type: 'object',
      required: ['city'],
      properties: {
        city: { type: 'string' },
        days: { type: 'integer', minimum: 1, maximum: 7, default: 3 },
        unit: { enum: ['celsius', 'fahrenheit'], default: 'celsius' },
      },
    });
    expect(byName.convert_temperature?.inputSchema).toMatchObject({
      type: 'object',
      properties: { value: { type: 'number' }, from: { enum: ['celsius', 'fahrenheit', 'kelvin'] } },
    });
    expect([...(byName.convert_temperature?.inputSchema.required ?? [])].sort()).toEqual(['from', 'to', 'value']);
    expect(byName.get_forecast?.annotations?.readOnlyHint).toBe(true);
  });

  it('forecasts a known city, the same way every time', async () => {
    const first = await call('get_forecast', { city: 'new york', days: 4 });
    const again = await call('get_forecast', { city: 'New York', days: 4 });
    expect(first.isError).toBeFalsy();
    const forecast = first.structuredContent as unknown as Forecast;
    expect(forecast).toMatchObject({ city: 'New York', unit: 'celsius' });
    expect(forecast.days.map((d) => d.day)).toEqual([1, 2, 3, 4]);
    for (const day of forecast.days) {
      expect(['sunny', 'cloudy', 'showers', 'rain']).toContain(day.condition);
      expect(day.low).toBeLessThan(day.high);
    }
    expect(again.structuredContent).toEqual(first.structuredContent);
    expect(JSON.stringify(first.content)).toContain('New York (US)');
  });

  it('forecasts in fahrenheit consistently with the celsius forecast', async () => {
    const celsius = (await call('get_forecast', { city: 'Tokyo', days: 2 })).structuredContent as unknown as Forecast;
    const fahrenheit = (await call('get_forecast', { city: 'Tokyo', days: 2, unit: 'fahrenheit' }))
      .structuredContent as unknown as Forecast;
    expect(fahrenheit.days.map((d) => d.high)).toEqual(celsius.days.map((d) => Math.round((d.high * 1.8 + 32) * 100) / 100));
  });

  it('answers an unknown city with a tool error listing the known cities', async () => {
    const result = await call('get_forecast', { city: 'Atlantis' });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('amsterdam');
  });

  it('rejects out-of-range arguments', async () => {
    // The SDK reports argument validation failures as a tool error result, not a protocol error.
    const result = await call('get_forecast', { city: 'Tokyo', days: 30 });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('days');
  });

  it('converts temperatures', async () => {
    expect((await call('convert_temperature', { value: 100, from: 'celsius', to: 'fahrenheit' })).structuredContent).toEqual({
      value: 212,
      unit: 'fahrenheit',
    });
    expect((await call('convert_temperature', { value: 32, from: 'fahrenheit', to: 'kelvin' })).structuredContent).toEqual({
      value: 273.15,
      unit: 'kelvin',
    });
    const belowZero = await call('convert_temperature', { value: -300, from: 'celsius', to: 'kelvin' });
    expect(belowZero.isError).toBe(true);
    expect(JSON.stringify(belowZero.content)).toContain('below absolute zero');
  });

  it('is reported as sessionless by the probe', async () => {
    await expect(probeMcp(server!.mcpUrl)).resolves.toEqual({
      serverName: 'weather',
      serverVersion: '0.1.0',
      protocolVersion: '2025-11-25',
      sessionful: false,
      tools: ['convert_temperature', 'get_forecast'],
    });
  });

  it('returns no Mcp-Session-Id and answers with plain JSON', async () => {
    const response = await postMcp(server!.mcpUrl, initializeRequest);
    expect(response.status).toBe(200);
    expect(response.headers.get('mcp-session-id')).toBeNull();
    expect(response.headers.get('content-type')).toContain('application/json');
    const [message] = await readMessages(response);
    expect(message).toMatchObject({ id: 1, result: { serverInfo: { name: 'weather' } } });
  });

  it('serves /healthz', async () => {
    const response = await fetch(`${server!.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
  });

  it('refuses a foreign Origin with 403 and accepts an allowed one', async () => {
    const foreign = await postMcp(server!.mcpUrl, initializeRequest, { Origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    const allowed = await postMcp(server!.mcpUrl, initializeRequest, { Origin: ALLOWED });
    expect(allowed.status).toBe(200);
  });

  it('answers 406 when the client does not accept both JSON and SSE', async () => {
    const response = await postMcp(server!.mcpUrl, initializeRequest, { Accept: 'application/json' });
    expect(response.status).toBe(406);
  });

  it('answers GET on /mcp with 405: no stream without sessions', async () => {
    const response = await fetch(server!.mcpUrl, { headers: { Accept: 'text/event-stream' } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('logs requests as JSON lines without bodies', () => {
    const requests = server!.logs.filter((line) => line.msg === 'request');
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.find((line) => line.path === '/healthz')).toMatchObject({ method: 'GET', status: 200 });
    expect(JSON.stringify(requests)).not.toContain('Atlantis');
  });

  it('exits cleanly on SIGTERM', async () => {
    await client.close();
    await expect(server!.stop()).resolves.toBe(0);
    expect(server!.logs.map((line) => line.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
  });
});
