import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { groupMembershipFact, isLimited, membershipOf } from '../../../src/collect/graph/mailbox/group-membership.js';
import { inboxRulesFact } from '../../../src/collect/graph/mailbox/inbox-rules.js';
import { securityDefaultsFact } from '../../../src/collect/graph/mailbox/security-defaults.js';
import { GRAPH, GRAPH_HEADERS, contractCtx, graphError, mockToken, caught, refuseGraphBatch, mockMailboxUser, mockNoProxyAddressUser } from './harness.js';

/**
 * Mailbox and directory collectors against Graph answers written from the API reference's
 * examples, served by nock. The mailbox and its UPN are this test's own.
 */

const MAILBOX = 'support@fabrikam.example';
const asset = { mailbox: MAILBOX, forwardingAddress: 'a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io' };
/** The mailbox's user (G1): its object id, and a UPN that differs from the mailbox address. */
const USER_ID = '87d349ed-44d7-43e1-9a83-5f2406dee5bd';
const USER = { id: USER_ID, userPrincipalName: 'support@fabrikam.onmicrosoft.com' };

beforeEach(async () => {
  await mockToken();
  refuseGraphBatch();
});
afterEach(() => {
  nock.cleanAll();
});

describe('graph.security-defaults (api/identitysecuritydefaultsenforcementpolicy-get)', () => {
  it.each([true, false])('reads isEnabled %s from the documented policy object', async (isEnabled) => {
    nock(GRAPH)
      .get('/v1.0/policies/identitySecurityDefaultsEnforcementPolicy')
      .query({ $select: 'isEnabled' })
      .reply(
        200,
        {
          '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#policies/identitySecurityDefaultsEnforcementPolicy/$entity',
          id: '00000000-0000-0000-0000-000000000005',
          displayName: 'Security Defaults',
          description:
            'Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization. Administrators and users will be better protected from common identity related attacks.',
          isEnabled,
        },
        GRAPH_HEADERS,
      );
    expect(await contractCtx().get(securityDefaultsFact)).toEqual({ isEnabled });
  });
});

