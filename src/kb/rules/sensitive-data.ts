/**
 * sensitive-data: likely secrets (cloud keys, tokens, private keys, JWTs, passwords in URLs and
 * assignments) and personal data (e-mail addresses, phone numbers, IP addresses) in documents.
 *
 * - In a published document every finding is an error, so the build refuses to publish it.
 * - In a draft or in-review document a secret is a warning (it is in git history already and
 *   should be rotated), personal data is not reported (drafts are where it gets cleaned up).
 * - A document's `allowlist` exempts reviewed strings: an entry exempts every finding whose text
 *   it contains. Entries that exempt nothing in a published document are warnings (stale
 *   reviews hide future mistakes).
 *
 * False positives are kept low on incident prose: documentation ranges and domains are never
 * flagged (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32, example.com/.org/.net,
 * the .example/.test/.invalid/.localhost TLDs, 555-01xx numbers, AWS's `…EXAMPLE` keys); nor are
 * loopback, link-local, unspecified and netmask addresses, subnets in CIDR notation, version
 * numbers, timestamps, hex ids, retina image names (`logo@2x.png`) or placeholders
 * (`********`, `<password>`, `${DB_PASSWORD}`).
 *
 * Secrets are masked in diagnostics (only the first characters are shown), because diagnostics
 * end up in CI logs.
 */
import { isIPv6 } from 'node:net';
import type { Diagnostic } from '../diagnostics.ts';
import type { AnyDoc } from '../model.ts';
import { fileLocalRule, formatFieldPath } from './_shared.ts';
import type { DocumentContext, Rule } from './types.ts';

/** What a finding is: a credential, or data about a person. */
export type FindingKind = 'secret' | 'personal';

/** One likely secret or piece of personal data in a text. */
export interface Finding {
  kind: FindingKind;
  /** What it looks like, e.g. "AWS access key ID". */
  label: string;
  /** The sensitive text itself (what an allowlist entry must contain). */
  text: string;
  /** Offset of `text` in the scanned string. */
  index: number;
}

interface Detector {
  kind: FindingKind;
  label: string;
  /** Cheap test first: the detector only runs on texts that pass it. */
  hint: (text: string) => boolean;
  /** Global regex; the sensitive text is group `group` (default the whole match). */
  pattern: RegExp;
  group?: number;
  /** Reject a candidate (documentation value, placeholder, version number…). */
  accept?: (value: string, match: RegExpExecArray, text: string) => boolean;
  /** True when the detector needs one of the strings in `ANY_LITERAL` (its hint implies it). */
  literal?: boolean;
  /** Grow the match to the left over these characters (the local part of an e-mail address). */
  extendLeft?: RegExp;
}

const has =
  (...needles: string[]) =>
  (text: string) =>
    needles.some((n) => text.includes(n));
const always = () => true;

/** `example.com`, `mail.example.org`, `foo.test`, `localhost`: names reserved for documentation (RFC 2606, 6761). */
export function isDocumentationDomain(domain: string): boolean {
  const d = domain.toLowerCase().replace(/\.$/, '');
  return (
    /(?:^|\.)example\.(?:com|org|net)$/.test(d) ||
    /(?:^|\.)(?:example|test|invalid|localhost)$/.test(d) ||
    d === 'localhost'
  );
}

/** Values that stand for a secret rather than being one. */
const PLACEHOLDER =
  /^(?:\*+|x{3,}|\.{3}|…|<[^>]*>|\[[^\]]*\]|\{\{?[^}]*\}?\}|\$\{?[A-Za-z_][\w]*\}?|%[A-Za-z_][\w]*%|[A-Z][A-Z0-9]*_[A-Z0-9_]*|process\.env\.\w+|os\.environ\S*|env\.\w+)$|example|redacted|changeme|placeholder|dummy|your[-_]|^(?:pass(?:word)?|secret|pwd|token|none|null|true|false|undefined)$/i;

function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}

