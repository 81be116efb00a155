#!/usr/bin/env node
// Performance of `wxmail`, measured as ratios within one run (the machine is shared and noisy,
// so absolute times mean little). Needs `npm run build` first. Everything runs on loopback.
// `npm run bench -- --json` prints every figure as JSON too. A script, not a timed test.
//
//  1. Concurrency: a healthy run with L ms added to every HTTP request, at --concurrency 1 and
//     at the default. Speed-up = T(1) / T(default).
//  2. Critical path: T(default) / L = how many sequential round trips the run waited for. The
//     dependencies force 2: token → the Graph reads and one Exchange $batch (the simulator's login
//     host is an overridden one, whose metadata is read beside the token request, not before it).
//  3. Requests: HTTPS requests the simulator saw (a $batch is one), and repeated requests (same
//     method, path, query, body; an item inside a $batch counts as the request it stands for).
//  4. Start-up: `wxmail --version`, `--help` and `wxmail checks` against bare `node -e 0`, and
//     `wxmail doctor`'s time from spawn to its first HTTPS request.
//  5. Memory: peak RSS of a one-mailbox run.
//  6. Fleet: 1, 10 and 100 assets in one simulated tenant (same latency): wall time, HTTPS
//     requests per asset, peak RSS.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { startSimulator, loadScenario, fleetScenario } = await import(new URL('../dist/simulator.mjs', import.meta.url).href);
const LATENCY = Number(process.env.BENCH_LATENCY_MS ?? 150);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FLEET = (process.env.BENCH_FLEET ?? '1,10,100').split(',').map(Number);
const JSON_OUT = process.argv.includes('--json');
// BENCH_BIN: another build's bin/wxmail.js, to compare it against the same simulator.
const BIN = process.env.BENCH_BIN ?? `${root}/bin/wxmail.js`;
// Reports the child's peak RSS (kB) on stderr as it exits; loaded before wxmail, costs nothing measurable.
const RSS_PRELOAD = `--import=data:text/javascript,import{writeSync}from'node:fs';process.on('exit',()=>writeSync(2,'\\nWXMAIL_BENCH_MAXRSS_KB='+process.resourceUsage().maxRSS+'\\n'))`;
const HTTP = new Set(['login', 'graph', 'exchange', 'graph-batch', 'exchange-batch']);
const INNER = ' (in $batch)';
const latencyFaults = (ms) => ['login', 'graph', 'exchange'].map((service) => ({ service, kind: 'latency', ms }));

function runDoctor(sim, extra = [], { fleet = false } = {}) {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...sim.env };
  // WXMAIL_MAILBOX would replace the config file's assets with the first one.
  if (fleet) for (const k of ['WXMAIL_MAILBOX', 'WXMAIL_FORWARDING_ADDRESS']) delete env[k];
  return new Promise((resolve, reject) => {
    const spawnedAt = Date.now();
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [RSS_PRELOAD, BIN, 'doctor', '--config', sim.configFile, '--format', 'json', ...extra], { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const rss = /WXMAIL_BENCH_MAXRSS_KB=(\d+)/.exec(err);
      try {
        resolve({ code, ms, spawnedAt, report: JSON.parse(out), peakRssMb: rss ? Number(rss[1]) / 1024 : null });
      } catch {
        reject(new Error(`doctor printed no JSON (exit ${code}): ${err.slice(0, 300)}`));
      }
    });
  });
}

