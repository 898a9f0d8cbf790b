// A TCP port on 127.0.0.1 that was free a moment ago, for servers the tests start themselves
// (redis-server, prometheus, the CLI). Bound, read and released: a small race, accepted in tests.
import { once } from 'node:events'
import { createServer, type AddressInfo } from 'node:net'

export async function freePort (): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  server.close()
  await once(server, 'close')
  return port
}