/** At least two of: lower case, upper case, digit, symbol. */
function looksRandom(value: string): boolean {
  let classes = 0;
  if (/[a-z]/.test(value)) classes += 1;
  if (/[A-Z]/.test(value)) classes += 1;
  if (/\d/.test(value)) classes += 1;
  if (/[^A-Za-z0-9]/.test(value)) classes += 1;
  return classes >= 2;
}

function ipv4Octets(value: string): number[] {
  return value.split('.').map(Number);
}

/** Addresses that identify nobody: documentation, loopback, unspecified, link-local, masks, multicast. */
export function isUnremarkableIPv4(value: string): boolean {
  const [a = 0, b = 0, c = 0] = ipv4Octets(value);
  return (
    (a === 192 && b === 0 && c === 2) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113) ||
    a === 0 ||
    a === 127 ||
    (a === 169 && b === 254) ||
    a >= 224
  );
}

export function isUnremarkableIPv6(value: string): boolean {
  const v = value.toLowerCase();
  return (
    /^2001:0?db8(?::|$)/.test(v) || // documentation
    v === '::' ||
    v === '::1' ||
    /^fe[89ab][0-9a-f]?:/.test(v) || // link-local
    /^ff[0-9a-f]{0,2}:/.test(v) // multicast
  );
}

const FILE_EXTENSION_TLD = /\.(?:png|jpe?g|gif|svg|webp|avif|ico|js|mjs|ts|css|json|ya?ml|txt|log|html?|md)$/i;

const FULL_IPV6_HINT =
  /:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:/;

/** Every literal a `literal: true` detector's hint looks for, as one regex. */
const ANY_LITERAL =
  /PRIVATE KEY|AKIA|ASIA|ABIA|ACCA|A3T|AIza|GOCSPX-|private_key_id|AccountKey=|SharedAccessKey=|sig=|Q~|gh[pousr]_|github_pat_|gl(?:pat|dt|rt|ptt|cbt|oas)-|xox|xapp-|hooks\.slack\.com|[sr]k_(?:live|test)_|whsec_|npm_|SG\.|eyJ/;

