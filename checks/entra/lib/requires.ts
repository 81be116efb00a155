/**
 * Checks that read the tenant with the Webex identity (no reader configured) need its token
 * first: a bad secret then gives one clear `entra.token` failure and DEPENDENCY_FAILED here,
 * not the same failure again in every check.
 */
export const requiresTokenWithoutReader = (cfg: { reader?: unknown }): string[] => (cfg.reader ? [] : ['entra.token']);
