import type { Socket } from 'node:net';
import type { SimContext, StoredMessage } from '../context.js';
import { authorizeMailbox, type MailAuthFailure } from '../mail/auth.js';
import { applyFault, type ConnectionTracker } from '../mail/connections.js';
import { BACKEND_HOST } from '../mail/hosts.js';
import { parseFetchItems, renderFetch } from './fetch.js';
import { CommandReader, ImapSyntaxError, parseCommand, parseSequenceSet, text, type Command, type Token } from './parser.js';
import type { Chunk } from './render.js';
import { compileSearch } from './search.js';

/**
 * Exchange Online's IMAP4 capability list, as real transcripts show it (libraries.md §4: no
 * OAUTHBEARER, so clients pick XOAUTH2) [O].
 */
export const CAPABILITIES = 'IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS MOVE ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+';

/** Exchange's wording for protocol errors and its greeting [O]. */
const TEXT = {
  greeting: `The Microsoft Exchange IMAP4 service is ready. [${Buffer.from(BACKEND_HOST, 'utf16le').toString('base64')}]`,
  bye: 'Microsoft Exchange Server IMAP4 server signing off.',
  unknownCommand: 'BAD Command Error. 12',
  badArguments: 'BAD Command Argument Error. 11',
  invalidState: 'BAD Command received in Invalid state.',
  notConnected: 'BAD User is authenticated but not connected.',
  authFailed: 'NO AUTHENTICATE failed.',
  unavailable: 'NO Server Unavailable. 15',
  noFolder: 'NO Folder not found.',
};

const UIDVALIDITY = 14;
const FLAGS = '\\Seen \\Answered \\Flagged \\Deleted \\Draft $MDNSent';
const DELIMITER = '/';
/** How often an IDLE session looks for new mail. */
const IDLE_POLL_MS = 200;

/**
 * Failures after which Exchange lets the login succeed and refuses every later command with "User
 * is authenticated but not connected." (the token is good, the mailbox is not open to it: missing
 * Exchange service principal or FullAccess, or another user's mailbox) — microsoft-365.md B4 [O].
 */
const NOT_CONNECTED: MailAuthFailure[] = ['no-service-principal', 'no-full-access', 'user-mismatch'];

type State = 'not-authenticated' | 'authenticated' | 'not-connected' | 'selected' | 'logout';

type Handler = (cmd: Command) => void | Promise<void>;

/** One IMAP connection after the TLS handshake. Commands run one at a time, in order. */
export class ImapSession {
  private state: State = 'not-authenticated';
  private mailbox = '';
  private readOnly = false;
  private exists = 0;
  private queue: Promise<void> = Promise.resolve();
  private waiting?: { kind: 'sasl'; tag: string; mechanism: string } | { kind: 'idle'; tag: string; stop: () => void };
  private readonly reader = new CommandReader(() => this.write('+ Ready for additional command text.\r\n'));
  private readonly handlers: Record<string, { states: State[]; run: Handler }>;

