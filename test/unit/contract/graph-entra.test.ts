import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphGet } from '../../../src/collect/graph/client.js';
import { appRegistrationFact } from '../../../src/collect/graph/entra/app-registration.js';
import { appRoleAssignmentsFact, consentPolicyFact, delegatedGrantsFact } from '../../../src/collect/graph/entra/consent.js';
import { exchangeResourceFact, webexServicePrincipalFact } from '../../../src/collect/graph/entra/service-principals.js';
import { CLIENT, GRAPH, GRAPH_HEADERS, JSON_HEADERS, contractCtx, graphError, mockToken, caught, refuseGraphBatch } from './harness.js';

/**
 * Entra collectors against Microsoft Graph answers written from the Graph API reference's own
 * examples (each body names its page), served by nock at graph.microsoft.com. Independent of the
 * simulator: if a collector reads a field Graph does not send, or in another shape, these fail.
 */

beforeEach(async () => {
  await mockToken();
  refuseGraphBatch();
});
afterEach(() => {
  nock.cleanAll();
});

const APP_PATH = `/v1.0/applications(appId='${CLIENT}')`;

describe('entra.app-registration (GET /applications(appId=…), api/application-get)', () => {
  it('reads the documented application shape: web.implicitGrantSettings, key and password credentials, requiredResourceAccess', async () => {
    // Shape from https://learn.microsoft.com/graph/api/application-get (response example) and the
    // resource pages web, implicitGrantSettings, keyCredential, passwordCredential,
    // requiredResourceAccess (https://learn.microsoft.com/graph/api/resources/application).
    const body = {
      '@odata.context': "https://graph.microsoft.com/v1.0/$metadata#applications(id,appId,displayName,signInAudience,isFallbackPublicClient,web,spa,publicClient,passwordCredentials,keyCredentials,requiredResourceAccess)/$entity",
      id: '03ef14b0-ca33-4840-8f4f-d6e91916010e',
      appId: CLIENT,
      displayName: 'Webex Connect Email',
      signInAudience: 'AzureADMyOrg',
      isFallbackPublicClient: null,
      web: {
        homePageUrl: null,
        logoutUrl: null,
        redirectUris: ['https://acme.us.webexconnect.io/callback'],
        implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: true },
        redirectUriSettings: [{ uri: 'https://acme.us.webexconnect.io/callback', index: null }],
      },
      spa: { redirectUris: [] },
      publicClient: { redirectUris: [] },
      passwordCredentials: [
        {
          customKeyIdentifier: null,
          displayName: 'Password friendly name',
          endDateTime: '2026-01-13T15:08:19.0816287Z',
          hint: 'Xq8',
          keyId: '4d8d3a53-6eeb-4d76-b6e8-3f70f1d1e4c2',
          secretText: null,
          startDateTime: '2024-01-13T15:08:19.0816287Z',
        },
      ],
      keyCredentials: [
        {
          customKeyIdentifier: '52ED9B5038A47B9E2E2190715CC238359D4F8F73',
          displayName: 'CN=webex-connect',
          endDateTime: '2027-01-13T15:08:19Z',
          key: null,
          keyId: 'f0b0b335-1d71-4883-8f98-567911bfdca6',
          startDateTime: '2025-01-13T15:08:19Z',
          type: 'AsymmetricX509Cert',
          usage: 'Verify',
        },
      ],
      requiredResourceAccess: [
        {
          resourceAppId: '00000002-0000-0ff1-ce00-000000000000',
          resourceAccess: [{ id: '258f6531-6087-4cc4-bb90-092c5fb3ed3f', type: 'Scope' }],
        },
      ],
    };
    nock(GRAPH).get(APP_PATH).query(true).reply(200, body, GRAPH_HEADERS);
    const app = await contractCtx().get(appRegistrationFact);
    expect(app).toMatchObject({
      id: body.id,
      appId: CLIENT,
      isFallbackPublicClient: null,
      web: { redirectUris: ['https://acme.us.webexconnect.io/callback'], implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: true } },
      passwordCredentials: [{ keyId: body.passwordCredentials[0]!.keyId, hint: 'Xq8', endDateTime: '2026-01-13T15:08:19.0816287Z' }],
      keyCredentials: [{ customKeyIdentifier: '52ED9B5038A47B9E2E2190715CC238359D4F8F73', type: 'AsymmetricX509Cert', usage: 'Verify' }],
      requiredResourceAccess: [{ resourceAppId: '00000002-0000-0ff1-ce00-000000000000', resourceAccess: [{ id: '258f6531-6087-4cc4-bb90-092c5fb3ed3f', type: 'Scope' }] }],
    });
  });

  it('asks for exactly the documented $select properties', async () => {
    let query = '';
    nock(GRAPH)
      .get(APP_PATH)
      .query((q) => {
        query = String(q.$select);
        return true;
      })
      .reply(200, { id: 'x', appId: CLIENT }, GRAPH_HEADERS);
    await contractCtx().get(appRegistrationFact);
    expect(query.split(',')).toEqual(['id', 'appId', 'displayName', 'signInAudience', 'isFallbackPublicClient', 'web', 'spa', 'publicClient', 'passwordCredentials', 'keyCredentials', 'requiredResourceAccess']);
  });

  it('404 Request_ResourceNotFound (the directory\'s error body) is APP_NOT_FOUND', async () => {
    // Graph error body: https://learn.microsoft.com/graph/errors; Request_ResourceNotFound with
    // "Resource '…' does not exist or one of its queried reference-property objects are not present."
    nock(GRAPH)
      .get(APP_PATH)
      .query(true)
      .reply(404, graphError('Request_ResourceNotFound', `Resource '${CLIENT}' does not exist or one of its queried reference-property objects are not present.`), GRAPH_HEADERS);
    const e = await caught(contractCtx().get(appRegistrationFact));
    expect(e.code).toBe('APP_NOT_FOUND');
    expect(e.evidence).toMatchObject({ clientId: CLIENT });
  });

  it('403 Authorization_RequestDenied is MISSING_PERMISSION naming Application.Read.All, with Graph\'s code and request id', async () => {
    nock(GRAPH).get(APP_PATH).query(true).reply(403, graphError('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'), GRAPH_HEADERS);
    const e = await caught(contractCtx().get(appRegistrationFact));
    expect(e.code).toBe('MISSING_PERMISSION');
    expect(e.permission).toMatchObject({ name: 'Application.Read.All', api: 'Microsoft Graph' });
    expect(e.evidence).toMatchObject({ status: 403, graphCode: 'Authorization_RequestDenied', graphMessage: 'Insufficient privileges to complete the operation.' });
    expect(e.requestIds).toContain('2f91ee0a-e013-425b-a5cf-b1c44af4cb5a');
  });
});

