/**
 * Recognising the probe's own copy and a non-delivery report about it among the mailbox's
 * messages. Pure: imapflow's envelope data in, a verdict out.
 */

/** What identifies the probe: the Message-ID we set, the one Exchange may have replaced it with, the subject nonce. */
export interface ProbeRef {
  messageIds: string[];
  nonce: string;
}

/** A message as seen over IMAP (ENVELOPE), JSON-friendly. */
export interface SeenMessage {
  uid: number;
  messageId: string | null;
  inReplyTo: string | null;
  subject: string;
  from: string | null;
  date: string | null;
}

const NDR_SENDER = /^(postmaster|mailer-daemon|microsoftexchange[0-9a-f]*)@/i;
const NDR_SUBJECT = /^(undeliverable|undelivered|delivery (status notification|has failed)|returned mail|non-?delivery|mail delivery failed)\b/i;

function normId(id: string | null | undefined): string | null {
  if (!id) return null;
  const m = /<([^>]+)>/.exec(id);
  return (m ? m[1]! : id).trim().toLowerCase() || null;
}

/**
 * `copy`: the probe itself (by Message-ID, or its subject nonce if Exchange rewrote the id).
 * `ndr`: a bounce about it (In-Reply-To names the probe, or the nonce is quoted in an
 * "Undeliverable:" subject / postmaster sender). `related`: refers to the probe but does not
 * look like a bounce (an auto-reply?) — the caller reads its body for a DSN status to decide.
 */
export function classifyMessage(m: SeenMessage, probe: ProbeRef): 'copy' | 'ndr' | 'related' | null {
  const ids = new Set(probe.messageIds.map((i) => normId(i)).filter((i): i is string => !!i));
  const ownId = normId(m.messageId);
  const isOwn = ownId !== null && ids.has(ownId);
  const aboutProbe = (m.inReplyTo ?? '').split(/\s+/).some((i) => {
    const n = normId(i);
    return n !== null && ids.has(n);
  });
  const mentionsNonce = m.subject.includes(probe.nonce);
  const looksLikeNdr = NDR_SUBJECT.test(m.subject.trim()) || NDR_SENDER.test(m.from ?? '');
  if (!isOwn && looksLikeNdr && (aboutProbe || mentionsNonce)) return 'ndr';
  if (!isOwn && aboutProbe) return 'related';
  if (isOwn || mentionsNonce) return 'copy';
  return null;
}

export interface NdrDiagnostic {
  /** The reply line Exchange quoted (`550 5.7.520 Access denied, …`), or the DSN status. */
  line: string | null;
  enhanced: string | null;
}

/**
 * Finds the SMTP reply an NDR reports: the DSN's `Diagnostic-Code: smtp; …`, Exchange's
 * "Remote Server returned '…'", a bare `550 5.x.x …` line, or at least the DSN `Status:`.
 */
export function ndrDiagnostic(source: string): NdrDiagnostic {
  const text = source.replace(/\r\n/g, '\n').replace(/=\n/g, '');
  const diag = /^Diagnostic-Code:\s*smtp;\s*(.+(?:\n[ \t]+.+)*)/im.exec(text);
  if (diag) {
    const line = diag[1]!.replace(/\n[ \t]+/g, ' ').trim();
    return { line, enhanced: /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(line)?.[1] ?? null };
  }
  const returned = /Remote Server returned '([^'\n]+)'/i.exec(text);
  if (returned) return { line: returned[1]!.trim(), enhanced: /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(returned[1]!)?.[1] ?? null };
  const bare = /^.*\b[45]\d{2}[ -]([45]\.\d{1,3}\.\d{1,3})\b.*$/m.exec(text);
  if (bare) return { line: bare[0].trim().replace(/<[^>]+>/g, '').slice(0, 300), enhanced: bare[1]! };
  const status = /^Status:\s*([245]\.\d{1,3}\.\d{1,3})/im.exec(text);
  if (status) return { line: null, enhanced: status[1]! };
  return { line: null, enhanced: null };
}
