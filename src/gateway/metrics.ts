/**
 * The gateway's Prometheus metrics: requests, errors and latency per server, method and tool;
 * open sessions and streams. One registry per instance (never prom-client's global one), as in
 * src/runtime/metrics.ts.
 *
 * Clients choose methods and tool names, so those labels are capped per server (see LabelGuard);
 * `server` must come from the gateway's own routing table, never from the request.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CallOutcome } from './response-tap.js';

/** 'client_left': the client went away before the answer ended (not a failure of the server). */
export type RequestOutcome = CallOutcome['status'] | 'upstream_error' | 'client_left' | 'session_not_found' | 'unauthorized' | 'forbidden' | 'auth_unavailable';

/** Outcomes that are no failure of the server in themselves (a 5xx still counts as `http_<code>`). */
const NOT_FAILURES: ReadonlySet<RequestOutcome> = new Set<RequestOutcome>(['ok', 'unknown', 'client_left']);

export interface GatewayMetricsOptions {
  /** Also collect process/Node.js metrics (default false). */
  defaultMetrics?: boolean;
  /** Distinct tool names, and methods outside the protocol's own, per server (default 100). */
  maxLabelValues?: number;
}

/** Label value for anything past the cap. */
export const OTHER_LABEL = 'other';
// The spec allows tool names up to 128 characters; longer ones are cut so one series stays small.
const MAX_LABEL_LENGTH = 128;
// 0.5 ms … 30 s: the gateway's own overhead is sub-millisecond, tool calls can take seconds.
const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
// The protocol's methods are always their own series: a client inventing methods cannot push
// them into `other`.
const PROTOCOL_METHODS: ReadonlySet<string> = new Set([
  'initialize',
  'ping',
  'server/discover',
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'resources/subscribe',
  'resources/unsubscribe',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'logging/setLevel',
  'notifications/initialized',
  'notifications/cancelled',
  'notifications/progress',
  'notifications/roots/list_changed',
]);

/** First-come label values, at most `max` per server; later ones become `other`. */
class LabelGuard {
  private readonly seen = new Map<string, Set<string>>();

  constructor(
    private readonly max: number,
    private readonly alwaysAllowed: ReadonlySet<string> = new Set(),
  ) {}

  value(server: string, raw: string): string {
    const value = raw.length > MAX_LABEL_LENGTH ? raw.slice(0, MAX_LABEL_LENGTH) : raw;
    if (value === '' || this.alwaysAllowed.has(value)) return value;
    let values = this.seen.get(server);
    if (values === undefined) this.seen.set(server, (values = new Set()));
    if (values.has(value)) return value;
    if (values.size >= this.max) return OTHER_LABEL;
    values.add(value);
    return value;
  }
}

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly methods: LabelGuard;
  private readonly tools: LabelGuard;

  private readonly requests = new Counter({
    name: 'mcp_gateway_requests_total',
    help: 'Requests forwarded per server, JSON-RPC method and tool, by HTTP status code',
    labelNames: ['server', 'method', 'tool', 'code'] as const,
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'mcp_gateway_request_errors_total',
    help: 'Failed requests per server, method and tool, by reason (tool_error, error, upstream_error, session_not_found, unauthorized, forbidden, auth_unavailable, http_<code> for 5xx)',
    labelNames: ['server', 'method', 'tool', 'reason'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'mcp_gateway_request_duration_seconds',
    help: 'Time from request to outcome per server, method and tool',
    labelNames: ['server', 'method', 'tool'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  private readonly sessionsOpenedTotal = new Counter({
    name: 'mcp_gateway_sessions_opened_total',
    help: 'Sessions this replica saw initialized per server',
    labelNames: ['server'] as const,
    registers: [this.registry],
  });
  private readonly sessionsClosedTotal = new Counter({
    name: 'mcp_gateway_sessions_closed_total',
    help: 'Sessions this replica saw ended (DELETE, or 404 from the pod) per server',
    labelNames: ['server'] as const,
    registers: [this.registry],
  });
  private readonly sessionsOpen = new Gauge({
    name: 'mcp_gateway_sessions_open',
    help: "This replica's view of open sessions per server: opened minus closed here. A session opened through another replica and closed here counts -1, so only the sum over replicas is meaningful, and clients that never close a session keep it counted",
    labelNames: ['server'] as const,
    registers: [this.registry],
  });
  private readonly streamsOpen = new Gauge({
    name: 'mcp_gateway_streams_open',
    help: 'Response streams (SSE) this replica is relaying now, per server',
    labelNames: ['server'] as const,
    registers: [this.registry],
  });
  private readonly retries = new Counter({
    name: 'mcp_gateway_upstream_retries_total',
    help: 'Requests retried on another pod after a connection failure, per server',
    labelNames: ['server'] as const,
    registers: [this.registry],
  });

  constructor(options: GatewayMetricsOptions = {}) {
    const max = options.maxLabelValues ?? 100;
    this.methods = new LabelGuard(max, PROTOCOL_METHODS);
    this.tools = new LabelGuard(max);
    if (options.defaultMetrics ?? false) collectDefaultMetrics({ register: this.registry });
  }

  /** Exports zeroes for a server, so rate() and absent() behave before its first request. */
  declareServer(server: string): void {
    const labels = { server };
    this.sessionsOpenedTotal.inc(labels, 0);
    this.sessionsClosedTotal.inc(labels, 0);
    this.sessionsOpen.inc(labels, 0);
    this.streamsOpen.inc(labels, 0);
    this.retries.inc(labels, 0);
  }

  /**
   * One request, when its outcome is known. It counts as an error when the outcome is one
   * (reason = the outcome), else when the status is 5xx (reason = http_<code>); 'unknown' or
   * 'client_left' with a lower status is not an error (a notification's 202 has no outcome; a
   * client that hangs up says nothing of the server).
   */
  request(server: string, method: string, tool: string | undefined, httpStatus: number, outcome: RequestOutcome, seconds: number): void {
    const labels = { server, method: this.methods.value(server, method), tool: this.tools.value(server, tool ?? '') };
    this.requests.inc({ ...labels, code: String(httpStatus) });
    const reason = !NOT_FAILURES.has(outcome) ? outcome : httpStatus >= 500 ? `http_${httpStatus}` : undefined;
    if (reason !== undefined) this.errors.inc({ ...labels, reason });
    this.duration.observe(labels, seconds);
  }

  sessionOpened(server: string): void {
    this.sessionsOpenedTotal.inc({ server });
    this.sessionsOpen.inc({ server });
  }

  sessionClosed(server: string): void {
    this.sessionsClosedTotal.inc({ server });
    this.sessionsOpen.dec({ server });
  }

  streamOpened(server: string): void {
    this.streamsOpen.inc({ server });
  }

  streamClosed(server: string): void {
    this.streamsOpen.dec({ server });
  }

  upstreamRetry(server: string): void {
    this.retries.inc({ server });
  }
}
