import { generate } from 'selfsigned';

export interface TlsCredentials {
  key: string;
  cert: string;
}

let credentials: Promise<TlsCredentials> | undefined;

/**
 * A throwaway certificate for 127.0.0.1, made at start-up and never written to
 * disk, so the local platforms speak HTTPS like real ones and the extension
 * needs no exception for plain HTTP. The browser under test is told to accept it.
 */
export function loopbackTls(): Promise<TlsCredentials> {
  credentials ??= generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  return credentials;
}
