import type { paths } from './openapi.gen.ts';

/**
 * The typed client of the Kinwatch HTTP API. Paths, parameters, bodies and results are the
 * types generated from the server's OpenAPI document (`npm run web:api-types`), so a route the
 * server does not have, or a field it does not take, fails the type check.
 */
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

type PathsWith<M extends Method> = {
  [P in keyof paths]: paths[P][M] extends undefined ? never : P;
}[keyof paths];

type ParametersOf<O> = O extends { parameters: infer Params } ? Params : never;
type PathParams<O> = ParametersOf<O> extends { path: infer Path } ? Path : never;
type QueryParams<O> = ParametersOf<O> extends { query?: infer Query } ? Query : never;
type JsonBody<O> = O extends { requestBody?: { content: { 'application/json': infer Body } } }
  ? Body
  : never;
type ResponseContent<R> = R extends { content: { 'application/json': infer Body } } ? Body : null;
type Success<O> = O extends { responses: infer R }
  ? R extends Record<200, infer Ok>
    ? ResponseContent<Ok>
    : R extends Record<201, infer Created>
      ? ResponseContent<Created>
      : R extends Record<202, infer Accepted>
        ? ResponseContent<Accepted>
        : null
  : never;

export interface RequestOptions<O> {
  readonly path?: PathParams<O>;
  readonly query?: QueryParams<O>;
  readonly body?: JsonBody<O>;
  readonly signal?: AbortSignal;
}

/** A field the server refused, with its message. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * Every failed request: the server's uniform error (`code`, `message`, `details`), or
 * `network` when the server could not be reached at all.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: readonly FieldProblem[];

  constructor(status: number, code: string, message: string, details: readonly FieldProblem[]) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  get isUnauthenticated(): boolean {
    return this.status === 401;
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Fills `{name}` placeholders of an OpenAPI path with encoded values. */
export function expandPath(template: string, params: Record<string, unknown> | undefined): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(text(value));
  });
}

/** A query string of the defined values, or '' when there is none. */
export function queryString(query: Record<string, unknown> | undefined): string {
  if (query === undefined) return '';
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    search.set(name, text(value));
  }
  const encoded = search.toString();
  return encoded === '' ? '' : `?${encoded}`;
}

async function errorFrom(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // A proxy's HTML page or an empty body: fall back to the status line below.
  }
  const error = (
    body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null
  )?.error;
  if (typeof error?.code === 'string' && typeof error.message === 'string') {
    const details = Array.isArray(error.details) ? (error.details as FieldProblem[]) : [];
    return new ApiError(response.status, error.code, error.message, details);
  }
  return new ApiError(response.status, 'httpError', `HTTP ${response.status}`, []);
}

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export class ApiClient {
  readonly #fetch: Fetch;
  readonly #baseUrl: string;
  /** Called on every 401, so that the app can return to the login screen. */
  onUnauthenticated: (() => void) | undefined;

  constructor(options: { fetch?: Fetch; baseUrl?: string } = {}) {
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#baseUrl = options.baseUrl ?? '';
  }

  /** The URL of a route, for links (exports, avatars) the browser fetches itself. */
  url<P extends keyof paths>(
    path: P,
    options: {
      path?: PathParams<Operation<P, 'get'>>;
      query?: QueryParams<Operation<P, 'get'>>;
    } = {},
  ): string {
    return (
      this.#baseUrl +
      expandPath(path, options.path as Record<string, unknown> | undefined) +
      queryString(options.query as Record<string, unknown> | undefined)
    );
  }

  get<P extends PathsWith<'get'>>(
    path: P,
    options?: RequestOptions<Operation<P, 'get'>>,
  ): Promise<Success<Operation<P, 'get'>>> {
    return this.#request('GET', path, options);
  }

  post<P extends PathsWith<'post'>>(
    path: P,
    options?: RequestOptions<Operation<P, 'post'>>,
  ): Promise<Success<Operation<P, 'post'>>> {
    return this.#request('POST', path, options);
  }

  put<P extends PathsWith<'put'>>(
    path: P,
    options?: RequestOptions<Operation<P, 'put'>>,
  ): Promise<Success<Operation<P, 'put'>>> {
    return this.#request('PUT', path, options);
  }

  patch<P extends PathsWith<'patch'>>(
    path: P,
    options?: RequestOptions<Operation<P, 'patch'>>,
  ): Promise<Success<Operation<P, 'patch'>>> {
    return this.#request('PATCH', path, options);
  }

  delete<P extends PathsWith<'delete'>>(
    path: P,
    options?: RequestOptions<Operation<P, 'delete'>>,
  ): Promise<Success<Operation<P, 'delete'>>> {
    return this.#request('DELETE', path, options);
  }

  /** Sends raw bytes (an avatar) with their content type. */
  async upload(
    method: 'PUT' | 'POST',
    path: string,
    body: Blob,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const response = await this.#send(this.#baseUrl + path, {
      method,
      body,
      headers: { 'content-type': body.type || 'application/octet-stream' },
      credentials: 'same-origin',
      ...(signal ? { signal } : {}),
    });
    return response.status === 204 ? null : response.json();
  }

  async #request<T>(
    method: string,
    template: string,
    options:
      | { path?: unknown; query?: unknown; body?: unknown; signal?: AbortSignal | undefined }
      | undefined,
  ): Promise<T> {
    const url =
      this.#baseUrl +
      expandPath(template, options?.path as Record<string, unknown> | undefined) +
      queryString(options?.query as Record<string, unknown> | undefined);
    const hasBody = options?.body !== undefined;
    const init: RequestInit = {
      method,
      credentials: 'same-origin',
      headers: hasBody ? { 'content-type': 'application/json' } : {},
      ...(hasBody ? { body: JSON.stringify(options.body) } : {}),
      ...(options?.signal ? { signal: options.signal } : {}),
    };
    const response = await this.#send(url, init);
    if (response.status === 204) return null as T;
    const type = response.headers.get('content-type') ?? '';
    if (!type.includes('json')) return null as T;
    return (await response.json()) as T;
  }

  async #send(url: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await this.#fetch(url, init);
    } catch (cause) {
      if ((cause as { name?: string }).name === 'AbortError') throw cause;
      throw new ApiError(0, 'network', 'The server could not be reached.', []);
    }
    if (response.ok) return response;
    const error = await errorFrom(response);
    if (error.isUnauthenticated) this.onUnauthenticated?.();
    throw error;
  }
}

/** The one client of the app. */
export const api = new ApiClient();
