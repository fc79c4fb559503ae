/**
 * A full garbage collection in another Node process, without changing its code: the process is
 * started with `--inspect-port=127.0.0.1:<port>` on its command line (which costs nothing until
 * the inspector is opened), SIGUSR1 opens the inspector, and two DevTools protocol calls over
 * its WebSocket run `HeapProfiler.collectGarbage` and read `process.memoryUsage()`. Node 20
 * has no WebSocket client without a flag, so the few frames needed are written here.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface MemoryAfterGc {
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

/** Encodes one masked text frame (clients must mask, RFC 6455 §5.3). */
function textFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const mask = randomBytes(4);
  const lengthBytes = payload.length < 126 ? 0 : payload.length < 65536 ? 2 : 8;
  const head = Buffer.alloc(2 + lengthBytes);
  head[0] = 0x81;
  if (lengthBytes === 0) head[1] = 0x80 | payload.length;
  else if (lengthBytes === 2) {
    head[1] = 0x80 | 126;
    head.writeUInt16BE(payload.length, 2);
  } else {
    head[1] = 0x80 | 127;
    head.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i % 4] ?? 0);
  return Buffer.concat([head, mask, payload]);
}

/** Splits unmasked server frames off `buffer`; returns the payloads and the unused rest. */
function readFrames(buffer: Buffer): { texts: string[]; rest: Buffer } {
  const texts: string[] = [];
  let offset = 0;
  for (;;) {
    if (buffer.length - offset < 2) break;
    let length = (buffer[offset + 1] ?? 0) & 0x7f;
    let start = offset + 2;
    if (length === 126) {
      if (buffer.length - offset < 4) break;
      length = buffer.readUInt16BE(offset + 2);
      start = offset + 4;
    } else if (length === 127) {
      if (buffer.length - offset < 10) break;
      length = Number(buffer.readBigUInt64BE(offset + 2));
      start = offset + 10;
    }
    if (buffer.length < start + length) break;
    texts.push(buffer.toString('utf8', start, start + length));
    offset = start + length;
  }
  return { texts, rest: buffer.subarray(offset) };
}

async function debuggerUrl(port: number, timeoutMs: number): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/json/list`);
      const targets = (await response.json()) as { webSocketDebuggerUrl?: string }[];
      const url = targets[0]?.webSocketDebuggerUrl;
      if (url !== undefined) return url;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`no inspector on port ${port}`);
    await sleep(100);
  }
}

function openWebSocket(url: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const req = request(url.replace(/^ws:/, 'http:'), {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      },
    });
    req.once('upgrade', (_response, socket) => {
      resolve(socket);
    });
    req.once('response', (response) => {
      reject(new Error(`inspector refused the upgrade: ${response.statusCode ?? 0}`));
    });
    req.once('error', reject);
    req.end();
  });
}

/** Sends DevTools protocol calls one after another and resolves with their results. */
async function callAll(socket: Socket, calls: readonly object[]): Promise<unknown[]> {
  const results: unknown[] = [];
  let pending: Buffer = Buffer.alloc(0);
  const answers = new Map<number, (result: unknown) => void>();
  socket.on('data', (chunk: Buffer) => {
    const { texts, rest } = readFrames(Buffer.concat([pending, chunk]));
    pending = rest;
    for (const text of texts) {
      const message = JSON.parse(text) as { id?: number; result?: unknown };
      if (message.id !== undefined) answers.get(message.id)?.(message.result);
    }
  });
  for (const [index, call] of calls.entries()) {
    const id = index + 1;
    const answered = new Promise((resolve) => answers.set(id, resolve));
    socket.write(textFrame(JSON.stringify({ id, ...call })));
    results.push(await answered);
  }
  return results;
}

/**
 * Opens the inspector of `pid` (listening on `inspectPort`), collects garbage twice and returns
 * `process.memoryUsage()` read right after. The inspector stays open until the process exits.
 */
export async function collectGarbage(pid: number, inspectPort: number): Promise<MemoryAfterGc> {
  process.kill(pid, 'SIGUSR1');
  const socket = await openWebSocket(await debuggerUrl(inspectPort, 10_000));
  try {
    const results = await callAll(socket, [
      { method: 'HeapProfiler.collectGarbage' },
      { method: 'HeapProfiler.collectGarbage' },
      {
        method: 'Runtime.evaluate',
        params: { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true },
      },
    ]);
    const evaluated = results[2] as { result: { value: string } };
    return JSON.parse(evaluated.result.value) as MemoryAfterGc;
  } finally {
    socket.destroy();
  }
}
