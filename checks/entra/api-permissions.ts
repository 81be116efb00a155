import { defineCheck, finding, optional, pass, type FactOutcome, type Outcome } from '../../src/core/check.js';
import { appRegistrationFact } from '../../src/collect/graph/entra/app-registration.js';
import { exchangeResourceFact } from '../../src/collect/graph/entra/service-principals.js';
import { EXCHANGE_APP_ID, type AppRegistration, type ResourceServicePrincipal } from '../../src/collect/graph/entra/types.js';
import { explain } from './lib/explanations.js';
import { describePermission, namePermissions, REQUIRED_APP_PERMISSIONS, WEBEX_DELEGATED } from './lib/permissions.js';
import { requiresTokenWithoutReader } from './lib/requires.js';

/**
 * The configured API permissions (requiredResourceAccess) hold what the guide adds: Office 365
 * Exchange Online › Mail.Send as an *application* permission. Role ids are resolved by name from
 * Exchange Online's service principal (reference C2, F2). Webex Connect's delegated sign-in asks
 * for SMTP.Send and offline_access at sign-in, so those are listed, not required here.
 */
export default defineCheck({
  id: 'entra.api-permissions',
  title: 'API permissions hold Mail.Send (Application) on Exchange Online',
  step: 2,
  description:
    'Reads the app registration\'s configured API permissions: the guide adds Office 365 Exchange Online › Application permissions › Mail.Send. ' +
    'Names what is missing (and near misses such as Mail.Send added as Delegated or on Microsoft Graph); lists the delegated permissions Webex Connect\'s sign-in asks for (SMTP.Send, offline_access).',
  scope: 'tenant',
  needs: { app: appRegistrationFact, exchange: optional(exchangeResourceFact) },
  requires: requiresTokenWithoutReader,
  precondition: ({ config }) => (config.clientId ? null : finding('INPUT_MISSING', 'No client ID configured (--client-id).')),
  permissions: ['Application.Read.All (or the Webex app reading its own registration)'],
  explanations: explain('PERMISSION_NOT_CONFIGURED', 'APP_NOT_FOUND'),
  run({ app, exchange }) {
    return evaluatePermissions(app, exchange);
  },
});

export function evaluatePermissions(app: AppRegistration, exchangeOutcome: FactOutcome<ResourceServicePrincipal | null>): Outcome {
  const exchange = exchangeOutcome.ok ? exchangeOutcome.value : null;
  const configured = namePermissions(app.requiredResourceAccess, exchange);
  const missing = REQUIRED_APP_PERMISSIONS.filter(
    (req) => !configured.some((p) => p.resourceAppId === req.resourceAppId && p.type === 'Application' && p.name === req.name),
  );
  // By (resource, name): SMTP.Send is Exchange Online's, offline_access Microsoft Graph's (G6).
  const delegated = WEBEX_DELEGATED.map(
    (d) => `${d.name}: ${configured.some((p) => p.type === 'Delegated' && p.name === d.name && p.resourceAppId === d.resourceAppId) ? 'configured' : 'not configured (asked for at sign-in)'}`,
  );
  const lines = [
    configured.length ? `Configured permissions:\n${configured.map((p) => `- ${describePermission(p)}`).join('\n')}` : 'No API permissions are configured.',
    `Delegated permissions Webex Connect's sign-in asks for: ${delegated.join('; ')}.`,
  ];
  if (!exchange) {
    lines.push(
      exchangeOutcome.ok
        ? 'Office 365 Exchange Online has no service principal in this tenant (no Exchange Online?); permission ids were named from known ids.'
        : `Exchange Online's permission list could not be read (${exchangeOutcome.error.code}); permission ids were named from known ids.`,
    );
  }
  const evidence = { configured, required: REQUIRED_APP_PERMISSIONS.map((r) => ({ ...r, type: 'Application' })) };
  if (missing.length === 0) {
    return pass('Office 365 Exchange Online › Mail.Send (Application) is configured, as the guide requires.', { details: lines.join('\n\n'), evidence });
  }
  const nearMisses: string[] = [];
  for (const m of missing) {
    for (const p of configured.filter((c) => c.name === m.name)) {
      if (p.resourceAppId === EXCHANGE_APP_ID && p.type === 'Delegated') nearMisses.push(`${m.name} is configured as a Delegated permission, not as an Application permission.`);
      else if (p.resourceAppId !== EXCHANGE_APP_ID) nearMisses.push(`${m.name} is configured on ${p.resource}, not on Office 365 Exchange Online.`);
    }
  }
  const names = missing.map((m) => `${m.name} (Application, Office 365 Exchange Online)`).join(', ');
  return finding('PERMISSION_NOT_CONFIGURED', `Missing API permission: ${names}.`, {
    details: [...nearMisses, ...lines].join('\n\n'),
    evidence: { ...evidence, missing: missing.map((m) => m.name), nearMisses },
  });
}
