// The catalog page in a real headless browser (Debian's Chromium, driven by playwright-core, no
// browser download) over a catalog fed by the real API server: MCPServers whose live state is
// written through the status subresource, the catalog informer running as a ServiceAccount that
// may only list and watch mcpservers, its HTTP server on 127.0.0.1:0. The assertions read what a
// person sees (innerText, visibility, layout width), at phone and desktop sizes; screenshots are
// kept under test-artifacts/catalog-page/ (gitignored).
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { asServiceAccount, freshNamespace, installCrds, waitFor, type FreshNamespace } from '../harness/index.js';
import { admin } from '../cli/fixtures/cluster.js';
import type { KubeRest } from '../../../src/kube/rest.js';
import { KubeRest as Rest } from '../../../src/kube/rest.js';
import { LiveCatalog } from '../../../src/catalog/live.js';
import { serveCatalog, type CatalogServer } from '../../../src/catalog/http-server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) console.warn(`catalog page browser tests SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium; CI installs it)`);
const describeInBrowser = HAVE_CHROMIUM ? describe : describe.skip;

const ARTIFACTS = resolve('test-artifacts/catalog-page');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const XSS_TITLE = '<img src=x onerror="window.__pwned=1">';
const XSS_DESCRIPTION = '</p><script>window.__pwned=2</script><b id="injected">bold</b>';
const XSS_TOOL = '<svg onload="window.__pwned=3">';

let rest: KubeRest;
let ns: FreshNamespace;
let catalog: LiveCatalog;
let server: CatalogServer;
let browser: Browser;

const url = (name: string) => `http://mcp.example.com/${name}/mcp`;

interface Fixture {
  name: string;
  catalog?: Record<string, unknown>;
  ready: boolean;
  verified: { status: 'True' | 'False'; reason: string };
  tools: string[];
}

const FIXTURES: Fixture[] = [
  { name: 'weather', catalog: { title: 'Weather forecasts', description: 'Forecasts and alerts for any city' }, ready: true, verified: { status: 'True', reason: 'Verified' }, tools: ['forecast', 'alerts'] },
  { name: 'billing', catalog: { title: 'Billing', description: 'Invoices of the finance team' }, ready: true, verified: { status: 'True', reason: 'AuthRequired' }, tools: ['invoice-lookup'] },
  { name: 'legacy', catalog: { title: 'Legacy gateway' }, ready: false, verified: { status: 'False', reason: 'NotMCP' }, tools: [] },
  { name: 'private', catalog: { publish: false, title: 'Private thing' }, ready: true, verified: { status: 'True', reason: 'Verified' }, tools: ['secret-tool'] },
  { name: 'xss', catalog: { title: XSS_TITLE, description: XSS_DESCRIPTION }, ready: true, verified: { status: 'True', reason: 'Verified' }, tools: [XSS_TOOL] },
];

function status(f: Fixture, now: string): Record<string, unknown> {
  return {
    phase: f.ready ? 'Ready' : 'Pending',
    url: url(f.name),
    image: `registry.example.com/team/${f.name}:1.0.0`,
    replicas: 1,
    readyReplicas: f.ready ? 1 : 0,
    observedGeneration: 1,
    conditions: [
      { type: 'Ready', status: f.ready ? 'True' : 'False', reason: f.ready ? 'Ready' : 'PodsNotReady', message: 'test', lastTransitionTime: now },
      { type: 'Verified', status: f.verified.status, reason: f.verified.reason, message: 'test', lastTransitionTime: now },
    ],
    ...(f.verified.reason === 'NotMCP'
      ? {}
      : {
          mcp: {
            protocolVersion: '2025-06-18',
            serverInfo: { name: f.name, version: '1.0.0' },
            capabilities: ['tools'],
            tools: f.tools.map((name) => ({ name })),
            toolCount: f.tools.length,
            toolsDigest: `d-${f.name}`,
            podsReady: 1,
            podsVerified: 1,
            observedTime: now,
          },
        }),
  };
}

const mcpservers = () => `/apis/mcp.agent-hellboy.io/v1alpha1/namespaces/${ns.name}/mcpservers`;

async function newPage(viewport: { width: number; height: number }, options: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const mobile = viewport.width < 600;
  const context = await browser.newContext({ viewport, isMobile: mobile, hasTouch: mobile, javaScriptEnabled: options.javaScriptEnabled ?? true });
  const page = await context.newPage();
  // Console errors include every Content-Security-Policy violation (a blocked style or script).
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return { context, page, problems };
}

