// A chatd.v1 client in Node, beside the pages: a plain RFC 6455 WebSocket
// over a TCP socket (Node 20 has no WebSocket of its own), enough for text
// frames, ping and close. Frames arrive as parsed JSON; every wait is for a
// frame, with a timeout, never a sleep.
import net from 'node:net';
import { randomBytes, createHash } from 'node:crypto';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const WAIT_TIMEOUT_MS = 20_000;
const OP_TEXT = 0x1;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

// One client frame: FIN set, masked as clients must.
function encodeFrame(opcode, payload) {
  const length = payload.length;
  const header = length < 126 ? Buffer.alloc(2) : length < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  header[0] = 0x80 | opcode;
  if (length < 126) {
    header[1] = 0x80 | length;
  } else if (length < 65536) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= mask[i & 3];
  return Buffer.concat([header, mask, body]);
}

// The first complete server frame in `buffer` ({opcode, payload, size}), or null.
function decodeFrame(buffer) {
  if (buffer.length < 2) return null;
  let length = buffer[1] & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return null;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return null;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  if (buffer.length < offset + length) return null;
  return { opcode: buffer[0] & 0x0f, payload: buffer.subarray(offset, offset + length), size: offset + length };
}

export class WsClient {
  #socket;
  #pending = Buffer.alloc(0);
  #frames = [];          // received, not yet taken by next()
  #wake = null;
  closed = false;

  // Connects to `url` (http://host:port) and completes the chatd.v1 handshake.
  static async connect(url) {
    const { hostname, port } = new URL(url);
    const socket = net.connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port) });
    await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
    const key = randomBytes(16).toString('base64');
    socket.write(`GET /ws HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
                 `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: chatd.v1\r\n\r\n`);
    const rest = await new Promise((resolve, reject) => {
      let head = Buffer.alloc(0);
      const onData = (chunk) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        const text = head.subarray(0, end).toString();
        const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
        if (!/^HTTP\/1\.1 101/.test(text) || !text.includes(accept)) reject(new Error(`handshake refused: ${text}`));
        else resolve(head.subarray(end + 4));
      };
      socket.on('data', onData);
      socket.once('error', reject);
    });
    return new WsClient(socket, rest);
  }

  constructor(socket, rest) {
    this.#socket = socket;
    socket.on('data', (chunk) => this.#receive(chunk));
    socket.on('error', () => {});  // the daemon may be killed under us: seen as close
    socket.on('close', () => { this.closed = true; this.#wake?.(); });
    if (rest.length) this.#receive(rest);
  }

  #receive(chunk) {
    this.#pending = Buffer.concat([this.#pending, chunk]);
    for (let frame = decodeFrame(this.#pending); frame; frame = decodeFrame(this.#pending)) {
      this.#pending = this.#pending.subarray(frame.size);
      if (frame.opcode === OP_TEXT) this.#frames.push(JSON.parse(frame.payload.toString('utf8')));
      else if (frame.opcode === OP_PING) this.#socket.write(encodeFrame(OP_PONG, frame.payload));
      else if (frame.opcode === OP_CLOSE) this.#socket.end();
    }
    this.#wake?.();
  }

  send(frame) {
    this.#socket.write(encodeFrame(OP_TEXT, Buffer.from(JSON.stringify(frame), 'utf8')));
  }

  // The next frame of type `type` for which `where` holds (the frames it
  // skips are kept for later calls); an `error` frame instead throws.
  async next(type, { where = () => true, timeout = WAIT_TIMEOUT_MS } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const i = this.#frames.findIndex((f) => (f.type === type && where(f)) || f.type === 'error');
      if (i >= 0) {
        const [frame] = this.#frames.splice(i, 1);
        if (frame.type === 'error') throw new Error(`${frame.code}: ${frame.reason}`);
        return frame;
      }
      if (this.closed) throw new Error(`connection closed while waiting for ${type}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} frame within ${timeout} ms`);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => { clearTimeout(timer); resolve(); };
      });
      this.#wake = null;
    }
  }

  // Resolves once the server closed the connection (e.g. it was killed).
  async waitClosed(timeout = WAIT_TIMEOUT_MS) {
    const deadline = Date.now() + timeout;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`still connected after ${timeout} ms`);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => { clearTimeout(timer); resolve(); };
      });
      this.#wake = null;
    }
  }

  close() {
    if (!this.closed) this.#socket.end(encodeFrame(OP_CLOSE, Buffer.alloc(0)));
    this.#socket.destroy();
  }
}
