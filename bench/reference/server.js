// The reference server for bench/compare.sh: the tutorial's design, a Node.js
// `http` server with the `ws` library that broadcasts every message it
// receives to every connected client (the sender included, so that it does
// the same work per message as chatd's raw mode: one delivery per member),
// as a binary frame holding the message bytes -- what the tutorial's page
// reads with FileReader. No rooms, no JSON: raw mode only.
//
// Usage: node server.js [--port N] [--host ADDR]   (port 0 = any free port)
// Prints "listening on http://ADDR:PORT" once it accepts connections.
// `ws` is found through NODE_PATH: compare.sh installs it (npm ci) into a cache
// directory from package.json + package-lock.json here, never into the repo.
'use strict';

const http = require('http');
const WebSocket = require('ws');

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

const host = option('host', '127.0.0.1');
const port = Number(option('port', '0'));

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end('chatd-bench reference server\n');
});

const wss = new WebSocket.Server({ server });

wss.on('connection', (ws) => {
  ws.on('message', (data) => {
    wss.clients.forEach((client) => {
      if (client.readyState === WebSocket.OPEN) {
        client.send(data, { binary: true });
      }
    });
  });
  ws.on('error', () => {});
});

server.listen(port, host, () => {
  const address = server.address();
  console.log(`listening on http://${address.address}:${address.port}`);
});

function stop() {
  for (const client of wss.clients) client.terminate();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
