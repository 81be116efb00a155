/**
 * Reads status and code per check back out of each rendered format, the way a person or a CI
 * tool would, so the parity test compares what each format actually says.
 */

export interface Row {
  id: string;
  asset: string | null;
  status: string;
  code: string | null;
}

export function key(r: Row): string {
  return `${r.id} ${r.asset ?? '-'}`;
}

export function sortRows(rows: Row[]): Row[] {
  return [...rows].sort((a, b) => key(a).localeCompare(key(b)));
}

function unescapeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&');
}

export function parseJson(out: string): Row[] {
  const model = JSON.parse(out) as { checks: Row[] };
  return model.checks.map(({ id, asset, status, code }) => ({ id, asset, status, code }));
}

export function parseJunit(xml: string): Row[] {
  const rows: Row[] = [];
  const testcase = /<testcase classname="([^"]*)" name="([^"]*)" time="[^"]*"(?:\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const m of xml.matchAll(testcase)) {
    const name = unescapeEntities(m[2]!);
    const space = name.indexOf(' ');
    const id = space === -1 ? name : name.slice(0, space);
    const asset = space === -1 ? null : name.slice(space + 1);
    const inner = m[3] ?? '';
    let status = 'pass';
    let code: string | null = null;
    let hit: RegExpExecArray | null;
    if ((hit = /<failure message="WARN [^"]*" type="([^"]*)"/.exec(inner))) [status, code] = ['warn', hit[1]!];
    else if ((hit = /<failure message="[^"]*" type="([^"]*)"/.exec(inner))) [status, code] = ['fail', hit[1]!];
    else if ((hit = /<error message="[^"]*" type="([^"]*)"/.exec(inner))) [status, code] = ['error', hit[1]!];
    else if ((hit = /<skipped message="([A-Z][A-Z0-9_]*):/.exec(inner))) [status, code] = ['skip', hit[1]!];
    else if ((hit = /<system-out>WARN ([A-Z][A-Z0-9_]*):/.exec(inner))) [status, code] = ['warn', hit[1]!];
    rows.push({ id, asset, status, code });
  }
  return rows;
}

/** Split a GFM table row on pipes that are not escaped. */
function cells(line: string): string[] {
  return line
    .trim()
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

function unescapeMd(s: string): string {
  return s.replace(/\\([\\`*_[\]<|~])/g, '$1');
}

function unCode(s: string): string {
  return s.replace(/^`+ ?/, '').replace(/ ?`+$/, '');
}

export function parseMarkdown(md: string): Row[] {
  return md
    .split('\n')
    .filter((l) => /^\| \*\*(PASS|WARN|FAIL|SKIP|ERROR)\*\* \|/.test(l))
    .map((l) => {
      const [status, id, asset, code] = cells(l);
      return {
        id: unCode(id!),
        asset: asset === '—' ? null : unescapeMd(asset!),
        status: status!.replace(/\*/g, '').toLowerCase(),
        code: code === '—' ? null : unCode(code!),
      };
    });
}

function textOf(html: string): string {
  return unescapeEntities(html.replace(/<[^>]*>/g, '')).trim();
}

export function parseHtml(html: string): Row[] {
  const table = /<table class="summary">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  const rows: Row[] = [];
  for (const m of table.matchAll(/<tr class="[^"]*" data-status="[^"]*">([\s\S]*?)<\/tr>/g)) {
    const [status, id, asset, code] = [...m[1]!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((c) => textOf(c[1]!));
    rows.push({
      id: id!,
      asset: asset === '—' ? null : asset!,
      status: status!.toLowerCase(),
      code: code === '—' ? null : code!,
    });
  }
  return rows;
}

/** "a, b (mailbox)" → both checks of that mailbox; "a" → a tenant-wide check. */
function labelRows(label: string, status: string, code: string | null): Row[] {
  const m = /^(.*?)(?: \(([^()]+)\))?$/.exec(label.trim())!;
  return m[1]!.split(', ').map((id) => ({ id: id.trim(), asset: m[2] ?? null, status, code }));
}

/**
 * The text report opens with one line per finding ("  FAIL   id (asset)  summary  CODE"; skips
 * that say the same share a line: "id, id (asset)"), and lists passing checks compactly by asset
 * ("  PASS   id, id," then "  PASS   mailbox: id, …", wrapped under the ids), or one line each
 * with --verbose.
 */
export function parseText(text: string): Row[] {
  const rows: Row[] = [];
  const finding = /^ {2}(WARN|FAIL|SKIP|ERROR) +(.+?) {2}(.*?)(?: {2}([A-Z][A-Z0-9_]*))?$/;
  const passLine = /^ {2}PASS +(.+?) {2}/;
  const passList = /^ {2}PASS +(?:([^\s,:]+): )?(.*)$/;
  let pass: { asset: string | null; ids: string } | null = null;
  const flush = () => {
    if (pass) for (const id of pass.ids.split(',').map((x) => x.trim()).filter(Boolean)) rows.push({ id, asset: pass.asset, status: 'pass', code: null });
    pass = null;
  };
  for (const l of text.split('\n')) {
    if (pass && /^ {9}\S/.test(l)) {
      pass.ids += ` ${l.trim()}`;
      continue;
    }
    flush();
    let m = finding.exec(l);
    if (m) {
      rows.push(...labelRows(m[2]!, m[1]!.toLowerCase(), m[4] ?? null));
      continue;
    }
    if ((m = passLine.exec(l))) {
      rows.push(...labelRows(m[1]!, 'pass', null));
      continue;
    }
    if ((m = passList.exec(l))) pass = { asset: m[1] ?? null, ids: m[2]! };
  }
  flush();
  return rows;
}

/**
 * A small XML well-formedness check (no XML parser among the dependencies): balanced tags,
 * quoted attributes, known entities, no raw `<` or `&` in text.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const m of body.matchAll(token)) {
    if (m[6]) problems.push(`raw "<" at ${m.index}`);
    else if (m[5] !== undefined) {
      if (/&(?!(?:amp|lt|gt|quot|apos|#\d+);)/.test(m[5])) problems.push(`raw "&" in text at ${m.index}`);
    } else if (m[1]) {
      if (stack.pop() !== m[2]) problems.push(`unbalanced </${m[2]}> at ${m.index}`);
    } else if (!m[4]) stack.push(m[2]!);
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(', ')}`);
  // eslint-disable-next-line no-control-regex -- looking for characters XML forbids
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(xml)) problems.push('control character');
  return problems;
}
