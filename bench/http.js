'use strict';
// The http rows of the benchmark table: a server process (eventide, node's
// http module or nginx) loaded by wrk over 127.0.0.1, measured from outside.
//
// Each run starts the server pinned to core 1 (taskset -c 1), waits until
// it accepts connections, warms it up with a short unmeasured wrk run, then
// runs wrk pinned to core 0 (taskset -c 0 wrk -t1 -c50: one thread, 50
// keep-alive connections) for BENCH_HTTP_SECONDS and stops the server. It
// records
//   - requests per second: wrk's completed requests ÷ wrk's own duration;
//   - server CPU per request: utime + stime of the server process (all its
//     threads) from /proc/<pid>/stat just before and just after the
//     measured wrk run, divided by the requests (for nginx the one worker
//     process: the master only waits);
//   - server RSS: VmHWM (peak resident set) from /proc/<pid>/status at the
//     end of the run;
//   - wrk's CPU: wrk runs as the child of a small sh that waits for it and
//     then prints its own /proc/self/stat, whose cutime + cstime are the
//     CPU of the children it reaped, i.e. wrk's (taskset execs wrk in
//     place). Shown as a share of one core: near 100 % the client, not the
//     server, is the limit of that row.
// wrk's Lua done() hook prints the exact request, byte and error counts;
// a run with any error or non-2xx answer, or with fewer bytes per response
// than the body, fails the benchmark.
//
// Servers: bench/eventide/http_<server>.c (built into BUILD_DIR/bench),
// bench/node/http_<server>.js, and nginx from a configuration generated in
// a temporary directory (1 worker, access_log off, sendfile on, keep-alive,
// pid and logs in that directory, run as the current user).
//
// Environment: BENCH_HTTP_SECONDS (default 10) seconds per measured run,
// BENCH_HTTP_WARMUP (default 1) seconds of warm-up before it.

const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const HELLO = 'Hello, World!';
const CONNECTIONS = 50;

const httpMetrics = () => [
  {
    label: 'requests/s', unit: '/s', better: 'higher',
    value: (r) => r.ops / (r.duration_us / 1e6),
    ratios: { node: null, nginx: null },
  },
  {
    label: 'server CPU per request (user+sys)', unit: 'us', better: 'lower',
    value: (r) => r.server_cpu_us / r.ops,
    ratios: { node: null, nginx: null },
  },
  {
    label: 'server peak RSS (VmHWM)', unit: 'MB', better: 'lower',
    value: (r) => r.server_hwm_kb / 1024,
    ratios: { node: null, nginx: null },
  },
  {
    label: 'wrk CPU (% of its core; ~100 = client-bound)', unit: '%', better: 'lower',
    value: (r) => (100 * r.wrk_cpu_us) / r.duration_us, ratios: {},
  },
];

// Every http row: the URL path wrk asks for, which server program serves
// it, and the body size every response must carry at least.
const HTTP_WORKLOADS = [
  {
    name: 'http_hello',
    what: `hello world: 200 text/plain "${HELLO}" (13 bytes), wrk -t1 -c${CONNECTIONS} keep-alive on 127.0.0.1`,
    http: { server: 'hello', path: '/hello', body: HELLO.length },
  },
  {
    name: 'http_file_100',
    what: `a 100-byte static file (per request: open, stat, send, close), wrk -t1 -c${CONNECTIONS}`,
    http: { server: 'file', path: '/f100.bin', body: 100 },
  },
  {
    name: 'http_file_1m',
    what: `a 1 MiB static file (per request: open, stat, send, close), wrk -t1 -c${CONNECTIONS}`,
    http: { server: 'file', path: '/f1m.bin', body: 1 << 20 },
  },
].map((w) => ({ ...w, impls: ['eventide', 'node', 'nginx'], metrics: httpMetrics() }));

const WRK_SCRIPT = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "ops=%d bytes=%d duration_us=%d connect_errors=%d read_errors=%d " ..
    "write_errors=%d status_errors=%d timeout_errors=%d p99_us=%d\\n",
    summary.requests, summary.bytes, summary.duration, e.connect, e.read,
    e.write, e.status, e.timeout, latency:percentile(99)))
