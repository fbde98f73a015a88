import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  locateField,
  MAX_YAML_ALIASES,
  parseFrontmatter,
  parseYamlFile,
  quickLocate,
  readPlainYaml,
} from '../../src/kb/frontmatter.ts';

const codes = (text: string) => parseFrontmatter(text, 'f.md').diagnostics.map((d) => d.code);

describe('parseFrontmatter', () => {
  it('splits frontmatter and body and keeps file line numbers for the body', () => {
    const result = parseFrontmatter('---\nid: x\ntitle: Hello\n---\n# Heading\n', 'f.md');
    expect(result.diagnostics).toEqual([]);
    expect(result.data).toEqual({ id: 'x', title: 'Hello' });
    expect(result.body).toBe('# Heading\n');
    expect(result.bodyLine).toBe(5);
  });

  it('reads YAML 1.2: timestamps and dates stay text, "no" stays text', () => {
    const { data } = parseFrontmatter('---\nstarted: 2026-03-04T02:14:00Z\ndue: 2026-04-30\nanswer: no\n---\n', 'f.md');
    expect(data).toEqual({ started: '2026-03-04T02:14:00Z', due: '2026-04-30', answer: 'no' });
  });

  it('handles a byte-order mark and CRLF without shifting lines or columns', () => {
    const text = '\uFEFF---\r\nid: x\r\ntitle: Hello\r\n---\r\nBody\r\n';
    const result = parseFrontmatter(text, 'f.md');
    expect(result.data).toEqual({ id: 'x', title: 'Hello' });
    expect(result.bodyLine).toBe(5);
    expect(result.body).toBe('Body\n');
    expect(locateField(result.source, ['title'])).toEqual({ line: 3, column: 8 });
  });

  it('never runs JavaScript frontmatter and says why', () => {
    for (const lang of ['js', 'javascript', 'coffee', 'json', 'toml']) {
      const result = parseFrontmatter(`---${lang}\n{ id: process.exit(9) }\n---\nBody\n`, 'f.md');
      expect(result.data).toBeUndefined();
      expect(result.diagnostics).toMatchObject([{ code: 'frontmatter-language', line: 1, column: 4 }]);
      expect(result.diagnostics[0]?.message).toContain(`"${lang}"`);
    }
    // `---yaml` is YAML
    expect(parseFrontmatter('---yaml\nid: x\n---\n', 'f.md').data).toEqual({ id: 'x' });
  });

  it('refuses TOML frontmatter', () => {
    expect(codes('+++\nid = "x"\n+++\n')).toEqual(['frontmatter-language']);
  });

  it('reports missing, unclosed and empty frontmatter distinctly', () => {
    expect(codes('# Just a heading\n')).toEqual(['frontmatter-missing']);
    expect(codes('----\nid: x\n----\n')).toEqual(['frontmatter-missing']);
    expect(codes('---\nid: x\ntitle: y\n\nBody with no closing line\n')).toEqual(['frontmatter-unclosed']);
    expect(codes('---\n---\nBody\n')).toEqual(['frontmatter-empty']);
    expect(codes('---\n# only a comment\n---\n')).toEqual(['frontmatter-empty']);
  });

  it('closes at a line that is exactly --- (or ...), not at one that starts with ---', () => {
    const result = parseFrontmatter('---\nid: x\nnote: "--- not the end"\n...\nBody\n', 'f.md');
    expect(result.data).toEqual({ id: 'x', note: '--- not the end' });
    expect(result.bodyLine).toBe(5);
  });

  it('reports YAML syntax errors at their line, and unclosed quotes where they open', () => {
    const bad = parseFrontmatter('---\nid: x\ntitle: "Unclosed\nstatus: draft\n---\n', 'f.md');
    expect(bad.diagnostics).toMatchObject([{ code: 'yaml-syntax', line: 3, column: 8 }]);
    const tabs = parseFrontmatter('---\nimpact:\n\tsummary: x\n---\n', 'f.md');
    expect(tabs.diagnostics).toMatchObject([{ code: 'yaml-syntax', line: 3, hint: 'indent with spaces, not tabs' }]);
  });

  it('says first that tabs are not allowed, not the knock-on errors they cause', () => {
    // A tab-indented mapping makes the parser also see a "duplicate key" on the line before.
    const text = '---\nid: x\nimpact:\n\tsummary: Slow checkout\n  users_affected: 1200\n---\n';
    const { diagnostics } = parseFrontmatter(text, 'f.md');
    expect(diagnostics).toMatchObject([
      { code: 'yaml-syntax', line: 4, column: 1, message: 'tabs are not allowed for indentation in YAML' },
    ]);
  });

  it('reports a duplicate key at the second occurrence', () => {
    expect(parseFrontmatter('---\ntitle: a\nid: x\ntitle: b\n---\n', 'f.md').diagnostics).toMatchObject([
      { code: 'yaml-duplicate-key', line: 4, column: 1 },
    ]);
  });

  it('stops an alias bomb instead of expanding it', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (const [prev, name] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
      ['f', 'g'],
    ] as const) {
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const result = parseFrontmatter(`---\n${levels.join('\n')}\n---\n`, 'f.md');
    expect(result.data).toBeUndefined();
    expect(result.diagnostics).toMatchObject([{ code: 'yaml-aliases', line: 3 }]);
    expect(result.diagnostics[0]?.expected).toContain(String(MAX_YAML_ALIASES));
    // A few aliases are fine.
    expect(parseFrontmatter('---\na: &a [1]\nb: *a\n---\n', 'f.md').data).toEqual({ a: [1], b: [1] });
  });

  it('refuses YAML tags, including the ones js-yaml would have run', () => {
    const result = parseFrontmatter(
      "---\nid: x\ntitle: !!js/function 'function () {}'\nraw: !!binary aGVsbG8=\n---\n",
      'f.md',
    );
    expect(result.data).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['yaml-tag', 3],
      ['yaml-tag', 4],
    ]);
  });

  it('requires a mapping', () => {
    expect(codes('---\n- a\n- b\n---\n')).toEqual(['yaml-not-mapping']);
    expect(codes('---\njust text\n---\n')).toEqual(['yaml-not-mapping']);
  });

  it('survives pathological nesting with a diagnostic', () => {
    const result = parseFrontmatter(`---\na: ${'['.repeat(5000)}${']'.repeat(5000)}\n---\n`, 'f.md');
    expect(result.data).toBeUndefined();
    expect(result.diagnostics.length).toBeGreaterThan(0);
  });
});