describe('service principals (GET /servicePrincipals(appId=…), api/serviceprincipal-get)', () => {
  it('reads the Webex app\'s service principal', async () => {
    // https://learn.microsoft.com/graph/api/serviceprincipal-get (response example, trimmed by $select):
    // passwordCredentials (G9: secrets can live on the service principal; resources/passwordcredential),
    // appOwnerOrganizationId, and verifiedPublisher with null fields when the publisher is not verified
    // (resources/verifiedpublisher).
    let select = '';
    nock(GRAPH)
      .get(`/v1.0/servicePrincipals(appId='${CLIENT}')`)
      .query((q) => {
        select = String(q.$select);
        return true;
      })
      .reply(
        200,
        {
          '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals/$entity',
          id: '59e617e5-e447-4adc-8b88-00af644d7c92',
          appId: CLIENT,
          displayName: 'Webex Connect Email',
          accountEnabled: true,
          appRoleAssignmentRequired: false,
          appOwnerOrganizationId: '65415bb1-9267-4313-bbf5-ae259732ee12',
          passwordCredentials: [
            { customKeyIdentifier: null, displayName: 'sp secret', endDateTime: '2026-06-30T00:00:00Z', hint: 'Xq8', keyId: '7ad3c5d7-8a3a-4d39-9f5c-1e2b4a6c8d0e', secretText: null, startDateTime: '2025-06-30T00:00:00Z' },
          ],
          verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
        },
        GRAPH_HEADERS,
      );
    const sp = await contractCtx().get(webexServicePrincipalFact);
    expect(select.split(',')).toEqual(['id', 'appId', 'displayName', 'accountEnabled', 'appRoleAssignmentRequired', 'passwordCredentials', 'appOwnerOrganizationId', 'verifiedPublisher']);
    expect(sp).toMatchObject({
      id: '59e617e5-e447-4adc-8b88-00af644d7c92',
      appId: CLIENT,
      displayName: 'Webex Connect Email',
      accountEnabled: true,
      appRoleAssignmentRequired: false,
      appOwnerOrganizationId: '65415bb1-9267-4313-bbf5-ae259732ee12',
      verifiedPublisherId: null,
      verifiedPublisherName: null,
    });
    // G9: the secret on the service principal, without secretText (never returned after creation).
    expect(sp?.passwordCredentials).toEqual([{ keyId: '7ad3c5d7-8a3a-4d39-9f5c-1e2b4a6c8d0e', displayName: 'sp secret', hint: 'Xq8', startDateTime: '2025-06-30T00:00:00Z', endDateTime: '2026-06-30T00:00:00Z' }]);
  });

  it('404 (no service principal in the tenant) is null, not an error', async () => {
    nock(GRAPH).get(`/v1.0/servicePrincipals(appId='${CLIENT}')`).query(true).reply(404, graphError('Request_ResourceNotFound', `Resource '${CLIENT}' does not exist or one of its queried reference-property objects are not present.`), GRAPH_HEADERS);
    expect(await contractCtx().get(webexServicePrincipalFact)).toBeNull();
  });

  it('reads appRoles and oauth2PermissionScopes of Office 365 Exchange Online in the documented shape', async () => {
    // appRole / permissionScope resources: https://learn.microsoft.com/graph/api/resources/approle,
    // https://learn.microsoft.com/graph/api/resources/permissionscope
    nock(GRAPH)
      .get("/v1.0/servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')")
      .query(true)
      .reply(
        200,
        {
          id: 'a1f8e1f4-0f0e-4a7e-9c6e-1f3e5d7c9b0a',
          appId: '00000002-0000-0ff1-ce00-000000000000',
          displayName: 'Office 365 Exchange Online',
          appRoles: [{ allowedMemberTypes: ['Application'], description: 'Allows the app to send mail as any user without a signed-in user.', displayName: 'Send mail as any user', id: 'b633e1c5-b582-4048-a93e-9f11b44c7e96', isEnabled: true, origin: 'Application', value: 'Mail.Send' }],
          oauth2PermissionScopes: [{ adminConsentDescription: 'Allows the app to send mail as the signed-in user via SMTP AUTH.', adminConsentDisplayName: 'Send emails from mailboxes using SMTP AUTH.', id: '258f6531-6087-4cc4-bb90-092c5fb3ed3f', isEnabled: true, type: 'User', userConsentDescription: null, userConsentDisplayName: null, value: 'SMTP.Send' }],
        },
        GRAPH_HEADERS,
      );
    const sp = await contractCtx().get(exchangeResourceFact);
    expect(sp?.appRoles).toEqual([{ id: 'b633e1c5-b582-4048-a93e-9f11b44c7e96', value: 'Mail.Send', allowedMemberTypes: ['Application'], isEnabled: true }]);
    expect(sp?.oauth2PermissionScopes).toEqual([{ id: '258f6531-6087-4cc4-bb90-092c5fb3ed3f', value: 'SMTP.Send', type: 'User' }]);
  });
});

