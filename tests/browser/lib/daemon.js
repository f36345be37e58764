// Runs the real chatd binary for a test: a generated config in a temp dir,
// port 0 (the daemon picks a free one and prints it), stopped by SIGTERM to
// its pid. Restarting reuses the port so pages can reconnect to it.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CHATD_BIN, CHATDCTL_BIN, PUBLIC_DIR, ARTIFACTS_DIR } from './env.js';

const LISTENING_RE = /listening on http:\/\/(\[[^\]]+\]|[^\s:/]+):(\d+)/;
const READY_TEXT = 'ready: serving';  // printed once the control socket is up too
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 15_000;

export class Daemon {
  #dir;
  #config;
  #child = null;
  #exited = null;   // promise of the exit code of #child
  #ready = null;    // promise: the daemon printed READY_TEXT
  log = '';         // everything the daemon wrote to stderr/stdout
  name;
  port = 0;
  host = '';

  constructor(dir, config, name) {
    this.#dir = dir;
    this.#config = config;
    this.name = name;
  }

  // Starts chatd with `config` merged over a test base config (its `limits`
  // merged over no message pacing). `name` labels
  // the log saved under the artifacts dir. `controlSocket: true` gives it a
  // control socket in its temp dir, for ctl().
  static async start(name, { controlSocket = false, ...config } = {}) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'chatd-browser-'));
    const daemon = new Daemon(dir, {
      listen: { address: '127.0.0.1', port: 0 },
      ...(controlSocket ? { control: { socket: path.join(dir, 'control.sock') } } : {}),
      public_dir: PUBLIC_DIR,
      // The history store lives in the temp dir, kept across restarts of this daemon.
      state_dir: dir,
      log: { level: 'debug' },
      ...config,
      // Tests send bursts (seeding history): no message pacing
      // (limits.session_messages_per_second), whatever else `config.limits` sets.
      limits: { session_messages_per_second: 0, ...(config.limits ?? {}) },
    }, name);
    await daemon.#launch();
    return daemon;
  }

  get url() { return `http://${this.host}:${this.port}`; }

  // Runs `chatdctl --socket=<this daemon's> ...args` once the daemon is ready
  // (started with controlSocket: true): {code, stdout, stderr}.
  async ctl(...args) {
    await this.#ready;
    const argv = [`--socket=${this.#config.control.socket}`, ...args];
    return new Promise((resolve) => {
      execFile(CHATDCTL_BIN, argv, { timeout: 30_000 }, (error, stdout, stderr) => {
        this.log += `---- chatdctl ${argv.join(' ')}: ${error ? error.code : 0}\n`;
        resolve({ code: error ? error.code : 0, stdout, stderr });
      });
    });
  }

  get dir() { return this.#dir; }

  async #launch() {
    const file = path.join(this.#dir, 'chatd.yaml');
    // JSON is YAML (flow style), so the config is written as JSON.
    await writeFile(file, JSON.stringify(this.#config, null, 2));
    const args = [`--config=${file}`];
    if (this.port !== 0) args.push(`--port=${this.port}`);
    const child = spawn(CHATD_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
    this.log += `---- ${CHATD_BIN} ${args.join(' ')}\n`;

    let onReady;
    this.#ready = new Promise((resolve) => { onReady = resolve; });
    const listening = new Promise((resolve, reject) => {
      let pending = '';
      const onData = (chunk) => {
        const text = chunk.toString();
        this.log += text;
        pending += text;
        if (pending.includes(READY_TEXT)) onReady();
        const match = LISTENING_RE.exec(pending);
        if (match) resolve({ host: match[1], port: Number(match[2]) });
        else pending = pending.slice(-400);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      this.#exited.then((code) => reject(new Error(`chatd exited (${code}) before listening:\n${this.log}`)));
      const timer = setTimeout(() => reject(new Error(`chatd did not print "listening on" in ${START_TIMEOUT_MS} ms:\n${this.log}`)), START_TIMEOUT_MS);
      timer.unref();
    });
    try {
      const { host, port } = await listening;
      this.host = host === '0.0.0.0' ? '127.0.0.1' : host === '[::]' ? '[::1]' : host;
      this.port = port;
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  // `signal` (SIGTERM) to the pid, then waits for the exit (SIGKILL if it
  // hangs). Returns the exit code (or signal name).
  async stop(signal = 'SIGTERM') {
    const child = this.#child;
    if (!child) return null;
    this.#child = null;
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const code = await this.#exited;
    clearTimeout(timer);
    this.log += `---- exited: ${code}\n`;
    return code;
  }

  // A crash: SIGKILL to the pid, waited for. restart() starts it again.
  kill() {
    return this.stop('SIGKILL');
  }

  // Stops (unless killed) and starts again on the same port, config and state dir.
  async restart() {
    await this.stop();
    await this.#launch();
  }

  // Stops (if running), saves the log as an artifact, removes the temp dir.
  async dispose() {
    await this.stop();
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await writeFile(path.join(ARTIFACTS_DIR, `${this.name}-chatd.log`), this.log);
    await rm(this.#dir, { recursive: true, force: true });
  }
}
