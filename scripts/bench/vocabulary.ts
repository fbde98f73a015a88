/**
 * Words the synthetic corpora are written with: failure modes (each becomes a playbook),
 * triggers, people and phrases. Plain data; `./generate.ts` combines it with a seeded random
 * stream. Nothing here looks like a secret or personal data (no e-mail addresses, IP addresses
 * or tokens), so generated knowledge bases pass the sensitive-data scan.
 */

export interface FailureMode {
  id: string;
  title: string;
  /** Root-cause category id it usually falls under (from the bundled taxonomy). */
  category: string;
  /** What a responder sees. */
  symptom: string;
  /** A literal error line, as pasted into search. */
  signature: string;
  /** The mechanism, one sentence, used in bodies. */
  mechanism: string;
  /** The usual first mitigation, imperative. */
  mitigation: string;
  /** The durable fix, imperative. */
  fix: string;
}

export const FAILURE_MODES: readonly FailureMode[] = [
  { id: 'connection-pool-exhaustion', title: 'Connection pool exhaustion', category: 'infrastructure-limit', symptom: 'Requests queue for a database connection and time out while the database itself looks idle', signature: 'FATAL: sorry, too many clients already', mechanism: 'every replica opened its full pool at once and the database hit max_connections', mitigation: 'Scale the callers down or lower their pool size, then restart the stuck replicas one at a time', fix: 'Put a connection pooler in front of the database and budget connections per service' },
  { id: 'retry-storm', title: 'Retry storm', category: 'software-bug', symptom: 'Request rate to a dependency jumps to several times normal while user traffic is flat', signature: 'upstream connect error or disconnect/reset before headers. reset reason: overflow', mechanism: 'clients retried immediately and without a budget, multiplying load on a dependency that was already slow', mitigation: 'Shed load at the edge and disable client retries with the kill switch', fix: 'Add exponential backoff with jitter and a retry budget to every client' },
  { id: 'certificate-expiry', title: 'Certificate expiry', category: 'infrastructure-limit', symptom: 'TLS handshakes fail for every client at the same minute', signature: 'x509: certificate has expired or is not yet valid', mechanism: 'the certificate renewal job had been failing silently for weeks and the certificate expired', mitigation: 'Issue and deploy a certificate by hand, then confirm the chain with a fresh client', fix: 'Alert on certificate age, not on renewal job failures' },
  { id: 'dns-resolution-failure', title: 'DNS resolution failure', category: 'infrastructure-limit', symptom: 'Calls between services fail with name resolution errors while the services are healthy', signature: 'getaddrinfo EAI_AGAIN', mechanism: 'cluster DNS pods were throttled on CPU and dropped queries under load', mitigation: 'Scale cluster DNS and enable node-local caching', fix: 'Give cluster DNS guaranteed resources and cache lookups in clients' },
  { id: 'disk-full', title: 'Disk full', category: 'infrastructure-limit', symptom: 'Writes fail and the service crashes on start while reads still work', signature: 'No space left on device', mechanism: 'log files and temporary exports filled the volume because rotation was misconfigured', mitigation: 'Free space by deleting rotated logs and expand the volume', fix: 'Alert at 80 % disk and cap every writer with rotation or quotas' },
  { id: 'memory-leak-oom', title: 'Memory leak and OOM kills', category: 'software-bug', symptom: 'Pods restart every few hours with a saw-tooth memory graph', signature: 'OOMKilled: container exceeded memory limit', mechanism: 'a cache without eviction grew with every request until the container was killed', mitigation: 'Roll back the release or restart pods on a schedule until the fix ships', fix: 'Bound every in-process cache and track heap growth per release' },
  { id: 'cache-stampede', title: 'Cache stampede', category: 'usage-growth', symptom: 'Database load spikes right after a cache flush or a popular key expires', signature: 'canceling statement due to statement timeout', mechanism: 'thousands of requests missed the cache at once and all recomputed the same value', mitigation: 'Warm the hot keys by hand and rate-limit recomputation', fix: 'Use request coalescing and jittered expiry for hot keys' },
  { id: 'hot-partition', title: 'Hot partition', category: 'usage-growth', symptom: 'One shard runs at full CPU while the others idle', signature: 'ProvisionedThroughputExceededException: Rate of requests exceeds the allowed throughput', mechanism: 'one large tenant concentrated its traffic on a single partition key', mitigation: 'Throttle the tenant and split the hot key range', fix: 'Add a salt to partition keys of large tenants and watch per-shard load' },
  { id: 'config-drift-between-regions', title: 'Configuration drift between regions', category: 'configuration', symptom: 'One region fails a flow that works everywhere else', signature: 'missing required setting in region configuration', mechanism: 'a setting was changed by hand in two regions and forgotten in the third', mitigation: 'Copy the setting from a healthy region and redeploy', fix: 'Diff configuration between regions in CI and forbid manual edits' },
  { id: 'feature-flag-misfire', title: 'Feature flag misfire', category: 'configuration', symptom: 'Behaviour changes for a share of users with no deploy in the change log', signature: 'flag evaluation returned unexpected variant', mechanism: 'a flag targeted a percentage of all users instead of the internal cohort', mitigation: 'Turn the flag off and purge cached evaluations', fix: 'Require review for flag changes that touch production cohorts' },
  { id: 'missing-environment-variable', title: 'Missing environment variable', category: 'configuration', symptom: 'A service starts, passes its health check, then fails on the first real request', signature: "KeyError: 'WEBHOOK_SIGNING_KEY'", mechanism: 'a new setting was added to one environment file but not to the deployment manifest', mitigation: 'Add the variable and restart the pods', fix: 'Validate required settings at start-up and fail the readiness check' },
  { id: 'vendor-rate-limit', title: 'Vendor rate limit', category: 'third-party-change', symptom: 'Calls to a provider fail in bursts at the top of every minute', signature: '429 Too Many Requests: rate limit exceeded for this account', mechanism: 'the provider lowered the default rate limit for our plan without a notice we saw', mitigation: 'Queue the calls and send them at the new rate', fix: 'Track vendor limits as configuration and alert at 70 % of them' },
  { id: 'vendor-api-schema-change', title: 'Vendor API response change', category: 'third-party-change', symptom: 'Parsing of a provider response fails after a quiet weekend', signature: 'unexpected token in JSON at position 0', mechanism: 'the provider changed a field from a number to a string in a minor API version', mitigation: 'Pin the API version in the request header', fix: 'Parse vendor responses defensively and run contract tests nightly' },
  { id: 'identity-provider-policy-change', title: 'Identity provider policy change', category: 'third-party-change', symptom: 'Single sign-on fails for one customer tenant after their administrator changes a setting', signature: 'invalid_grant: AADSTS50076 multi-factor authentication required', mechanism: 'the identity provider started enforcing a stricter policy for token refresh', mitigation: 'Ask the tenant to relax the policy or switch them to interactive sign-in', fix: 'Handle policy errors explicitly and subscribe to the provider change feed' },
  { id: 'database-deadlock', title: 'Database deadlock', category: 'software-bug', symptom: 'A fraction of writes fail with retries exhausted during peak hours', signature: 'ERROR: deadlock detected', mechanism: 'two code paths locked the same rows in opposite orders', mitigation: 'Serialise the conflicting job or pause it', fix: 'Lock rows in a consistent order and keep transactions short' },
  { id: 'slow-query-regression', title: 'Slow query regression', category: 'software-bug', symptom: 'p99 latency doubles right after a deploy while error rates stay flat', signature: 'canceling statement due to statement timeout', mechanism: 'a new query missed an index and scanned the whole table', mitigation: 'Roll back the deploy or add the index concurrently', fix: 'Review query plans in CI for queries on large tables' },
  { id: 'queue-backlog', title: 'Queue backlog', category: 'usage-growth', symptom: 'Consumer lag grows steadily and notifications arrive hours late', signature: 'consumer group lag exceeds threshold', mechanism: 'producers outgrew the number of consumers provisioned last year', mitigation: 'Add consumers and pause non-urgent producers', fix: 'Autoscale consumers on lag and forecast volume quarterly' },
  { id: 'consumer-rebalance-loop', title: 'Consumer rebalance loop', category: 'software-bug', symptom: 'Consumers join and leave the group continuously and nothing is processed', signature: 'Attempt to heartbeat failed since group is rebalancing', mechanism: 'processing a batch took longer than the poll interval, so every consumer was evicted', mitigation: 'Lower the batch size and raise the poll interval', fix: 'Bound the work per poll and measure processing time per batch' },
  { id: 'file-descriptor-exhaustion', title: 'File descriptor exhaustion', category: 'infrastructure-limit', symptom: 'New connections are refused while CPU and memory look normal', signature: 'EMFILE: too many open files', mechanism: 'leaked sockets accumulated until the process limit was reached', mitigation: 'Restart the affected instances and raise the limit temporarily', fix: 'Close sockets on every error path and alert on open descriptors' },
  { id: 'ephemeral-port-exhaustion', title: 'Ephemeral port exhaustion', category: 'infrastructure-limit', symptom: 'Outbound calls fail intermittently from the busiest nodes only', signature: 'connect EADDRNOTAVAIL', mechanism: 'short-lived connections without keep-alive used up the ephemeral port range', mitigation: 'Enable keep-alive and spread traffic over more nodes', fix: 'Reuse connections and watch TIME_WAIT counts' },
  { id: 'clock-skew', title: 'Clock skew', category: 'infrastructure-limit', symptom: 'Tokens are rejected as not yet valid on some hosts', signature: 'token used before issued', mechanism: 'time synchronisation stopped on a group of hosts after an image change', mitigation: 'Restart time synchronisation and drain the skewed hosts', fix: 'Alert on clock offset and allow a small leeway in token checks' },
  { id: 'zero-timeout', title: 'A timeout of zero meaning forever', category: 'configuration', symptom: 'Worker threads pile up waiting on a dependency that stopped answering', signature: 'thread pool exhausted: all workers busy', mechanism: 'a timeout set to zero was read by the client as no timeout at all', mitigation: 'Set an explicit timeout and restart the workers', fix: 'Reject zero and missing timeouts in configuration validation' },
  { id: 'cdn-cache-misconfiguration', title: 'CDN cache misconfiguration', category: 'configuration', symptom: 'Users see pages or prices meant for someone else or for yesterday', signature: 'unexpected cache HIT for personalised path', mechanism: 'a cache rule matched personalised paths and cached them for an hour', mitigation: 'Purge the CDN and disable the rule', fix: 'Test cache rules against a list of personalised paths before rollout' },
  { id: 'stale-cache-after-deploy', title: 'Stale cache after deploy', category: 'software-bug', symptom: 'The new release serves old data shapes and fails to decode them', signature: 'cannot decode cached value: unknown field', mechanism: 'the cache key did not include the schema version', mitigation: 'Flush the affected key prefix', fix: 'Version cache keys with the data shape' },
  { id: 'missing-idempotency', title: 'Missing idempotency', category: 'software-bug', symptom: 'Customers are charged or notified twice after a retry', signature: 'duplicate key value violates unique constraint "payments_pkey"', mechanism: 'a retried request was processed again because the endpoint had no idempotency key', mitigation: 'Stop the retrying client and reconcile the duplicates', fix: 'Require idempotency keys on every state-changing endpoint' },
  { id: 'migration-lock', title: 'Schema migration lock', category: 'software-bug', symptom: 'All writes to one table hang during a deploy', signature: 'canceling statement due to lock timeout', mechanism: 'a migration took an exclusive lock on a busy table', mitigation: 'Cancel the migration and let writes drain', fix: 'Run migrations with lock timeouts and in online steps' },
  { id: 'autoscaling-lag', title: 'Autoscaling lag', category: 'usage-growth', symptom: 'Latency spikes at the start of every traffic peak and settles after ten minutes', signature: 'HorizontalPodAutoscaler: unable to fetch metrics', mechanism: 'new capacity took longer to become ready than the peak took to arrive', mitigation: 'Scale up ahead of the known peak by hand', fix: 'Schedule capacity before predictable peaks and shorten start-up time' },
  { id: 'noisy-neighbour', title: 'Noisy neighbour', category: 'infrastructure-limit', symptom: 'Latency rises on a shared node while our own load is flat', signature: 'cpu throttling above 50 % for container', mechanism: 'a batch workload on the same nodes consumed the shared CPU', mitigation: 'Move the batch workload to its own node pool', fix: 'Separate latency-sensitive and batch workloads' },
  { id: 'quota-exceeded', title: 'Cloud quota exceeded', category: 'infrastructure-limit', symptom: 'Scaling stops at a round number of instances and new ones never start', signature: 'QuotaExceeded: quota exceeded for resource in region', mechanism: 'the regional quota had been sized for last year', mitigation: 'Request a quota increase and shift load to another region', fix: 'Track quotas as capacity and alert at 80 %' },
  { id: 'webhook-signature-mismatch', title: 'Webhook signature mismatch', category: 'third-party-change', symptom: 'Every webhook from a provider is rejected', signature: 'webhook signature verification failed', mechanism: 'the provider rotated its signing scheme and our verifier only knew the old one', mitigation: 'Accept both schemes temporarily and replay the failed webhooks', fix: 'Subscribe to provider change notices and test with their sandbox' },
  { id: 'library-breaking-change', title: 'Breaking change in a dependency', category: 'third-party-change', symptom: 'A routine dependency update breaks a code path that has no tests', signature: "TypeError: Cannot read properties of undefined (reading 'map')", mechanism: 'a minor release of a library changed a return value', mitigation: 'Pin the previous version and redeploy', fix: 'Pin dependencies, read changelogs, and cover the path with a test' },
  { id: 'cron-overlap', title: 'Overlapping scheduled jobs', category: 'software-bug', symptom: 'A nightly job runs twice and doubles its writes', signature: 'job already running: lock not acquired', mechanism: 'the job ran longer than its interval and no lock prevented a second run', mitigation: 'Stop the second run and deduplicate the output', fix: 'Take a lock per job run and alert on runtime' },
  { id: 'secret-rotation-miss', title: 'Missed secret rotation', category: 'configuration', symptom: 'Calls to one dependency start failing with authentication errors at the same minute', signature: '401 Unauthorized: invalid credentials', mechanism: 'a credential was rotated in the vault but one consumer still read the old copy', mitigation: 'Update the consumer with the new credential and restart it', fix: 'Read credentials at runtime and test rotation in staging' },
  { id: 'ingress-misroute', title: 'Ingress misroute', category: 'configuration', symptom: 'A path starts returning another service\'s pages or 502s', signature: '502 Bad Gateway', mechanism: 'a new ingress rule shadowed an existing path', mitigation: 'Revert the ingress change', fix: 'Lint ingress rules for overlapping paths' },
  { id: 'split-brain', title: 'Split brain after failover', category: 'infrastructure-limit', symptom: 'Two primaries accept writes and data diverges', signature: 'replication slot conflict: timeline mismatch', mechanism: 'a network partition let the old primary keep writes after failover', mitigation: 'Fence the old primary and reconcile writes', fix: 'Use fencing in failover and test partitions' },
  { id: 'replication-lag', title: 'Replication lag', category: 'usage-growth', symptom: 'Users do not see their own changes for minutes', signature: 'replica lag exceeds 300 seconds', mechanism: 'write volume outgrew the replica instance size', mitigation: 'Route reads after writes to the primary', fix: 'Size replicas for peak write volume and alert on lag' },
  { id: 'log-volume-explosion', title: 'Log volume explosion', category: 'usage-growth', symptom: 'The logging pipeline falls behind and dashboards go blank', signature: 'log shipper buffer full, dropping events', mechanism: 'a debug log line in a hot path multiplied log volume', mitigation: 'Drop the noisy logger at the shipper', fix: 'Budget log volume per service' },
  { id: 'circuit-breaker-stuck-open', title: 'Circuit breaker stuck open', category: 'software-bug', symptom: 'A dependency recovered but we keep failing fast', signature: 'circuit breaker open: failing fast', mechanism: 'the breaker never moved to half-open because its probe used the wrong endpoint', mitigation: 'Reset the breaker by hand', fix: 'Test breaker state transitions' },
  { id: 'health-check-cascade', title: 'Health check cascade', category: 'configuration', symptom: 'All replicas are removed from the load balancer at once', signature: 'Readiness probe failed: HTTP probe failed with statuscode: 503', mechanism: 'the readiness check called a shared dependency, so its outage failed every replica', mitigation: 'Make the probe shallow and redeploy', fix: 'Keep liveness and readiness checks local to the process' },
  { id: 'redis-max-clients', title: 'Redis client limit reached', category: 'infrastructure-limit', symptom: 'Cache calls fail while Redis CPU is low', signature: 'ERR max number of clients reached', mechanism: 'a deploy doubled the number of clients per pod', mitigation: 'Lower client pool sizes and restart', fix: 'Budget Redis connections per service' },
  { id: 'payload-too-large', title: 'Payload too large', category: 'usage-growth', symptom: 'Large customers fail to upload while small ones succeed', signature: '413 Request Entity Too Large', mechanism: 'customer payloads outgrew the gateway body limit', mitigation: 'Raise the limit for the affected route', fix: 'Stream large uploads and watch payload size percentiles' },
  { id: 'integer-overflow-id', title: 'Integer id overflow', category: 'usage-growth', symptom: 'Inserts fail on one table and nothing else', signature: 'ERROR: integer out of range', mechanism: 'a 32-bit primary key ran out after years of growth', mitigation: 'Switch the sequence to 64 bits with an online migration', fix: 'Use 64-bit ids and alert on sequence headroom' },
  { id: 'timezone-bug', title: 'Time zone bug', category: 'software-bug', symptom: 'Jobs run an hour early or late for some customers', signature: 'invalid date for time zone', mechanism: 'dates were stored in local time and compared in UTC', mitigation: 'Re-run the affected jobs by hand', fix: 'Store UTC and convert only at the edges' },
  { id: 'daylight-saving-skip', title: 'Daylight saving skip', category: 'software-bug', symptom: 'A scheduled job silently does not run on the night clocks change', signature: 'next run computed in the past', mechanism: 'the schedule was expressed in local time and the hour did not exist', mitigation: 'Trigger the job by hand', fix: 'Schedule in UTC and test the clock-change nights' },
  { id: 'sms-provider-outage', title: 'SMS provider outage', category: 'third-party-change', symptom: 'One-time passcodes do not arrive and sign-ins drop', signature: 'provider returned 503 Service Unavailable', mechanism: 'the SMS provider had a regional outage and we had no fallback', mitigation: 'Fail over to the secondary provider', fix: 'Keep a tested second provider for critical messages' },
  { id: 'email-provider-throttling', title: 'E-mail provider throttling', category: 'third-party-change', symptom: 'Password reset e-mails are delayed by hours', signature: '421 4.7.0 Try again later, closing connection', mechanism: 'the provider throttled our sending domain after a reputation change', mitigation: 'Move transactional mail to the dedicated pool', fix: 'Separate transactional and marketing sending' },
  { id: 'cdn-default-change', title: 'CDN provider default change', category: 'third-party-change', symptom: 'Assets start returning errors for some browsers only', signature: 'ERR_HTTP2_PROTOCOL_ERROR', mechanism: 'the CDN changed a protocol default for all accounts', mitigation: 'Set the previous value explicitly in the CDN configuration', fix: 'Pin every CDN setting we rely on' },
  { id: 'node-memory-pressure', title: 'Node memory pressure evictions', category: 'infrastructure-limit', symptom: 'Pods are evicted across a node pool at once', signature: 'The node was low on resource: memory', mechanism: 'pods without memory requests packed the nodes too tightly', mitigation: 'Cordon the nodes and set requests on the offenders', fix: 'Require memory requests on every workload' },
  { id: 'image-pull-rate-limit', title: 'Container image pull rate limit', category: 'third-party-change', symptom: 'New pods stay in ImagePullBackOff during a scale-up', signature: 'toomanyrequests: You have reached your pull rate limit', mechanism: 'the public registry introduced pull limits for anonymous clients', mitigation: 'Pull from the internal mirror', fix: 'Mirror every base image internally' },
  { id: 'callback-url-not-registered', title: 'Callback URL not registered', category: 'configuration', symptom: 'Sign-in fails in a new region or domain only', signature: 'redirect_uri_mismatch', mechanism: 'the new callback URL was never registered with the identity provider', mitigation: 'Register the URL with the provider', fix: 'Keep registered callbacks in code and check them in CI' },
];

