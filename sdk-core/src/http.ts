/** HTTP injected by the platform (fetch in browsers and Node, wx.request in mini-programs). */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
}
export interface HttpResponse {
  status: number;
  body: string;
}
export type Http = (request: HttpRequest) => Promise<HttpResponse>;

interface FetchLike {
  (
    url: string,
    init: { method: string; headers: Record<string, string>; body?: string },
  ): Promise<{
    status: number;
    text(): Promise<string>;
  }>;
}

/** Http over a fetch function (the global `fetch` of browsers and Node 18+). */
export function createFetchHttp(fetchFn: FetchLike): Http {
  return async (req) => {
    const res = await fetchFn(req.url, {
      method: req.method,
      headers: req.headers,
      ...(req.body === undefined ? {} : { body: req.body }),
    });
    return { status: res.status, body: await res.text() };
  };
}
