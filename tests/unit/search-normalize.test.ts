import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeRemoved, MAX_QUERY_WORDS, normalizeErrorText, prepareQuery } from '../../src/search/normalize.ts';

/** Real log lines, as a responder would paste them, and the stable message they must reduce to. */
const LOG_LINES: { source: string; line: string; expected: string }[] = [
  {
    source: 'nginx error log',
    line: '2026/03/04 02:14:00 [error] 31#31: *4711 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.0.1, server: api.example.com',
    expected:
      '[error] upstream timed out (110: Connection timed out) while reading response header from upstream, client: server: api.example.com',
  },
  {
    source: 'nginx access log',
    line: '10.1.2.3 - - [04/Mar/2026:02:14:00 +0000] "POST /checkout HTTP/1.1" 502 157 rt=30.001 request_id=7f3a9c2e4b1d4e8f9a0b1c2d3e4f5a6b',
    expected: '"POST checkout HTTP" 502 157 rt= request_id=',
  },
  {
    source: 'PostgreSQL server log',
    line: '2026-03-04 02:14:00.123 UTC [12345] FATAL:  remaining connection slots are reserved for non-replication superuser connections',
    expected: 'FATAL: remaining connection slots are reserved for non-replication superuser connections',
  },
  {
    source: 'PostgreSQL client (psql / libpq)',
    line: 'psql: error: connection to server at "10.20.0.15", port 5432 failed: FATAL:  sorry, too many clients already',
    expected: 'psql: error: connection to server at port failed: FATAL: sorry, too many clients already',
  },
  {
    source: 'HikariCP via Spring Boot',
    line: '2026-03-04 02:14:00.123 ERROR 1 --- [io-8080-exec-12] c.e.checkout.OrderService : HikariPool-1 - Connection is not available, request timed out after 30005ms.',
    expected:
      'ERROR [io exec] c.e.checkout.OrderService HikariPool Connection is not available, request timed out after',
  },
  {
    source: 'HikariCP exception with pool stats',
    line: 'java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms (total=10, active=10, idle=0, waiting=42)',
    expected:
      'java.sql.SQLTransientConnectionException: HikariPool Connection is not available, request timed out after (total= active= idle= waiting=)',
  },
  {
    source: 'Java stack frame',
    line: '\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)',
    expected: 'at com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java)',
  },
  {
    source: 'Node.js',
    line: 'Error: connect ECONNREFUSED 127.0.0.1:6379\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)',
    expected: 'Error: connect ECONNREFUSED at TCPConnectWrap.afterConnect [as oncomplete] (node:net)',
  },
  {
    source: 'Node.js structured (pino) log',
    line: '{"level":"error","time":"2026-03-04T02:14:00.123Z","pid":4242,"hostname":"checkout-api-7d9f8b6c5-x2x4z","msg":"getaddrinfo EAI_AGAIN tax.example.com"}',
    expected:
      '{"level":"error","time": ,"pid": ,"hostname":"checkout-api","msg":"getaddrinfo EAI_AGAIN tax.example.com"}',
  },
  {
    source: 'Kubernetes event',
    line: 'Warning  BackOff    3m (x42 over 12m)  kubelet  Back-off restarting failed container checkout in pod checkout-api-7d9f8b6c5-x2x4z_payments(5c9a0e1f-3b2d-4c6e-8f7a-9b0c1d2e3f4a)',
    expected:
      'Warning BackOff (over) kubelet Back-off restarting failed container checkout in pod checkout-api payments',
  },
  {
    source: 'kubectl describe pod',
    line: 'Last State: Terminated  Reason: OOMKilled  Exit Code: 137  Started: Tue, 04 Mar 2026 02:10:00 +0000',
    expected: 'Last State: Terminated Reason: OOMKilled Exit Code: 137 Started:',
  },
  {
    source: 'klog (Kubernetes components)',
    line: 'E0304 02:14:00.123456       1 reflector.go:138] Failed to watch *v1.Pod: the server has asked for the client to try again later',
    expected: 'reflector.go] Failed to watch *v1.Pod: the server has asked for the client to try again later',
  },
  {
    source: 'Kubernetes scheduler',
    line: '0/12 nodes are available: 3 Insufficient cpu, 9 Insufficient memory.',
    expected: 'nodes are available: Insufficient cpu, Insufficient memory.',
  },
  {
    source: 'OpenSSL 3',
    line: '40E7F5C1B87F0000:error:0A000086:SSL routines:tls_post_process_server_certificate:certificate verify failed:ssl/statem/statem_clnt.c:1889:',
    expected:
      ':error: :SSL routines:tls_post_process_server_certificate:certificate verify failed:ssl/statem/statem_clnt.c',
  },
  {
    source: 'Go crypto/x509',
    line: 'x509: certificate has expired or is not yet valid: current time 2026-03-04T02:14:00Z is after 2026-03-03T23:59:59Z',
    expected: 'x509: certificate has expired or is not yet valid: current time is after',
  },
  {
    source: 'Go panic',
    line: 'panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x4a5b6c]',
    expected:
      'panic: runtime error: invalid memory address or nil pointer dereference [signal SIGSEGV: segmentation violation code= addr= pc=]',
  },
  {
    source: 'Go net/http client',
    line: 'dial tcp [2001:db8::1]:443: i/o timeout',
    expected: 'dial tcp i/o timeout',
  },
  {
    source: 'Linux kernel OOM killer (syslog)',
    line: 'Mar  4 02:14:00 web-3 kernel: [123456.789012] Out of memory: Killed process 4242 (java) total-vm:8388608kB',
    expected: 'web kernel: Out of memory: Killed process (java) total-vm:',
  },
];