export const TEAMS = ['@payments-oncall', '@platform-oncall', '@identity-team', '@data-platform', '@edge-team', '@messaging-team', '@catalog-team', '@billing-team', '@web-platform', '@sre'];

export const PEOPLE = [
  'Dana Okafor', 'Luis Ferreira', 'Mei Tanaka', 'Priya Raman', 'Jonas Berg', 'Amara Nwosu', 'Sam Whitfield',
  'Ines Moreau', 'Kofi Mensah', 'Hana Kim', 'Tomasz Nowak', 'Elena Petrova', 'Arjun Mehta', 'Chloe Dubois',
  'Rafael Silva', 'Yara Haddad', 'Noah Fischer', 'Lena Vogel', 'Omar Farouk', 'Sofia Rossi', 'Ben Carter',
  'Aiko Sato', 'Marek Kowalski', 'Fatima Zahra', 'Diego Alvarez', 'Grace Liu', 'Ivan Horvat', 'Nia Thompson',
];

export const TAGS = [
  'postgres', 'redis', 'kafka', 'kubernetes', 'dns', 'tls', 'retries', 'timeouts', 'deploy', 'rollback',
  'capacity', 'cache', 'cdn', 'sso', 'webhooks', 'vendor', 'batch', 'cron', 'migration', 'feature-flags',
  'alerting', 'on-call', 'latency', 'errors', 'data-integrity', 'payments', 'checkout', 'search', 'email', 'sms',
];