  constructor(
    private readonly ctx: SimContext,
    private readonly socket: Socket,
    private readonly raw: Socket,
    private readonly tracker: ConnectionTracker,
  ) {
    const any: State[] = ['not-authenticated', 'authenticated', 'not-connected', 'selected'];
    const authed: State[] = ['authenticated', 'selected'];
    const selected: State[] = ['selected'];
    this.handlers = {
      CAPABILITY: { states: any, run: (c) => this.capability(c) },
      NOOP: { states: any, run: (c) => this.done(c, 'NOOP') },
      CHECK: { states: selected, run: (c) => this.done(c, 'CHECK') },
      LOGOUT: { states: any, run: (c) => this.logout(c) },
      ID: { states: any, run: (c) => this.id(c) },
      AUTHENTICATE: { states: ['not-authenticated'], run: (c) => this.authenticate(c) },
      // Exchange Online has retired Basic authentication for IMAP.
      LOGIN: { states: ['not-authenticated'], run: (c) => this.login(c) },
      NAMESPACE: { states: authed, run: (c) => this.namespace(c) },
      LIST: { states: authed, run: (c) => this.list(c) },
      LSUB: { states: authed, run: (c) => this.list(c) },
      STATUS: { states: authed, run: (c) => this.status(c) },
      SELECT: { states: authed, run: (c) => this.select(c, false) },
      EXAMINE: { states: authed, run: (c) => this.select(c, true) },
      IDLE: { states: authed, run: (c) => this.idle(c) },
      FETCH: { states: selected, run: (c) => this.fetch(c, false) },
      'UID FETCH': { states: selected, run: (c) => this.fetch(c, true) },
      SEARCH: { states: selected, run: (c) => this.search(c, false) },
      'UID SEARCH': { states: selected, run: (c) => this.search(c, true) },
      STORE: { states: selected, run: (c) => this.store(c, false) },
      'UID STORE': { states: selected, run: (c) => this.store(c, true) },
      EXPUNGE: { states: selected, run: (c) => this.done(c, 'EXPUNGE') },
      CLOSE: { states: selected, run: (c) => this.close(c, 'CLOSE') },
      UNSELECT: { states: selected, run: (c) => this.close(c, 'UNSELECT') },
      // The simulator has only INBOX, so there is nowhere to copy or move to.
      COPY: { states: selected, run: (c) => this.tagged(c.tag, TEXT.noFolder) },
      'UID COPY': { states: selected, run: (c) => this.tagged(c.tag, TEXT.noFolder) },
      MOVE: { states: selected, run: (c) => this.tagged(c.tag, TEXT.noFolder) },
      'UID MOVE': { states: selected, run: (c) => this.tagged(c.tag, TEXT.noFolder) },
    };
  }

  start(): void {
    this.write(`* OK ${TEXT.greeting}\r\n`);
    this.socket.on('data', (data: Buffer) => this.onData(data));
    this.socket.once('close', () => {
      this.state = 'logout';
      if (this.waiting?.kind === 'idle') this.waiting.stop();
    });
  }

  private onData(data: Buffer): void {
    let commands: { text: string; literals: string[] }[];
    try {
      commands = this.reader.push(data);
    } catch {
      this.write('* BAD Command Error. 10\r\n');
      this.socket.destroy();
      return;
    }
    for (const c of commands) {
      this.queue = this.queue.then(() => this.dispatch(c.text, c.literals)).catch(() => {
        this.socket.destroy();
      });
    }
  }

  private async dispatch(line: string, literals: string[]): Promise<void> {
    if (this.state === 'logout') return;
    const waiting = this.waiting;
    if (waiting?.kind === 'sasl') {
      this.waiting = undefined;
      return this.finishSasl(waiting.tag, waiting.mechanism, line.trim());
    }
    if (waiting?.kind === 'idle') {
      this.waiting = undefined;
      waiting.stop();
      return this.tagged(waiting.tag, line.trim().toUpperCase() === 'DONE' ? 'OK IDLE completed.' : TEXT.badArguments);
    }
    let cmd: Command;
    try {
      cmd = parseCommand(line, literals);
    } catch {
      this.write(`${/^(\S+)/.exec(line)?.[1] ?? '*'} BAD Command Error. 10\r\n`);
      return;
    }
    this.ctx.traffic.record('imap', cmd.name);
    const go = await new Promise<boolean>((resolve) =>
      applyFault(this.ctx.faults.take('imap', cmd.name), this.raw, this.tracker, () => resolve(true), {
        status: () => {
          this.tagged(cmd.tag, TEXT.unavailable);
          resolve(false);
        },
        html: () => {
          this.raw.end();
          resolve(false);
        },
      }),
    );
    if (!go) return;
    const handler = this.handlers[cmd.name];
    if (!handler) return this.tagged(cmd.tag, TEXT.unknownCommand);
    if (this.state === 'not-connected' && !['CAPABILITY', 'NOOP', 'LOGOUT', 'ID'].includes(cmd.name)) return this.tagged(cmd.tag, TEXT.notConnected);
    if (!handler.states.includes(this.state)) return this.tagged(cmd.tag, TEXT.invalidState);
    try {
      await handler.run(cmd);
    } catch (e) {
      if (!(e instanceof ImapSyntaxError)) throw e;
      this.tagged(cmd.tag, TEXT.badArguments);
    }
  }