export const DETECTORS: Detector[] = [
  // ── Secrets ──────────────────────────────────────────────────────────────────────────────
  {
    kind: 'secret',
    label: 'private key',
    literal: true,
    hint: has('PRIVATE KEY'),
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g,
  },
  {
    kind: 'secret',
    label: 'AWS access key ID',
    literal: true,
    hint: has('AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'),
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])/g,
    accept: (v) => !v.endsWith('EXAMPLE'),
  },
  {
    kind: 'secret',
    label: 'Google Cloud API key',
    literal: true,
    hint: has('AIza'),
    pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'secret',
    label: 'Google OAuth client secret',
    literal: true,
    hint: has('GOCSPX-'),
    pattern: /GOCSPX-[0-9A-Za-z_-]{28}/g,
  },
  {
    kind: 'secret',
    label: 'Google service-account key id',
    literal: true,
    hint: has('private_key_id'),
    pattern: /"private_key_id"\s*:\s*"([0-9a-f]{40})"/g,
    group: 1,
  },
  {
    kind: 'secret',
    label: 'Azure storage or service-bus key',
    literal: true,
    hint: has('AccountKey=', 'SharedAccessKey='),
    pattern: /(?:AccountKey|SharedAccessKey)=([A-Za-z0-9+/]{40,88}={0,2})/g,
    group: 1,
  },
  {
    kind: 'secret',
    label: 'Azure SAS signature',
    literal: true,
    hint: has('sig='),
    pattern: /[?&]sig=([A-Za-z0-9%+/]{40,}(?:%3D|=)*)/g,
    group: 1,
  },
  {
    kind: 'secret',
    label: 'Azure AD client secret',
    literal: true,
    hint: has('Q~'),
    pattern: /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g,
  },
  {
    kind: 'secret',
    label: 'GitHub token',
    literal: true,
    hint: has('ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'),
    pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{50,})(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'secret',
    label: 'GitLab token',
    literal: true,
    hint: has('glpat-', 'gldt-', 'glrt-', 'glptt-', 'glcbt-', 'gloas-'),
    pattern: /(?<![A-Za-z0-9_-])gl(?:pat|dt|rt|ptt|cbt|oas)-[A-Za-z0-9_-]{20,}/g,
  },
  {
    kind: 'secret',
    label: 'Slack token',
    literal: true,
    hint: has('xox', 'xapp-'),
    pattern: /(?<![A-Za-z0-9-])(?:xox[abposr]-(?:[0-9]+-)*[A-Za-z0-9-]{10,}|xapp-\d-[A-Za-z0-9-]{10,})/g,
  },
  {
    kind: 'secret',
    label: 'Slack webhook URL',
    literal: true,
    hint: has('hooks.slack.com'),
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows)\/[A-Za-z0-9/_-]{20,}/g,
  },
  {
    kind: 'secret',
    label: 'Stripe secret key',
    literal: true,
    hint: has('sk_live_', 'sk_test_', 'rk_live_', 'rk_test_', 'whsec_'),
    pattern: /(?<![A-Za-z0-9_])(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{24,})(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'secret',
    label: 'npm token',
    literal: true,
    hint: has('npm_'),
    pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'secret',
    label: 'SendGrid API key',
    literal: true,
    hint: has('SG.'),
    pattern: /(?<![A-Za-z0-9_])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'secret',
    label: 'JSON Web Token',
    literal: true,
    hint: has('eyJ'),
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g,
  },
  {
    kind: 'secret',
    label: 'password in a URL',
    hint: has('://'),
    // scheme://user:password@host — the password is group 2. Anchored on "://" to stay linear.
    pattern: /:\/\/([^\s:@/?#[\]]+):([^\s@/?#[\]]+)@([^\s/?#:@[\]]+)/g,
    group: 2,
    accept: (password, match) => !isPlaceholder(password) && !isDocumentationDomain(match[3] ?? ''),
  },
  {
    kind: 'secret',
    label: 'bearer or basic credential',
    hint: has('Bearer', 'bearer', 'Basic', 'basic', 'BEARER', 'BASIC'),
    pattern: /\b(?:Bearer|Basic)\s+([A-Za-z0-9\-._~+/]{20,}=*)/gi,
    group: 1,
    accept: (v) => !isPlaceholder(v) && looksRandom(v),
  },
  {
    kind: 'secret',
    label: 'password or secret assignment',
    hint: always,
    // password=…, DB_PASSWORD: "…", "client_secret": "…", api-key = … — the value is group 2.
    // Anchored on the ":" or "=" (the keyword is a look-behind), so the scan stays linear.
    pattern:
      /(?<=(?:passw(?:or)?d|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key)["']?\s{0,3})[:=]\s{0,3}(["']?)([^\s"'`,;)]{6,})\1/gi,
    group: 2,
    accept: (value) => !isPlaceholder(value) && looksRandom(value) && !/^https?:/i.test(value),
  },
  // ── Personal data ────────────────────────────────────────────────────────────────────────
  {
    kind: 'personal',
    label: 'e-mail address',
    hint: has('@'),
    // Anchored on "@" (the domain is matched here, the local part by `extend`), so the scan stays linear.
    pattern: /@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})(?![\w-])/g,
    extendLeft: /[A-Za-z0-9._%+-]/,
    accept: (value, match) => {
      const domain = match[1] ?? '';
      if (isDocumentationDomain(domain) || FILE_EXTENSION_TLD.test(domain)) return false;
      return /^[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@/.test(value) && !/^git@/i.test(value);
    },
  },
  {
    kind: 'personal',
    label: 'phone number',
    hint: always,
    // +44 20 7946 0958, +1-415-555-0132, (415) 555-0132, 415-555-0132, 415.555.0132
    pattern:
      /(?<![\w+.\-/])(?:\+[1-9](?:[ .-]?\(?\d\)?){7,14}|(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[-.])[2-9]\d{2}[-.]\d{4})(?![\w\-/]|[.:]\d)/g,
    accept: (value) => {
      const digits = value.replace(/\D/g, '');
      if (value.startsWith('+') && (digits.length < 9 || digits.length > 15)) return false;
      // Reserved for fiction and documentation: NANP 555-0100…0199, Ofcom drama ranges.
      if (/555\D?01\d\d$/.test(value)) return false;
      if (/^44(?:2079460|1632960|7700900)/.test(digits)) return false;
      return true;
    },
  },
  {
    kind: 'personal',
    label: 'IPv4 address',
    hint: always,
    pattern:
      /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d|\/\d)/g,
    accept: (value, match, text) => {
      if (isUnremarkableIPv4(value)) return false;
      const before = text.slice(Math.max(0, match.index - 12), match.index);
      return !/(?:version|release|build|v)\s*$/i.test(before);
    },
  },
  {
    kind: 'personal',
    label: 'IPv6 address',
    // "::" or a full eight-group address, tested from its colons: timestamps (09:02:00) make
    // running the address pattern itself on every text the most expensive step of the scan.
    hint: (text) => text.includes('::') || FULL_IPV6_HINT.test(text),
    pattern: /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:]|\/\d)/g,
    accept: (value) => {
      if (!isIPv6(value) || isUnremarkableIPv6(value)) return false;
      const groups = value.split(':').filter((g) => g !== '');
      // `a::b` (C++ scopes) and short forms are not worth a false positive; real addresses have more.
      return groups.length >= 3 && (value.includes('::') || groups.length === 8);
    },
  },
];

const COMPILED = new Map<Detector, RegExp>();

/** The detector's pattern with match indices, compiled once (scanning is synchronous). */
function compiled(detector: Detector): RegExp {
  let pattern = COMPILED.get(detector);
  if (!pattern) {
    pattern = new RegExp(detector.pattern.source, `${detector.pattern.flags.replace('d', '')}d`);
    COMPILED.set(detector, pattern);
  }
  return pattern;
}

/**
 * Every likely secret and piece of personal data in `text`, in order of position. Pure.
 * Overlapping findings are reported once (the first detector in the list wins).
 */
export function scanText(text: string): Finding[] {
  const findings: Finding[] = [];
  // One pass decides whether any literal-prefixed secret can be there; most documents have none.
  const literals = ANY_LITERAL.test(text);
  for (const detector of DETECTORS) {
    if (detector.literal && !literals) continue;
    if (!detector.hint(text)) continue;
    const pattern = compiled(detector);
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      if (match[0] === '') {
        pattern.lastIndex += 1;
        continue;
      }
      const group = detector.group ?? 0;
      let value = match[group];
      if (value === undefined) continue;
      let index = match.indices?.[group]?.[0] ?? match.index;
      if (detector.extendLeft) {
        let start = index;
        while (start > 0 && index - start < 64 && detector.extendLeft.test(text[start - 1] ?? '')) start -= 1;
        value = text.slice(start, index) + value;
        index = start;
      }
      if (detector.accept && !detector.accept(value, match, text)) continue;
      const end = index + value.length;
      if (findings.some((f) => index < f.index + f.text.length && f.index < end)) continue;
      findings.push({ kind: detector.kind, label: detector.label, text: value, index });
    }
  }
  return findings.sort((a, b) => a.index - b.index);
}

/** What a diagnostic may show of a finding: secrets masked, personal data truncated. */
export function maskFinding(finding: Pick<Finding, 'kind' | 'text'>): string {
  if (finding.kind === 'personal')
    return JSON.stringify(finding.text.length > 60 ? `${finding.text.slice(0, 59)}…` : finding.text);
  const shown = finding.text.slice(0, Math.min(4, Math.floor(finding.text.length / 4)));
  return `"${shown}…" (${finding.text.length} characters, masked)`;
}

type Path = (string | number)[];

/** Joins frontmatter strings for one scan; NUL is in no pattern, so no finding spans two fields. */
const SEPARATOR = '\n\u0000\n';

/**
 * Every string in the frontmatter data, in order, the allowlist itself excluded; with `paths`,
 * also each one's field path (worked out only for a document with findings: building a path for
 * every string of every document costs more than scanning them).
 */
function frontmatterStrings(value: unknown, out: string[], paths?: Path[], path: Path = [], top = true): void {
  if (typeof value === 'string') {
    out.push(value);
    paths?.push(path);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      frontmatterStrings(value[i], out, paths, paths ? [...path, i] : path, false);
    }
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (top && key === 'allowlist') continue;
      frontmatterStrings(record[key], out, paths, paths ? [...path, key] : path, false);
    }
  }
}

/** 1-based line and column of `index` in `text`, whose first line is file line `firstLine`. */
function position(text: string, index: number, firstLine: number): { line: number; column: number } {
  let line = firstLine;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: index - lineStart + 1 };
}

const HINTS: Record<FindingKind, string> = {
  secret:
    'revoke or rotate the credential (it is in the git history now) and remove it; if it is not a real secret, add it to this document\'s "allowlist" with the reason',
  personal:
    'use a role or team ("@payments-oncall") or a documentation value (name@example.com, 192.0.2.10, 2001:db8::10); if it was reviewed and may be published, add it to this document\'s "allowlist" with the reason',
};

function checkDocument(doc: AnyDoc, context: DocumentContext): Diagnostic[] {
  const published = doc.data.status === 'published';
  const allowlist = doc.data.allowlist;
  const used = new Set<number>();
  const out: Diagnostic[] = [];

  const report = (finding: Finding, where: { line: number; column: number }, field?: string) => {
    if (!published && finding.kind === 'personal') return;
    const exempt = allowlist.findIndex((entry) => entry.match.includes(finding.text));
    if (exempt !== -1) {
      used.add(exempt);
      return;
    }
    out.push({
      code: rule.code,
      severity: published ? 'error' : 'warning',
      file: doc.file,
      ...where,
      message: `possible ${finding.label} in ${published ? 'a published' : `a ${doc.data.status}`} document${finding.kind === 'personal' ? ' (personal data)' : ''}`,
      ...(field ? { field } : {}),
      expected: finding.kind === 'secret' ? 'no credentials in documents' : 'no personal data in published documents',
      found: maskFinding(finding),
      hint: HINTS[finding.kind],
    });
  };

  // Every frontmatter string in one scan (scanning many short strings one by one costs more than
  // the text itself); the separator cannot be part of any finding.
  const strings: string[] = [];
  frontmatterStrings(doc.data, strings);
  const findings = scanText(strings.join(SEPARATOR));
  if (findings.length > 0) {
    const paths: Path[] = [];
    frontmatterStrings(doc.data, [], paths);
    const starts: number[] = [];
    let offset = 0;
    for (const value of strings) {
      starts.push(offset);
      offset += value.length + SEPARATOR.length;
    }
    for (const finding of findings) {
      let i = starts.length - 1;
      while (i > 0 && (starts[i] ?? 0) > finding.index) i -= 1;
      const path = paths[i] ?? [];
      report(finding, context.locate(doc.file, path), formatFieldPath(path));
    }
  }
  for (const finding of scanText(doc.body)) report(finding, position(doc.body, finding.index, doc.bodyLine));

  if (published) {
    allowlist.forEach((entry, i) => {
      if (used.has(i)) return;
      out.push({
        code: rule.code,
        severity: 'warning',
        file: doc.file,
        ...context.locate(doc.file, ['allowlist', i, 'match']),
        message: 'this allowlist entry exempts nothing any more',
        field: formatFieldPath(['allowlist', i, 'match']),
        found: JSON.stringify(entry.match),
        hint: 'remove the entry, so a future mistake with the same text is not silently allowed',
      });
    });
  }
  return out;
}

// File-local: findings depend on the document alone, so they are cached with its parse.
const rule: Rule = fileLocalRule({
  code: 'sensitive-data',
  description:
    'No likely secrets (keys, tokens, private keys, JWTs, passwords) or personal data (e-mail, phone, IP addresses) in published documents, unless allowlisted.',
  checkDocument,
});

export default rule;
