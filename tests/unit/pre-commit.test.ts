/**
 * The pre-commit hook (`scripts/hooks/pre-commit`), run by real `git commit`s in a temporary
 * repository holding a small knowledge base: it validates the staged content files, blocks a
 * commit with errors, validates what is staged rather than what is in the working tree, and
 * stays out of the way when no content changed.
 */
import { spawnSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, testdir } from './cli-testdir.ts';

const TAXONOMY = `categories:
  - { id: software-bug, label: Software bug, summary: Code did the wrong thing., definition: A defect in code we own. }
  - { id: unknown, label: Not yet classified, summary: Drafts only., definition: Placeholder., draft_only: true }
severities:
  - { id: SEV1, rank: 1, label: Critical, definition: Everything is down. }
  - { id: SEV2, rank: 2, label: Major, definition: Something is down. }
detection_sources:
  - { id: alert, label: Alert, monitoring: true, definition: An alert paged a human. }
services:
  - { id: checkout-api, name: Checkout API }
`;

function postmortem(id: string, severity: string): string {
  return `---
id: ${id}
title: Checkout errors after a deploy
status: draft
summary: Checkout failed for some users for a while after a deploy.
severity: ${severity}
category: unknown
trigger: Deploy of checkout-api
services: [checkout-api]
started: "2026-01-10T10:00:00Z"
detection: alert
impact:
  summary: Some checkouts failed with HTTP 500.
  data_loss: false
authors: [Dana]
---

## Summary

Checkout failed.
`;
}

/** A git repository with a knowledge base, the repository's node_modules and scripts linked in. */
function repo() {
  const dir = testdir({
    'content/taxonomy.yaml': TAXONOMY,
    'content/postmortems/INC-2026-001-checkout.md': postmortem('INC-2026-001', 'SEV2'),
    'content/postmortems/INC-2026-002-other.md': postmortem('INC-2026-002', 'SEV2'),
    'README.md': 'not content\n',
    '.gitignore': 'node_modules\nscripts\n',
  });
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  symlinkSync(join(REPO, 'scripts'), join(dir, 'scripts'));
  const git = (...args: string[]) => {
    const result = spawnSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        NO_COLOR: '1',
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.com',
      },
      timeout: 60_000,
    });
    return { code: result.status, output: `${result.stdout}${result.stderr}` };
  };
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '--no-verify', '-m', 'initial');
  git('config', 'core.hooksPath', join(REPO, 'scripts', 'hooks'));
  const write = (path: string, text: string) => {
    writeFileSync(join(dir, path), text);
  };
  return { dir, git, write };
}

// Each test makes a repository and runs real commits (each a Node process validating the knowledge base).
describe('pre-commit hook', { timeout: 120_000 }, () => {
  it('lets a commit with valid content files through', () => {
    const { git, write } = repo();
    write('content/postmortems/INC-2026-001-checkout.md', postmortem('INC-2026-001', 'SEV1'));
    git('add', '-A');
    const commit = git('commit', '-q', '-m', 'raise severity');
    expect(commit.output).toContain('No problems in 1 file');
    expect(commit.code).toBe(0);
  });

  it('stops a commit whose staged file has an error, naming the file, line and field', () => {
    const { git, write } = repo();
    write('content/postmortems/INC-2026-001-checkout.md', postmortem('INC-2026-001', 'SEV9'));
    git('add', '-A');
    const commit = git('commit', '-q', '-m', 'bad severity');
    expect(commit.code).toBe(1);
    expect(commit.output).toContain('content/postmortems/INC-2026-001-checkout.md:6:11');
    expect(commit.output).toContain('the commit was stopped by the problems above');
    expect(git('log', '--oneline').output.trim().split('\n')).toHaveLength(1);
  });

  it('validates what is staged, not the working tree', () => {
    const { git, write } = repo();
    // Staged: valid. Working tree: broken afterwards. The commit records the valid version.
    write('content/postmortems/INC-2026-001-checkout.md', postmortem('INC-2026-001', 'SEV1'));
    git('add', '-A');
    write('content/postmortems/INC-2026-001-checkout.md', postmortem('INC-2026-001', 'SEV9'));
    expect(git('commit', '-q', '-m', 'valid staged').code).toBe(0);
    // Staged: broken. Working tree: fixed afterwards. Still stopped.
    git('add', '-A');
    write('content/postmortems/INC-2026-001-checkout.md', postmortem('INC-2026-001', 'SEV2'));
    const commit = git('commit', '-q', '-m', 'broken staged');
    expect(commit.code).toBe(1);
    expect(commit.output).toContain('"severity" has a value that is not allowed');
  });

  it('checks only the changed files: an unrelated broken file does not block', () => {
    const { git, write } = repo();
    write('content/postmortems/INC-2026-002-other.md', postmortem('INC-2026-002', 'SEV9'));
    git('add', 'content/postmortems/INC-2026-002-other.md');
    git('commit', '-q', '--no-verify', '-m', 'broken, committed without the hook');
    write('content/postmortems/INC-2026-001-checkout.md', postmortem('INC-2026-001', 'SEV1'));
    git('add', 'content/postmortems/INC-2026-001-checkout.md');
    expect(git('commit', '-q', '-m', 'only the good file').code).toBe(0);
  });

  it('checks every document when the taxonomy changes', () => {
    const { git, write } = repo();
    write(
      'content/taxonomy.yaml',
      TAXONOMY.replace('  - { id: SEV2, rank: 2, label: Major, definition: Something is down. }\n', ''),
    );
    git('add', '-A');
    const commit = git('commit', '-q', '-m', 'drop SEV2');
    expect(commit.code).toBe(1);
    expect(commit.output).toContain('INC-2026-001-checkout.md');
    expect(commit.output).toContain('INC-2026-002-other.md');
  });

  it('does nothing when no content file is staged', () => {
    const { git, write } = repo();
    write('content/postmortems/INC-2026-001-checkout.md', postmortem('INC-2026-001', 'SEV9'));
    write('README.md', 'changed\n');
    git('add', 'README.md');
    const commit = git('commit', '-q', '-m', 'docs only');
    expect(commit.code).toBe(0);
    expect(commit.output).toBe('');
  });
});
