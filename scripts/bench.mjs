#!/usr/bin/env node
// Performance of `wxmail doctor`, measured as ratios within one run (the machine is shared and
// noisy, so absolute times mean little). Needs `npm run build` first. Everything runs on loopback.
//
//  1. Concurrency: a healthy run with L ms added to every HTTP request, at --concurrency 1 and
//     at the default. Speed-up = T(1) / T(default).
//  2. Critical path: T(default) / L = how many sequential round trips the run waited for. The
//     dependency graph forces about 4 (metadata → token → app registration → its assignments).
//  3. Duplicates: requests the simulator saw more than once (same method, path, query, body).
//  4. Start-up: `wxmail --version` against bare `node -e 0`, and `wxmail checks`.
import { spawnSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { startSimulator } = await import(new URL('../dist/simulator.mjs', import.meta.url).href);
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 150);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function runDoctor(sim, extra = []) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [`${root}/bin/wxmail.js`, 'doctor', '--config', sim.configFile, '--format', 'json', ...extra], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...sim.env },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      try {
        resolve({ code, ms, report: JSON.parse(out) });
      } catch {
        reject(new Error(`doctor printed no JSON (exit ${code})`));
      }
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(extra) {
  const sim = await startSimulator({ scenario: 'healthy', faults: [
    { service: 'login', kind: 'latency', ms: LATENCY },
    { service: 'graph', kind: 'latency', ms: LATENCY },
    { service: 'exchange', kind: 'latency', ms: LATENCY },
  ] });
  try {
    const r = await runDoctor(sim, extra);
    if (r.report.status !== 'pass') throw new Error(`healthy run ended ${r.report.status}`);
    const http = sim.ctx.traffic.entries().filter((e) => ['login', 'graph', 'exchange'].includes(e.service));
    const seen = new Map();
    for (const e of http) seen.set(`${e.service} ${e.what}`, (seen.get(`${e.service} ${e.what}`) ?? 0) + 1);
    const dupes = [...seen].filter(([, n]) => n > 1);
    return { wall: r.ms, inTool: r.report.durationMs, requests: http.length, dupes };
  } finally {
    await sim.stop();
  }
}

function startup() {
  const time = (args) => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  const node = [], version = [], checks = [];
  for (let i = 0; i < 5; i++) {
    node.push(time(['-e', '0']));
    version.push(time([`${root}/bin/wxmail.js`, '--version']));
    checks.push(time([`${root}/bin/wxmail.js`, 'checks']));
  }
  return { node: median(node), version: median(version), checks: median(checks) };
}

const serial = [], parallel = [];
let last;
for (let i = 0; i < RUNS; i++) {
  serial.push((await timed(['--concurrency', '1'])).inTool);
  last = await timed([]);
  parallel.push(last.inTool);
}
const s = startup();
const tSerial = median(serial), tParallel = median(parallel);
const lines = [
  `wxmail benchmark — healthy scenario, +${LATENCY} ms per HTTP request, median of ${RUNS}`,
  `  concurrency speed-up      T(--concurrency 1) / T(default)       = ${(tSerial / tParallel).toFixed(2)}x  (${tSerial.toFixed(0)} ms / ${tParallel.toFixed(0)} ms)`,
  `  sequential round trips    T(default) / latency                  = ${(tParallel / LATENCY).toFixed(1)}  (forced: metadata → token → 3 waves of ≤3 Exchange cmdlets ≈ 5)`,
  `  HTTP requests             total ${last.requests}, repeated ${last.dupes.length}${last.dupes.length ? `: ${last.dupes.map(([k, n]) => `${k} ×${n}`).join('; ')}` : ''}`,
  `  start-up                  wxmail --version / node -e 0          = ${(s.version / s.node).toFixed(2)}x  (${s.version.toFixed(0)} ms / ${s.node.toFixed(0)} ms)`,
  `                            wxmail checks / node -e 0             = ${(s.checks / s.node).toFixed(2)}x`,
];
console.log(lines.join('\n'));
