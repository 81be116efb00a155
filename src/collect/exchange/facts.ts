/**
 * Exchange Online facts. Tenant-wide settings (transport config, outbound spam policies and
 * rules, remote domains, transport rules) are read once per run whatever the number of
 * mailboxes, and each check filters them for its mailbox; Get-Mailbox and Get-CASMailbox are read
 * per mailbox (for a fleet, through one `-Filter` per 50 mailboxes: read-ahead.ts). The runner starts independent facts together; the admin API collector keeps at
 * most three calls in flight per tenant.
 */
import type { Asset } from '../../config/types.js';
import { FactError } from '../../core/fact-error.js';
import { defineFact, type CollectContext } from '../../core/fact.js';
import { ExchangeObjectNotFound } from './admin-api.js';
import { MAILBOX_NOT_FOUND } from './codes.js';
import { evidenceFileName, type EvidenceCmdlet } from './evidence-files.js';
import { mailboxAddresses, mailboxNames } from './mailbox-identity.js';
import {
  toCasMailbox,
  toMailbox,
  toOutboundSpamPolicy,
  toOutboundSpamRule,
  toRecipient,
  toRemoteDomain,
  toTransportConfig,
  toTransportRule,
} from './normalize.js';
import { readCmdlet } from './source.js';
import { ADMIN_API_SOURCE, type CasMailbox, type ExchangeMailbox, type ForwardingRecipientResolution, type OutboundSpamSettings, type RemoteDomains, type TransportConfig, type TransportRules } from './types.js';
import type { Row } from './values.js';

function mailboxOf(asset: Asset | null, factId: string): string {
  const mailbox = asset?.mailbox?.trim();
  if (!mailbox) throw new FactError('INPUT_MISSING', `No mailbox configured (--mailbox); ${factId} needs one.`);
  return mailbox;
}

/** Get-Mailbox for the asset's mailbox. */
export const exchangeMailboxFact = defineFact<ExchangeMailbox>({
  id: 'exchange.mailbox',
  scope: 'asset',
  async collect(ctx, asset) {
    const mailbox = mailboxOf(asset, 'exchange.mailbox');
    const { rows, source, fromEvidence } = await readPerMailbox(ctx, 'Get-Mailbox', mailbox);
    const all = rows.map((r) => toMailbox(r, source));
    const found = fromEvidence ? all.find((m) => mailboxAddresses(m).includes(mailbox.toLowerCase()) || mailboxNames(m).has(mailbox.toLowerCase())) : all[0];
    if (!found) throw notInEvidenceOrTenant(fromEvidence, 'Get-Mailbox', mailbox, all.map((m) => m.primarySmtpAddress ?? m.identity));
    return found;
  },
});

/**
 * `Get-Recipient -Identity <ForwardingAddress>` (G12): ForwardingAddress names a recipient, so it
 * is resolved before it is compared. Read only when the mailbox has one; from evidence, the row
 * of Get-Recipient.json that answers to that identity. An unknown identity resolves to null.
 */
export const forwardingRecipientFact = defineFact<ForwardingRecipientResolution>({
  id: 'exchange.forwarding-recipient',
  scope: 'asset',
  async collect(ctx, asset) {
    const mbx = await ctx.get(exchangeMailboxFact, asset);
    const identity = mbx.forwardingAddress?.trim() || null;
    if (!identity) return { identity: null, recipient: null, source: mbx.source };
    try {
      const { rows, source, fromEvidence } = await readCmdlet(ctx, 'Get-Recipient', { Identity: identity });
      const all = rows.map(toRecipient);
      const found = fromEvidence ? all.find((r) => r.names.includes(identity.toLowerCase())) : all[0];
      return { identity, recipient: found ?? null, source };
    } catch (err) {
      if (err instanceof ExchangeObjectNotFound) return { identity, recipient: null, source: ADMIN_API_SOURCE };
      throw err;
    }
  },
});

/** Get-CASMailbox for the asset's mailbox. */
export const casMailboxFact = defineFact<CasMailbox>({
  id: 'exchange.cas-mailbox',
  scope: 'asset',
  async collect(ctx, asset) {
    const mailbox = mailboxOf(asset, 'exchange.cas-mailbox');
    const { rows, source, fromEvidence } = await readPerMailbox(ctx, 'Get-CASMailbox', mailbox);
    const all = rows.map((r) => toCasMailbox(r, source));
    if (!fromEvidence) {
      if (!all[0]) throw notInEvidenceOrTenant(false, 'Get-CASMailbox', mailbox, []);
      return all[0];
    }
    // The CAS view carries fewer names than Get-Mailbox: match through the mailbox's names too.
    const names = new Set([mailbox.toLowerCase()]);
    const mbx = await ctx.get(exchangeMailboxFact, asset).catch(() => null);
    if (mbx) for (const n of mailboxNames(mbx, mailbox)) names.add(n);
    const found = all.find((c) => names.has(c.identity.toLowerCase()) || (c.primarySmtpAddress !== null && names.has(c.primarySmtpAddress.toLowerCase())));
    if (!found) throw notInEvidenceOrTenant(true, 'Get-CASMailbox', mailbox, all.map((c) => c.primarySmtpAddress ?? c.identity));
    return found;
  },
});

