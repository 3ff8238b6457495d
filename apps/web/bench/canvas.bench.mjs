// Renders a 500-node playbook in the builder (built app, headless Chromium) and measures the time to
// first render and the frame times while dragging a node; the 6-node onboarding template is the
// baseline measured in the same run. Prints a table; nothing is asserted (see docs/benchmarks.md).
//
//   npx nx run web:bench-canvas          (builds the app first)
//   node apps/web/bench/canvas.bench.mjs [nodes]
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const { playbookDocumentSchema, templates, compilePlaybook } = require('@cairn/playbook');
const { playbookSchema, sessionSchema } = require('@cairn/contracts');

const DIST = fileURLToPath(new URL('../dist', import.meta.url));
const SIZE = Number(process.argv[2] ?? 500);
const ID = '11111111-1111-4111-8111-111111111111';
const T0 = '2026-01-05T09:00:00.000Z';
if (!existsSync(join(DIST, 'index.html'))) throw new Error('Build the app first: npx nx run web:build');

/** A long playbook of `size` steps: a trigger, then waits, touches and approvals with branches back onto the main line. */
function bigPlaybook(size) {
  const nodes = [{ id: 'start', type: 'trigger', position: { x: 0, y: 0 }, data: { on: 'manual' } }];
  const edges = [];
  let previous = { id: 'start', handle: 'next' };
  for (let i = 1; nodes.length < size - 1; i++) {
    const y = i * 170;
    const kind = i % 3;
    if (kind === 0) {
      nodes.push({ id: `approve-${i}`, type: 'approval', position: { x: 0, y }, data: { title: `Step ${i}: send it?`, sla: '2 days' } });
      nodes.push({ id: `skip-${i}`, type: 'end', position: { x: 320, y }, data: { outcome: 'exited', reason: `Declined at ${i}` } });
      edges.push({ id: `e-${i}`, source: previous.id, sourceHandle: previous.handle, target: `approve-${i}` });
      edges.push({ id: `r-${i}`, source: `approve-${i}`, sourceHandle: 'rejected', target: `skip-${i}` });
      edges.push({ id: `x-${i}`, source: `approve-${i}`, sourceHandle: 'expired', target: `skip-${i}` });
      previous = { id: `approve-${i}`, handle: 'approved' };
    } else {
      const node = kind === 1
        ? { id: `wait-${i}`, type: 'wait', position: { x: 0, y }, data: { mode: 'duration', duration: `${i % 7 + 1} days` } }
        : { id: `touch-${i}`, type: 'touch', position: { x: 0, y }, data: { channel: 'email', to: 'champion', subject: `Touch ${i} for {{account.name}}`, body: 'Hi {{recipient.name}}' } };
      nodes.push(node);
      edges.push({ id: `e-${i}`, source: previous.id, sourceHandle: previous.handle, target: node.id });
      previous = { id: node.id, handle: 'next' };
    }
  }
  nodes.push({ id: 'end', type: 'end', position: { x: 0, y: (nodes.length + 1) * 170 }, data: { outcome: 'completed' } });
  edges.push({ id: 'e-end', source: previous.id, sourceHandle: previous.handle, target: 'end' });
  return playbookDocumentSchema.parse({ schemaVersion: 2, key: 'bench', name: `Bench ${size}`, nodes, edges });
}

function serve(document) {
  const playbook = playbookSchema.parse({ id: ID, key: document.key, name: document.name, description: '', kind: 'custom', draft: document, versions: [], draftRevision: 1, archivedAt: null, createdAt: T0, updatedAt: T0 });
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === `/api/playbooks/${ID}`) return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(playbook));
    if (path.startsWith('/api/')) return res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ statusCode: 404, error: 'not_found', message: 'not in the benchmark', issues: [] }));
    const file = normalize(join(DIST, path));
    const target = file.startsWith(DIST + sep) && existsSync(file) && statSync(file).isFile() ? file : join(DIST, 'index.html');
    res.writeHead(200, { 'content-type': types[extname(target)] ?? 'application/octet-stream' }).end(readFileSync(target));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) })));
}