end
`;

function which(cmd) {
  for (const dir of (process.env.PATH || '').split(':').concat(['/usr/sbin', '/sbin'])) {
    const p = path.join(dir || '.', cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch { /* not here */ }
  }
  return null;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The shared state of all http runs: the temporary directory with the
// files served, wrk's script and nginx's configurations.
let ctx = null;

function setup() {
  if (ctx) return ctx;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventide-bench-http-'));
  const root = path.join(dir, 'root');
  fs.mkdirSync(root);
  // Deterministic contents: a 100-byte and a 1 MiB file.
  const big = Buffer.alloc(1 << 20);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 9)) & 0xff;
  fs.writeFileSync(path.join(root, 'f100.bin'), big.subarray(0, 100));
  fs.writeFileSync(path.join(root, 'f1m.bin'), big);
  fs.writeFileSync(path.join(dir, 'report.lua'), WRK_SCRIPT);
  const tck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  ctx = {
    dir, root, tck,
    wrk: which('wrk'), taskset: which('taskset'), nginx: which('nginx'),
    seconds: Math.max(1, Number(process.env.BENCH_HTTP_SECONDS || 10) | 0),
    warmup: Math.max(0, Number(process.env.BENCH_HTTP_WARMUP ?? 1) | 0),
    cores: os.cpus().length,
  };
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return ctx;
}

// Whether the http rows can run at all; a reason when not.
function httpUnavailable() {
  const c = setup();
  if (!c.wrk) return 'wrk is not installed';
  if (!c.taskset) return 'taskset is not installed';
  return null;
}

function nginxConfig(c, port, tag) {
  const d = path.join(c.dir, `nginx-${tag}`);
  fs.mkdirSync(d, { recursive: true });
  const user = os.userInfo();
  let group = '';
  try {
    group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
  } catch { /* no group name: nginx takes the user's */ }
  const conf = `
