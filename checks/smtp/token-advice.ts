import type { CredentialSummary } from '../../src/collect/smtp/mail-tokens.js';

/**
 * What the token's decoded claims say about a refused login or a probe that cannot run. The
 * claims are diagnostic only (reference A2), so the advice says "likely", never "certain".
 */

const GRAPH_AUDIENCE = /graph\.microsoft|00000003-0000-0000-c000-000000000000/i;

export function appIdOf(c: CredentialSummary, fallback: string | undefined): string {
  return c.appId ?? fallback ?? '<application (client) id>';
}

export function spIdOf(c: CredentialSummary): string {
  return c.servicePrincipalId ?? '<Enterprise application object id>';
}

/** The commands of reference B2 (steps 3 and 4), filled in with what the token tells. */
export function appOnlyCommands(c: CredentialSummary, mailbox: string, clientId: string | undefined): string[] {
  return [
    `New-ServicePrincipal -AppId ${appIdOf(c, clientId)} -ObjectId ${spIdOf(c)}`,
    `Add-MailboxPermission -Identity ${mailbox} -User ${spIdOf(c)} -AccessRights FullAccess`,
  ];
}

/** Likely causes of `535 5.7.3` for this token, most likely first. */
export function likelyAuthCauses(c: CredentialSummary, mailbox: string, clientId: string | undefined): string[] {
  const out: string[] = [];
  if (c.audience && GRAPH_AUDIENCE.test(c.audience)) {
    out.push(`the token is for Microsoft Graph (aud ${c.audience}), not Exchange Online — request it with the scope https://outlook.office365.com/.default (app-only) or https://outlook.office.com/SMTP.Send (delegated)`);
  }
  if (c.kind === 'delegated') {
    if (c.carriesNeeded === false) out.push(`the delegated token has no SMTP.Send scope (scp: ${c.scopes.join(' ') || 'none'}) — sign in again with https://outlook.office.com/SMTP.Send`);
    if (c.upn && c.upn.toLowerCase() !== mailbox.toLowerCase()) {
      out.push(`the delegated token belongs to ${c.upn}, but the login is as ${mailbox} — sign in as the mailbox user (or give ${c.upn} rights on the mailbox)`);
    }
    if (out.length === 0) out.push('the delegated token looks right (SMTP.Send, the mailbox user); a change made in the last minutes may still be propagating, or the mailbox user is not licensed for Exchange Online');
    return out;
  }
  // App-only tokens are only used when they carry SMTP.SendAsApp, so the refusal is Exchange's.
  out.push(
    `the token carries SMTP.SendAsApp, so Entra is fine; Exchange Online most likely does not know the service principal (\`New-ServicePrincipal -AppId ${appIdOf(c, clientId)} -ObjectId ${spIdOf(c)}\`, with the Enterprise application's object id, not the app registration's)`,
    `or the service principal has no FullAccess on ${mailbox} (\`Add-MailboxPermission -Identity ${mailbox} -User ${spIdOf(c)} -AccessRights FullAccess\`)`,
    'or one of these was done in the last minutes and has not propagated yet (wait and run again)',
  );
  return out;
}

/** Why a probe has no token to use, and how to give it one. Markdown. */
export function notApplicableDetails(c: CredentialSummary, protocol: 'smtp' | 'imap', mailbox: string, clientId: string | undefined): string {
  const role = protocol === 'smtp' ? 'SMTP.SendAsApp' : 'IMAP.AccessAsApp';
  const scope = protocol === 'smtp' ? 'https://outlook.office.com/SMTP.Send' : 'https://outlook.office.com/IMAP.AccessAsUser.All';
  const [sp, perm] = appOnlyCommands(c, mailbox, clientId);
  return [
    'Webex Connect signs in as the mailbox user (delegated OAuth, the "Generate Token" button), which this tool cannot do on its behalf. To let the doctor test it anyway, either:',
    '',
    `1. **App-only**: add the Office 365 Exchange Online *application* permission \`${role}\` to the app and grant admin consent, register its service principal in Exchange Online and give it FullAccess on the mailbox:`,
    `   - \`${sp}\` (the *Enterprise application* object id, not the app registration's)`,
    `   - \`${perm}\``,
    `2. **Delegated**: get an access token as the mailbox user with the scope \`${scope}\` and pass it with \`--access-token-file FILE\`.`,
  ].join('\n');
}

/** Token facts safe for evidence. */
export function credentialEvidence(c: CredentialSummary): Record<string, unknown> {
  return {
    tokenKind: c.kind,
    needed: c.needed,
    carriesNeeded: c.carriesNeeded,
    appId: c.appId,
    servicePrincipalId: c.servicePrincipalId,
    roles: c.roles,
    scopes: c.scopes,
    upn: c.upn,
    audience: c.audience,
  };
}
