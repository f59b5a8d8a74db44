import { describe, expect, it } from '@jest/globals';
import { formatAge, formatTable, parseDuration, plural } from '../../../src/cli/output.js';
import { SERVER_COLUMNS, rowCells, serverRow, serverTools, verificationLines, type ServerObject } from '../../../src/servers/servers.js';

describe('formatTable', () => {
  it('aligns columns with three spaces, upper-cases headers, shows empty cells as - and has no trailing spaces', () => {
    const out = formatTable(['name', 'phase', 'url'], [
      ['weather', 'Ready', 'http://h/weather/mcp'],
      ['a', '', undefined],
    ]);
    expect(out.split('\n')).toEqual([
      'NAME      PHASE   URL',
      'weather   Ready   http://h/weather/mcp',
      'a         -       -',
    ]);
  });

  it('ignores ANSI colour codes when measuring width', () => {
    const out = formatTable(['a', 'b'], [['\u001b[32mok\u001b[0m', 'x']]);
    expect(out.split('\n')[1]).toBe('\u001b[32mok\u001b[0m   x');
  });

  it('prints only the header for no rows', () => {
    expect(formatTable(['name'], [])).toBe('NAME');
  });
});

describe('formatAge', () => {
  const now = Date.parse('2025-01-10T12:00:00Z');
  it.each([
    ['2025-01-10T11:59:18Z', '42s'],
    ['2025-01-10T11:55:00Z', '5m'],
    ['2025-01-10T11:54:30Z', '5m30s'],
    ['2025-01-10T11:30:00Z', '30m'],
    ['2025-01-10T09:15:00Z', '2h45m'],
    ['2025-01-10T00:00:00Z', '12h'],
    ['2025-01-07T12:00:00Z', '3d'],
    ['2023-01-10T12:00:00Z', '2y'],
  ])('%s -> %s', (ts, age) => expect(formatAge(ts, now)).toBe(age));

  it('shows - for a missing or broken timestamp and never a negative age', () => {
    expect(formatAge(undefined, now)).toBe('-');
    expect(formatAge('yesterday', now)).toBe('-');
    expect(formatAge('2025-01-10T12:00:05Z', now)).toBe('0s');
  });
});

describe('parseDuration', () => {
  it.each([
    ['30s', 30],
    ['5m', 300],
    ['1h30m', 5400],
    ['90', 90],
  ])('%s = %d s', (text, seconds) => expect(parseDuration(text)).toBe(seconds));
  it.each(['', '5x', 'm5', '1h 30m', '-5s'])('rejects %j', (text) => expect(parseDuration(text)).toBeUndefined());
});

describe('plural', () => {
  it('picks the form', () => {
    expect(plural(1, 'server')).toBe('1 server');
    expect(plural(2, 'server')).toBe('2 servers');
  });
});

describe('server rows', () => {
  const base: ServerObject = {
    apiVersion: 'mcp.agent-hellboy.io/v1alpha1',
    kind: 'MCPServer',
    metadata: { name: 'weather', namespace: 'mcp-servers', creationTimestamp: '2025-01-10T11:00:00Z' },
    spec: { image: 'ghcr.io/acme/weather', replicas: 2 },
  };
  const now = Date.parse('2025-01-10T12:00:00Z');

  it('shows Unknown phase and - for READY and URL before the operator reported', () => {
    expect(rowCells(serverRow(base, now))).toEqual(['weather', 'mcp-servers', 'Unknown', '-', '-', '-', '-', 'ghcr.io/acme/weather', '1h']);
  });

  it('shows ready/desired pods, the URL and the deployed image from status', () => {
    const row = serverRow(
      { ...base, status: { phase: 'PartiallyReady', replicas: 2, readyReplicas: 1, url: 'http://h/weather/mcp', image: 'ghcr.io/acme/weather:latest' } },
      now,
    );
    expect(rowCells(row)).toEqual(['weather', 'mcp-servers', 'PartiallyReady', '1/2', '-', '-', 'http://h/weather/mcp', 'ghcr.io/acme/weather:latest', '1h']);
    expect(SERVER_COLUMNS).toEqual(['NAME', 'NAMESPACE', 'PHASE', 'READY', 'VERIFIED', 'TOOLS', 'URL', 'IMAGE', 'AGE']);
  });

  it('shows the Verified status and tool count, and server get\'s verification lines name the tools', () => {
    const verified: ServerObject = {
      ...base,
      status: {
        phase: 'Ready',
        conditions: [{ type: 'Verified', status: 'True', reason: 'Verified', message: '2/2 ready pods speak MCP', lastTransitionTime: '2025-01-10T11:30:00Z' }],
        mcp: {
          protocolVersion: '2025-06-18', serverInfo: { name: 'weather', version: '0.1.0' }, capabilities: ['tools'], tools: [{ name: 'convert_temperature' }, { name: 'get_forecast' }],
          toolCount: 2, toolsDigest: 'abc', podsReady: 2, podsVerified: 2, observedTime: '2025-01-10T11:30:00Z',
        },
      },
    };
    const cells = rowCells(serverRow(verified, now));
    expect([cells[4], cells[5]]).toEqual(['True', '2']);
    const lines = verificationLines(verified);
    expect(lines[0]).toBe('Verified: True (Verified) 2/2 ready pods speak MCP');
    expect(lines[2]).toBe('Tools (2): convert_temperature, get_forecast');
    expect(serverTools(verified)).toMatchObject({ verified: 'True', toolCount: 2, tools: [{ name: 'convert_temperature' }, { name: 'get_forecast' }] });
    expect(serverTools(base)).toMatchObject({ verified: 'Unknown', reason: 'NotVerified', toolCount: 0, tools: [] });
  });
});