describe('locateField', () => {
  const text = [
    '---', // 1
    'id: INC-2026-001', // 2
    'action_items:', // 3
    '  - title: First', // 4
    '    due: 2026-01-01', // 5
    '  - title: Second', // 6
    '    due: 2026-02-01', // 7
    'impact: { summary: short, data_loss: false }', // 8
    '---',
  ].join('\n');
  const { source } = parseFrontmatter(text, 'f.md');

  it('finds nested values in block and flow collections', () => {
    expect(locateField(source, ['id'])).toEqual({ line: 2, column: 5 });
    expect(locateField(source, ['action_items', 1, 'due'])).toEqual({ line: 7, column: 10 });
    expect(locateField(source, ['action_items', 1])).toEqual({ line: 6, column: 5 });
    expect(locateField(source, ['impact', 'data_loss'])).toEqual({ line: 8, column: 38 });
  });

  it('points at the key when asked, and at the nearest parent when the field is missing', () => {
    expect(locateField(source, ['action_items', 0, 'due'], 'key')).toEqual({ line: 5, column: 5 });
    expect(locateField(source, ['action_items', 0, 'owner'])).toEqual({ line: 4, column: 5 });
    expect(locateField(source, ['action_items', 7, 'due'])).toEqual({ line: 3, column: 1 });
    expect(locateField(source, ['reviewers'])).toEqual({ line: 2, column: 1 });
    expect(locateField(undefined, ['id'])).toEqual({ line: 1, column: 1 });
  });
});

describe('parseYamlFile', () => {
  it('parses a whole YAML file with positions from line 1', () => {
    const { data, source, diagnostics } = parseYamlFile('a: 1\nb:\n  c: 2\n', 'content/taxonomy.yaml');
    expect(diagnostics).toEqual([]);
    expect(data).toEqual({ a: 1, b: { c: 2 } });
    expect(locateField(source, ['b', 'c'])).toEqual({ line: 3, column: 6 });
  });
});

