import { describe, expect, it } from '@jest/globals';
import { type CallOutcome, ResponseTap, type ResponseTapOptions } from '../../../src/gateway/response-tap.js';

const SSE = 'text/event-stream';
const JSON_TYPE = 'application/json';

const event = (message: unknown, id?: string): string => `${id !== undefined ? `id: ${id}\n` : ''}event: message\ndata: ${JSON.stringify(message)}\n\n`;
const result = (id: string | number, value: unknown): unknown => ({ jsonrpc: '2.0', id, result: value });

/** Feeds `chunks` to a fresh tap and records every onOutcome call. */
function run(contentType: string | undefined, id: string | number, chunks: (string | Buffer)[], options?: ResponseTapOptions, end = true) {
  const tap = new ResponseTap(contentType, id, options);
  const calls: CallOutcome[] = [];
  tap.onOutcome = (o) => calls.push(o);
  for (const chunk of chunks) tap.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  if (end) tap.end();
  return { tap, calls };
}

// A realistic stream: a server request, a progress notification, another id's response, a
// comment (keep-alive), then our response, whose text has multi-byte UTF-8.
const SAMPLE =
  event({ jsonrpc: '2.0', id: 's1', method: 'sampling/createMessage', params: {} }, 'e1') +
  ': keep-alive\n\n' +
  event({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 0.5 } }, 'e2') +
  event(result(8, { content: [] }), 'e3') +
  event(result(7, { content: [{ type: 'text', text: 'héllo – ✓' }], isError: true }), 'e4');

