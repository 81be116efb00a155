import type { SimContext } from '../context.js';
import type { ScenarioUser } from '../scenario/schema.js';
import { findMailContact } from '../mail/recipients.js';
import { invalidFilter, missingParameter, notFound, unknownCmdlet } from './errors.js';
import { parseEmailAddressesFilter } from './opath.js';
import type { SimResponse } from '../http/types.js';

type Row = Record<string, unknown>;
export type CmdletResult = { ok: true; rows: Row[] } | { ok: false; response: SimResponse };

/**
 * PowerShell serialises an empty multi-valued property as `null` in the admin API's JSON; the
 * simulator does the same for every list below (From, SenderDomainIs, RedirectMessageTo …), so a
 * client must treat `null` and `[]` alike. [I]: chosen to make clients robust; not captured live.
 */
function multi(list: string[]): string[] | null {
  return list.length ? list : null;
}

function eqi(a: string | null | undefined, b: string): boolean {
  return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

/** Parameter lookup is case-insensitive, as PowerShell's. */
function param(params: Record<string, unknown>, name: string): unknown {
  const k = Object.keys(params).find((p) => p.toLowerCase() === name.toLowerCase());
  return k === undefined ? undefined : params[k];
}

function identityParam(params: Record<string, unknown>): string | undefined {
  const v = param(params, 'Identity');
  if (v === undefined || v === null || v === '') return undefined;
  return String(v);
}

interface MailboxUser {
  key: string;
  user: ScenarioUser;
  alias: string;
  primary: string;
}

function mailboxUsers(ctx: SimContext): MailboxUser[] {
  return Object.entries(ctx.scenario.users)
    .filter(([, u]) => u.mailbox)
    .map(([key, user]) => ({ key, user, alias: user.userPrincipalName.split('@')[0]!, primary: user.mail ?? user.userPrincipalName }));
}

/** Identity resolves against alias/name, UPN, primary SMTP address, object id, display name. */
function matchMailbox(m: MailboxUser, identity: string): boolean {
  return [m.alias, m.user.userPrincipalName, m.primary, m.user.mail, m.user.id, m.user.displayName].some((v) => eqi(v, identity));
}

function byIdentity<T>(ctx: SimContext, all: T[], params: Record<string, unknown>, matches: (item: T, id: string) => boolean): { ok: true; items: T[] } | { ok: false; response: SimResponse } {
  const id = identityParam(params);
  if (id === undefined) return { ok: true, items: all };
  const hit = all.filter((x) => matches(x, id));
  if (hit.length === 0) return { ok: false, response: notFound(id, ctx.scenario.tenant.domains[0]!) };
  return { ok: true, items: hit };
}

/**
 * Get-Mailbox / Get-CASMailbox: by `Identity` (a miss is a 404), then by `Filter` (a miss is an
 * empty answer, as for any filter [V]: a filter selects, it names no object).
 */
function selectMailboxes(ctx: SimContext, params: Record<string, unknown>): { ok: true; items: MailboxUser[] } | { ok: false; response: SimResponse } {
  const r = byIdentity(ctx, mailboxUsers(ctx), params, matchMailbox);
  const filter = param(params, 'Filter');
  if (!r.ok || filter === undefined || filter === null) return r;
  const parsed = parseEmailAddressesFilter(String(filter));
  if (ctx.scenario.exchange.refuseFilter) return { ok: false, response: invalidFilter(String(filter), 0) };
  if (!parsed.ok) return { ok: false, response: invalidFilter(String(filter), parsed.position) };
  const wanted = new Set(parsed.addresses);
  return { ok: true, items: r.items.filter((m) => wanted.has(m.primary.toLowerCase())) };
}

type Cmdlet = (ctx: SimContext, params: Record<string, unknown>) => CmdletResult;

const cmdlets: Record<string, Cmdlet> = {
  'get-mailbox'(ctx, params) {
    const r = selectMailboxes(ctx, params);
    if (!r.ok) return r;
    return {
      ok: true,
      rows: r.items.map(({ user, alias, primary }) => {
        const mb = user.mailbox!;
        return {
          Identity: alias,
          Name: alias,
          Alias: alias,
          DisplayName: user.displayName,
          UserPrincipalName: user.userPrincipalName,
          PrimarySmtpAddress: primary,
          EmailAddresses: [`SMTP:${primary}`],
          ExternalDirectoryObjectId: user.id,
          RecipientTypeDetails: 'UserMailbox',
          // ProxyAddress serialises with its prefix [O] (reference D4).
          ForwardingSmtpAddress: mb.forwardingSmtpAddress ? `smtp:${mb.forwardingSmtpAddress}` : null,
          ForwardingAddress: mb.forwardingAddress,
          DeliverToMailboxAndForward: mb.deliverToMailboxAndForward,
        };
      }),
    };
  },

  'get-casmailbox'(ctx, params) {
    const r = selectMailboxes(ctx, params);
    if (!r.ok) return r;
    return {
      ok: true,
      rows: r.items.map(({ user, alias, primary }) => ({
        Identity: alias,
        Name: alias,
        PrimarySmtpAddress: primary,
        // The CAS view lists the proxy addresses too ([V] CASMailbox.EmailAddresses, ProxyAddressCollection).
        EmailAddresses: [`SMTP:${primary}`],
        // null = inherit the organisation setting (reference B3 [V]).
        SmtpClientAuthenticationDisabled: user.mailbox!.smtpClientAuthenticationDisabled,
        ImapEnabled: user.mailbox!.imapEnabled ?? true,
      })),
    };
  },

  'get-recipient'(ctx, params) {
    // Any recipient identity (Name, alias, address, display name, object id) [V, EXPS Get-Recipient].
    // A mail contact's PrimarySmtpAddress is its external address and ExternalEmailAddress carries
    // the `SMTP:` prefix [O]; a mailbox has no ExternalEmailAddress.
    const id = identityParam(params);
    if (id === undefined) return { ok: false, response: missingParameter('Identity') };
    const rows: Row[] = [];
    for (const m of mailboxUsers(ctx).filter((x) => matchMailbox(x, id))) {
      rows.push({ Identity: m.alias, Name: m.alias, Alias: m.alias, DisplayName: m.user.displayName, RecipientType: 'UserMailbox', RecipientTypeDetails: 'UserMailbox', PrimarySmtpAddress: m.primary, ExternalEmailAddress: null, EmailAddresses: [`SMTP:${m.primary}`], ExternalDirectoryObjectId: m.user.id });
    }
    const contact = findMailContact(ctx.scenario, id) ?? Object.entries(ctx.scenario.exchange.mailContacts ?? {}).find(([, c]) => eqi(c.externalEmailAddress, id));
    if (contact) {
      const [name, c] = contact;
      rows.push({ Identity: name, Name: name, Alias: c.alias ?? name.replace(/\s+/g, ''), DisplayName: c.displayName, RecipientType: 'MailContact', RecipientTypeDetails: 'MailContact', PrimarySmtpAddress: c.externalEmailAddress, ExternalEmailAddress: `SMTP:${c.externalEmailAddress}`, EmailAddresses: [`SMTP:${c.externalEmailAddress}`] });
    }
    if (rows.length === 0) return { ok: false, response: notFound(id, ctx.scenario.tenant.domains[0]!) };
    return { ok: true, rows };
  },

  'get-transportconfig'(ctx) {
    // [I] Identity/Name: "Transport Settings", as the organisation-wide object is called on-premises.
    return { ok: true, rows: [{ Identity: 'Transport Settings', Name: 'Transport Settings', SmtpClientAuthenticationDisabled: ctx.scenario.exchange.smtpClientAuthenticationDisabled }] };
  },

  'get-hostedoutboundspamfilterpolicy'(ctx, params) {
    const all = Object.entries(ctx.scenario.exchange.outboundSpamPolicies);
    const r = byIdentity(ctx, all, params, ([name], id) => eqi(name, id));
    if (!r.ok) return r;
    return {
      ok: true,
      rows: r.items.map(([name, p]) => ({ Identity: name, Name: name, IsDefault: p.isDefault, Enabled: p.enabled, AutoForwardingMode: p.autoForwardingMode })),
    };
  },

  'get-hostedoutboundspamfilterrule'(ctx, params) {
    const all = Object.entries(ctx.scenario.exchange.outboundSpamRules).sort(([, a], [, b]) => a.priority - b.priority);
    const r = byIdentity(ctx, all, params, ([name], id) => eqi(name, id));
    if (!r.ok) return r;
    return {
      ok: true,
      rows: r.items.map(([name, x]) => ({
        Identity: name,
        Name: name,
        HostedOutboundSpamFilterPolicy: x.policy,
        Priority: x.priority,
        State: x.state,
        From: multi(x.from),
        FromMemberOf: multi(groupNames(ctx, x.fromMemberOf)),
        SenderDomainIs: multi(x.senderDomainIs),
        ExceptIfFrom: multi(x.exceptIfFrom),
        ExceptIfFromMemberOf: multi(groupNames(ctx, x.exceptIfFromMemberOf)),
        ExceptIfSenderDomainIs: multi(x.exceptIfSenderDomainIs),
      })),
    };
  },

  'get-remotedomain'(ctx, params) {
    const all = Object.entries(ctx.scenario.exchange.remoteDomains);
    const r = byIdentity(ctx, all, params, ([name, d], id) => eqi(name, id) || eqi(d.domainName, id));
    if (!r.ok) return r;
    return { ok: true, rows: r.items.map(([name, d]) => ({ Identity: name, Name: name, DomainName: d.domainName, AutoForwardEnabled: d.autoForwardEnabled })) };
  },

  'get-transportrule'(ctx, params) {
    const all = Object.entries(ctx.scenario.exchange.transportRules).sort(([, a], [, b]) => a.priority - b.priority);
    const r = byIdentity(ctx, all, params, ([name], id) => eqi(name, id));
    if (!r.ok) return r;
    return {
      ok: true,
      rows: r.items.map(([name, t]) => ({
        Identity: name,
        Name: name,
        State: t.state,
        Mode: t.mode,
        Priority: t.priority,
        From: multi(t.from),
        FromScope: t.fromScope,
        SentToScope: t.sentToScope,
        MessageTypeMatches: t.messageTypeMatches,
        RejectMessageReasonText: t.rejectMessageReasonText,
        RejectMessageEnhancedStatusCode: t.rejectMessageEnhancedStatusCode,
        DeleteMessage: t.deleteMessage,
        RedirectMessageTo: multi(t.redirectMessageTo),
        Quarantine: t.quarantine ?? false,
        ExceptIfFrom: multi(t.exceptIfFrom ?? []),
        FromMemberOf: multi(t.fromMemberOf ?? []),
        ExceptIfFromMemberOf: multi(t.exceptIfFromMemberOf ?? []),
        SenderDomainIs: multi(t.senderDomainIs ?? []),
        ExceptIfSenderDomainIs: multi(t.exceptIfSenderDomainIs ?? []),
        ExceptIfFromScope: t.exceptIfFromScope ?? null,
        SentTo: multi(t.sentTo ?? []),
        ExceptIfSentTo: multi(t.exceptIfSentTo ?? []),
        RecipientDomainIs: multi(t.recipientDomainIs ?? []),
        ExceptIfRecipientDomainIs: multi(t.exceptIfRecipientDomainIs ?? []),
        SentToMemberOf: multi(t.sentToMemberOf ?? []),
        ExceptIfMessageTypeMatches: t.exceptIfMessageTypeMatches ?? null,
        SenderAddressLocation: t.senderAddressLocation ?? 'Header',
        StopRuleProcessing: t.stopRuleProcessing ?? false,
        // Any other condition, under its own property name (e.g. SCLOver); the predicate lists
        // (Conditions/Exceptions) are left out: whether the admin API returns them is NOT VERIFIED (G16).
        ...(t.conditions ?? {}),
      })),
    };
  },

  'get-serviceprincipal'(ctx, params) {
    // Service principal references registered with New-ServicePrincipal (reference B2 step 3).
    // [I] fields: Identity = the Entra SP object id (reference D4 lists them as not checked).
    const all = Object.values(ctx.scenario.apps).filter((a) => a.exchangeServicePrincipal);
    const r = byIdentity(ctx, all, params, (a, id) => [a.servicePrincipalId, a.appId, a.displayName].some((v) => eqi(v, id)));
    if (!r.ok) return r;
    return { ok: true, rows: r.items.map((a) => ({ Identity: a.servicePrincipalId, DisplayName: a.displayName, AppId: a.appId, ObjectId: a.servicePrincipalId })) };
  },

  'get-mailboxpermission'(ctx, params) {
    const id = identityParam(params);
    if (id === undefined) return { ok: false, response: missingParameter('Identity') };
    const mb = mailboxUsers(ctx).find((m) => matchMailbox(m, id));
    if (!mb) return { ok: false, response: notFound(id, ctx.scenario.tenant.domains[0]!) };
    const rows: Row[] = [{ Identity: mb.alias, User: 'NT AUTHORITY\\SELF', AccessRights: ['FullAccess', 'ReadPermission'], IsInherited: false, Deny: false, InheritanceType: 'All' }];
    for (const appKey of mb.user.mailbox!.fullAccessApps) {
      const app = ctx.scenario.apps[appKey];
      if (!app) continue;
      // [I]: after `Add-MailboxPermission -User <SP object id>` the row names the service principal by that id.
      rows.push({ Identity: mb.alias, User: app.servicePrincipalId, AccessRights: ['FullAccess'], IsInherited: false, Deny: false, InheritanceType: 'All' });
    }
    const userFilter = param(params, 'User');
    return { ok: true, rows: userFilter ? rows.filter((r) => eqi(r.User as string, String(userFilter))) : rows };
  },
};

export const SUPPORTED_CMDLETS = Object.keys(cmdlets);

export function runCmdlet(ctx: SimContext, name: string, params: Record<string, unknown>): CmdletResult {
  const fn = cmdlets[name.toLowerCase()];
  if (!fn) return { ok: false, response: unknownCmdlet(name) };
  return fn(ctx, params);
}

/** Exchange shows a group condition by the group's name; a scenario may name the group by its key. */
function groupNames(ctx: SimContext, refs: string[]): string[] {
  return refs.map((r) => ctx.scenario.groups[r]?.displayName ?? r);
}