describe('normalizeErrorText on real log lines', () => {
  for (const { source, line, expected } of LOG_LINES) {
    it(`reduces a ${source} line to its stable message`, () => {
      expect(normalizeErrorText(line).text).toBe(expected);
    });
  }

  it('keeps vendor error codes, SQLSTATEs, HTTP statuses, exit codes and postmortem ids', () => {
    expect(normalizeErrorText('ERROR 1040 (HY000): Too many connections').text).toBe(
      'ERROR 1040 (HY000): Too many connections',
    );
    expect(normalizeErrorText('ORA-00060: deadlock detected while waiting for resource').text).toBe(
      'ORA-00060: deadlock detected while waiting for resource',
    );
    expect(normalizeErrorText('could not serialize access SQLSTATE 40001').text).toBe(
      'could not serialize access SQLSTATE 40001',
    );
    expect(normalizeErrorText('see INC-2026-014 and INC-2025-031').text).toBe('see INC-2026-014 and INC-2025-031');
    expect(normalizeErrorText('HTTP 503 then 504 Gateway Time-out').text).toBe('HTTP 503 then 504 Gateway Time-out');
  });

  it('does not mistake ordinary words for dates or ids', () => {
    expect(normalizeErrorText('Markdown tables in March').text).toBe('Markdown tables in March');
    expect(
      normalizeErrorText('upstream connect error or disconnect/reset before headers. reset reason: overflow').text,
    ).toBe('upstream connect error or disconnect/reset before headers. reset reason: overflow');
    expect(normalizeErrorText('std::vector and Postgres ::text casts').text).toBe(
      'std::vector and Postgres ::text casts',
    );
  });

  it('counts what it removed, by kind', () => {
    const { removed } = normalizeErrorText(
      '2026-03-04T02:14:00Z 10.0.0.1:443 took 30005ms id=5c9a0e1f-3b2d-4c6e-8f7a-9b0c1d2e3f4a',
    );
    expect(removed).toEqual({ timestamp: 1, ip: 1, duration: 1, uuid: 1 });
    expect(describeRemoved(removed)).toBe('1 timestamp, 1 UUID, 1 IP address and 1 duration');
    expect(describeRemoved({ number: 2 })).toBe('2 numbers');
    expect(describeRemoved({})).toBe('');
  });

  it('is idempotent and never grows its input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (input) => {
        const once = normalizeErrorText(input).text;
        expect(normalizeErrorText(once).text).toBe(once);
        expect(once.length).toBeLessThanOrEqual(input.length);
      }),
      { numRuns: 500 },
    );
  });

  it('normalises the same message with different volatile tokens to the same text', () => {
    const token = fc.record({
      ip: fc.ipV4(),
      port: fc.integer({ min: 1, max: 65535 }),
      uuid: fc.uuid(),
      ms: fc.integer({ min: 1, max: 999_999 }),
      pid: fc.integer({ min: 1000, max: 99_999 }),
      date: fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
    });
    fc.assert(
      fc.property(token, token, (a, b) => {
        const line = (t: typeof a) =>
          `${t.date.toISOString()} [${t.pid}] request ${t.uuid} to ${t.ip}:${t.port} failed: upstream timed out after ${t.ms}ms`;
        expect(normalizeErrorText(line(a)).text).toBe(normalizeErrorText(line(b)).text);
        expect(normalizeErrorText(line(a)).text).toBe('request to failed: upstream timed out after');
      }),
      { numRuns: 200 },
    );
  });
});

describe('prepareQuery', () => {
  it('turns a pasted log line into plain search words, without phrase quotes or repeats', () => {
    const prepared = prepareQuery(
      '2026-03-04 02:14:00.123 UTC [12345] FATAL:  sorry, too many clients already; FATAL: "sorry, too many clients already"',
    );
    expect(prepared.term).toBe('FATAL sorry too many clients already');
    expect(prepared.changed).toBe(true);
    expect(prepared.removed).toEqual({ timestamp: 1, number: 1 });
  });

  it('leaves a typed symptom alone apart from HTTP status plurals', () => {
    expect(prepareQuery('checkout slow after deploy')).toEqual({
      term: 'checkout slow after deploy',
      removed: {},
      changed: false,
    });
    expect(prepareQuery('checkout 500s after deploy db connections maxed').term).toBe(
      'checkout 500 after deploy db connections maxed',
    );
  });

  it('falls back to what was typed when normalisation leaves nothing', () => {
    expect(prepareQuery('8080').term).toBe('8080');
    expect(prepareQuery('   ').term).toBe('');
  });

  it(`caps very long pastes at ${MAX_QUERY_WORDS} words`, () => {
    const words = Array.from(
      { length: 60 },
      (_, i) => `word${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`,
    );
    expect(prepareQuery(words.join(' ')).term.split(' ')).toHaveLength(MAX_QUERY_WORDS);
  });
});
