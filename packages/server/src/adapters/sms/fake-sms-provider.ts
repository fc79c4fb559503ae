/**
 * A real HTTP server on 127.0.0.1 standing in for an SMS provider in tests: records every
 * request and answers as the test says.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface FakeAnswer {
  readonly status: number;
  readonly body?: string;
  /** Milliseconds to wait before answering. */
  readonly delayMs?: number;
}

export class FakeSmsProvider {
  readonly requests: RecordedRequest[] = [];
  answer: (request: RecordedRequest) => FakeAnswer = () => ({ status: 200, body: '{}' });
  readonly #server: Server;
  readonly #timers = new Set<NodeJS.Timeout>();

  private constructor() {
    this.#server = createServer((request, response) => {
      this.#record(request, response);
    });
  }

  static async start(): Promise<FakeSmsProvider> {
    const provider = new FakeSmsProvider();
    await new Promise<void>((resolve) => provider.#server.listen(0, '127.0.0.1', resolve));
    return provider;
  }

  get baseUrl(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
  }

  #record(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded: RecordedRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      this.requests.push(recorded);
      const answer = this.answer(recorded);
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(answer.body ?? '');
      }, answer.delayMs ?? 0);
      this.#timers.add(timer);
    });
  }
}

/** A port on 127.0.0.1 where nothing listens (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  return port;
}
