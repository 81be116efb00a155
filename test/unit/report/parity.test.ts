import { describe, expect, it } from 'vitest';
import type { OutputFormat } from '../../../src/config/types.js';
import { render } from '../../../src/report/render.js';
import { fixtureChecks, makeModel } from './fixture.js';
import { parseHtml, parseJson, parseJunit, parseMarkdown, parseText, sortRows, type Row } from './parse-formats.js';

/**
 * Every format renders from one model; read back, they must all say the same thing about every
 * check (the lesson of Microsoft365DSC#4100, where the HTML dropped what the JSON had).
 */

const PARSERS: Record<OutputFormat, (out: string) => Row[]> = {
  json: parseJson,
  junit: parseJunit,
  markdown: parseMarkdown,
  html: parseHtml,
  text: parseText,
};

const models = {
  fixture: makeModel(),
  'all passing': makeModel(fixtureChecks().map((c) => ({ ...c, status: 'pass' as const, code: null })), 'pass'),
  'one asset, many checks': makeModel(
    fixtureChecks().map((c) => ({ ...c, asset: 'ops_mail+webex@contoso.com' })),
    'fail',
  ),
};

describe.each(Object.entries(models))('format parity: %s', (_name, model) => {
  const expected = sortRows(model.checks.map(({ id, asset, status, code }) => ({ id, asset, status, code })));

  it.each(Object.keys(PARSERS) as OutputFormat[])('%s agrees with the model on every status and code', (format) => {
    const rows = PARSERS[format](render(model, format, { color: false }));
    expect(rows).toHaveLength(model.checks.length);
    expect(sortRows(rows)).toEqual(expected);
  });
});