const session = sessionSchema.parse({
  tokenType: 'Bearer', accessToken: 'bench', expiresIn: 900, expiresAt: '2099-01-01T00:00:00.000Z', refreshToken: 'bench', refreshExpiresAt: '2099-01-01T00:00:00.000Z',
  user: { id: '77777777-7777-4777-8777-777777777777', name: 'Bench', email: 'bench@cairn.local', role: 'ops' },
  permissions: ['playbooks:read', 'playbooks:write', 'playbooks:publish'],
});

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

async function measure(browser, document) {
  const server = await serve(document);
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.addInitScript((s) => sessionStorage.setItem('cairn.session', s), JSON.stringify(session));
  await page.goto(`${server.url}/playbooks/${ID}/edit`);
  await page.waitForFunction((n) => document.querySelectorAll('.react-flow__node').length >= n, Math.min(document.nodes.length, 6), { polling: 'raf', timeout: 60_000 });
  const render = await page.evaluate(() => {
    const api = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/playbooks/'));
    return { sinceNavigation: performance.now(), sinceAnswer: performance.now() - (api?.responseEnd ?? 0) };
  });
  const drawn = await page.locator('.react-flow__node').count();
  // Wait until the canvas is settled (fit view, measured nodes), then drag a node for 90 frames.
  await page.waitForTimeout(500);
  // Zoom in on the second step (a readable zoom, as people drag), then drag it.
  const node = page.locator('.react-flow__node').nth(1);
  const far = await node.boundingBox();
  await page.mouse.move(far.x + far.width / 2, far.y + far.height / 2);
  for (let i = 0; i < 8; i++) await page.mouse.wheel(0, -400);
  await page.waitForTimeout(500);
  const box = await node.boundingBox();
  await page.evaluate(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (t) => {
      window.__frames.push(t - last);
      last = t;
      if (window.__frames.length < 400) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  const start = await page.evaluate(() => window.__frames.length);
  for (let i = 1; i <= 90; i++) {
    await page.mouse.move(x + i * 3, y + Math.sin(i / 8) * 40);
  }
  await page.mouse.up();
  const frames = await page.evaluate((from) => window.__frames.slice(from + 1), start);
  // The drag really moved the node (else the frame times would measure an idle canvas).
  const moved = Math.round((await node.boundingBox()).x - box.x);
  await page.close();
  await server.close();
  return {
    nodes: document.nodes.length,
    drawn,
    firstRenderMs: Math.round(render.sinceNavigation),
    renderAfterAnswerMs: Math.round(render.sinceAnswer),
    frames: frames.length,
    p50: percentile(frames, 50).toFixed(1),
    p95: percentile(frames, 95).toFixed(1),
    max: Math.max(...frames).toFixed(1),
    dropped: frames.filter((f) => f > 1.5 * (1000 / 60)).length,
    moved,
  };
}

const big = bigPlaybook(SIZE);
const compiled = compilePlaybook(big);
if (!compiled.ok) throw new Error(`the generated playbook does not compile: ${compiled.diagnostics[0]?.message}`);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
try {
  const rows = [];
  for (const doc of [playbookDocumentSchema.parse(templates['onboarding-kickoff']), big]) rows.push(await measure(browser, doc));
  console.log('| nodes | drawn | first render (ms from navigation) | render after the API answered (ms) | node dragged (px) | drag frames | p50 ms | p95 ms | max ms | frames > 25 ms |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.nodes} | ${r.drawn} | ${r.firstRenderMs} | ${r.renderAfterAnswerMs} | ${r.moved} | ${r.frames} | ${r.p50} | ${r.p95} | ${r.max} | ${r.dropped} |`);
} finally {
  await browser.close();
}
