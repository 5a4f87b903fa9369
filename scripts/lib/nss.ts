/**
 * A home folder for one test browser whose only addition to the trusted certificate authorities is
 * the tests' own (tls.ts, testAuthority). Chromium on Linux reads authorities a user added from the
 * NSS database in $HOME/.pki/nssdb; the browser is started with HOME pointing here, so nothing of
 * the machine's own home is read or changed, and every other check (host names, dates, key usage)
 * stays on.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MISSING_CERTUTIL =
  'certutil was not found. The look-alike tests trust their own certificate authority through an NSS database: ' +
  'install it with "sudo apt-get install libnss3-tools" (Debian, Ubuntu).';

/** A new home folder whose NSS database trusts `authorityPem` to name web servers. Delete it after the browser closes. */
export function homeTrusting(authorityPem: string): string {
  const home = mkdtempSync(join(tmpdir(), 'token-watch-home-'));
  const database = join(home, '.pki', 'nssdb');
  mkdirSync(database, { recursive: true });
  const authorityFile = join(home, 'test-authority.pem');
  writeFileSync(authorityFile, authorityPem);
  const certutil = (args: string[]) => {
    try {
      execFileSync('certutil', ['-d', `sql:${database}`, ...args], { stdio: 'pipe' });
    } catch (error) {
      throw (error as NodeJS.ErrnoException).code === 'ENOENT' ? new Error(MISSING_CERTUTIL) : error;
    }
  };
  certutil(['-N', '--empty-password']);
  // "C,,": a certificate authority for TLS servers only (not for e-mail or code signing).
  certutil(['-A', '-n', 'Token Watch test authority', '-t', 'C,,', '-i', authorityFile]);
  return home;
}
