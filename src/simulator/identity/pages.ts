/**
 * Entra's sign-in error page (HTML): the AADSTS line a user would screenshot, and the `$Config`
 * object Entra's pages carry (G23 [O]: `strServiceExceptionMessage`, `iErrorCode`, `sErrorCode`).
 */
export function entraErrorPage(args: { code: number; message: string; requestId: string; correlationId: string; timestamp: string }): string {
  const esc = escapeHtml;
  return `<!DOCTYPE html>
<html dir="ltr" lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title>
<script type="text/javascript">//<![CDATA[
$Config=${scriptJson({ iErrorCode: args.code, sErrorCode: String(args.code), strServiceExceptionMessage: `AADSTS${args.code}: ${args.message}`, sCorrelationId: args.correlationId, sessionId: args.requestId })};
//]]></script>
</head>
<body>
<div id="login_workload_logo_text">Sign in</div>
<div id="idTD_Error" role="alert">
<div class="error-header">Sorry, but we're having trouble signing you in.</div>
<div id="errorDetails"><p>AADSTS${args.code}: ${esc(args.message)}</p></div>
<div class="debug-details-list">
<div><span>Request Id: </span><span>${esc(args.requestId)}</span></div>
<div><span>Correlation Id: </span><span>${esc(args.correlationId)}</span></div>
<div><span>Timestamp: </span><span>${esc(args.timestamp)}</span></div>
<div><span>Message: </span><span>AADSTS${args.code}: ${esc(args.message)}</span></div>
</div></div>
</body></html>
`;
}

/** The sign-in page a valid authorize request leads to (nothing to do there for a probe). */
export function signInPage(appName: string): string {
  return `<!DOCTYPE html>
<html dir="ltr" lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title>
<script type="text/javascript">//<![CDATA[
$Config=${scriptJson({ sAppName: appName, iErrorCode: 0 })};
//]]></script>
</head>
<body><div id="loginHeader" role="heading">Sign in</div>
<div id="appName">to continue to ${escapeHtml(appName)}</div>
<form method="post" action="/common/login"><input type="email" name="loginfmt" placeholder="Email, phone, or Skype"></form>
</body></html>
`;
}

function escapeHtml(s: string): string {
  // Apostrophes stay: AADSTS texts quote values with them and they are safe in element content.
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** JSON for an inline script: no `<`, `>` or `&` (no `</script>` from tenant data), no U+2028/9. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
