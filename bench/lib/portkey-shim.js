// Preloaded into Portkey (`node --import`), only for the optional side-by-side figure. On Node 20
// with @hono/node-server, Portkey's streaming path appends headers to the fetch() Response's
// headers, which fetch makes immutable ("TypeError: immutable": every stream answers 500). This
// re-wraps each fetch() reply with a mutable copy of its headers: one Headers copy and one
// Response object per request, charged to Portkey, against the 100 chunks it then handles.
const webFetch = globalThis.fetch
const WebResponse = globalThis.Response
globalThis.fetch = async (input, init) => {
  const res = await webFetch(input, init)
  return new WebResponse(res.body, { status: res.status, statusText: res.statusText, headers: new Headers(res.headers) })
}