/** HTTPS requests (a $batch is one) and the requests seen more than once. */
function trafficOf(sim) {
  const entries = sim.ctx.traffic.entries().filter((e) => HTTP.has(e.service));
  const requests = entries.filter((e) => !e.what.includes(INNER)).length;
  const seen = new Map();
  for (const e of entries) {
    const key = `${e.service.replace(/-batch$/, '')} ${e.what.replace(INNER, '')}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return { requests, dupes: [...seen].filter(([, n]) => n > 1), firstAt: entries[0]?.at ?? null };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function healthy(extra, faults = latencyFaults(LATENCY)) {
  const sim = await startSimulator({ scenario: 'healthy', faults });
  try {
    const r = await runDoctor(sim, extra);
    if (r.report.status !== 'pass') throw new Error(`healthy run ended ${r.report.status}`);
    const t = trafficOf(sim);
    return { wall: r.ms, inTool: r.report.durationMs, peakRssMb: r.peakRssMb, toFirstRequest: t.firstAt === null ? null : t.firstAt - r.spawnedAt, ...t };
  } finally {
    await sim.stop();
  }
}

async function fleet(size) {
  const sim = await startSimulator({ scenario: fleetScenario(loadScenario('healthy'), size), faults: latencyFaults(LATENCY) });
  try {
    const r = await runDoctor(sim, [], { fleet: true });
    const assets = new Set(r.report.checks.map((c) => c.asset).filter(Boolean)).size;
    if (assets !== size) throw new Error(`fleet of ${size}: the report covers ${assets} assets`);
    if (r.report.status !== 'pass') throw new Error(`fleet of ${size} ended ${r.report.status}`);
    const t = trafficOf(sim);
    return { assets: size, wallMs: r.ms, inToolMs: r.report.durationMs, requests: t.requests, requestsPerAsset: t.requests / size, repeated: t.dupes.length, peakRssMb: r.peakRssMb };
  } finally {
    await sim.stop();
  }
}

function startup() {
  const time = (args) => {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  const runs = { node: [], version: [], help: [], checks: [] };
  for (let i = 0; i < 7; i++) {
    runs.node.push(time(['-e', '0']));
    runs.version.push(time([BIN, '--version']));
    runs.help.push(time([BIN, '--help']));
    runs.checks.push(time([BIN, 'checks']));
  }
  return Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
}

// 1–3, 5: the healthy run with latency, serial and concurrent, interleaved.
const serial = [], parallel = [];
let last;
for (let i = 0; i < RUNS; i++) {
  serial.push((await healthy(['--concurrency', '1'])).inTool);
  last = await healthy([]);
  parallel.push(last);
}
const tSerial = median(serial);
const tParallel = median(parallel.map((p) => p.inTool));
const rssOne = median(parallel.map((p) => p.peakRssMb));
// 4: start-up, and doctor's time to its first request (no latency: it measures wxmail alone).
const s = startup();
const firsts = [];
for (let i = 0; i < RUNS; i++) firsts.push((await healthy([], [])).toFirstRequest);
const toFirst = median(firsts);
// 6: fleets.
const fleets = [];
for (const n of FLEET) fleets.push(await fleet(n));
const f1 = fleets.find((f) => f.assets === 1);
const fMax = fleets.at(-1);

const figures = {
  latencyMs: LATENCY,
  runs: RUNS,
  concurrency: { serialMs: tSerial, concurrentMs: tParallel, speedUp: tSerial / tParallel, target: '>= 3' },
  sequentialRoundTrips: { value: tParallel / LATENCY, target: '<= 3.5' },
  requests: { total: last.requests, repeated: last.dupes.length, repeatedList: last.dupes.map(([k, n]) => `${k} ×${n}`), target: '0 repeated' },
  startup: {
    nodeMs: s.node,
    versionMs: s.version,
    helpMs: s.help,
    checksMs: s.checks,
    versionRatio: s.version / s.node,
    helpRatio: s.help / s.node,
    checksRatio: s.checks / s.node,
    doctorToFirstRequestMs: toFirst,
    doctorToFirstRequestRatio: toFirst / s.node,
    targets: { versionRatio: '<= 1.5', checksRatio: '<= 2' },
  },
  memory: { oneMailboxPeakRssMb: rssOne, target: '<= 100' },
  fleet: {
    rows: fleets,
    wallRatio: f1 && fMax ? fMax.wallMs / f1.wallMs : null,
    targets: { wallRatio: '<= 2.5 (largest / one)', requestsPerAsset: '<= 1 (largest)', peakRssMb: '<= 150 (largest)' },
  },
};

const mark = (ok) => (ok ? '✓' : '✗');
const lines = [
  `wxmail benchmark — healthy scenario, +${LATENCY} ms per HTTP request, median of ${RUNS}`,
  `  concurrency speed-up      T(--concurrency 1) / T(default)       = ${figures.concurrency.speedUp.toFixed(2)}x  (${tSerial.toFixed(0)} ms / ${tParallel.toFixed(0)} ms)  target ≥ 3 ${mark(figures.concurrency.speedUp >= 3)}`,
  `  sequential round trips    T(default) / latency                  = ${figures.sequentialRoundTrips.value.toFixed(1)}  (forced: token → reads = 2)  target ≤ 3.5 ${mark(figures.sequentialRoundTrips.value <= 3.5)}`,
  `  HTTPS requests            total ${last.requests}, repeated ${last.dupes.length}${last.dupes.length ? `: ${figures.requests.repeatedList.join('; ')}` : ''} ${mark(last.dupes.length === 0)}`,
  `  start-up                  wxmail --version / node -e 0          = ${figures.startup.versionRatio.toFixed(2)}x  (${s.version.toFixed(0)} ms / ${s.node.toFixed(0)} ms)  target ≤ 1.5 ${mark(figures.startup.versionRatio <= 1.5)}`,
  `                            wxmail --help / node -e 0             = ${figures.startup.helpRatio.toFixed(2)}x`,
  `                            wxmail checks / node -e 0             = ${figures.startup.checksRatio.toFixed(2)}x  target ≤ 2 ${mark(figures.startup.checksRatio <= 2)}`,
  `                            doctor, spawn → first request         = ${toFirst.toFixed(0)} ms (${figures.startup.doctorToFirstRequestRatio.toFixed(2)}x node -e 0)`,
  `  memory                    peak RSS, one mailbox                 = ${rssOne?.toFixed(0)} MB  target ≤ 100 ${mark(rssOne !== null && rssOne <= 100)}`,
  `  fleet (one tenant)        assets   wall ms   requests/asset   peak RSS MB   repeated`,
  ...fleets.map((f) => `                            ${String(f.assets).padStart(6)}   ${f.wallMs.toFixed(0).padStart(7)}   ${f.requestsPerAsset.toFixed(2).padStart(14)}   ${(f.peakRssMb ?? NaN).toFixed(0).padStart(11)}   ${String(f.repeated).padStart(8)}`),
  ...(figures.fleet.wallRatio !== null
    ? [
        `                            wall(${fMax.assets}) / wall(1) = ${figures.fleet.wallRatio.toFixed(2)}x  target ≤ 2.5 ${mark(figures.fleet.wallRatio <= 2.5)}; ` +
          `requests/asset ≤ 1 ${mark(fMax.requestsPerAsset <= 1)}; peak RSS ≤ 150 MB ${mark((fMax.peakRssMb ?? Infinity) <= 150)}`,
      ]
    : []),
];
console.log(lines.join('\n'));
if (JSON_OUT) console.log(JSON.stringify(figures, null, 2));