const card = (page: Page, title: string) => page.locator('article.server').filter({ has: page.locator('h2', { hasText: title }) });
const visibleText = (page: Page) => page.locator('body').innerText();

async function screenshot(page: Page, file: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = resolve(ARTIFACTS, file);
  await page.screenshot({ path, fullPage: true });
  console.log(`catalog page screenshot: ${path}`);
}

/** Opens every visible server's closed Connect section, as a person would: by clicking it. */
async function openAllConnect(page: Page): Promise<void> {
  const closed = page.locator('article.server:visible details:not([open])');
  const count = await closed.count();
  // The locator is live: each click removes one from it, so always click the first.
  for (let i = 0; i < count; i++) await closed.first().locator('summary').click();
  expect(await closed.count()).toBe(0);
}

describeInBrowser('catalog page in Chromium over the real API server', () => {
  beforeAll(async () => {
    await installCrds();
    rest = await admin();
    ns = await freshNamespace('catalog-page');
    const now = new Date().toISOString();
    for (const f of FIXTURES) {
      await rest.request('POST', mcpservers(), {
        body: {
          apiVersion: 'mcp.agent-hellboy.io/v1alpha1',
          kind: 'MCPServer',
          metadata: { name: f.name },
          spec: { image: `registry.example.com/team/${f.name}:1.0.0`, ...(f.catalog !== undefined ? { catalog: f.catalog } : {}) },
        },
      });
      await rest.request('PATCH', `${mcpservers()}/${f.name}/status`, { body: { status: status(f, now) }, contentType: 'application/merge-patch+json' });
    }
    const kc = await asServiceAccount(ns.name, 'catalog-page-reader', {
      create: true,
      rules: [{ apiGroups: ['mcp.agent-hellboy.io'], resources: ['mcpservers'], verbs: ['list', 'watch'] }],
    });
    catalog = new LiveCatalog({ client: new Rest(kc).client, namespaces: [ns.name], namePrefix: 'io.example.mcp' });
    catalog.start();
    expect(await catalog.waitForSync(AbortSignal.timeout(60_000))).toBe(true);
    // The informer has listed; wait until it also saw every status write (the watch may lag the list).
    await waitFor('the catalog to see every status', () => catalog.entries().filter((e) => e.response._meta['io.agent-hellboy.mcp-runtime/live'].verifiedReason !== undefined).length, { until: (n) => n === 4 });
    server = await serveCatalog(catalog, '127.0.0.1', 0);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await catalog?.stop();
    await ns?.cleanup();
  });

  it('on a phone (390x844): every published server with its state, tools and URL; the opted-out one absent; no horizontal scrolling', async () => {
    const { context, page, problems } = await newPage(PHONE);
    try {
      const response = await page.goto(`${server.url}/`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");

      const text = await visibleText(page);
      expect(text).toContain('4 of 4 servers shown');
      expect(text).not.toContain('Private thing');
      expect(text).not.toContain('secret-tool');

      const weather = await card(page, 'Weather forecasts').innerText();
      expect(weather).toContain(`io.example.mcp.${ns.name}/weather`);
      expect(weather).toContain(`namespace ${ns.name}`);
      expect(weather).toContain('Forecasts and alerts for any city');
      expect(weather).toMatch(/\bReady\b/);
      expect(weather).toMatch(/\bVerified\b/);
      expect(weather).not.toContain('Auth required');
      expect(weather).toContain('Tools (2)');
      expect(weather).toContain('forecast');
      expect(weather).toContain('alerts');
      expect(weather).toContain(url('weather'));

      const billing = await card(page, 'Billing').innerText();
      expect(billing).toContain('Auth required');
      expect(billing).toContain('invoice-lookup');

      const legacy = await card(page, 'Legacy gateway').innerText();
      expect(legacy).toContain('Not ready (Pending)');
      expect(legacy).toContain('Not verified: NotMCP');
      expect(legacy).toContain('Tools (0)');

      // The style sheet applied (its CSP hash matched) and the viewport meta made the layout phone-wide.
      expect(await page.evaluate<string>("getComputedStyle(document.querySelector('article.server')).borderTopLeftRadius")).toBe('8px');
      await openAllConnect(page);
      const widths = await page.evaluate<{ client: number; scroll: number }>('({ client: document.documentElement.clientWidth, scroll: document.documentElement.scrollWidth })');
      expect(widths.client).toBe(PHONE.width);
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);
      await screenshot(page, 'phone.png');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('on a desktop: each Connect section shows the exact snippet of every client and the VS Code install link', async () => {
    const { context, page, problems } = await newPage(DESKTOP);
    try {
      await page.goto(`${server.url}/index.html`);
      const weather = card(page, 'Weather forecasts');
      await expect(weather.locator('pre[data-client="claude-code"]').isVisible()).resolves.toBe(false);
      await weather.locator('summary', { hasText: 'Connect' }).click();
      const snippet = (client: string) => weather.locator(`pre[data-client="${client}"]`).innerText();
      expect(await snippet('claude-code')).toBe(`claude mcp add --transport http weather ${url('weather')}`);
      expect(JSON.parse(await snippet('cursor'))).toEqual({ mcpServers: { weather: { url: url('weather') } } });
      expect(JSON.parse(await snippet('vscode'))).toEqual({ servers: { weather: { type: 'http', url: url('weather') } } });
      expect(JSON.parse(await snippet('json'))).toEqual({ name: 'weather', url: url('weather'), transport: 'streamable-http', authRequired: false });
      const install = await weather.locator('a', { hasText: 'Install in VS Code' }).getAttribute('href');
      expect(install).toMatch(/^vscode:mcp\/install\?/);
      expect(JSON.parse(decodeURIComponent(install!.slice('vscode:mcp/install?'.length)))).toEqual({ name: 'weather', type: 'http', url: url('weather') });

      // A protected server's snippets read the token from the environment or a prompt, never inline.
      const billing = card(page, 'Billing');
      await billing.locator('summary', { hasText: 'Connect' }).click();
      expect(await billing.locator('pre[data-client="claude-code"]').innerText()).toBe(`claude mcp add --transport http --header "Authorization: Bearer $MCP_BILLING_TOKEN" billing ${url('billing')}`);
      expect(await billing.innerText()).toContain('requires authorization');

      await openAllConnect(page);
      await screenshot(page, 'desktop.png');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('search filters as you type (JavaScript) and through the ?q= form without JavaScript', async () => {
    const withJs = await newPage(PHONE);
    try {
      await withJs.page.goto(`${server.url}/`);
      await withJs.page.locator('#q').fill('forecast');
      await expect(card(withJs.page, 'Weather forecasts').isVisible()).resolves.toBe(true);
      await expect(card(withJs.page, 'Billing').isVisible()).resolves.toBe(false);
      expect(await visibleText(withJs.page)).toContain('1 of 4 servers shown');
      await withJs.page.locator('#q').fill('');
      await expect(card(withJs.page, 'Billing').isVisible()).resolves.toBe(true);
      expect(withJs.problems).toEqual([]);
    } finally {
      await withJs.context.close();
    }

    const noJs = await newPage(PHONE, { javaScriptEnabled: false });
    try {
      await noJs.page.goto(`${server.url}/`);
      await noJs.page.locator('#q').fill('invoice');
      await Promise.all([noJs.page.waitForURL(/\?q=invoice$/), noJs.page.locator('#q').press('Enter')]);
      const text = await visibleText(noJs.page);
      expect(text).toContain('Billing');
      expect(text).not.toContain('Weather forecasts');
      expect(text).not.toContain('Legacy gateway');
      expect(text).toContain('1 of 4 servers shown');
      expect(await noJs.page.locator('#q').inputValue()).toBe('invoice');
      await screenshot(noJs.page, 'phone-search-nojs.png');
    } finally {
      await noJs.context.close();
    }
  });

  it('markup in a title, description or tool name shows as text and neither runs nor injects elements', async () => {
    const { context, page, problems } = await newPage(DESKTOP);
    try {
      await page.goto(`${server.url}/`);
      const xss = page.locator('article.server').filter({ hasText: XSS_TITLE });
      const text = await xss.innerText();
      expect(text).toContain(XSS_TITLE);
      expect(text).toContain(XSS_DESCRIPTION);
      expect(text).toContain(XSS_TOOL);
      expect(await page.evaluate<number | undefined>('window.__pwned')).toBeUndefined();
      expect(await page.locator('#injected, img, svg, article.server script').count()).toBe(0);
      expect(await page.locator('script').count()).toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a deleted server leaves the page', async () => {
    await rest.request('DELETE', `${mcpservers()}/legacy`);
    const { context, page } = await newPage(DESKTOP);
    try {
      await waitFor(
        'the page to drop the deleted server',
        async () => {
          await page.goto(`${server.url}/`);
          return visibleText(page);
        },
        { until: (text) => !text.includes('Legacy gateway') && text.includes('3 of 3 servers shown'), timeoutMs: 30_000 },
      );
    } finally {
      await context.close();
    }
  });
});