export const TRIGGERS: Record<string, readonly string[]> = {
  'software-bug': ['Deploy of {service} v{n}', 'Release {n} of {service}', 'Hotfix for an unrelated bug in {service}', 'Library upgrade in {service}'],
  'infrastructure-limit': ['Traffic peak at the start of the business day', 'Node pool replacement', 'Certificate renewal window', 'Failover drill'],
  'usage-growth': ['Marketing campaign launch', 'Month-end invoicing run', 'Onboarding of a large customer', 'Seasonal traffic peak'],
  'third-party-change': ['Provider API version change', 'Vendor policy update', 'Upstream library release', 'Provider maintenance window'],
  configuration: ['Manual configuration change', 'Feature flag rollout', 'Infrastructure-as-code apply', 'Secret rotation'],
  unknown: ['Under investigation'],
};

export const WENT_WELL = [
  'The on-call engineer had the dashboard for {service} open within two minutes of the page.',
  'Rolling back was a single command and took under five minutes.',
  'The incident channel had a clear commander and a scribe from the start.',
  'Status page updates went out every 30 minutes as promised.',
  'The playbook for [[{mode}]] described the mitigation step by step.',
  'Customer support had a macro ready before the first tickets arrived.',
  'Alert routing paged the owning team directly instead of the general rotation.',
];

export const LUCKY = [
  'It happened on a weekday morning, with the owning team at their desks.',
  'The largest customer was in a maintenance window and did not notice.',
  'A second engineer happened to be looking at the same graph.',
  'The retry queue held every failed event, so nothing had to be reconstructed by hand.',
  'Traffic was at its weekly low when the limit was reached.',
  'The bad configuration reached one region only before the pipeline paused for an unrelated reason.',
];

export const FACTOR_LEADS = [
  'The immediate cause was that {mechanism}.',
  'Nothing alerted on the leading signal: {symptom_lower}.',
  'The change to {service} passed review because the risky path had no test.',
  'Dashboards for {service} showed averages, which hid the tail for twenty minutes.',
  'The runbook still described the setup from before the migration.',
  'Ownership of {service} had moved between teams the quarter before, and the alert went to the old rotation.',
  'Load tests covered steady traffic but not the burst that started this.',
  'The dependency between {service} and {other} was not documented anywhere a responder would look.',
];