daemon off;
master_process on;
worker_processes 1;
${user.uid === 0 ? `user ${user.username} ${group};` : ''}
pid ${d}/nginx.pid;
error_log ${d}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  keepalive_timeout 65;
  # node and eventide keep a connection for any number of requests.
  keepalive_requests 1000000000;
  client_body_temp_path ${d}/body;
  proxy_temp_path ${d}/proxy;
  fastcgi_temp_path ${d}/fastcgi;
  uwsgi_temp_path ${d}/uwsgi;
  scgi_temp_path ${d}/scgi;
  types { application/octet-stream bin; text/plain txt; text/html html; }
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${port};
    root ${c.root};
    location = /hello { default_type text/plain; return 200 "${HELLO}"; }
  }
}
`;
  const file = path.join(d, 'nginx.conf');
  fs.writeFileSync(file, conf);
  return { file, prefix: d, log: path.join(d, 'error.log') };
}

// [file, args] of the server for impl, or null when it is not there.
function serverCommand(build, impl, w, port) {
  const c = setup();
  const { server } = w.http;
  if (impl === 'eventide') {
    const bin = path.join(build, 'bench', `bench_eventide_http_${server}`);
    if (!fs.existsSync(bin)) return null;
    return [bin, server === 'file' ? [String(port), c.root] : [String(port)]];
  }
  if (impl === 'node') {
    const script = path.join(__dirname, 'node', `http_${server}.js`);
    if (!fs.existsSync(script)) return null;
    return [process.execPath, server === 'file' ? [script, String(port), c.root] : [script, String(port)]];
  }
  if (impl === 'nginx') {
    if (!c.nginx) return null;
    const cfg = nginxConfig(c, port, port);
    return [c.nginx, ['-p', cfg.prefix, '-c', cfg.file, '-e', cfg.log]];
  }
  return null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
}

// utime + stime (all threads) of pid in microseconds.
function cpuUs(pid, tck) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1e6) / tck;
}

function hwmKb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number((status.match(/^VmHWM:\s*(\d+)/m) || [])[1]);
}

// The process that serves: the server itself, or nginx's one worker.
async function servingPid(impl, child) {
  if (impl !== 'nginx') return child.pid;
  for (let i = 0; i < 200; i++) {
    try {
      const kids = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')
        .trim().split(/\s+/).filter(Boolean).map(Number);
      if (kids.length === 1) return kids[0];
    } catch { /* not there yet */ }
    await sleep(10);
  }
  throw new Error('nginx started no worker');
}

// One wrk run of `seconds` on core 0; its result line plus wrk's own CPU.
function wrk(c, url, seconds) {
  const script = 'taskset -c 0 "$0" -t1 -c' + CONNECTIONS + ' -d' + seconds +
    's -s "$1" "$2"; rc=$?; read -r s < /proc/$$/stat; echo "self=$s"; exit $rc';
  return new Promise((resolve, reject) => {
    const p = spawn('sh', ['-c', script, c.wrk, path.join(c.dir, 'report.lua'), url],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`wrk failed (${code}): ${err}${out}`));
      const line = out.split('\n').find((l) => l.startsWith('ops='));
      const self = out.split('\n').find((l) => l.startsWith('self='));
      if (!line || !self) return reject(new Error(`wrk printed no result: ${out}${err}`));
      const r = {};
      for (const kv of line.trim().split(/\s+/)) {
        const [k, v] = kv.split('=');
        r[k] = Number(v);
      }
      const f = self.slice(self.lastIndexOf(')') + 2).split(' ');
      r.wrk_cpu_us = ((Number(f[13]) + Number(f[14])) * 1e6) / c.tck;
      resolve(r);
    });
  });
}

function stopServer(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.on('exit', () => resolve());
    // nginx's master ends its worker on SIGTERM (fast shutdown) too.
    child.kill('SIGTERM');
  });
}

// One measured run of workload w on impl; the result record for the table.
async function runHttpOnce(build, impl, w) {
  const c = setup();
  const port = await freePort();
  const cmd = serverCommand(build, impl, w, port);
  const child = spawn(c.taskset, ['-c', String(Math.min(1, c.cores - 1)), cmd[0], ...cmd[1]],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const label = `${w.name}/${impl}`;
  try {
    let up = false;
    for (let i = 0; i < 500 && !up; i++) {
      if (child.exitCode !== null) break;
      up = await canConnect(port);
      if (!up) await sleep(10);
    }
    if (!up) throw new Error(`${label}: the server did not start listening\n${stderr}`);
    const pid = await servingPid(impl, child);
    const url = `http://127.0.0.1:${port}${w.http.path}`;
    if (c.warmup > 0) await wrk(c, url, c.warmup);
    const cpu0 = cpuUs(pid, c.tck);
    const r = await wrk(c, url, c.seconds);
    r.server_cpu_us = cpuUs(pid, c.tck) - cpu0;
    r.server_hwm_kb = hwmKb(pid);
    const errors = r.connect_errors + r.read_errors + r.write_errors + r.status_errors +
      r.timeout_errors;
    if (errors) throw new Error(`${label}: ${errors} errors or non-2xx answers: ${JSON.stringify(r)}`);
    if (!(r.ops > 0) || r.bytes / r.ops < w.http.body) {
      throw new Error(`${label}: ${r.bytes} bytes for ${r.ops} responses of ${w.http.body}-byte bodies`);
    }
    return r;
  } finally {
    await stopServer(child);
  }
}

// Whether impl has a server program for w.
function httpHas(build, impl, w) {
  if (impl === 'nginx') return !!setup().nginx;
  const file = impl === 'eventide'
    ? path.join(build, 'bench', `bench_eventide_http_${w.http.server}`)
    : path.join(__dirname, 'node', `http_${w.http.server}.js`);
  return fs.existsSync(file);
}

const HTTP_NOTE = [
  'http rows: wrk pinned to core 0 (taskset -c 0 wrk -t1 -c50, keep-alive), the server to',
  'core 1; requests/s from wrk\'s own counts; server CPU is utime+stime from /proc/<pid>/stat',
  'around the measured run ÷ requests (nginx: its one worker); RSS is the server\'s VmHWM;',
  'wrk\'s CPU is the cutime+cstime of the shell that reaped it, as a share of one core.',
];

module.exports = { HTTP_WORKLOADS, HTTP_NOTE, httpUnavailable, httpHas, runHttpOnce, setup };