describe('graph.inbox-rules (api/mailfolder-list-messagerules)', () => {
  // G1: the rules are read by the user's object id, after the mailbox was resolved to it.
  const path = `/v1.0/users/${USER_ID}/mailFolders/inbox/messageRules`;
  beforeEach(() => {
    mockMailboxUser(MAILBOX, USER);
  });

  it('reads forwardTo, redirectTo and the flags from the documented messageRule shape', async () => {
    // https://learn.microsoft.com/graph/api/mailfolder-list-messagerules (response example) and
    // https://learn.microsoft.com/graph/api/resources/messageruleactions (forwardTo/redirectTo are recipient collections).
    nock(GRAPH)
      .get(path)
      .reply(
        200,
        {
          '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${USER_ID}')/mailFolders('inbox')/messageRules`,
          value: [
            {
              id: 'AQAAAJ5dZqA=',
              displayName: 'From partner',
              sequence: 2,
              isEnabled: true,
              hasError: false,
              isReadOnly: false,
              conditions: { senderContains: ['adele'] },
              actions: { stopProcessingRules: true, forwardTo: [{ emailAddress: { name: 'Alex Wilbur', address: 'AlexW@contoso.onmicrosoft.com' } }] },
            },
            {
              id: 'AQAAAJ5dZqB=',
              displayName: 'To Webex Connect',
              sequence: 3,
              isEnabled: false,
              hasError: false,
              isReadOnly: false,
              conditions: {},
              actions: { redirectTo: [{ emailAddress: { name: 'Webex', address: 'A41A0BA3566ED2091155F13E48E6D4F8@mail-us.imiconnect.io' } }] },
            },
          ],
        },
        GRAPH_HEADERS,
      );
    const { rules } = await contractCtx().get(inboxRulesFact, asset);
    expect(rules).toEqual([
      {
        displayName: 'From partner',
        sequence: 2,
        isEnabled: true,
        hasError: false,
        forwardTo: ['alexw@contoso.onmicrosoft.com'],
        forwardAsAttachmentTo: [],
        redirectTo: [],
        stopProcessingRules: true,
        // messageRulePredicates (resources/messagerulepredicates): the set predicates, by name.
        conditions: [{ name: 'senderContains', values: ['adele'] }],
        exceptions: [],
      },
      {
        displayName: 'To Webex Connect',
        sequence: 3,
        isEnabled: false,
        hasError: false,
        forwardTo: [],
        forwardAsAttachmentTo: [],
        redirectTo: ['a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io'],
        stopProcessingRules: false,
        conditions: [],
        exceptions: [],
      },
    ]);
  });

  it('an empty collection is no rules', async () => {
    nock(GRAPH).get(path).reply(200, { value: [] }, GRAPH_HEADERS);
    expect(await contractCtx().get(inboxRulesFact, asset)).toEqual({ rules: [] });
  });

  it('a 403 ErrorAccessDenied "[RAOP]" is an application access policy (G8 [O]), not a missing permission, and keeps Graph\'s code and message in the evidence', async () => {
    // Graph error body (graph/errors); the RAOP wording is observed, not documented (G8).
    nock(GRAPH).get(path).reply(403, graphError('ErrorAccessDenied', 'Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.'), GRAPH_HEADERS);
    const e = await caught(contractCtx().get(inboxRulesFact, asset));
    expect(e.code).toBe('MAILBOX_ACCESS_SCOPED');
    expect(e.message).toContain(MAILBOX);
    expect(e.evidence).toMatchObject({ status: 403, graphCode: 'ErrorAccessDenied', graphMessage: expect.stringContaining('[RAOP]'), mailbox: MAILBOX });
  });
});

describe('graph.group-membership (api/user-list-transitivememberof; limited information, permissions-overview)', () => {
  // G1: membership is read by the user's object id, after the mailbox was resolved to it.
  const path = `/v1.0/users/${USER_ID}/transitiveMemberOf`;

  it('keeps a group that came back with only @odata.type and id as unknown, and drops directory roles', async () => {
    // "Limited information returned for inaccessible member objects"
    // (https://learn.microsoft.com/graph/permissions-overview#limited-information-returned-for-inaccessible-member-objects):
    // only @odata.type and id come back, other properties null or absent. Page 2 via @odata.nextLink (graph/paging).
    mockMailboxUser(MAILBOX, USER);
    nock(GRAPH)
      .get(path)
      .query({ $select: 'id,displayName,mail,mailNickname' })
      .reply(
        200,
        {
          '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#directoryObjects(id,displayName,mail,mailNickname)',
          '@odata.nextLink': `${GRAPH}${path}?$select=id,displayName,mail,mailNickname&$skiptoken=X%274453707402000100000017`,
          value: [
            { '@odata.type': '#microsoft.graph.group', id: '45b7d2e7-b882-4a80-ba97-10b7a63b8fa4', displayName: 'All Company', mail: 'allcompany@fabrikam.example', mailNickname: 'allcompany' },
            { '@odata.type': '#microsoft.graph.directoryRole', id: 'fe8f10bf-c9c2-47eb-95cb-c26cc85f1830', displayName: 'Global Reader' },
          ],
        },
        GRAPH_HEADERS,
      )
      .get(path)
      .query({ $select: 'id,displayName,mail,mailNickname', $skiptoken: "X'4453707402000100000017" })
      .reply(200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#directoryObjects(id,displayName,mail,mailNickname)', value: [{ '@odata.type': '#microsoft.graph.group', id: 'c43a7cc9-2d95-44b6-bf6a-6392e41949b4', displayName: null, mail: null, mailNickname: null }] }, GRAPH_HEADERS);
    const membership = await contractCtx().get(groupMembershipFact, asset);
    expect(membership.groups.map((g) => g.id)).toEqual(['45b7d2e7-b882-4a80-ba97-10b7a63b8fa4', 'c43a7cc9-2d95-44b6-bf6a-6392e41949b4']);
    expect(membership.groups.map(isLimited)).toEqual([false, true]);
    // G3: a group named by a rule that is not among the readable ones is unknown, not "not a member".
    expect(membershipOf(membership, 'Sales')).toBe('unknown');
    expect(membershipOf(membership, 'allcompany@fabrikam.example')).toBe('member');
  });

  it('an empty collection is no groups, and then a named group is certainly not one of them', async () => {
    mockMailboxUser(MAILBOX, USER);
    nock(GRAPH).get(path).query(true).reply(200, { value: [] }, GRAPH_HEADERS);
    const membership = await contractCtx().get(groupMembershipFact, asset);
    expect(membership.groups).toEqual([]);
    expect(membershipOf(membership, 'Sales')).toBe('not-member');
  });

  it('a mailbox address that no user has (G1: neither filter finds one) is an error naming the filters, never "no groups"', async () => {
    mockMailboxUser(MAILBOX, null);
    mockNoProxyAddressUser(MAILBOX);
    const e = await caught(contractCtx().get(groupMembershipFact, asset));
    expect(e.code).toBe('MAILBOX_USER_NOT_FOUND');
    expect(e.message).toContain(MAILBOX);
    expect(e.evidence).toMatchObject({ mailbox: MAILBOX, filtersTried: [`mail eq '${MAILBOX}' or userPrincipalName eq '${MAILBOX}'`, `proxyAddresses/any(p:p eq 'smtp:${MAILBOX}')`] });
  });

  it('404 on the user\'s transitiveMemberOf (api/user-get: Request_ResourceNotFound) is an error, never "no groups"', async () => {
    mockMailboxUser(MAILBOX, USER);
    nock(GRAPH).get(path).query(true).reply(404, graphError('Request_ResourceNotFound', `Resource '${USER_ID}' does not exist or one of its queried reference-property objects are not present.`), GRAPH_HEADERS);
    const e = await caught(contractCtx().get(groupMembershipFact, asset));
    expect(e.code).toBe('UNEXPECTED_RESPONSE');
    expect(e.evidence).toMatchObject({ status: 404, graphCode: 'Request_ResourceNotFound' });
  });
});
