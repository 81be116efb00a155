import { describe, expect, it } from 'vitest';
import check from '../../../checks/entra/token.js';
import { CLOUD_DEFINITIONS, cloudProvenanceNote } from '../../../src/config/clouds.js';
import { defaultScope, resourceUri } from '../../../src/collect/identity/resources.js';
import { checkCtx, tokens } from '../checks/entra/fixtures.js';

describe('clouds (G24)', () => {
  it('DoD: Exchange admin API, token scope, SMTP and IMAP on outlook-dod.office365.us, never webmail.apps.mil', () => {
    const dod = CLOUD_DEFINITIONS.usgovdod;
    expect(dod.endpoints.exchange).toBe('https://outlook-dod.office365.us');
    expect(defaultScope('usgovdod', 'exchange')).toBe('https://outlook-dod.office365.us/.default');
    expect(dod.endpoints.smtpHost).toBe('outlook-dod.office365.us');
    expect(dod.endpoints.imapHost).toBe('outlook-dod.office365.us');
    expect(JSON.stringify(dod)).not.toContain('webmail.apps.mil');
  });

  it('one table: the token resource is the cloud\'s scope without /.default', () => {
    for (const cloud of ['global', 'usgov', 'usgovdod', 'china'] as const) {
      expect(`${resourceUri(cloud, 'graph')}/.default`).toBe(CLOUD_DEFINITIONS[cloud].graphScope);
      expect(`${resourceUri(cloud, 'exchange')}/.default`).toBe(CLOUD_DEFINITIONS[cloud].exchangeScope);
    }
  });

  it('China SMTP is smtp.partner.outlook.cn, marked observed', () => {
    expect(CLOUD_DEFINITIONS.china.endpoints.smtpHost).toBe('smtp.partner.outlook.cn');
    expect(CLOUD_DEFINITIONS.china.unverified).toContainEqual(expect.objectContaining({ value: 'smtp.partner.outlook.cn', label: 'O' }));
  });

  it('a verdict on a non-global cloud names the endpoints that are only observed; the worldwide cloud has none', () => {
    expect(cloudProvenanceNote('global')).toBeNull();
    const note = cloudProvenanceNote('usgovdod')!;
    expect(note).toContain('[O: CISA ScubaGear');
    expect(note).toContain('https://outlook-dod.office365.us');
    const o = check.run({ tokens: tokens() } as never, checkCtx({ cloud: 'usgovdod' })) as { code: string | null; details?: string };
    expect(o.code).toBeNull();
    expect(o.details).toContain('Cloud usgovdod');
    const global = check.run({ tokens: tokens() } as never, checkCtx()) as { details?: string };
    expect(global.details ?? '').not.toContain('not documented');
  });
});
