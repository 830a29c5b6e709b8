'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const kafkaEnv = require('../src/kafka-env');
const { settings } = require('../src/settings');

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';
const ENCRYPTED_KEY = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIE\n-----END ENCRYPTED PRIVATE KEY-----\n';
const SCRAM = {
  PORTICO_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
  PORTICO_KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
  PORTICO_KAFKA_SASL_USERNAME: 'fn',
  PORTICO_KAFKA_SASL_PASSWORD: 's3cret-pw',
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-kafka-env-'));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
let files = 0;
function file(name, text) {
  const at = path.join(dir, `${files++}-${name}`);
  fs.writeFileSync(at, text);
  return at;
}
function refused(env) {
  try {
    kafkaEnv.read(env);
  } catch (e) {
    assert.ok(e instanceof kafkaEnv.KafkaSettingError, e.stack);
    return e.message;
  }
  assert.fail(`accepted: ${JSON.stringify(env)}`);
}

test('no variables give no options', () => {
  assert.deepEqual(kafkaEnv.read({ PORTICO_KAFKA_BOOTSTRAP: 'k:9092' }).options, {});
});

test('SASL_SSL with SCRAM and a CA file map onto kafkajs options', () => {
  const ca = file('ca.pem', CERT);
  const read = kafkaEnv.read({ ...SCRAM, PORTICO_KAFKA_TLS_CA_FILE: ca });
  assert.deepEqual(read.options, {
    ssl: { ca: [CERT] },
    sasl: { mechanism: 'scram-sha-512', username: 'fn', password: 's3cret-pw' },
  });
  assert.equal(read.originsOf('sasl.jaas.config'), 'PORTICO_KAFKA_SASL_USERNAME/PORTICO_KAFKA_SASL_PASSWORD');
});

test('a password with quotes and backslashes survives the login module round trip', () => {
  const read = kafkaEnv.read({ ...SCRAM, PORTICO_KAFKA_SECURITY_PROTOCOL: 'sasl_plaintext', PORTICO_KAFKA_SASL_PASSWORD: 'a"b\\c d' });
  assert.deepEqual(read.options, { sasl: { mechanism: 'scram-sha-512', username: 'fn', password: 'a"b\\c d' } });
});

test('mutual TLS from PEM files, or a PKCS#12 key store; the host name check can be turned off', () => {
  const ca = file('ca.pem', CERT);
  const cert = file('me.pem', CERT + CERT);
  const key = file('me.key', ENCRYPTED_KEY);
  const read = kafkaEnv.read({
    PORTICO_KAFKA_SECURITY_PROTOCOL: 'SSL',
    PORTICO_KAFKA_TLS_CA_FILE: ca,
    PORTICO_KAFKA_TLS_CERT_FILE: cert,
    PORTICO_KAFKA_TLS_KEY_FILE: key,
    PORTICO_KAFKA_TLS_KEY_PASSWORD: 'kpw',
    PORTICO_KAFKA_TLS_VERIFY_HOSTNAME: 'false',
  });
  const { checkServerIdentity, ...ssl } = read.options.ssl;
  assert.deepEqual(ssl, { ca: [CERT], cert: CERT + CERT, key: ENCRYPTED_KEY, passphrase: 'kpw' });
  assert.equal(checkServerIdentity('127.0.0.1', {}), undefined);
  const store = file('me.p12', 'binary');
  const pkcs12 = kafkaEnv.read({
    PORTICO_KAFKA_SECURITY_PROTOCOL: 'SSL',
    PORTICO_KAFKA_TLS_KEYSTORE_FILE: store,
    PORTICO_KAFKA_TLS_KEYSTORE_PASSWORD: 'spw',
  });
  assert.deepEqual(pkcs12.options.ssl, { pfx: Buffer.from('binary'), passphrase: 'spw' });
  assert.equal(kafkaEnv.read({ PORTICO_KAFKA_SECURITY_PROTOCOL: 'SSL' }).options.ssl, true);
});

test('stores Node.js cannot read are refused, naming what to use instead', () => {
  const store = file('trust.p12', 'binary');
  const message = refused({ PORTICO_KAFKA_SECURITY_PROTOCOL: 'SSL', PORTICO_KAFKA_TLS_TRUSTSTORE_FILE: store });
  assert.match(message, /^PORTICO_KAFKA_TLS_TRUSTSTORE_FILE: Node.js reads no trust store; .*PORTICO_KAFKA_TLS_CA_FILE/);
  const jks = file('me.jks', 'binary');
  assert.match(
    refused({ PORTICO_KAFKA_SECURITY_PROTOCOL: 'SSL', PORTICO_KAFKA_TLS_KEYSTORE_FILE: jks }),
    /^PORTICO_KAFKA_TLS_KEYSTORE_FILE: Node.js cannot read a JKS key store/,
  );
});

test('combinations that cannot work are refused as the Java clients refuse them', () => {
  const ca = file('ca.pem', CERT);
  const key = file('k.pem', KEY);
  const enc = file('enc.pem', ENCRYPTED_KEY);
  const cases = [
    [{ PORTICO_KAFKA_SECURITY_PROTOCOL: 'TLS' },
      "Invalid value for PORTICO_KAFKA_SECURITY_PROTOCOL: 'TLS' (expected PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL)"],
    [{ PORTICO_KAFKA_SASL_MECHANISM: 'PLAIN', PORTICO_KAFKA_SASL_USERNAME: 'u', PORTICO_KAFKA_SASL_PASSWORD: 'p' },
      'PORTICO_KAFKA_SASL_MECHANISM needs PORTICO_KAFKA_SECURITY_PROTOCOL=SASL_SSL (or SASL_PLAINTEXT); the security protocol is PLAINTEXT (the default)'],
    [{ ...SCRAM, PORTICO_KAFKA_SASL_USERNAME: '' },
      'PORTICO_KAFKA_SASL_PASSWORD is set, so PORTICO_KAFKA_SASL_USERNAME is needed too'],
    [{ PORTICO_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' },
      'The security protocol SASL_SSL (PORTICO_KAFKA_SECURITY_PROTOCOL) needs PORTICO_KAFKA_SASL_MECHANISM'],
    [{ PORTICO_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', PORTICO_KAFKA_SASL_MECHANISM: 'PLAIN' },
      'The SASL mechanism PLAIN needs PORTICO_KAFKA_SASL_USERNAME and PORTICO_KAFKA_SASL_PASSWORD'],
    [{ ...SCRAM, PORTICO_KAFKA_SASL_MECHANISM: 'OAUTHBEARER' },
      'are for the SASL mechanisms PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512'],
    [{ PORTICO_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', PORTICO_KAFKA_SASL_MECHANISM: 'OAUTHBEARER',
      PORTICO_KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL: 'https://idp/token', PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_ID: 'c' },
      'PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET is missing'],
    [{ PORTICO_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', PORTICO_KAFKA_SASL_MECHANISM: 'GSSAPI',
      PORTICO_KAFKA_SASL_JAAS_CONFIG: 'org.apache.kafka.common.security.plain.PlainLoginModule required;' },
      'PORTICO_KAFKA_SASL_MECHANISM: kafkajs offers the SASL mechanisms PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 and OAUTHBEARER, not GSSAPI'],
    [{ PORTICO_KAFKA_TLS_CA_FILE: ca },
      'PORTICO_KAFKA_TLS_CA_FILE needs PORTICO_KAFKA_SECURITY_PROTOCOL=SSL or SASL_SSL'],
    [{ PORTICO_KAFKA_SECURITY_PROTOCOL: 'SSL', PORTICO_KAFKA_TLS_KEY_FILE: key },
      'PORTICO_KAFKA_TLS_KEY_FILE is set, so PORTICO_KAFKA_TLS_CERT_FILE is needed too'],
    [{ PORTICO_KAFKA_SECURITY_PROTOCOL: 'SSL', PORTICO_KAFKA_TLS_CERT_FILE: ca, PORTICO_KAFKA_TLS_KEY_FILE: enc },
      'is encrypted; set PORTICO_KAFKA_TLS_KEY_PASSWORD'],
    [{ PORTICO_KAFKA_SECURITY_PROTOCOL: 'SSL', PORTICO_KAFKA_TLS_KEY_PASSWORD: 'x' },
      'PORTICO_KAFKA_TLS_KEY_PASSWORD needs PORTICO_KAFKA_TLS_KEY_FILE or PORTICO_KAFKA_TLS_KEYSTORE_FILE'],
    [{ PORTICO_KAFKA_SECURITY_PROTOCOL: 'SSL', PORTICO_KAFKA_TLS_CA_FILE: key },
      'holds no PEM block -----BEGIN CERTIFICATE-----'],
    [{ PORTICO_KAFKA_SECURITY_PROTOCOL: 'SSL', PORTICO_KAFKA_TLS_CA_FILE: '/nowhere/ca.pem' },
      'PORTICO_KAFKA_TLS_CA_FILE: cannot read /nowhere/ca.pem'],
    [{ PORTICO_KAFKA_SECURITY_PROTOCOL: 'SSL', PORTICO_KAFKA_TLS_VERIFY_HOSTNAME: 'maybe' },
      "Invalid value for PORTICO_KAFKA_TLS_VERIFY_HOSTNAME: 'maybe' (expected true or false)"],
    [{ PORTICO_KAFKA_GROUP_ID: 'g' }, 'PORTICO_KAFKA_GROUP_ID: group.id is chosen by Portico for each client'],
    [{ PORTICO_KAFKA_BOOTSTRAP_SERVERS: 'k:1' },
      'PORTICO_KAFKA_BOOTSTRAP_SERVERS: set the bootstrap servers with PORTICO_KAFKA_BOOTSTRAP'],
    [{ PORTICO_KAFKA_SSL_ENABLED_PROTOCOLS: 'TLSv1.3' },
      'PORTICO_KAFKA_SSL_ENABLED_PROTOCOLS: ssl.enabled.protocols has no kafkajs equivalent'],
    [{ ...SCRAM, PORTICO_KAFKA_SASL_JAAS_CONFIG: 'x required;' },
      'PORTICO_KAFKA_SASL_JAAS_CONFIG: kafkajs has no equivalent of the login module x'],
    [{ ...SCRAM, PORTICO_KAFKA_SASL_JAAS_CONFIG: 'org.apache.kafka.common.security.plain.PlainLoginModule required;' },
      'PORTICO_KAFKA_SASL_USERNAME/PORTICO_KAFKA_SASL_PASSWORD and PORTICO_KAFKA_SASL_JAAS_CONFIG both set sasl.jaas.config'],
  ];
  for (const [env, expected] of cases) {
    const message = refused(env);
    assert.ok(message.includes(expected), `${JSON.stringify(env)}:\n${message}`);
    assert.ok(!message.includes('s3cret-pw'), message);
  }
});

test('pass-through variables translate the Java names kafkajs has an equivalent for', () => {
  const read = kafkaEnv.read({
    PORTICO_KAFKA_REQUEST_TIMEOUT_MS: '45000',
    PORTICO_KAFKA_SOCKET_CONNECTION_SETUP_TIMEOUT_MS: '15000',
  });
  assert.deepEqual(read.options, { requestTimeout: 45000, connectionTimeout: 15000 });
  assert.match(refused({ PORTICO_KAFKA_REQUEST_TIMEOUT_MS: 'soon' }), /request.timeout.ms must be a whole number/);
});

test("a managed Kafka's client.properties is translated, variables winning over it", () => {
  const ca = file('ca.pem', CERT);
  const props = file('client.properties', [
    "# from the provider's console",
    'bootstrap.servers=pkc-1.example:9092',
    'security.protocol=SASL_SSL',
    'sasl.mechanism=PLAIN',
    'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\',
    "    username='KEY1' password='SECRET1';",
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${ca}`,
  ].join('\n'));
  const read = kafkaEnv.read({ PORTICO_KAFKA_PROPERTIES_FILE: props });
  assert.deepEqual(read.options, { ssl: { ca: [CERT] }, sasl: { mechanism: 'plain', username: 'KEY1', password: 'SECRET1' } });
  assert.equal(read.fileBootstrap, 'pkc-1.example:9092');
  assert.deepEqual(settings({ topic: 't' }, { PORTICO_KAFKA_PROPERTIES_FILE: props }).bootstrapServers, ['pkc-1.example:9092']);
  const scram = kafkaEnv.read({ PORTICO_KAFKA_PROPERTIES_FILE: props, ...SCRAM });
  assert.deepEqual(scram.options.sasl, { mechanism: 'scram-sha-512', username: 'fn', password: 's3cret-pw' });
});

test('a file property without a kafkajs equivalent is refused, naming it, never its secrets', () => {
  const store = file('client.truststore.jks', 'binary');
  const props = file('client.properties', `security.protocol=SSL\nssl.truststore.location=${store}\nssl.truststore.password=changeit\n`);
  const message = refused({ PORTICO_KAFKA_PROPERTIES_FILE: props });
  assert.ok(
    message.startsWith(`PORTICO_KAFKA_PROPERTIES_FILE (${props}): ssl.truststore.location is a JKS trust store, which Node.js cannot read`),
    message,
  );
  assert.ok(!message.includes('changeit'));
  const other = file('other.properties', 'client.dns.lookup=use_all_dns_ips\n');
  assert.ok(refused({ PORTICO_KAFKA_PROPERTIES_FILE: other }).includes(
    `PORTICO_KAFKA_PROPERTIES_FILE (${other}): client.dns.lookup: client.dns.lookup has no kafkajs equivalent`,
  ));
  assert.ok(refused({ PORTICO_KAFKA_PROPERTIES_FILE: '/nowhere.properties' }).startsWith(
    'Cannot read PORTICO_KAFKA_PROPERTIES_FILE (/nowhere.properties)',
  ));
});

test('settings add the kafka option over the environment', () => {
  const s = settings({ topic: 't', kafka: { requestTimeout: 5 } }, SCRAM);
  assert.equal(s.kafka.sasl.username, 'fn');
  assert.equal(s.kafka.requestTimeout, 5);
});

test('OAUTHBEARER fetches client-credentials tokens from the token endpoint and reuses them', async () => {
  const calls = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      calls.push({ authorization: req.headers.authorization, body });
      const ok = req.headers.authorization === `Basic ${Buffer.from('portico:oauth-secret').toString('base64')}`;
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? { access_token: `token-${calls.length}`, expires_in: 3600 } : { error: 'invalid_client' }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const url = `http://127.0.0.1:${server.address().port}/token`;
    const env = (secret) => ({
      PORTICO_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      PORTICO_KAFKA_SASL_MECHANISM: 'OAUTHBEARER',
      PORTICO_KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL: url,
      PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_ID: 'portico',
      PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET: secret,
      PORTICO_KAFKA_SASL_OAUTHBEARER_SCOPE: 'kafka',
    });
    const { sasl } = kafkaEnv.read(env('oauth-secret')).options;
    assert.equal(sasl.mechanism, 'oauthbearer');
    assert.deepEqual(await sasl.oauthBearerProvider(), { value: 'token-1' });
    assert.deepEqual(await sasl.oauthBearerProvider(), { value: 'token-1' }, 'reused while fresh');
    assert.equal(calls.length, 1);
    assert.equal(calls[0].body, 'grant_type=client_credentials&scope=kafka');

    const wrong = kafkaEnv.read(env('wrong-secret')).options.sasl;
    await assert.rejects(wrong.oauthBearerProvider(), (e) => {
      assert.ok(e instanceof kafkaEnv.KafkaSettingError);
      assert.ok(e.message.startsWith('The SASL login failed before reaching Kafka (check PORTICO_KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL, '
        + 'PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_ID/PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET): the token endpoint'), e.message);
      assert.ok(e.message.includes('answered 401'), e.message);
      assert.ok(!e.message.includes('wrong-secret'), e.message);
      return true;
    });
  } finally {
    server.close();
  }
});

test("kafkajs' refusals are explained naming the variables; an unreachable Kafka is not a refusal", () => {
  const security = kafkaEnv.read({ ...SCRAM, PORTICO_KAFKA_TLS_CA_FILE: file('ca.pem', CERT) });
  const sasl = Object.assign(new Error('SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512'), { name: 'KafkaJSSASLAuthenticationError' });
  assert.ok(kafkaEnv.explain(sasl, security).startsWith(
    'Kafka refused the SASL credentials (SCRAM-SHA-512) of PORTICO_KAFKA_SASL_USERNAME/PORTICO_KAFKA_SASL_PASSWORD: ',
  ));
  const tls = Object.assign(new Error('Connection error: self-signed certificate in certificate chain'), {
    name: 'KafkaJSConnectionError', code: 'SELF_SIGNED_CERT_IN_CHAIN',
  });
  const wrapped = Object.assign(new Error('Connection error'), { name: 'KafkaJSNonRetriableError', cause: tls });
  assert.ok(kafkaEnv.explain(wrapped, security).startsWith(
    "The TLS handshake with Kafka failed: the broker's certificate is not trusted by PORTICO_KAFKA_TLS_CA_FILE. ",
  ));
  const refused = Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9'), { name: 'KafkaJSConnectionError', code: 'ECONNREFUSED' });
  assert.equal(kafkaEnv.explain(refused, security), null);
});
