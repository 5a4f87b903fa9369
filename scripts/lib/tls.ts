import { generate } from 'selfsigned';

export interface TlsCredentials {
  key: string;
  cert: string;
}

type Extensions = NonNullable<Parameters<typeof generate>[1]>['extensions'];

/** An EC key and its certificate for `commonName`: self-signed, or signed by `ca`. */
async function certificate(commonName: string, extensions: Extensions, ca?: TlsCredentials): Promise<TlsCredentials> {
  const pems = await generate([{ name: 'commonName', value: commonName }], { keyType: 'ec', algorithm: 'sha256', ...(ca ? { ca } : {}), extensions });
  return { key: pems.private, cert: pems.cert };
}

let credentials: Promise<TlsCredentials> | undefined;

/**
 * A throwaway certificate for 127.0.0.1, made at start-up and never written to
 * disk, so the local platforms speak HTTPS like real ones and the extension
 * needs no exception for plain HTTP. The browser under test is told to accept it.
 */
export function loopbackTls(): Promise<TlsCredentials> {
  credentials ??= certificate('127.0.0.1', [
    { name: 'basicConstraints', cA: false },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
  ]);
  return credentials;
}

/** A certificate authority of the tests' own: the only one the look-alikes' browser is told to trust. */
export interface TestAuthority {
  /** PEM, for the browser's certificate store (nss.ts). */
  cert: string;
  key: string;
}

let authority: Promise<TestAuthority> | undefined;

/**
 * The test authority, made at start-up and never written anywhere but the throwaway certificate
 * store of the browser under test. It may sign server certificates and nothing else.
 */
export function testAuthority(): Promise<TestAuthority> {
  authority ??= certificate('Token Watch test authority', [
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, critical: true },
  ]);
  return authority;
}

/**
 * A server certificate for exactly these host names (subjectAltName), signed by the test
 * authority: a browser that trusts the authority accepts it for these names and no others.
 */
export async function certificateFor(hosts: readonly string[]): Promise<TlsCredentials> {
  return certificate(
    hosts[0] ?? 'localhost',
    [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: hosts.map((value) => ({ type: 2 as const, value })) },
    ],
    await testAuthority(),
  );
}

/**
 * fetch for Node that trusts one extra certificate: the broker under test calls
 * the local platforms, whose certificate no one else trusts.
 */
export function fetchTrusting(cert: string): typeof fetch {
  return async (input, init) => {
    const { request } = await import('node:https');
    const url = new URL(input instanceof Request ? input.url : String(input));
    // The harness only posts form and JSON bodies, which are strings or URLSearchParams.
    const body = init?.body === undefined || init.body === null ? undefined : init.body instanceof URLSearchParams ? init.body.toString() : typeof init.body === 'string' ? init.body : undefined;
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    return new Promise<Response>((resolve, reject) => {
      const outgoing = request(url, { method: init?.method ?? 'GET', headers, ca: cert, signal: init?.signal ?? undefined }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          resolve(new Response(Buffer.concat(chunks), { status: incoming.statusCode ?? 502, headers: responseHeaders }));
        });
        incoming.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  };
}
