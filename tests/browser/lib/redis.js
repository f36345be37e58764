// A real redis-server (Debian's package) for the scale-out test: a free
// loopback port (Redis cannot take port 0: bind a socket to port 0, release
// it, retry on a collision), no persistence, stopped by SIGTERM to its pid.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const REDIS_SERVER = process.env.CHATD_REDIS_SERVER ?? '/usr/bin/redis-server';
const START_TIMEOUT_MS = 10_000;
const ATTEMPTS = 5;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export class RedisServer {
  #child = null;
  #exited = null;
  #dir = '';
  port = 0;
  log = '';

  static async start() {
    if (!existsSync(REDIS_SERVER)) {
      throw new Error(`redis-server not found at ${REDIS_SERVER}: apt-get install -y redis-server`);
    }
    const redis = new RedisServer();
    redis.#dir = await mkdtemp(path.join(os.tmpdir(), 'chatd-redis-'));
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      redis.port = await freePort();
      if (await redis.#launch()) return redis;
    }
    throw new Error(`redis-server did not start in ${ATTEMPTS} attempts:\n${redis.log}`);
  }

  // Resolves true once Redis accepts connections, false when the port was taken.
  #launch() {
    const child = spawn(REDIS_SERVER, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '',
      '--appendonly', 'no', '--dir', this.#dir, '--daemonize', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server not ready in ${START_TIMEOUT_MS} ms:\n${this.log}`)),
        START_TIMEOUT_MS);
      const onData = (chunk) => {
        this.log += chunk.toString();
        if (this.log.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve(true);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      this.#exited.then(() => {
        clearTimeout(timer);
        this.#child = null;
        if (this.log.includes('Address already in use')) resolve(false);
        else reject(new Error(`redis-server exited:\n${this.log}`));
      });
    });
  }

  async stop() {
    const child = this.#child;
    if (!child) return;
    this.#child = null;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await this.#exited;
    clearTimeout(timer);
  }

  async dispose() {
    await this.stop();
    await rm(this.#dir, { recursive: true, force: true });
  }
}
