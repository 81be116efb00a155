import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { userAssignmentFact } from '../../../src/collect/graph/entra/user-assignment.js';
import { CLIENT, GRAPH, GRAPH_HEADERS, contractConfig, contractCtx, mockToken, refuseGraphBatch } from './harness.js';

/**
 * entra.user-assignment as it reads today (appRoleAssignedTo, the user, transitiveMemberOf), with
 * answers written from the API reference examples. Kept in its own file: the G2 rewrite (issue 10
 * item 2: /users/{id}/appRoleAssignments, no transitive membership) changes its requests, and this
 * file's mocks then follow it.
 */

const MAILBOX = 'support@fabrikam.example';
const asset = { mailbox: MAILBOX, forwardingAddress: 'a41a0ba3566ed2091155f13e48e6d4f8@mail-us.imiconnect.io' };

beforeEach(async () => {
  await mockToken();
  refuseGraphBatch();
});
afterEach(() => {
  nock.cleanAll();
});

describe('entra.user-assignment (appRoleAssignedTo, users, transitiveMemberOf)', () => {
  it('reads the documented appRoleAssignedTo and user shapes; an assigned group reached by membership counts as "group"', async () => {
    const spId = '59e617e5-e447-4adc-8b88-00af644d7c92';
    const userId = '87d349ed-44d7-43e1-9a83-5f2406dee5bd';
    const groupId = '45b7d2e7-b882-4a80-ba97-10b7a63b8fa4';
    nock(GRAPH)
      .get(`/v1.0/servicePrincipals(appId='${CLIENT}')`)
      .query(true)
      .reply(200, { id: spId, appId: CLIENT, displayName: 'Webex Connect Email', accountEnabled: true, appRoleAssignmentRequired: true }, GRAPH_HEADERS)
      // api/serviceprincipal-list-approleassignedto (response example shape)
      .get(`/v1.0/servicePrincipals/${spId}/appRoleAssignedTo`)
      .reply(200, { value: [{ id: 'Lo6gEmlmk0a3cxFSn0JsTk8UzbZ2fL1DtmDqYuVTcJ8', deletedDateTime: null, appRoleId: '00000000-0000-0000-0000-000000000000', createdDateTime: '2021-02-15T16:39:38.2975029Z', principalDisplayName: 'Webex mailboxes', principalId: groupId, principalType: 'Group', resourceDisplayName: 'Webex Connect Email', resourceId: spId }] }, GRAPH_HEADERS)
      // api/user-get with $select
      .get(`/v1.0/users/${encodeURIComponent(MAILBOX)}`)
      .query({ $select: 'id,userPrincipalName' })
      .reply(200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName)/$entity', id: userId, userPrincipalName: MAILBOX }, GRAPH_HEADERS)
      .get(`/v1.0/users/${userId}/transitiveMemberOf`)
      .query({ $select: 'id' })
      .reply(200, { value: [{ '@odata.type': '#microsoft.graph.group', id: groupId }] }, GRAPH_HEADERS);
    const r = await contractCtx(contractConfig({ assets: [asset] })).get(userAssignmentFact);
    expect(r.required).toBe(true);
    expect(r.assignments).toEqual([{ principalId: groupId, principalType: 'Group', principalDisplayName: 'Webex mailboxes' }]);
    expect(r.mailboxes).toEqual([{ mailbox: MAILBOX, userId, assigned: true, via: 'group' }]);
  });
});
