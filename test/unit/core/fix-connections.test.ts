import { describe, expect, it } from 'vitest';
import { withConnections } from '../../../src/core/fix-connections.js';

describe('fixes start with the connection they need', () => {
  it('Exchange cmdlets get Connect-ExchangeOnline once, before the first of them', () => {
    expect(withConnections(['Get-Mailbox -Identity a@b.example', 'Set-Mailbox -Identity a@b.example -DeliverToMailboxAndForward $true'], 'global')).toEqual([
      'Connect-ExchangeOnline',
      'Get-Mailbox -Identity a@b.example',
      'Set-Mailbox -Identity a@b.example -DeliverToMailboxAndForward $true',
    ]);
  });

  it('Graph PowerShell gets Connect-MgGraph with the scopes of every cmdlet in the block, in the run cloud', () => {
    const out = withConnections(['Update-MgApplication -ApplicationId x -Web @{}', 'New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId y'], 'usgov');
    expect(out[0]).toBe('Connect-MgGraph -Environment USGov -Scopes Application.ReadWrite.All,AppRoleAssignment.ReadWrite.All,Application.Read.All');
    expect(withConnections(['Set-CASMailbox -Identity a@b.example'], 'usgovdod')[0]).toBe('Connect-ExchangeOnline -ExchangeEnvironmentName O365USGovDoD');
  });

  it('a raw Graph request is labelled as one, not offered as a command', () => {
    const out = withConnections(['GET https://graph.microsoft.com/v1.0/policies/authorizationPolicy'], 'global');
    expect(out).toEqual(['# Graph Explorer request (https://developer.microsoft.com/graph/graph-explorer), not a PowerShell command: GET https://graph.microsoft.com/v1.0/policies/authorizationPolicy']);
  });

  it('leaves a block that already connects alone', () => {
    const block = ['Connect-ExchangeOnline -UserPrincipalName admin@b.example', 'Get-Mailbox'];
    expect(withConnections(block, 'global')).toBe(block);
  });
});
