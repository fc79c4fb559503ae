/**
 * The bare baseline the gateway benchmarks divide by: a Node `net` server that answers every
 * `]`-terminated frame with one reply, and does nothing else (performance.md Appendix B.1).
 *
 *   raw  the reply is fixed bytes, as long as a real keep-alive reply; nothing is parsed.
 *   reg  on a connection's first frame the device id is read and the socket is stored in a Map
 *        under it, the least any gateway does per connection; the reply names the id and is
 *        built once per connection.
 *
 * The benchmark clients send each frame in one write and wait for the reply, so a frame's
 * header always arrives in one chunk; this server relies on that and is no general parser.
 *
 *   node --import tsx bench/gateway/echo-server.ts --port 47101 --mode raw|reg [--backlog N]
 *
 * Prints `{"listening":<port>,"mode":...}` once listening; on SIGUSR2 prints
 * `{"connections":n,"registered":m}`; exits 0 on SIGTERM.
 */
import { createServer, type Socket } from 'node:net';
import { parseArgs } from 'node:util';

const CLOSE_BRACKET = 0x5d;
const STAR = 0x2a;
const FIXED_REPLY = Buffer.from('[3G*0000000000*0002*LK]', 'latin1');

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    mode: { type: 'string', default: 'raw' },
    backlog: { type: 'string' },
  },
});
const port = Number(values.port);
const mode = values.mode;
if (!(Number.isInteger(port) && port > 0) || (mode !== 'raw' && mode !== 'reg')) {
  console.error('usage: echo-server.ts --port PORT --mode raw|reg');
  process.exit(2);
}

const registered = new Map<string, Socket>();
let connections = 0;

function countFrameEnds(chunk: Buffer): number {
  let count = 0;
  for (let i = chunk.indexOf(CLOSE_BRACKET); i !== -1; i = chunk.indexOf(CLOSE_BRACKET, i + 1)) {
    count++;
  }
  return count;
}

function serveRaw(socket: Socket): void {
  socket.on('data', (chunk: Buffer) => {
    for (let frames = countFrameEnds(chunk); frames > 0; frames--) socket.write(FIXED_REPLY);
  });
}

/** `[3G*<id>*LLLL*...`: the id runs from the first `*` to the second. */
function register(socket: Socket, chunk: Buffer): Buffer {
  const start = chunk.indexOf(STAR) + 1;
  const id = chunk.toString('latin1', start, chunk.indexOf(STAR, start));
  registered.set(id, socket);
  socket.once('close', () => {
    if (registered.get(id) === socket) registered.delete(id);
  });
  return Buffer.from(`[3G*${id}*0002*LK]`, 'latin1');
}

function serveRegistering(socket: Socket): void {
  let reply: Buffer | undefined;
  socket.on('data', (chunk: Buffer) => {
    const frames = countFrameEnds(chunk);
    if (frames === 0) return;
    reply ??= register(socket, chunk);
    for (let n = frames; n > 0; n--) socket.write(reply);
  });
}

const server = createServer({ noDelay: true }, (socket) => {
  connections++;
  socket.on('error', () => undefined);
  socket.once('close', () => {
    connections--;
  });
  if (mode === 'raw') serveRaw(socket);
  else serveRegistering(socket);
});

// 4096 unless told otherwise: the same as Kinwatch's gateway (GatewayOptions.listenBacklog), so
// that both servers lose the same connects when the kernel's queue overflows.
const backlog = values.backlog === undefined ? 4096 : Number(values.backlog);
server.listen({ port, host: '127.0.0.1', backlog }, () => {
  console.log(JSON.stringify({ listening: port, mode, pid: process.pid }));
});
process.on('SIGUSR2', () => {
  console.log(JSON.stringify({ connections, registered: registered.size }));
});
process.once('SIGTERM', () => {
  server.close();
  process.exit(0);
});