describe('ResponseTap over SSE', () => {
  it('finds the outcome whatever the chunk boundaries (split at every byte, in two and three parts)', () => {
    const bytes = Buffer.from(SAMPLE);
    for (let i = 0; i <= bytes.length; i += 1) {
      const { tap, calls } = run(SSE, 7, [bytes.subarray(0, i), bytes.subarray(i)], { keepResult: true });
      expect(tap.outcome).toEqual({ status: 'tool_error' });
      expect(calls).toEqual([{ status: 'tool_error' }]);
      expect(tap.result).toEqual({ content: [{ type: 'text', text: 'héllo – ✓' }], isError: true });
    }
    for (let i = 0; i < bytes.length; i += 7) {
      for (let j = i; j <= bytes.length; j += 5) {
        const { tap } = run(SSE, 7, [bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
        expect(tap.outcome).toEqual({ status: 'tool_error' });
      }
    }
  });

  it('works byte by byte', () => {
    const bytes = Buffer.from(SAMPLE);
    const { tap } = run(SSE, 7, [...bytes].map((b) => Buffer.of(b)));
    expect(tap.outcome).toEqual({ status: 'tool_error' });
  });

  it('reports the outcome as soon as the matching event arrives, while the stream stays open', () => {
    const { tap, calls } = run(SSE, 8, [SAMPLE], {}, false);
    expect(calls).toEqual([{ status: 'ok' }]);
    expect(tap.outcome).toEqual({ status: 'ok' });
    tap.push(Buffer.from(event(result(8, { isError: true }))));
    tap.end();
    expect(calls).toEqual([{ status: 'ok' }]);
  });

  it('ignores requests and notifications that carry our id, and other ids', () => {
    const chunks = [
      event({ jsonrpc: '2.0', id: 3, method: 'roots/list' }),
      event(result('3', {})), // "3" is not 3
      event({ jsonrpc: '2.0', id: 3, error: { code: -32601, message: 'Method not found' } }),
    ];
    const { tap } = run(SSE, 3, chunks);
    expect(tap.outcome).toEqual({ status: 'error', code: -32601 });
  });

  it('stays unknown without the matching response, and says so once at end()', () => {
    const { tap, calls } = run(SSE, 99, [SAMPLE, 'data: {"jsonrpc":"2.0","id":99,"result":{}}\n']); // no closing blank line
    expect(tap.outcome).toEqual({ status: 'unknown' });
    expect(calls).toEqual([{ status: 'unknown' }]);
  });

  it('skips events that are not JSON, and CRLF line endings work', () => {
    const { tap } = run(SSE, 1, ['data: not json\r\n\r\n', 'data: {"jsonrpc":"2.0",\r\ndata: "id":1,"result":{}}\r\n\r\n']);
    expect(tap.outcome).toEqual({ status: 'ok' });
  });

  it('drops an event larger than the limit and still finds a later one', () => {
    const huge = event(result(5, { text: 'x'.repeat(5000) }));
    const chunks = [...huge.match(/[\s\S]{1,100}/g)!, event(result(5, { isError: true }))];
    const { tap } = run(SSE, 5, chunks, { maxBufferedBytes: 1000, keepResult: true });
    expect(tap.outcome).toEqual({ status: 'tool_error' });
    expect(tap.result).toEqual({ isError: true });
  });
});

describe('ResponseTap over JSON', () => {
  it('reads a single response at the end, across chunks', () => {
    const body = JSON.stringify(result(1, { content: [{ type: 'text', text: 'ok' }] }));
    const { tap, calls } = run('application/json; charset=utf-8', 1, [body.slice(0, 10), body.slice(10)], { keepResult: true });
    expect(tap.outcome).toEqual({ status: 'ok' });
    expect(calls).toEqual([{ status: 'ok' }]);
    expect(tap.result).toEqual({ content: [{ type: 'text', text: 'ok' }] });
  });

  it('waits for end(): a JSON body is only complete then', () => {
    const { tap, calls } = run(JSON_TYPE, 1, [JSON.stringify(result(1, {}))], {}, false);
    expect(tap.outcome).toEqual({ status: 'unknown' });
    expect(calls).toEqual([]);
    tap.end();
    expect(calls).toEqual([{ status: 'ok' }]);
  });

  it('finds its response in a batch', () => {
    const body = JSON.stringify([result(1, {}), { jsonrpc: '2.0', id: 2, error: { code: -32602, message: 'bad' } }]);
    expect(run(JSON_TYPE, 2, [body]).tap.outcome).toEqual({ status: 'error', code: -32602 });
  });

  it('reads errors without a usable code, and tool errors', () => {
    expect(run(JSON_TYPE, 1, [JSON.stringify({ jsonrpc: '2.0', id: 1, error: { message: 'x' } })]).tap.outcome).toEqual({ status: 'error' });
    expect(run(JSON_TYPE, 1, [JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: 1.5 } })]).tap.outcome).toEqual({ status: 'error' });
    expect(run(JSON_TYPE, 1, [JSON.stringify(result(1, { isError: true }))]).tap.outcome).toEqual({ status: 'tool_error' });
    expect(run(JSON_TYPE, 1, [JSON.stringify(result(1, { isError: 'true' }))]).tap.outcome).toEqual({ status: 'ok' });
  });

  it('does not keep the result unless asked', () => {
    expect(run(JSON_TYPE, 1, [JSON.stringify(result(1, { secret: 1 }))]).tap.result).toBeUndefined();
  });

  it('gives up on a body over the limit', () => {
    const body = JSON.stringify(result(1, { text: 'x'.repeat(2000) }));
    expect(run(JSON_TYPE, 1, [body.slice(0, 1000), body.slice(1000)], { maxBufferedBytes: 1500 }).tap.outcome).toEqual({ status: 'unknown' });
    expect(run(JSON_TYPE, 1, [body], { maxBufferedBytes: body.length }).tap.outcome).toEqual({ status: 'ok' });
  });

  it('copies chunks: a proxy reusing its buffer does not corrupt the body', () => {
    const body = Buffer.from(JSON.stringify(result(1, {})));
    const tap = new ResponseTap(JSON_TYPE, 1);
    tap.push(body);
    body.fill(0x20);
    tap.end();
    expect(tap.outcome).toEqual({ status: 'ok' });
  });

  it('never throws on garbage, and stays unknown', () => {
    for (const body of ['', 'nope', 'null', '42', '[1,2]', '{"id":1}', '\u0000\xff']) {
      expect(run(JSON_TYPE, 1, [body]).tap.outcome).toEqual({ status: 'unknown' });
    }
  });
});

describe('ResponseTap, other cases', () => {
  it('ignores other content types (a 202 without body, plain text)', () => {
    for (const type of [undefined, '', 'text/plain', 'application/jsonx']) {
      const { tap, calls } = run(type, 1, [JSON.stringify(result(1, {}))]);
      expect(tap.outcome).toEqual({ status: 'unknown' });
      expect(calls).toEqual([{ status: 'unknown' }]);
    }
  });

  it('swallows a throwing onOutcome: push() and end() never throw', () => {
    const tap = new ResponseTap(SSE, 1);
    tap.onOutcome = () => {
      throw new Error('callback bug');
    };
    expect(() => tap.push(Buffer.from(event(result(1, {}))))).not.toThrow();
    expect(() => tap.end()).not.toThrow();
    expect(tap.outcome).toEqual({ status: 'ok' });
  });

  it('ignores pushes after end()', () => {
    const { tap, calls } = run(SSE, 1, []);
    tap.push(Buffer.from(event(result(1, {}))));
    expect(tap.outcome).toEqual({ status: 'unknown' });
    expect(calls).toHaveLength(1);
  });
});
