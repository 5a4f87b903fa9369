/** The servers the holder's benchmark measures against, on 127.0.0.1: a platform's token endpoint, and the floor. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const listen = async (server: Server) => {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
export const close = async (server: Server) => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
};

/**
 * A platform's token endpoint that answers every refresh at once with a new access token and a
 * rotated refresh token. The access token lives 30 seconds, less than the holder's margin: the
 * next request for the grant refreshes again, so every request of the refresh case asks the platform.
 */
export function startTokenEndpoint() {
  let calls = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      calls += 1;
      const body = { access_token: `at-${calls}`, token_type: 'Bearer', expires_in: 30, refresh_token: `rt-${calls}` };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  return { server, calls: () => calls };
}

/** The floor: node:http answering a small JSON body and doing nothing else. */
export const startFloor = () => createServer((_, response) => response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{"ok":true}'));
