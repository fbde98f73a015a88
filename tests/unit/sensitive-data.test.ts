import { afterAll, describe, expect, it } from 'vitest';
import sensitiveData, { maskFinding, scanText } from '../../src/kb/rules/sensitive-data.ts';
import { validateKnowledgeBase } from '../../src/kb/validate.ts';
import { makeKb, playbook } from '../fixtures/hostile/kb.ts';

const NOW = new Date('2026-04-01T00:00:00Z');
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
});

async function validate(files: Record<string, string>) {
  const kb = await makeKb(files, 'h6-sensitive-');
  cleanups.push(kb.cleanup);
  const result = await validateKnowledgeBase(kb.root, { now: NOW, rules: [sensitiveData] });
  return result.diagnostics;
}

const labels = (text: string) => scanText(text).map((f) => `${f.label}: ${f.text}`);

describe('scanText finds secrets', () => {
  it.each([
    ['AWS access key ID', 'export AWS_ACCESS_KEY_ID=AKIAQWERTYUIOPASDFGH', 'AKIAQWERTYUIOPASDFGH'],
    ['Google Cloud API key', 'key=AIzaSyA1234567890abcdefghijklmnopqrstuv', 'AIzaSyA1234567890abcdefghijklmnopqrstuv'],
    [
      'Azure storage or service-bus key',
      `AccountName=prod;AccountKey=${'Ab3/'.repeat(21)}xy==;`,
      `${'Ab3/'.repeat(21)}xy==`,
    ],
    [
      'GitHub token',
      'GITHUB_TOKEN ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    ],
    ['GitLab token', 'curl -H "PRIVATE-TOKEN: glpat-abcdefghij0123456789"', 'glpat-abcdefghij0123456789'],
    [
      'Slack token',
      'xoxb-123456789012-1234567890123-abcdefghijABCDEFGHIJ',
      'xoxb-123456789012-1234567890123-abcdefghijABCDEFGHIJ',
    ],
    ['Stripe secret key', 'STRIPE_KEY sk_live_abcdefghijklmnop1234', 'sk_live_abcdefghijklmnop1234'],
    [
      'private key',
      'the file held\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA',
      '-----BEGIN OPENSSH PRIVATE KEY-----',
    ],
    [
      'JSON Web Token',
      'cookie: session=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    ],
    ['password in a URL', 'DATABASE_URL=postgres://app:s3cr3tPass@db-7.prod.internal:5432/orders', 's3cr3tPass'],
    ['password or secret assignment', 'we had set DB_PASSWORD=Tr0ub4dor&3 in the manifest', 'Tr0ub4dor&3'],
    ['password or secret assignment', '{"client_secret": "abcDEF123456ghi"}', 'abcDEF123456ghi'],
    [
      'bearer or basic credential',
      'Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345',
      'abcdefghijklmnopqrstuvwxyz012345',
    ],
  ])('%s', (label, text, secret) => {
    expect(labels(text)).toEqual([`${label}: ${secret}`]);
  });
});

describe('scanText finds personal data', () => {
  it.each([
    ['e-mail address', 'ping dana.okafor@acme-corp.io about it', 'dana.okafor@acme-corp.io'],
    ['e-mail address', '[Dana](mailto:dana@acme-corp.io)', 'dana@acme-corp.io'],
    ['phone number', 'the customer called from +44 20 7946 1234 twice', '+44 20 7946 1234'],
    ['phone number', 'escalation line (415) 867-5309', '(415) 867-5309'],
    ['phone number', 'tel:+14158675309', '+14158675309'],
    ['IPv4 address', 'traffic from 34.120.7.9 spiked', '34.120.7.9'],
    ['IPv4 address', 'connect ECONNREFUSED 10.20.0.15:5432', '10.20.0.15'],
    ['IPv6 address', 'client 2a00:1450:4001:82b::200e retried', '2a00:1450:4001:82b::200e'],
  ])('%s in %j', (label, text, value) => {
    expect(labels(text)).toEqual([`${label}: ${value}`]);
  });
});

describe('scanText stays quiet on ordinary incident prose', () => {
  it.each([
    'Impact began at 2026-03-04T02:14:00Z and ended at 2026-03-04T03:14:00+01:00 (took 01:00:00).',
    'Rolled back checkout-api from v412 to v411; version 1.2.3.4 of the client, Chrome 120.0.6099.109.',
    'INC-2026-014 and INC-2025-031 share the failure mode; request-id 123-456-7890 was retried 3 times.',
    'Trace 4f3c2a1b9e8d7c6b5a4f3c2a1b9e8d7c, digest sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.',
    'p99 went from 250 ms to 3200 ms; +1 500 000 requests failed; error rate +38%.',
    'Documentation hosts 192.0.2.10, 198.51.100.7, 203.0.113.9 and 2001:db8::1 are fine.',
    'Loopback 127.0.0.1, unspecified 0.0.0.0, netmask 255.255.255.0, metadata 169.254.169.254, ::1, fe80::1ff:fe23:4567:890a.',
    'The 10.0.0.0/8 and 172.16.0.0/12 subnets were exhausted.',
    'Mail dana@example.com or ops@mail.example.org; logo@2x.png; git@github.com:org/repo.git; npm i @types/node@20.1.0.',
    'FATAL: password authentication failed for user "app"; token: expired; the secret: keep calm.',
    'DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/x and postgres://user:****@db/x and postgres://app:secret@db.example.com/x',
    'password: <your password>, password=changeme, api_key = process.env.API_KEY, Bearer <token>, Bearer $TOKEN',
    'AWS documents AKIAIOSFODNN7EXAMPLE as its example key.',
    'std::vector and a::b are C++; MAC 00:1a:2b:3c:4d:5e; call 555-0123 or (415) 555-0142 (fiction numbers).',
    'upstream connect error or disconnect/reset before headers. reset reason: overflow',
  ])('%s', (text) => {
    expect(labels(text)).toEqual([]);
  });
});

describe('maskFinding', () => {
  it('never shows a whole secret, but shows personal data so authors can find it', () => {
    const masked = maskFinding({ kind: 'secret', text: 'AKIAQWERTYUIOPASDFGH' });
    expect(masked).not.toContain('QWERTYUIOPASDFGH');
    expect(masked).toContain('20 characters');
    expect(maskFinding({ kind: 'personal', text: 'dana@acme-corp.io' })).toBe('"dana@acme-corp.io"');
  });
});

describe('the sensitive-data rule', () => {
  it('reports a secret in the body of a published document with file, line and column, masked', async () => {
    const body =
      '## Confirm\n\nRun `aws s3 ls` with\nexport AWS_ACCESS_KEY_ID=AKIAQWERTYUIOPASDFGH\n\n## Mitigate now\n\nx\n\n## Fix for good\n\ny\n';
    const diagnostics = await validate({ 'content/playbooks/leaky.md': playbook('leaky', { body }) });
    expect(diagnostics).toHaveLength(1);
    const [d] = diagnostics;
    // The frontmatter ends on line 11, so the body starts on line 12; the key is on its 4th line.
    expect(d).toMatchObject({
      code: 'sensitive-data',
      severity: 'error',
      file: 'content/playbooks/leaky.md',
      line: 15,
      column: 26,
      message: 'possible AWS access key ID in a published document',
    });
    expect(JSON.stringify(d)).not.toContain('AKIAQWERTYUIOPASDFGH');
  });

  it('reports personal data in a frontmatter field at that field', async () => {
    const diagnostics = await validate({
      'content/playbooks/pii.md': playbook('pii', {
        symptoms: ['Checkout fails', 'Customer dana@acme-corp.io reported 500s'],
      }),
    });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'sensitive-data',
        severity: 'error',
        file: 'content/playbooks/pii.md',
        line: 9,
        field: 'symptoms[1]',
        message: 'possible e-mail address in a published document (personal data)',
        found: '"dana@acme-corp.io"',
      }),
    ]);
  });

  it('exempts allowlisted strings and warns about allowlist entries that exempt nothing', async () => {
    const extra = [
      'allowlist:',
      '  - match: "10.20.0.15"',
      '    reason: private address of a decommissioned host',
      '  - match: "10.99.0.1"',
      '    reason: was in an earlier revision of this playbook',
    ].join('\n');
    const diagnostics = await validate({
      'content/playbooks/listed.md': playbook('listed', { symptoms: ['connect ECONNREFUSED 10.20.0.15:5432'], extra }),
    });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'sensitive-data',
        severity: 'warning',
        line: 14,
        column: 12,
        field: 'allowlist[1].match',
        message: 'this allowlist entry exempts nothing any more',
      }),
    ]);
  });

  it('in drafts: secrets are warnings, personal data is not reported', async () => {
    const body = 'Reporter: dana@acme-corp.io\n\nToken ghp_abcdefghijklmnopqrstuvwxyz0123456789 leaked.\n';
    const diagnostics = await validate({ 'content/playbooks/draft.md': playbook('draft', { status: 'draft', body }) });
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: 'possible GitHub token in a draft document',
        line: 14,
        column: 7,
      }),
    ]);
  });

  it('is registered, so `validate` fails on a secret', async () => {
    const kb = await makeKb({
      'content/playbooks/registered.md': playbook('registered', {
        symptoms: ['Token sk_live_abcdefghijklmnop1234 stopped working'],
      }),
    });
    cleanups.push(kb.cleanup);
    const { diagnostics } = await validateKnowledgeBase(kb.root, { now: NOW });
    expect(diagnostics.filter((d) => d.code === 'sensitive-data' && d.severity === 'error')).toHaveLength(1);
  });
});