describe('the fast path for plain YAML', () => {
  const plainValue = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(
      '2026-03-04T02:14:00Z',
      '2026-04-30',
      'no',
      'Yes',
      '~',
      '0o17',
      '0x1F',
      '1_000',
      '.inf',
      '+12',
      '1e3',
      '@team',
      '"quoted"',
    ),
  );
  const plainDoc = fc.dictionary(
    fc.string({ minLength: 1, maxLength: 12 }),
    fc.oneof(
      plainValue,
      fc.array(plainValue, { maxLength: 4 }),
      fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), plainValue, { maxKeys: 3 }),
    ),
    { minKeys: 1, maxKeys: 8 },
  );

  it('gives the same data as the careful path, whatever the quoting and the scalars', () => {
    fc.assert(
      fc.property(
        plainDoc,
        fc.constantFrom<'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE'>('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
        fc.boolean(),
        (doc, defaultStringType, flow) => {
          const text = stringify(doc, { defaultStringType, collectionStyle: flow ? 'flow' : 'block' });
          const fast = readPlainYaml(text);
          if (fast === undefined) return; // took the careful path anyway
          // The careful path on the very same text (an alias-free "&" comment forces it).
          const reference = parseYamlFile(`${text}# &\n`, 'f.yaml');
          expect(reference.diagnostics).toEqual([]);
          expect(fast).toEqual(reference.data);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('hands everything with anchors, aliases, tags, merge keys or ambiguous numbers to the careful path', () => {
    for (const text of [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      '<<: {a: 1}\n',
      'a: 0b101\n',
      'a: -.5\n',
      'a: [1\n',
      '- a\n',
      'a: 1\na: 2\n',
      '',
    ]) {
      expect(readPlainYaml(text), text).toBeUndefined();
    }
    expect(readPlainYaml('id: INC-2026-001\ntags: [a, b]\n')).toEqual({ id: 'INC-2026-001', tags: ['a', 'b'] });
  });

  it('reads unquoted scalars exactly as YAML 1.2 core does', () => {
    const scalars = [
      '1_000',
      '0o17',
      '017',
      '0x1F',
      '.inf',
      '-.Inf',
      '.NaN',
      '+1',
      '1e3',
      '-0',
      '-0.0',
      '5.',
      'Yes',
      'no',
      'on',
      'TRUE',
      '~',
      'Null',
      '',
      '2026-03-04',
      '2026-03-04T02:00:00Z',
      '12:30',
      '0',
      '00',
      '+0.5e-3',
      '@team',
      'a #comment',
      'a#b',
      '"\\x41"',
      "'it''s'",
      '>\n  folded\n  text',
      '|\n  literal\n  text',
    ];
    for (const scalar of scalars) {
      const text = `k: ${scalar}\n`;
      const fast = readPlainYaml(text);
      if (fast !== undefined) expect(fast, scalar).toEqual(parseYamlFile(`${text}# &\n`, 'f.yaml').data);
    }
  });
});

describe('quickLocate', () => {
  /** Every path to a value in `data`, and to each key. */
  function paths(data: unknown, prefix: (string | number)[] = []): (string | number)[][] {
    if (Array.isArray(data)) return data.flatMap((item, i) => [[...prefix, i], ...paths(item, [...prefix, i])]);
    if (data !== null && typeof data === 'object') {
      return Object.entries(data).flatMap(([key, value]) => [[...prefix, key], ...paths(value, [...prefix, key])]);
    }
    return [];
  }
  /** The tree-based answer, for comparison (the quick path is skipped by a "&" comment). */
  function slowLocate(yaml: string, path: (string | number)[], at: 'value' | 'key') {
    return locateField({ yaml: `${yaml}# &\n`, firstLineColumn: 3 }, path, at);
  }

  const key = fc.constantFrom(
    'id',
    'title',
    'action_items',
    'due',
    'owner',
    'impact',
    'data_loss',
    'tags',
    'a',
    'b-c',
    'x_1',
  );
  const scalar = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('a: b', '- x', '# c', 'multi\nline', '2026-04-30'),
  );
  const value = fc.letrec((tie) => ({
    node: fc.oneof(
      { maxDepth: 3 },
      scalar,
      fc.array(tie('node'), { maxLength: 3 }),
      fc.dictionary(key, tie('node'), { maxKeys: 3 }),
    ),
  })).node;
  const doc = fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 });

  it('answers exactly as the syntax tree does, whenever it answers', () => {
    let answered = 0;
    fc.assert(
      fc.property(doc, fc.boolean(), fc.boolean(), (data, indentSeq, flow) => {
        const yaml = `\n${stringify(data, { indentSeq, collectionStyle: flow ? 'any' : 'block', lineWidth: 0 })}`;
        const fm = { yaml, firstLineColumn: 3 };
        for (const path of paths(data)) {
          for (const at of ['value', 'key'] as const) {
            const quick = quickLocate(fm, path, at);
            if (quick === undefined) continue;
            answered += 1;
            expect(quick, `${JSON.stringify(path)} ${at}\n${yaml}`).toEqual(slowLocate(yaml, path, at));
          }
        }
      }),
      { numRuns: 300 },
    );
    expect(answered).toBeGreaterThan(500);
  });

  it('answers for the shapes frontmatter has, and stays out of what it cannot be sure of', () => {
    const yaml =
      '\nid: INC-1\naction_items:\n  - title: First\n    due: 2026-01-01\nservices:\n- a\n- b\nimpact: { x: 1 }\n"quoted": 1\n';
    const fm = { yaml, firstLineColumn: 3 };
    expect(quickLocate(fm, ['action_items', 0, 'due'], 'value')).toEqual({ line: 5, column: 10 });
    expect(quickLocate(fm, ['services', 1], 'value')).toEqual({ line: 8, column: 3 });
    expect(quickLocate(fm, ['impact', 'x'], 'value')).toBeUndefined();
    expect(quickLocate(fm, ['quoted'], 'value')).toBeUndefined();
    expect(quickLocate(fm, ['missing'], 'value')).toBeUndefined();
    expect(quickLocate({ yaml: '\na: &x 1\nb: *x\n', firstLineColumn: 3 }, ['a'], 'value')).toBeUndefined();
  });
});