  // ── output ────────────────────────────────────────────────────────────────

  private write(data: string | Chunk[]): void {
    if (this.socket.destroyed || !this.socket.writable) return;
    if (typeof data === 'string') this.socket.write(data);
    else this.socket.write(Buffer.concat(data.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c))));
  }

  /** The tagged completion; a selected session first learns of mail that arrived meanwhile. */
  private tagged(tag: string, result: string): void {
    if (this.state === 'selected') this.announceExists();
    this.write(`${tag} ${result}\r\n`);
  }

  private done(cmd: Command, name: string): void {
    this.tagged(cmd.tag, `OK ${name} completed.`);
  }

  private box(): StoredMessage[] {
    return this.ctx.mail.inbox(this.mailbox);
  }

  private announceExists(): void {
    const n = this.box().length;
    if (n > this.exists) {
      this.exists = n;
      this.write(`* ${n} EXISTS\r\n`);
    }
  }

  // ── commands ──────────────────────────────────────────────────────────────

  private capability(cmd: Command): void {
    this.write(`* CAPABILITY ${CAPABILITIES}\r\n`);
    this.done(cmd, 'CAPABILITY');
  }

  private id(cmd: Command): void {
    this.write('* ID NIL\r\n');
    this.done(cmd, 'ID');
  }

  private logout(cmd: Command): void {
    this.write(`* BYE ${TEXT.bye}\r\n`);
    this.write(`${cmd.tag} OK LOGOUT completed.\r\n`);
    this.state = 'logout';
    this.socket.end();
  }

  /**
   * LOGIN is refused for Exchange Online mailboxes; the scenario's outside accounts (another
   * provider, `externalSenders`) may sign in with their password and read their own inbox.
   */
  private login(cmd: Command): void {
    this.signInOutside(cmd.tag, text(cmd.args[0]) ?? '', text(cmd.args[1]), 'LOGIN');
  }

  private signInOutside(tag: string, username: string, pass: string | undefined, command: 'LOGIN' | 'AUTHENTICATE'): void {
    const user = username.toLowerCase();
    const entry = Object.entries(this.ctx.scenario.externalSenders ?? {}).find(([a]) => a.toLowerCase() === user);
    if (!entry || entry[1].password === undefined || entry[1].password !== pass) return this.tagged(tag, command === 'LOGIN' ? 'NO LOGIN failed.' : TEXT.authFailed);
    this.state = 'authenticated';
    this.mailbox = user;
    this.tagged(tag, `OK ${command} completed.`);
  }

  private async authenticate(cmd: Command): Promise<void> {
    const mechanism = text(cmd.args[0])?.toUpperCase();
    if (mechanism !== 'XOAUTH2' && mechanism !== 'PLAIN') return this.tagged(cmd.tag, TEXT.badArguments);
    const initial = text(cmd.args[1]);
    if (initial === undefined) {
      this.waiting = { kind: 'sasl', tag: cmd.tag, mechanism };
      this.write('+ \r\n');
      return;
    }
    return this.finishSasl(cmd.tag, mechanism, initial === '=' ? '' : initial);
  }

  /** The XOAUTH2 initial response: base64 of `user=<mailbox>^Aauth=Bearer <token>^A^A` (microsoft-365.md B1). */
  private async finishSasl(tag: string, mechanism: string, b64: string): Promise<void> {
    // PLAIN is advertised (as Exchange does) but Basic authentication is off in Exchange Online;
    // only the scenario's outside accounts (another provider) sign in with it.
    if (mechanism === 'PLAIN' && b64 !== '*') {
      const [, user = '', pass] = Buffer.from(b64, 'base64').toString('utf8').split('\x00');
      return this.signInOutside(tag, user, pass, 'AUTHENTICATE');
    }
    if (mechanism !== 'XOAUTH2' || b64 === '*') return this.tagged(tag, TEXT.authFailed);
    let user = '';
    let token = '';
    for (const field of Buffer.from(b64, 'base64').toString('utf8').split('\x01')) {
      if (field.startsWith('user=')) user = field.slice(5).trim();
      else if (/^auth=bearer /i.test(field)) token = field.slice(12).trim();
    }
    if (!user || !token) return this.tagged(tag, TEXT.authFailed);
    const result = await authorizeMailbox(this.ctx, 'imap', user, token);
    // G27 [O]: IMAP disabled on the mailbox (Set-CASMailbox -ImapEnabled $false): the login succeeds,
    // every later command answers "User is authenticated but not connected."
    if (result.ok && result.user.mailbox?.imapEnabled === false) {
      this.state = 'not-connected';
      return this.tagged(tag, 'OK AUTHENTICATE completed.');
    }
    if (result.ok) {
      this.state = 'authenticated';
      this.mailbox = result.address;
      return this.tagged(tag, 'OK AUTHENTICATE completed.');
    }
    if (NOT_CONNECTED.includes(result.reason)) {
      this.state = 'not-connected';
      return this.tagged(tag, 'OK AUTHENTICATE completed.');
    }
    this.tagged(tag, TEXT.authFailed);
  }

  private namespace(cmd: Command): void {
    this.write(`* NAMESPACE (("" "${DELIMITER}")) NIL NIL\r\n`);
    this.done(cmd, 'NAMESPACE');
  }

  /** LIST/LSUB: the simulated mailbox has one folder, INBOX. Selection and RETURN options are ignored. */
  private list(cmd: Command): void {
    const args = cmd.args.filter((t) => t.type !== 'list' && !(t.type === 'atom' && t.value.toUpperCase() === 'RETURN'));
    const reference = text(args[0]);
    const pattern = text(args[1]);
    if (reference === undefined || pattern === undefined) throw new ImapSyntaxError('LIST needs a reference and a pattern');
    if (pattern === '') {
      this.write(`* ${cmd.name} (\\Noselect) "${DELIMITER}" ""\r\n`);
    } else {
      const source = `${reference}${pattern}`.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/%/g, '[^/]*');
      if (new RegExp(`^${source}$`, 'i').test('INBOX')) this.write(`* ${cmd.name} (\\Marked \\HasNoChildren) "${DELIMITER}" INBOX\r\n`);
    }
    this.done(cmd, cmd.name);
  }

  private isInbox(token: Token | undefined): boolean {
    return (text(token) ?? '').toUpperCase() === 'INBOX';
  }

  private uidNext(box: StoredMessage[]): number {
    return (box[box.length - 1]?.uid ?? 0) + 1;
  }

  private status(cmd: Command): void {
    if (!this.isInbox(cmd.args[0])) return this.tagged(cmd.tag, TEXT.noFolder);
    const items = cmd.args[1];
    if (!items || items.type !== 'list') throw new ImapSyntaxError('STATUS needs a list');
    const box = this.box();
    const values: Record<string, number> = {
      MESSAGES: box.length,
      RECENT: 0,
      UIDNEXT: this.uidNext(box),
      UIDVALIDITY,
      UNSEEN: box.filter((m) => !m.flags.includes('\\Seen')).length,
    };
    const out = items.items.map((t) => {
      const name = (text(t) ?? '').toUpperCase();
      if (!(name in values)) throw new ImapSyntaxError(`unknown STATUS item ${name}`);
      return `${name} ${values[name]}`;
    });
    this.write(`* STATUS INBOX (${out.join(' ')})\r\n`);
    this.done(cmd, 'STATUS');
  }

  private select(cmd: Command, readOnly: boolean): void {
    const verb = readOnly ? 'EXAMINE' : 'SELECT';
    if (!this.isInbox(cmd.args[0])) {
      this.state = 'authenticated';
      return this.tagged(cmd.tag, TEXT.noFolder);
    }
    const box = this.box();
    this.state = 'selected';
    this.readOnly = readOnly;
    this.exists = box.length;
    const unseen = box.findIndex((m) => !m.flags.includes('\\Seen'));
    const lines = [
      `* ${box.length} EXISTS`,
      '* 0 RECENT',
      `* FLAGS (${FLAGS})`,
      `* OK [PERMANENTFLAGS (${readOnly ? '' : FLAGS})] Permanent flags`,
      ...(unseen >= 0 ? [`* OK [UNSEEN ${unseen + 1}] Is the first unseen message`] : []),
      `* OK [UIDVALIDITY ${UIDVALIDITY}] UIDVALIDITY value`,
      `* OK [UIDNEXT ${this.uidNext(box)}] The next unique identifier value`,
    ];
    this.write(`${lines.join('\r\n')}\r\n`);
    this.tagged(cmd.tag, `OK [${readOnly ? 'READ-ONLY' : 'READ-WRITE'}] ${verb} completed.`);
  }

  private close(cmd: Command, verb: string): void {
    this.state = 'authenticated';
    this.exists = 0;
    this.done(cmd, verb);
  }

  private idle(cmd: Command): void {
    const stop = this.tracker.every(IDLE_POLL_MS, () => {
      if (this.state === 'selected') this.announceExists();
    });
    this.waiting = { kind: 'idle', tag: cmd.tag, stop };
    this.write('+ IDLE accepted, awaiting DONE command.\r\n');
  }

  /** Messages of the selected mailbox matching a sequence set (or UID set), with their sequence numbers. */
  private matching(set: string | undefined, byUid: boolean): { msg: StoredMessage; seq: number }[] {
    if (!set) throw new ImapSyntaxError('sequence set expected');
    this.announceExists();
    const box = this.box();
    const match = parseSequenceSet(set);
    const maxUid = box[box.length - 1]?.uid ?? 0;
    return box.map((msg, i) => ({ msg, seq: i + 1 })).filter(({ msg, seq }) => (byUid ? match(msg.uid, maxUid) : match(seq, box.length)));
  }

  private fetch(cmd: Command, byUid: boolean): void {
    const items = parseFetchItems(cmd.args[1]);
    for (const { msg, seq } of this.matching(text(cmd.args[0]), byUid)) {
      this.write(renderFetch(msg, seq, items, { uid: byUid, readOnly: this.readOnly }));
    }
    this.done(cmd, 'FETCH');
  }

  private search(cmd: Command, byUid: boolean): void {
    let args = cmd.args;
    if ((text(args[0]) ?? '').toUpperCase() === 'CHARSET') {
      const charset = (text(args[1]) ?? '').toUpperCase();
      if (charset !== 'UTF-8' && charset !== 'US-ASCII') return this.tagged(cmd.tag, 'NO [BADCHARSET (UTF-8 US-ASCII)] The specified charset is not supported.');
      args = args.slice(2);
    }
    const predicate = compileSearch(args);
    this.announceExists();
    const box = this.box();
    const maxUid = box[box.length - 1]?.uid ?? 0;
    const hits = box
      .map((msg, i) => ({ msg, seq: i + 1, maxSeq: box.length, maxUid }))
      .filter(predicate)
      .map((c) => (byUid ? c.msg.uid : c.seq));
    this.write(`* SEARCH${hits.map((n) => ` ${n}`).join('')}\r\n`);
    this.done(cmd, 'SEARCH');
  }

  private store(cmd: Command, byUid: boolean): void {
    const op = (text(cmd.args[1]) ?? '').toUpperCase();
    const m = /^([+-]?)FLAGS(\.SILENT)?$/.exec(op);
    const flagsToken = cmd.args[2];
    if (!m || !flagsToken) throw new ImapSyntaxError('STORE needs FLAGS and a flag list');
    if (this.readOnly) return this.tagged(cmd.tag, 'NO The mailbox is read-only.');
    const flags = (flagsToken.type === 'list' ? flagsToken.items : [flagsToken]).map((t) => text(t) ?? '').filter(Boolean);
    for (const { msg, seq } of this.matching(text(cmd.args[0]), byUid)) {
      const current = new Set(msg.flags);
      if (m[1] === '') current.clear();
      for (const f of flags) {
        if (m[1] === '-') current.delete(f);
        else current.add(f);
      }
      msg.flags.splice(0, msg.flags.length, ...current);
      if (!m[2]) this.write([`* ${seq} FETCH (`, ...(byUid ? [`UID ${msg.uid} `] : []), `FLAGS (${msg.flags.join(' ')}))\r\n`]);
    }
    this.done(cmd, 'STORE');
  }
}
