import { generateAppCertificate, type AppCertificate } from '../certs.js';
import type { Scenario } from '../scenario/schema.js';

export type CertificateStore = Map<string, Map<string, AppCertificate>>;

/**
 * One key pair + self-signed certificate per keyCredential of every app, valid over the
 * credential's start/end (so an expired certificate is really expired). Generated concurrently:
 * RSA key generation dominates the simulator's start-up time.
 */
export async function generateAppCertificates(scenario: Scenario, when: (v: string) => Date): Promise<CertificateStore> {
  const store: CertificateStore = new Map();
  const jobs: Promise<void>[] = [];
  for (const [appKey, app] of Object.entries(scenario.apps)) {
    const perApp = new Map<string, AppCertificate>();
    store.set(appKey, perApp);
    for (const [credKey, cred] of Object.entries(app.keyCredentials)) {
      jobs.push(
        generateAppCertificate({ commonName: cred.displayName, notBefore: when(cred.start), notAfter: when(cred.end) }).then((c) => {
          perApp.set(credKey, c);
        }),
      );
    }
  }
  await Promise.all(jobs);
  return store;
}
