import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/kb/diagnostics.ts';
import { formatGithub, formatJson, formatText, summaryLine } from '../../src/kb/format.ts';

const diagnostic: Diagnostic = {
  code: 'schema',
  severity: 'error',
  file: 'content/postmortems/INC-2026-001, 50%: a.md',
  line: 12,
  column: 5,
  message: 'first line\nsecond line with 100%',
  field: 'services',
  expected: 'a list',
  found: '"x"',
  hint: 'write a list',
};

describe('formatText', () => {
  it('shows the location, the details and a frame with the file’s own line numbers', () => {
    const source = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n');
    const text = formatText([diagnostic], { color: false, source: () => source, filesChecked: 3 });
    expect(text).toContain('content/postmortems/INC-2026-001, 50%: a.md:12:5  error  first line');
    expect(text).toContain('  field:    services\n  expected: a list\n  found:    "x"\n  hint:     write a list');
    expect(text).toContain(
      '    10 | line 10\n    11 | line 11\n  > 12 | line 12\n       |     ^\n    13 | line 13\n    14 | line 14',
    );
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 error, 0 warnings in 3 files');
    expect(text).not.toContain('\u001b[');
  });

  it('skips the frame when the line is not in the source', () => {
    const text = formatText([{ ...diagnostic, line: 99 }], { color: false, source: () => 'one line' });
    expect(text).not.toContain(' | ');
  });
});

describe('summaryLine', () => {
  it('counts in words', () => {
    expect(summaryLine({ errors: 0, warnings: 0, reminders: 0, filesWithProblems: 0, filesChecked: 1 })).toBe(
      'No problems in 1 file',
    );
    expect(summaryLine({ errors: 1, warnings: 2, reminders: 0, filesWithProblems: 2, filesChecked: 14 })).toBe(
      '1 error, 2 warnings in 14 files',
    );
    expect(summaryLine({ errors: 0, warnings: 11, reminders: 11, filesWithProblems: 9, filesChecked: 52 })).toBe(
      '0 errors, 11 warnings in 52 files (all are date reminders)',
    );
    expect(summaryLine({ errors: 0, warnings: 3, reminders: 2, filesWithProblems: 3, filesChecked: 5 })).toBe(
      '0 errors, 3 warnings in 5 files (2 are date reminders)',
    );
  });
});

describe('formatGithub', () => {
  it('escapes properties and data so each annotation is one well-formed workflow command', () => {
    const [line, summary] = formatGithub([diagnostic], 3).trimEnd().split('\n');
    expect(line).toBe(
      '::error file=content/postmortems/INC-2026-001%2C 50%25%3A a.md,line=12,col=5,title=hindsight schema (services)::' +
        'first line%0Asecond line with 100%25%0Aexpected: a list%0Afound: "x"%0Ahint: write a list',
    );
    expect(summary).toBe('1 error, 0 warnings in 3 files');
    expect(formatGithub([{ ...diagnostic, severity: 'warning' }], 1)).toMatch(/^::warning /);
  });
});

describe('formatJson', () => {
  it('writes a summary and the diagnostics unchanged', () => {
    expect(JSON.parse(formatJson([diagnostic], 3))).toEqual({
      summary: { errors: 1, warnings: 0, reminders: 0, filesWithProblems: 1, filesChecked: 3 },
      diagnostics: [diagnostic],
    });
  });
});
