// @ts-check
// Benchmark: validate and compile generated playbooks of 100, 1,000 and 5,000 nodes.
// Baseline in the same run: zod shape validation of the same document alone (what any
// schema-only validator pays), so the compiler's own cost (graph rules, references, timeline,
// lowering, hashing) reads as the difference. Run: npx nx run playbook:bench
import { createRequire } from 'node:module';
import os from 'node:os';
import { generatePlaybook } from './generate.mjs';

const require = createRequire(import.meta.url);
const { compilePlaybook, playbookDocumentSchema } = require('../dist/src/index.js');

const SIZES = (process.env.BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

/** Median wall time of `fn` over RUNS runs after 3 warm-up runs, in ms. */
function median(fn) {
  for (let i = 0; i < 3; i++) fn();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const rows = [];
for (const size of SIZES) {
  const doc = generatePlaybook(size);
  const result = compilePlaybook(doc);
  if (!result.ok) throw new Error(`generated playbook of ${size} does not compile: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
  const baseline = median(() => playbookDocumentSchema.parse(doc));
  const compile = median(() => compilePlaybook(doc));
  rows.push({ nodes: doc.nodes.length, edges: doc.edges.length, baseline, compile, perNodeUs: (compile / doc.nodes.length) * 1000 });
}

const fmt = (n) => n.toFixed(2);
console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, median of ${RUNS} runs\n`);
console.log('| nodes | edges | baseline: zod shape only (ms) | validate + compile (ms) | µs per node |');
console.log('| ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.nodes} | ${r.edges} | ${fmt(r.baseline)} | ${fmt(r.compile)} | ${fmt(r.perNodeUs)} |`);