describe('consent (appRoleAssignments, oauth2PermissionGrants, authorizationPolicy)', () => {
  it('follows @odata.nextLink across pages of appRoleAssignments (api/serviceprincipal-list-approleassignments; graph/paging)', async () => {
    // Page shape: https://learn.microsoft.com/graph/paging ("@odata.nextLink" is an absolute URL
    // carrying $skiptoken, to be followed as is); items: serviceprincipal-list-approleassignments.
    const base = `/v1.0/servicePrincipals(appId='${CLIENT}')/appRoleAssignments`;
    const assignment = (id: string, appRoleId: string) => ({
      id,
      deletedDateTime: null,
      appRoleId,
      createdDateTime: '2021-02-02T04:22:45.9480566Z',
      principalDisplayName: 'Webex Connect Email',
      principalId: '59e617e5-e447-4adc-8b88-00af644d7c92',
      principalType: 'ServicePrincipal',
      resourceDisplayName: 'Office 365 Exchange Online',
      resourceId: 'a1f8e1f4-0f0e-4a7e-9c6e-1f3e5d7c9b0a',
    });
    nock(GRAPH)
      .get(base)
      .reply(200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals/appRoleAssignments', '@odata.nextLink': `${GRAPH}${base}?$skiptoken=RFNwdAIAAQAAAD8`, value: [assignment('41W1zT6z1U-kJxf62svfp1HFE8pMZhxDun-ThPczmJE', 'b633e1c5-b582-4048-a93e-9f11b44c7e96')] }, GRAPH_HEADERS)
      .get(base)
      .query({ $skiptoken: 'RFNwdAIAAQAAAD8' })
      .reply(200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals/appRoleAssignments', value: [assignment('41W1zT6z1U-kJxf62svfp2HFE8pMZhxDun-ThPczmJE', 'dc890d15-9560-4a4c-9b7f-a736ec74ec40')] }, GRAPH_HEADERS);
    const list = await contractCtx().get(appRoleAssignmentsFact);
    expect(list.map((a) => a.appRoleId)).toEqual(['b633e1c5-b582-4048-a93e-9f11b44c7e96', 'dc890d15-9560-4a4c-9b7f-a736ec74ec40']);
    expect(list[0]).toMatchObject({ resourceDisplayName: 'Office 365 Exchange Online', principalType: 'ServicePrincipal' });
    expect(nock.isDone()).toBe(true);
  });

  it('an empty collection is no grant (api/serviceprincipal-list-oauth2permissiongrants)', async () => {
    nock(GRAPH).get(`/v1.0/servicePrincipals(appId='${CLIENT}')/oauth2PermissionGrants`).reply(200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#oAuth2PermissionGrants', value: [] }, GRAPH_HEADERS);
    expect(await contractCtx().get(delegatedGrantsFact)).toEqual([]);
  });

  it('reads an AllPrincipals grant in the documented oAuth2PermissionGrant shape', async () => {
    // https://learn.microsoft.com/graph/api/resources/oauth2permissiongrant: principalId is null
    // for AllPrincipals; scope is a space-separated list.
    nock(GRAPH)
      .get(`/v1.0/servicePrincipals(appId='${CLIENT}')/oauth2PermissionGrants`)
      .reply(200, { value: [{ id: 'l5_1_sF1rEe0uU9bGpGqRvE1s8MDJ8pEhCo4VqHwDqQ', clientId: '59e617e5-e447-4adc-8b88-00af644d7c92', consentType: 'AllPrincipals', principalId: null, resourceId: 'a1f8e1f4-0f0e-4a7e-9c6e-1f3e5d7c9b0a', scope: 'SMTP.Send offline_access' }] }, GRAPH_HEADERS);
    expect(await contractCtx().get(delegatedGrantsFact)).toEqual([
      { id: 'l5_1_sF1rEe0uU9bGpGqRvE1s8MDJ8pEhCo4VqHwDqQ', clientId: '59e617e5-e447-4adc-8b88-00af644d7c92', consentType: 'AllPrincipals', principalId: null, resourceId: 'a1f8e1f4-0f0e-4a7e-9c6e-1f3e5d7c9b0a', scope: 'SMTP.Send offline_access' },
    ]);
  });

  it('reads permissionGrantPoliciesAssigned from the documented authorizationPolicy (api/authorizationpolicy-get)', async () => {
    // v1.0 answers the single policy object (not a collection): authorizationpolicy-get example.
    nock(GRAPH)
      .get('/v1.0/policies/authorizationPolicy')
      .reply(
        200,
        {
          '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#policies/authorizationPolicy/$entity',
          id: 'authorizationPolicy',
          allowInvitesFrom: 'everyone',
          allowedToSignUpEmailBasedSubscriptions: true,
          allowedToUseSSPR: true,
          allowEmailVerifiedUsersToJoinOrganization: true,
          blockMsolPowerShell: false,
          displayName: 'Authorization Policy',
          description: 'Used to manage authorization related settings across the company.',
          guestUserRoleId: 'a0b1b346-4d3e-4e8b-98f8-753987be4970',
          defaultUserRolePermissions: {
            allowedToCreateApps: true,
            allowedToCreateSecurityGroups: true,
            allowedToReadOtherUsers: true,
            permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy'],
          },
        },
        GRAPH_HEADERS,
      );
    // G4 [V]: the policies are listed in the same round trip as the authorization policy. Shape:
    // api/permissiongrantpolicy-list (https://learn.microsoft.com/graph/api/permissiongrantpolicy-list),
    // whose example response carries each policy's includes and excludes, and
    // resources/permissiongrantconditionset. The content below is illustrative (one delegated
    // include set for any resource, no classification condition), not the built-in policy's.
    const conditionSet = {
      id: 'a1b2c3d4-0000-4000-8000-000000000001',
      permissionType: 'delegated',
      permissionClassification: 'all',
      resourceApplication: 'any',
      permissions: ['all'],
      clientApplicationIds: ['all'],
      clientApplicationTenantIds: ['all'],
      clientApplicationPublisherIds: ['all'],
      clientApplicationsFromVerifiedPublisherOnly: false,
    };
    nock(GRAPH)
      .get('/v1.0/policies/permissionGrantPolicies')
      .reply(
        200,
        {
          '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#policies/permissionGrantPolicies',
          value: [
            {
              id: 'microsoft-company-admin',
              displayName: 'Company Admin Policy',
              description: 'Permissions consentable by Company Administrators.',
              includes: [{ ...conditionSet, id: '1f06f3a1-42d3-4243-8fbc-5d0c30d4de4c', permissionType: 'application' }],
              excludes: [],
            },
            {
              id: 'microsoft-user-default-legacy',
              displayName: 'Default User Legacy Policy',
              description: 'All users can consent to any delegated permission that does not require admin consent.',
              includes: [conditionSet],
              excludes: [],
            },
          ],
        },
        GRAPH_HEADERS,
      )
      // Microsoft Graph's own service principal (offline_access grants are on it): api/serviceprincipal-get, trimmed by $select=id.
      .get("/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')")
      .query({ $select: 'id' })
      .reply(200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(id)/$entity', id: '0b2f6e8a-3c4d-4e5f-8a9b-1c2d3e4f5a6b' }, GRAPH_HEADERS);
    expect(await contractCtx().get(consentPolicyFact)).toEqual({
      permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy'],
      policies: [
        {
          id: 'microsoft-user-default-legacy',
          error: null,
          policy: {
            id: 'microsoft-user-default-legacy',
            displayName: 'Default User Legacy Policy',
            // certifiedClientApplicationsOnly absent: false.
            includes: [{ ...conditionSet, certifiedClientApplicationsOnly: false }],
            excludes: [],
          },
        },
      ],
      // No condition on classifications: they are not read.
      classifications: null,
      graphSpId: '0b2f6e8a-3c4d-4e5f-8a9b-1c2d3e4f5a6b',
    });
  });

  it('under the low-impact policy reads delegatedPermissionClassifications (api/serviceprincipal-list-delegatedpermissionclassifications); a 404 is no classification', async () => {
    nock(GRAPH)
      .get('/v1.0/policies/authorizationPolicy')
      .reply(200, { id: 'authorizationPolicy', defaultUserRolePermissions: { permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-low'] } }, GRAPH_HEADERS)
      // The list's first page does not hold it (a nextLink follows): it is read by id instead of paging on.
      .get('/v1.0/policies/permissionGrantPolicies')
      .reply(
        200,
        {
          value: [{ id: 'microsoft-company-admin', displayName: 'Company Admin Policy', includes: [], excludes: [] }],
          '@odata.nextLink': 'https://graph.microsoft.com/v1.0/policies/permissionGrantPolicies?$skiptoken=page2',
        },
        GRAPH_HEADERS,
      )
      // G4 [V]: the policy is read (api/permissiongrantpolicy-get; resources/permissiongrantconditionset);
      // an include set conditioned on permissionClassification "low" is what makes the classifications needed.
      // Absent condition-set properties take Graph's documented defaults.
      .get('/v1.0/policies/permissionGrantPolicies/microsoft-user-default-low')
      .reply(
        200,
        {
          id: 'microsoft-user-default-low',
          displayName: 'Default User Low Policy',
          includes: [{ id: 'a1b2c3d4-0000-4000-8000-000000000002', permissionType: 'delegated', permissionClassification: 'low', clientApplicationsFromVerifiedPublisherOnly: true }],
          excludes: [],
        },
        GRAPH_HEADERS,
      )
      .get("/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')")
      .query({ $select: 'id' })
      .reply(200, { id: '0b2f6e8a-3c4d-4e5f-8a9b-1c2d3e4f5a6b' }, GRAPH_HEADERS)
      .get("/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')/delegatedPermissionClassifications")
      .reply(
        200,
        {
          '@odata.context': "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(appId='00000003-0000-0000-c000-000000000000')/delegatedPermissionClassifications",
          value: [{ id: '2G3-4TG6YU2J54hjnaRoPQE', permissionId: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', permissionName: 'User.Read', classification: 'low' }],
        },
        GRAPH_HEADERS,
      )
      .get("/v1.0/servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')/delegatedPermissionClassifications")
      .reply(404, graphError('Request_ResourceNotFound', "Resource '00000002-0000-0ff1-ce00-000000000000' does not exist or one of its queried reference-property objects are not present."), GRAPH_HEADERS);
    const policy = await contractCtx().get(consentPolicyFact);
    expect(policy.policies[0]?.policy?.includes[0]).toMatchObject({ permissionClassification: 'low', resourceApplication: 'any', permissions: ['all'], clientApplicationsFromVerifiedPublisherOnly: true });
    expect(policy.graphSpId).toBe('0b2f6e8a-3c4d-4e5f-8a9b-1c2d3e4f5a6b');
    expect(policy.classifications).toEqual({
      exchange: [],
      graph: [{ id: '2G3-4TG6YU2J54hjnaRoPQE', permissionId: 'e1fe6dd8-ba31-4d61-89e7-88639da4683d', permissionName: 'User.Read', classification: 'low' }],
    });
  });

  it('403 on the policy list: the assigned policy is read by id (G4), and only when that is refused too is it unreadable', async () => {
    const assigned = { id: 'authorizationPolicy', defaultUserRolePermissions: { permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy'] } };
    const denied = graphError('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    const graphSp = () =>
      nock(GRAPH).get("/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')").query({ $select: 'id' }).reply(200, { id: '0b2f6e8a-3c4d-4e5f-8a9b-1c2d3e4f5a6b' }, GRAPH_HEADERS);
    nock(GRAPH)
      .get('/v1.0/policies/authorizationPolicy')
      .reply(200, assigned, GRAPH_HEADERS)
      .get('/v1.0/policies/permissionGrantPolicies')
      .reply(403, denied, GRAPH_HEADERS)
      .get('/v1.0/policies/permissionGrantPolicies/microsoft-user-default-legacy')
      .reply(200, { id: 'microsoft-user-default-legacy', displayName: 'Default User Legacy Policy', includes: [{ id: 'c1', permissionType: 'delegated' }], excludes: [] }, GRAPH_HEADERS);
    graphSp();
    const read = await contractCtx().get(consentPolicyFact);
    expect(read.policies[0]).toMatchObject({ id: 'microsoft-user-default-legacy', error: null, policy: { includes: [expect.objectContaining({ permissionType: 'delegated' })] } });
    expect(nock.isDone()).toBe(true);

    await mockToken();
    refuseGraphBatch();
    nock(GRAPH)
      .get('/v1.0/policies/authorizationPolicy')
      .reply(200, assigned, GRAPH_HEADERS)
      .get('/v1.0/policies/permissionGrantPolicies')
      .reply(403, denied, GRAPH_HEADERS)
      .get('/v1.0/policies/permissionGrantPolicies/microsoft-user-default-legacy')
      .reply(403, denied, GRAPH_HEADERS);
    graphSp();
    const refused = await contractCtx().get(consentPolicyFact);
    expect(refused.policies).toEqual([{ id: 'microsoft-user-default-legacy', policy: null, error: expect.objectContaining({ code: 'MISSING_PERMISSION', permission: 'Policy.Read.PermissionGrant' }) }]);
  });

  it('403 on a policy read names Policy.Read.All', async () => {
    nock(GRAPH).get('/v1.0/policies/authorizationPolicy').reply(403, graphError('Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'), GRAPH_HEADERS);
    const e = await caught(contractCtx().get(consentPolicyFact));
    expect(e.code).toBe('MISSING_PERMISSION');
    expect(e.permission?.name).toBe('Policy.Read.All');
  });
});

describe('the Graph reader itself (src/collect/graph/client.ts)', () => {
  it('a 500 with Graph\'s error body is UNEXPECTED_RESPONSE quoting the first line of the message', async () => {
    nock(GRAPH).get('/v1.0/organization').reply(500, graphError('generalException', 'General exception while processing.\r\nMore text.'), GRAPH_HEADERS);
    const e = await caught(graphGet(contractCtx(), '/organization', { permission: 'Organization.Read.All' }));
    expect(e.code).toBe('UNEXPECTED_RESPONSE');
    expect(e.details).toBe('Graph said: "General exception while processing."');
  });

  it('a 401 InvalidAuthenticationToken (token for another cloud) is not a missing permission', async () => {
    nock(GRAPH).get('/v1.0/organization').reply(401, graphError('InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'), { ...JSON_HEADERS });
    const e = await caught(graphGet(contractCtx(), '/organization', { permission: 'Organization.Read.All' }));
    expect(e.code).toBe('UNEXPECTED_RESPONSE');
    expect(e.message).toContain('HTTP 401, InvalidAuthenticationToken');
  });
});
