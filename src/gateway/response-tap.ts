/**
 * Learns the outcome of one JSON-RPC request from the upstream's response while the proxy
 * streams it: the proxy writes each chunk to the client and also calls `push(chunk)`, so the tap
 * never holds the response up. JSON bodies are buffered (up to a limit) and parsed at the end;
 * SSE streams are parsed event by event and the outcome is known as soon as the matching
 * response event arrives, even if the stream stays open.
 */
import { createParser, type EventSourceParser } from 'eventsource-parser';

export type CallOutcome =
  | { readonly status: 'ok' }
  | { readonly status: 'tool_error' }
  | { readonly status: 'error'; readonly code?: number }
  | { readonly status: 'unknown' };

export interface ResponseTapOptions {
  /**
   * Most bytes buffered: the whole body for JSON, one event for SSE (default 1 MiB). Past it the
   * tap gives up on that body or event (the outcome may stay 'unknown'); the proxy is unaffected.
   */
  maxBufferedBytes?: number;
  /** Keep the matching response's `result` (for an audit log with payloads). */
  keepResult?: boolean;
}

const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;
const UNKNOWN: CallOutcome = { status: 'unknown' };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The outcome a response message gives, or undefined when it is not a response. */
function outcomeOf(message: Json): CallOutcome | undefined {
  if ('method' in message) return undefined; // a request or notification from the server
  if (isObject(message.error)) {
    const code = message.error.code;
    return typeof code === 'number' && Number.isInteger(code) ? { status: 'error', code } : { status: 'error' };
  }
  if (!('result' in message)) return undefined;
  return isObject(message.result) && message.result.isError === true ? { status: 'tool_error' } : { status: 'ok' };
}

export class ResponseTap {
  /**
   * Called exactly once: with the outcome as soon as the matching response is seen, or at end()
   * with 'unknown' when it never was. It must not throw (an exception is swallowed, so that the
   * proxy's push() never fails).
   */
  onOutcome?: (o: CallOutcome) => void;
  private current: CallOutcome = UNKNOWN;
  private matched?: { result: unknown };
  private settled = false;
  private readonly mode: 'json' | 'sse' | 'ignore';
  private readonly limit: number;
  private readonly keepResult: boolean;
  // JSON mode: the body so far; undefined once it outgrew the limit.
  private chunks: Buffer[] | undefined = [];
  private bufferedBytes = 0;
  // SSE mode.
  private readonly decoder = new TextDecoder('utf-8');
  private parser?: EventSourceParser;
  private overflowed = false;

  constructor(
    contentType: string | undefined,
    private readonly id: string | number,
    options: ResponseTapOptions = {},
  ) {
    this.limit = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.keepResult = options.keepResult ?? false;
    const type = mediaType(contentType);
    this.mode = type === 'application/json' ? 'json' : type === 'text/event-stream' ? 'sse' : 'ignore';
    if (this.mode === 'sse') {
      this.parser = createParser({
        onEvent: (event) => this.message(event.data),
        onError: (error) => {
          if (error.type === 'max-buffer-size-exceeded') this.overflowed = true;
        },
        maxBufferSize: this.limit,
      });
    }
  }

  /** 'unknown' until the matching response is seen. */
  get outcome(): CallOutcome {
    return this.current;
  }

  /** The matching response's result (only with keepResult). */
  get result(): unknown {
    return this.matched?.result;
  }

  /** Feeds one chunk of the response as it passes to the client. Never throws. */
  push(chunk: Buffer): void {
    if (this.settled || this.mode === 'ignore') return;
    try {
      if (this.mode === 'json') this.pushJson(chunk);
      else this.feed(this.decoder.decode(chunk, { stream: true }));
    } catch {
      // Only a bug could land here; a tap must never break the response it watches.
    }
  }

  /** The response is complete (or the connection closed). */
  end(): void {
    if (this.settled) return;
    try {
      if (this.mode === 'json' && this.chunks !== undefined) this.messages(Buffer.concat(this.chunks).toString('utf8'));
      // An SSE event without its closing blank line was never dispatched: nothing to flush.
    } catch {
      // as in push()
    }
    this.chunks = undefined;
    this.settle(this.current);
  }

  private pushJson(chunk: Buffer): void {
    if (this.chunks === undefined) return;
    this.bufferedBytes += chunk.length;
    if (this.bufferedBytes > this.limit) {
      this.chunks = undefined; // too big to parse: the outcome stays unknown
      return;
    }
    this.chunks.push(Buffer.from(chunk)); // a copy: the proxy may reuse its buffer
  }

  private feed(text: string): void {
    const parser = this.parser;
    if (parser === undefined) return;
    parser.feed(text);
    if (this.overflowed) {
      // One event outgrew the limit: the parser dropped it and stopped. Resume with the next
      // bytes; the rest of the oversized event cannot parse as a message and is ignored.
      this.overflowed = false;
      parser.reset();
    }
  }

  /** A JSON body: one message or a batch array. */
  private messages(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      return;
    }
    for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
      if (this.consider(message)) return;
    }
  }

  /** One SSE event's data: one JSON-RPC message. */
  private message(data: string): void {
    if (this.settled) return;
    try {
      this.consider(JSON.parse(data) as unknown);
    } catch {
      // not JSON: not ours
    }
  }

  /** Settles on `message` when it is the response to our id; true if it was. */
  private consider(message: unknown): boolean {
    // JSON-RPC ids match by value and type: 1 and "1" are different requests.
    if (!isObject(message) || message.id !== this.id) return false;
    const outcome = outcomeOf(message);
    if (outcome === undefined) return false;
    if (this.keepResult && 'result' in message) this.matched = { result: message.result };
    this.settle(outcome);
    return true;
  }

  private settle(outcome: CallOutcome): void {
    if (this.settled) return;
    this.settled = true;
    this.current = outcome;
    this.chunks = undefined;
    this.parser = undefined; // nothing more to learn: stop parsing the rest of the stream
    try {
      this.onOutcome?.(outcome);
    } catch {
      // see onOutcome
    }
  }
}