/** Get-TransportConfig: the organisation's SMTP AUTH switch. */
export const transportConfigFact = defineFact<TransportConfig>({
  id: 'exchange.transport-config',
  scope: 'tenant',
  async collect(ctx) {
    const { rows, source } = await readCmdlet(ctx, 'Get-TransportConfig');
    return toTransportConfig(rows, source);
  },
});

/** Get-HostedOutboundSpamFilterPolicy and Get-HostedOutboundSpamFilterRule, read together. */
export const outboundSpamFact = defineFact<OutboundSpamSettings>({
  id: 'exchange.outbound-spam',
  scope: 'tenant',
  async collect(ctx) {
    const [policies, rules] = await Promise.all([readCmdlet(ctx, 'Get-HostedOutboundSpamFilterPolicy'), readCmdlet(ctx, 'Get-HostedOutboundSpamFilterRule')]);
    return {
      policies: policies.rows.map(toOutboundSpamPolicy),
      rules: rules.rows.map(toOutboundSpamRule),
      source: sourceOf(policies.source, rules.source),
    };
  },
});

/** Get-RemoteDomain. */
export const remoteDomainsFact = defineFact<RemoteDomains>({
  id: 'exchange.remote-domains',
  scope: 'tenant',
  async collect(ctx) {
    const { rows, source } = await readCmdlet(ctx, 'Get-RemoteDomain');
    return { domains: rows.map(toRemoteDomain), source };
  },
});

/** Get-TransportRule (mail flow rules). */
export const transportRulesFact = defineFact<TransportRules>({
  id: 'exchange.transport-rules',
  scope: 'tenant',
  async collect(ctx) {
    const { rows, source } = await readCmdlet(ctx, 'Get-TransportRule');
    return { rules: rows.map(toTransportRule), source };
  },
});

function sourceOf(a: string, b: string): string {
  return a === b ? a : `${a}; ${b}`;
}

async function readPerMailbox(ctx: CollectContext, cmdlet: EvidenceCmdlet, mailbox: string): Promise<{ rows: Row[]; source: string; fromEvidence: boolean }> {
  try {
    return await readCmdlet(ctx, cmdlet, { Identity: mailbox });
  } catch (err) {
    if (err instanceof ExchangeObjectNotFound) {
      throw new FactError(MAILBOX_NOT_FOUND, `Exchange Online has no mailbox ${mailbox}.`, {
        details: mailboxNotFoundDetails(mailbox),
        evidence: { cmdlet, mailbox, message: err.message, source: 'Exchange admin API (undocumented, observed shape)' },
        requestIds: err.requestIds,
      });
    }
    throw err;
  }
}

function mailboxNotFoundDetails(mailbox: string): string {
  return `\`${mailbox}\` is not a mailbox in this tenant's Exchange Online: check the mailbox address given with \`--mailbox\` (the Email ID of the Webex Connect asset), that the user has an Exchange Online licence, and that it is in the tenant given with \`--tenant-id\`.`;
}

function notInEvidenceOrTenant(fromEvidence: boolean, cmdlet: EvidenceCmdlet, mailbox: string, listed: string[]): FactError {
  if (!fromEvidence) {
    return new FactError(MAILBOX_NOT_FOUND, `Exchange Online has no mailbox ${mailbox}.`, {
      details: mailboxNotFoundDetails(mailbox),
      evidence: { cmdlet, mailbox, source: 'Exchange admin API (undocumented, observed shape)' },
    });
  }
  return new FactError('INPUT_MISSING', `${evidenceFileName(cmdlet)} in the Exchange evidence folder has no mailbox ${mailbox}.`, {
    details: `The evidence was collected for ${listed.length ? listed.map((l) => `\`${l}\``).join(', ') : 'no mailbox'}. Run \`wxmail evidence-script --mailbox ${mailbox}\` again and evaluate its output, or check \`--mailbox\`.`,
    evidence: { file: evidenceFileName(cmdlet), mailbox, listed, source: `evidence file ${evidenceFileName(cmdlet)}` },
  });
}
