import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { userAssignmentFact } from '../../../src/collect/graph/entra/user-assignment.js';
import { CLIENT, GRAPH, GRAPH_HEADERS, contractConfig, contractCtx, mockMailboxUser, mockToken, refuseGraphBatch } from './harness.js';

/**
 * entra.user-assignment after the G2 rewrite: the mailbox resolved to its user (G1, `$filter`), then
 * `GET /users/{id}/appRoleAssignments` (ConsistencyLevel: eventual, $count=true), which also returns
 * the assignments of groups the user is a DIRECT member of (G2 [V], api/user-list-approleassignments);
 * nested groups never count. Answers written from the API reference examples.
 */

const MAILBOX = 'support@fabrikam.example';
const asset = { mailbox: MAILBOX, forwardingAddress: 'a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io' };
const spId = '59e617e5-e447-4adc-8b88-00af644d7c92';
const userId = '87d349ed-44d7-43e1-9a83-5f2406dee5bd';
const groupId = '45b7d2e7-b882-4a80-ba97-10b7a63b8fa4';
/** api/serviceprincipal-list-approleassignedto / api/user-list-approleassignments: the appRoleAssignment shape. */
const groupAssignment = {
  id: 'Lo6gEmlmk0a3cxFSn0JsTk8UzbZ2fL1DtmDqYuVTcJ8',
  deletedDateTime: null,
  appRoleId: '00000000-0000-0000-0000-000000000000',
  createdDateTime: '2021-02-15T16:39:38.2975029Z',
  principalDisplayName: 'Webex mailboxes',
  principalId: groupId,
  principalType: 'Group',
  resourceDisplayName: 'Webex Connect Email',
  resourceId: spId,
};

beforeEach(async () => {
  await mockToken();
  refuseGraphBatch();
});
afterEach(() => {
  nock.cleanAll();
});

/** The Webex app's service principal with "Assignment required?" on, and its assignees (the group). */
function mockAssignedApp(): void {
  nock(GRAPH)
    .get(`/v1.0/servicePrincipals(appId='${CLIENT}')`)
    .query(true)
    .reply(200, { id: spId, appId: CLIENT, displayName: 'Webex Connect Email', accountEnabled: true, appRoleAssignmentRequired: true }, GRAPH_HEADERS)
    // api/serviceprincipal-list-approleassignedto (response example shape)
    .get(`/v1.0/servicePrincipals/${spId}/appRoleAssignedTo`)
    .reply(200, { value: [groupAssignment] }, GRAPH_HEADERS);
  mockMailboxUser(MAILBOX, { id: userId, userPrincipalName: 'support@fabrikam.onmicrosoft.com' });
}

describe('entra.user-assignment (users $filter, /users/{id}/appRoleAssignments)', () => {
  it('a group the user is a direct member of, assigned to the app, counts as "group"; assignments to other apps do not count', async () => {
    mockAssignedApp();
    // api/user-list-approleassignments: the user's own and its direct groups' assignments, for every
    // resource; only those on the Webex app's service principal (resourceId) count.
    nock(GRAPH)
      .get(`/v1.0/users/${userId}/appRoleAssignments`)
      .query({ $count: 'true' })
      .matchHeader('ConsistencyLevel', 'eventual')
      .reply(
        200,
        {
          '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${userId}')/appRoleAssignments`,
          value: [
            groupAssignment,
            { ...groupAssignment, id: 'x7sPFqv1o0-3JI3jYsXZXpZq2l5N-6dPkW9EyZBK8QY', principalDisplayName: 'Adele Vance', principalId: userId, principalType: 'User', resourceDisplayName: 'Another app', resourceId: '0c9b0f3e-7e4b-4b38-9e4a-3f1d2c5b6a7d' },
          ],
        },
        GRAPH_HEADERS,
      );
    const r = await contractCtx(contractConfig({ assets: [asset] })).get(userAssignmentFact);
    expect(r.required).toBe(true);
    expect(r.assignments).toEqual([{ principalId: groupId, principalType: 'Group', principalDisplayName: 'Webex mailboxes' }]);
    expect(r.mailboxes).toEqual([
      {
        mailbox: MAILBOX,
        userId,
        userPrincipalName: 'support@fabrikam.onmicrosoft.com',
        filtersTried: [`mail eq '${MAILBOX}' or userPrincipalName eq '${MAILBOX}'`],
        matchedBy: 'mail-or-upn',
        assigned: true,
        via: 'group',
        viaGroups: ['Webex mailboxes'],
        nestedOnly: [],
        source: 'user-appRoleAssignments',
      },
    ]);
  });

  it('a user who reaches the assigned group only through another group is not assigned (G2: no cascade); transitiveMemberOf only explains', async () => {
    mockAssignedApp();
    const outerId = 'c43a7cc9-2d95-44b6-bf6a-6392e41949b4';
    nock(GRAPH)
      .get(`/v1.0/users/${userId}/appRoleAssignments`)
      .query({ $count: 'true' })
      .matchHeader('ConsistencyLevel', 'eventual')
      .reply(200, { value: [] }, GRAPH_HEADERS)
      // api/user-list-transitivememberof and api/user-list-memberof (directoryObject collections, trimmed by $select)
      .get(`/v1.0/users/${userId}/transitiveMemberOf`)
      .query({ $select: 'id,displayName' })
      .reply(200, { value: [{ '@odata.type': '#microsoft.graph.group', id: outerId, displayName: 'Support team' }, { '@odata.type': '#microsoft.graph.group', id: groupId, displayName: 'Webex mailboxes' }] }, GRAPH_HEADERS)
      .get(`/v1.0/users/${userId}/memberOf`)
      .query({ $select: 'id,displayName' })
      .reply(200, { value: [{ '@odata.type': '#microsoft.graph.group', id: outerId, displayName: 'Support team' }] }, GRAPH_HEADERS);
    const r = await contractCtx(contractConfig({ assets: [asset] })).get(userAssignmentFact);
    expect(r.mailboxes[0]).toMatchObject({ userId, assigned: false, via: null, viaGroups: [], source: 'user-appRoleAssignments', nestedOnly: [{ group: 'Webex mailboxes', through: ['Support team'] }] });
  });
});
