'use strict';
/**
 * The secured-Kafka variables every Portico client reads (README "Secured Kafka"), as kafkajs
 * client options: the same `PORTICO_KAFKA_*` names, rules and refusal messages as the Java side
 * (kafka-kit's KafkaClientEnvironment) and the Python SDK, so one deployment's variables serve the
 * services and a Node.js function alike. Three sources, highest precedence first:
 *
 * 1. Portico's own variables (protocol, SASL credentials, OAuth client credentials, TLS files),
 *    checked together before anything connects;
 * 2. pass-through variables: `PORTICO_KAFKA_<PROPERTY>` names a Kafka client property (as Kafka's
 *    Java clients call it) in capitals, `_` for `.`;
 * 3. the `client.properties` file named by `PORTICO_KAFKA_PROPERTIES_FILE`, same vocabulary.
 *
 * Java properties are translated into kafkajs options (`ssl`, `sasl`, timeouts); one without an
 * equivalent (a JKS or PKCS#12 trust store, say) is refused with the property named and what to
 * use instead. No message repeats a secret.
 */
const fs = require('node:fs');

const PREFIX = 'PORTICO_KAFKA_';
const V = {
  BOOTSTRAP: `${PREFIX}BOOTSTRAP`,
  MAX_MESSAGE_BYTES: `${PREFIX}MAX_MESSAGE_BYTES`,
  PROPERTIES_FILE: `${PREFIX}PROPERTIES_FILE`,
  SECURITY_PROTOCOL: `${PREFIX}SECURITY_PROTOCOL`,
  SASL_MECHANISM: `${PREFIX}SASL_MECHANISM`,
  SASL_USERNAME: `${PREFIX}SASL_USERNAME`,
  SASL_PASSWORD: `${PREFIX}SASL_PASSWORD`,
  OAUTH_TOKEN_ENDPOINT_URL: `${PREFIX}SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL`,
  OAUTH_CLIENT_ID: `${PREFIX}SASL_OAUTHBEARER_CLIENT_ID`,
  OAUTH_CLIENT_SECRET: `${PREFIX}SASL_OAUTHBEARER_CLIENT_SECRET`,
  OAUTH_SCOPE: `${PREFIX}SASL_OAUTHBEARER_SCOPE`,
  TLS_CA_FILE: `${PREFIX}TLS_CA_FILE`,
  TLS_CERT_FILE: `${PREFIX}TLS_CERT_FILE`,
  TLS_KEY_FILE: `${PREFIX}TLS_KEY_FILE`,
  TLS_KEY_PASSWORD: `${PREFIX}TLS_KEY_PASSWORD`,
  TLS_KEYSTORE_FILE: `${PREFIX}TLS_KEYSTORE_FILE`,
  TLS_KEYSTORE_PASSWORD: `${PREFIX}TLS_KEYSTORE_PASSWORD`,
  TLS_TRUSTSTORE_FILE: `${PREFIX}TLS_TRUSTSTORE_FILE`,
  TLS_TRUSTSTORE_PASSWORD: `${PREFIX}TLS_TRUSTSTORE_PASSWORD`,
  TLS_VERIFY_HOSTNAME: `${PREFIX}TLS_VERIFY_HOSTNAME`,
};
const OWN_VARIABLES = new Set(Object.values(V));

/** Chosen by the SDK for each client, because its guarantees rest on them. */
const SET_PER_CLIENT = new Set([
  'bootstrap.servers', 'client.id', 'group.id', 'group.instance.id', 'transactional.id',
  'key.serializer', 'value.serializer', 'key.deserializer', 'value.deserializer',
  'enable.auto.commit', 'enable.idempotence', 'acks', 'isolation.level',
]);
const PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];
const MECHANISM = /^[A-Z0-9_-]{1,64}$/;
const SCRAM = /^SCRAM-SHA-(256|512)$/;
const PLAIN_MODULE = 'org.apache.kafka.common.security.plain.PlainLoginModule';
const SCRAM_MODULE = 'org.apache.kafka.common.security.scram.ScramLoginModule';
const OAUTH_MODULE = 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule';
const OAUTH_HANDLER = 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler';

/** Java properties with a kafkajs equivalent, and how each is checked before translation. */
const TRANSLATED = new Set([
  'security.protocol', 'sasl.mechanism', 'sasl.jaas.config', 'sasl.login.callback.handler.class',
  'sasl.oauthbearer.token.endpoint.url', 'sasl.oauthbearer.client.credentials.client.id',
  'sasl.oauthbearer.client.credentials.client.secret', 'sasl.oauthbearer.scope',
  'ssl.truststore.type', 'ssl.truststore.location', 'ssl.truststore.password',
  'ssl.truststore.certificates', 'ssl.keystore.type', 'ssl.keystore.location',
  'ssl.keystore.password', 'ssl.keystore.certificate.chain', 'ssl.keystore.key',
  'ssl.key.password', 'ssl.endpoint.identification.algorithm',
  'request.timeout.ms', 'socket.connection.setup.timeout.ms',
]);

class KafkaSettingError extends Error {
  constructor(message) {
    super(message);
    this.name = 'KafkaSettingError';
  }
}

/** The Kafka client property a pass-through variable names, or null for Portico's own. */
function passThroughProperty(variable) {
  if (!variable.startsWith(PREFIX) || OWN_VARIABLES.has(variable)) return null;
  return variable.slice(PREFIX.length).toLowerCase().replace(/_/g, '.');
}

const invalid = (name, value, expected) =>
  new KafkaSettingError(`Invalid value for ${name}: '${value}' (expected ${expected})`);
const exclusive = (one, other) => new KafkaSettingError(`${one} and ${other} exclude each other; set one`);

function requireTogether(name, value, otherName, other) {
  if (value === null) throw new KafkaSettingError(`${otherName} is set, so ${name} is needed too`);
  if (other === null) throw new KafkaSettingError(`${name} is set, so ${otherName} is needed too`);
}

function requireReadable(variable, file, encoding = 'latin1') {
  try {
    return fs.readFileSync(file, encoding);
  } catch (e) {
    throw new KafkaSettingError(`${variable}: cannot read ${file} (${e.code || e.name})`);
  }
}

function requirePem(variable, file, label) {
  const text = requireReadable(variable, file);
  if (!text.includes(`-----BEGIN ${label}-----`)) {
    throw new KafkaSettingError(`${variable}: ${file} holds no PEM block -----BEGIN ${label}-----`);
  }
  return text;
}

function requirePrivateKey(file, hasPassword) {
  const text = requireReadable(V.TLS_KEY_FILE, file);
  const encrypted = text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || text.includes('Proc-Type: 4,ENCRYPTED');
  if (!encrypted && !/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(text)) {
    throw new KafkaSettingError(
      `${V.TLS_KEY_FILE}: ${file} holds no PEM private key (-----BEGIN PRIVATE KEY----- or ` +
        '-----BEGIN ENCRYPTED PRIVATE KEY-----)',
    );
  }
  if (encrypted && !hasPassword) {
    throw new KafkaSettingError(`${V.TLS_KEY_FILE}: ${file} is encrypted; set ${V.TLS_KEY_PASSWORD}`);
  }
  if (!encrypted && hasPassword) {
    throw new KafkaSettingError(`${V.TLS_KEY_PASSWORD} is set but ${file} (${V.TLS_KEY_FILE}) is not encrypted`);
  }
  return text;
}

/** A sasl.jaas.config: its login module and options (quotes removed, escapes read). */
function parseJaas(text, where) {
  const m = /^\s*(\S+)\s+(required|requisite|sufficient|optional)\b([\s\S]*?);?\s*$/.exec(text);
  if (!m) throw new KafkaSettingError(`${where}: sasl.jaas.config is not '<LoginModule> required ...;'`);
  const options = {};
  const option = /\s*([A-Za-z0-9_.-]+)\s*=\s*("(?:[^"\\]|\\.)*"|'[^']*'|[^\s;]+)/y;
  const rest = m[3];
  option.lastIndex = 0;
  while (rest.slice(option.lastIndex).trim() !== '') {
    const o = option.exec(rest);
    if (!o) throw new KafkaSettingError(`${where}: sasl.jaas.config has an unreadable option`);
    let value = o[2];
    if (value.startsWith('"')) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    else if (value.startsWith("'")) value = value.slice(1, -1);
    options[o[1]] = value;
  }
  return { module: m[1], options };
}

/** A Java .properties file (key=value or key: value, # and ! comments, \ continuations). */
function parseProperties(text) {
  const result = {};
  let logical = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s+/, '');
    if (!logical && (line === '' || line[0] === '#' || line[0] === '!')) continue;
    if (line.endsWith('\\') && !line.endsWith('\\\\')) {
      logical += line.slice(0, -1);
      continue;
    }
    logical += line;
    const m = /^((?:[^=:\s\\]|\\.)+)\s*[=:\s]\s*(.*)$/.exec(logical);
    if (m) result[m[1].replace(/\\(.)/g, '$1')] = m[2];
    else if (logical) result[logical] = '';
    logical = '';
  }
  return result;
}

class Reader {
  constructor(env) {
    this.env = env;
    this.values = new Map(); // Java property -> value
    this.origins = new Map();
    this.ownOrigins = new Map();
    this.fileBootstrap = null;
  }

  get(name) {
    const value = this.env[name];
    return value === undefined || value === null || String(value).trim() === '' ? null : String(value).trim();
  }

  read() {
    this.readFile();
    this.readPassThrough();
    this.readOwn();
    this.checkCombination();
    return this;
  }

  readFile() {
    const file = this.get(V.PROPERTIES_FILE);
    if (file === null) return;
    const origin = `${V.PROPERTIES_FILE} (${file})`;
    let loaded;
    try {
      loaded = parseProperties(fs.readFileSync(file, 'latin1'));
    } catch (e) {
      throw new KafkaSettingError(`Cannot read ${origin}: ${e.code || e.name}`);
    }
    for (const property of Object.keys(loaded).sort()) {
      const value = loaded[property].trim();
      if (property === 'bootstrap.servers') {
        this.fileBootstrap = value;
        continue;
      }
      this.accept(property, value, origin, `${origin}: ${property}`);
    }
  }

  readPassThrough() {
    for (const variable of Object.keys(this.env).sort()) {
      const property = passThroughProperty(variable);
      const value = this.get(variable);
      if (property === null || value === null) continue;
      if (property === 'bootstrap.servers') {
        throw new KafkaSettingError(`${variable}: set the bootstrap servers with ${V.BOOTSTRAP}`);
      }
      this.accept(property, value, variable, variable);
    }
  }

  accept(property, value, origin, where) {
    if (SET_PER_CLIENT.has(property)) {
      throw new KafkaSettingError(`${where}: ${property} is chosen by Portico for each client and cannot be set`);
    }
    if (!TRANSLATED.has(property)) {
      throw new KafkaSettingError(
        `${where}: ${property} has no kafkajs equivalent this SDK translates (a pass-through variable ` +
          'is PORTICO_KAFKA_ followed by a Kafka client property in capitals, dots as underscores; ' +
          "kafkajs' own options go in the kafka option)",
      );
    }
    if (property === 'sasl.jaas.config') {
      const { module } = parseJaas(value, where);
      if (![PLAIN_MODULE, SCRAM_MODULE, OAUTH_MODULE].includes(module)) {
        throw new KafkaSettingError(
          `${where}: kafkajs has no equivalent of the login module ${module}; PlainLoginModule, ` +
            'ScramLoginModule and OAuthBearerLoginModule are translated',
        );
      }
    }
    if (property === 'sasl.login.callback.handler.class' && value !== OAUTH_HANDLER) {
      throw new KafkaSettingError(`${where}: kafkajs cannot load the Java class ${value}`);
    }
    if (property.endsWith('.ms') && !/^\d+$/.test(value)) {
      throw new KafkaSettingError(`${where}: ${property} must be a whole number of milliseconds`);
    }
    this.values.set(property, value);
    this.origins.set(property, origin);
  }

  own(property, value, variable) {
    const before = this.origins.get(property);
    if (before !== undefined && !before.startsWith(V.PROPERTIES_FILE) && !this.ownOrigins.has(property)) {
      throw new KafkaSettingError(`${variable} and ${before} both set ${property}; set only one of them`);
    }
    this.values.set(property, value);
    this.origins.set(property, variable);
    this.ownOrigins.set(property, variable);
  }

  readOwn() {
    const protocol = this.get(V.SECURITY_PROTOCOL);
    if (protocol !== null) {
      if (!PROTOCOLS.includes(protocol.toUpperCase())) {
        throw invalid(V.SECURITY_PROTOCOL, protocol, 'PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL');
      }
      this.own('security.protocol', protocol.toUpperCase(), V.SECURITY_PROTOCOL);
    }
    const mechanism = this.get(V.SASL_MECHANISM);
    if (mechanism !== null) {
      if (!MECHANISM.test(mechanism.toUpperCase())) {
        throw invalid(V.SASL_MECHANISM, mechanism, 'PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER');
      }
      this.own('sasl.mechanism', mechanism.toUpperCase(), V.SASL_MECHANISM);
    }
    this.readCredentials(this.values.get('sasl.mechanism'));
    this.readOAuth(this.values.get('sasl.mechanism'));
    this.readTls();
  }

  readCredentials(mechanism) {
    const username = this.get(V.SASL_USERNAME);
    const password = this.get(V.SASL_PASSWORD);
    if (username === null && password === null) return;
    requireTogether(V.SASL_USERNAME, username, V.SASL_PASSWORD, password);
    if (mechanism !== 'PLAIN' && !SCRAM.test(mechanism || '')) {
      throw new KafkaSettingError(
        `${V.SASL_USERNAME} and ${V.SASL_PASSWORD} are for the SASL mechanisms PLAIN, SCRAM-SHA-256 ` +
          `and SCRAM-SHA-512; set ${V.SASL_MECHANISM} to one of them (it is ${mechanism || 'unset'})`,
      );
    }
    const quote = (v) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    const module = mechanism === 'PLAIN' ? PLAIN_MODULE : SCRAM_MODULE;
    this.own(
      'sasl.jaas.config',
      `${module} required username="${quote(username)}" password="${quote(password)}";`,
      `${V.SASL_USERNAME}/${V.SASL_PASSWORD}`,
    );
  }

  readOAuth(mechanism) {
    const url = this.get(V.OAUTH_TOKEN_ENDPOINT_URL);
    const id = this.get(V.OAUTH_CLIENT_ID);
    const secret = this.get(V.OAUTH_CLIENT_SECRET);
    const scope = this.get(V.OAUTH_SCOPE);
    if (url === null && id === null && secret === null && scope === null) return;
    for (const [name, value] of [[V.OAUTH_TOKEN_ENDPOINT_URL, url], [V.OAUTH_CLIENT_ID, id], [V.OAUTH_CLIENT_SECRET, secret]]) {
      if (value === null) {
        throw new KafkaSettingError(
          `OAUTHBEARER client credentials need ${V.OAUTH_TOKEN_ENDPOINT_URL}, ${V.OAUTH_CLIENT_ID} ` +
            `and ${V.OAUTH_CLIENT_SECRET}; ${name} is missing`,
        );
      }
    }
    if (mechanism !== 'OAUTHBEARER') {
      throw new KafkaSettingError(`The ${PREFIX}SASL_OAUTHBEARER_* variables need ${V.SASL_MECHANISM}=OAUTHBEARER`);
    }
    if (!url.startsWith('https://') && !url.startsWith('http://')) {
      throw invalid(V.OAUTH_TOKEN_ENDPOINT_URL, url, 'an http:// or https:// URL');
    }
    const origin = `${V.OAUTH_CLIENT_ID}/${V.OAUTH_CLIENT_SECRET}`;
    this.own('sasl.jaas.config', `${OAUTH_MODULE} required ;`, origin);
    this.own('sasl.login.callback.handler.class', OAUTH_HANDLER, V.OAUTH_TOKEN_ENDPOINT_URL);
    this.own('sasl.oauthbearer.token.endpoint.url', url, V.OAUTH_TOKEN_ENDPOINT_URL);
    this.own('sasl.oauthbearer.client.credentials.client.id', id, origin);
    this.own('sasl.oauthbearer.client.credentials.client.secret', secret, origin);
    if (scope !== null) this.own('sasl.oauthbearer.scope', scope, V.OAUTH_SCOPE);
  }

  readTls() {
    const g = (name) => this.get(name);
    const ca = g(V.TLS_CA_FILE);
    const truststore = g(V.TLS_TRUSTSTORE_FILE);
    const cert = g(V.TLS_CERT_FILE);
    const key = g(V.TLS_KEY_FILE);
    const keyPassword = g(V.TLS_KEY_PASSWORD);
    const keystore = g(V.TLS_KEYSTORE_FILE);
    const keystorePassword = g(V.TLS_KEYSTORE_PASSWORD);
    const verify = g(V.TLS_VERIFY_HOSTNAME);
    if (ca !== null && truststore !== null) throw exclusive(V.TLS_CA_FILE, V.TLS_TRUSTSTORE_FILE);
    if (g(V.TLS_TRUSTSTORE_PASSWORD) !== null && truststore === null) {
      throw new KafkaSettingError(`${V.TLS_TRUSTSTORE_PASSWORD} needs ${V.TLS_TRUSTSTORE_FILE}`);
    }
    if (keystore !== null && (cert !== null || key !== null)) {
      throw exclusive(cert !== null ? V.TLS_CERT_FILE : V.TLS_KEY_FILE, V.TLS_KEYSTORE_FILE);
    }
    if (keystorePassword !== null && keystore === null) {
      throw new KafkaSettingError(`${V.TLS_KEYSTORE_PASSWORD} needs ${V.TLS_KEYSTORE_FILE}`);
    }
    if (keyPassword !== null && key === null && keystore === null) {
      throw new KafkaSettingError(`${V.TLS_KEY_PASSWORD} needs ${V.TLS_KEY_FILE} or ${V.TLS_KEYSTORE_FILE}`);
    }
    if (truststore !== null) {
      throw new KafkaSettingError(
        `${V.TLS_TRUSTSTORE_FILE}: Node.js reads no trust store; give the CA certificates as PEM ` +
          `with ${V.TLS_CA_FILE} instead (openssl pkcs12 -in STORE -nokeys -out ca.pem)`,
      );
    }
    if (ca !== null) {
      requirePem(V.TLS_CA_FILE, ca, 'CERTIFICATE');
      this.own('ssl.truststore.type', 'PEM', V.TLS_CA_FILE);
      this.own('ssl.truststore.location', ca, V.TLS_CA_FILE);
    }
    if (cert !== null || key !== null) {
      requireTogether(V.TLS_CERT_FILE, cert, V.TLS_KEY_FILE, key);
      this.own('ssl.keystore.type', 'PEM', V.TLS_CERT_FILE);
      this.own('ssl.keystore.certificate.chain', requirePem(V.TLS_CERT_FILE, cert, 'CERTIFICATE'), V.TLS_CERT_FILE);
      this.own('ssl.keystore.key', requirePrivateKey(key, keyPassword !== null), V.TLS_KEY_FILE);
      if (keyPassword !== null) this.own('ssl.key.password', keyPassword, V.TLS_KEY_PASSWORD);
    }
    if (keystore !== null) {
      if (keystore.toLowerCase().endsWith('.jks')) {
        throw new KafkaSettingError(
          `${V.TLS_KEYSTORE_FILE}: Node.js cannot read a JKS key store; convert it to PKCS#12 ` +
            `(keytool -importkeystore -deststoretype PKCS12) or give ${V.TLS_CERT_FILE} and ` +
            `${V.TLS_KEY_FILE} as PEM`,
        );
      }
      requireReadable(V.TLS_KEYSTORE_FILE, keystore);
      this.own('ssl.keystore.type', 'PKCS12', V.TLS_KEYSTORE_FILE);
      this.own('ssl.keystore.location', keystore, V.TLS_KEYSTORE_FILE);
      if (keystorePassword !== null) this.own('ssl.keystore.password', keystorePassword, V.TLS_KEYSTORE_PASSWORD);
      if (keyPassword !== null) this.own('ssl.key.password', keyPassword, V.TLS_KEY_PASSWORD);
    }
    if (verify !== null) {
      const flag = verify.toLowerCase();
      if (!['true', 'yes', '1', 'false', 'no', '0'].includes(flag)) {
        throw invalid(V.TLS_VERIFY_HOSTNAME, verify, 'true or false');
      }
      this.own('ssl.endpoint.identification.algorithm', ['true', 'yes', '1'].includes(flag) ? 'https' : '', V.TLS_VERIFY_HOSTNAME);
    }
  }

  checkCombination() {
    const protocol = (this.values.get('security.protocol') || 'PLAINTEXT').toUpperCase();
    const protocolOrigin = this.origins.get('security.protocol') || 'the default';
    const sasl = protocol.startsWith('SASL_');
    const mechanism = this.values.get('sasl.mechanism');
    if (!sasl) {
      for (const property of ['sasl.mechanism', 'sasl.jaas.config', 'sasl.oauthbearer.token.endpoint.url']) {
        if (this.ownOrigins.has(property)) {
          throw new KafkaSettingError(
            `${this.ownOrigins.get(property)} needs ${V.SECURITY_PROTOCOL}=SASL_SSL (or SASL_PLAINTEXT); ` +
              `the security protocol is ${protocol} (${protocolOrigin})`,
          );
        }
      }
    }
    if (protocol !== 'SSL' && protocol !== 'SASL_SSL') {
      for (const [property, origin] of this.ownOrigins) {
        if (property.startsWith('ssl.')) {
          throw new KafkaSettingError(
            `${origin} needs ${V.SECURITY_PROTOCOL}=SSL or SASL_SSL; the security protocol is ${protocol} (${protocolOrigin})`,
          );
        }
      }
    }
    if (sasl) {
      if (!mechanism) {
        throw new KafkaSettingError(
          `The security protocol ${protocol} (${protocolOrigin}) needs ${V.SASL_MECHANISM}: ` +
            'PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER',
        );
      }
      const hasLogin = this.values.has('sasl.jaas.config');
      if ((mechanism.toUpperCase() === 'PLAIN' || SCRAM.test(mechanism.toUpperCase())) && !hasLogin) {
        throw new KafkaSettingError(
          `The SASL mechanism ${mechanism} needs ${V.SASL_USERNAME} and ${V.SASL_PASSWORD} (or a sasl.jaas.config)`,
        );
      }
      if (mechanism.toUpperCase() === 'OAUTHBEARER' && !hasLogin) {
        throw new KafkaSettingError(
          `The SASL mechanism OAUTHBEARER needs ${V.OAUTH_TOKEN_ENDPOINT_URL}, ${V.OAUTH_CLIENT_ID} and ` +
            `${V.OAUTH_CLIENT_SECRET} (or a sasl.jaas.config)`,
        );
      }
    }
  }
}

/** The Java properties as kafkajs options: {options, origins (kafkajs option -> origin)}. */
function translate(values, origins) {
  const options = {};
  const from = {};
  const put = (path, value, property) => {
    options[path] = value;
    from[path] = origins.get(property);
  };
  const protocol = (values.get('security.protocol') || 'PLAINTEXT').toUpperCase();
  const ssl = {};
  if (protocol === 'SSL' || protocol === 'SASL_SSL') {
    const where = (p) => origins.get(p);
    const trustLocation = values.get('ssl.truststore.location');
    if (trustLocation !== undefined) {
      const type = (values.get('ssl.truststore.type') || (trustLocation.toLowerCase().endsWith('.jks') ? 'JKS' : 'PKCS12')).toUpperCase();
      if (type !== 'PEM') {
        throw new KafkaSettingError(
          `${where('ssl.truststore.location')}: ssl.truststore.location is a ${type} trust store, which ` +
            `Node.js cannot read; give the CA certificates as PEM (${V.TLS_CA_FILE}, or ssl.truststore.type=PEM)`,
        );
      }
      ssl.ca = [requireReadable(where('ssl.truststore.location'), trustLocation, 'utf8')];
    } else if (values.has('ssl.truststore.password')) {
      throw new KafkaSettingError(`${where('ssl.truststore.password')}: ssl.truststore.password needs ssl.truststore.location`);
    }
    if (values.has('ssl.truststore.certificates')) ssl.ca = [values.get('ssl.truststore.certificates')];
    const keyLocation = values.get('ssl.keystore.location');
    if (keyLocation !== undefined) {
      const type = (values.get('ssl.keystore.type') || (keyLocation.toLowerCase().endsWith('.jks') ? 'JKS' : 'PKCS12')).toUpperCase();
      if (type === 'PKCS12') {
        ssl.pfx = fs.readFileSync(keyLocation);
        const passphrase = values.get('ssl.keystore.password') ?? values.get('ssl.key.password');
        if (passphrase !== undefined) ssl.passphrase = passphrase;
      } else if (type === 'PEM') {
        // Kafka's PEM key store file holds the key and the certificate chain.
        const text = requireReadable(where('ssl.keystore.location'), keyLocation, 'utf8');
        ssl.cert = text;
        ssl.key = text;
      } else {
        throw new KafkaSettingError(
          `${where('ssl.keystore.location')}: ssl.keystore.location is a JKS key store, which Node.js ` +
            'cannot read; convert it to PKCS#12 (keytool -importkeystore -deststoretype PKCS12)',
        );
      }
    }
    if (values.has('ssl.keystore.certificate.chain')) ssl.cert = values.get('ssl.keystore.certificate.chain');
    if (values.has('ssl.keystore.key')) ssl.key = values.get('ssl.keystore.key');
    if (ssl.key !== undefined && values.has('ssl.key.password')) ssl.passphrase = values.get('ssl.key.password');
    const algorithm = values.get('ssl.endpoint.identification.algorithm');
    if (algorithm !== undefined) {
      if (!['https', ''].includes(algorithm.toLowerCase())) {
        throw new KafkaSettingError(
          `${where('ssl.endpoint.identification.algorithm')}: ssl.endpoint.identification.algorithm is https or empty, not ${algorithm}`,
        );
      }
      // The certificate is still checked against the CA; only the host name check is off.
      if (algorithm === '') ssl.checkServerIdentity = () => undefined;
    }
    options.ssl = Object.keys(ssl).length > 0 ? ssl : true;
    from.ssl = origins.get('security.protocol');
  }
  if (protocol.startsWith('SASL_')) {
    const mechanism = (values.get('sasl.mechanism') || '').toUpperCase();
    const origin = origins.get('sasl.jaas.config');
    const { options: login } = parseJaas(values.get('sasl.jaas.config') || `${PLAIN_MODULE} required;`, origin);
    if (mechanism === 'PLAIN' || SCRAM.test(mechanism)) {
      options.sasl = { mechanism: mechanism.toLowerCase(), username: login.username, password: login.password };
    } else if (mechanism === 'OAUTHBEARER') {
      const url = values.get('sasl.oauthbearer.token.endpoint.url');
      if (url === undefined) {
        throw new KafkaSettingError(
          `${origin}: OAUTHBEARER needs sasl.oauthbearer.token.endpoint.url (${V.OAUTH_TOKEN_ENDPOINT_URL})`,
        );
      }
      const credentials = {
        url,
        clientId: values.get('sasl.oauthbearer.client.credentials.client.id') ?? login.clientId,
        clientSecret: values.get('sasl.oauthbearer.client.credentials.client.secret') ?? login.clientSecret,
        scope: values.get('sasl.oauthbearer.scope') ?? login.scope,
        origins: [origins.get('sasl.oauthbearer.token.endpoint.url'), origins.get('sasl.oauthbearer.client.credentials.client.id') || origin]
          .filter((o, i, all) => o && all.indexOf(o) === i)
          .join(', '),
      };
      options.sasl = { mechanism: 'oauthbearer', oauthBearerProvider: clientCredentials(credentials) };
    } else {
      throw new KafkaSettingError(
        `${origins.get('sasl.mechanism')}: kafkajs offers the SASL mechanisms PLAIN, SCRAM-SHA-256, ` +
          `SCRAM-SHA-512 and OAUTHBEARER, not ${mechanism}`,
      );
    }
    from.sasl = origin;
  }
  if (values.has('request.timeout.ms')) put('requestTimeout', Number(values.get('request.timeout.ms')), 'request.timeout.ms');
  if (values.has('socket.connection.setup.timeout.ms')) {
    put('connectionTimeout', Number(values.get('socket.connection.setup.timeout.ms')), 'socket.connection.setup.timeout.ms');
  }
  return { options, from };
}

/**
 * An OAUTHBEARER token provider for kafkajs: the client-credentials grant at the token endpoint
 * (client id and secret as HTTP Basic, RFC 6749 section 2.3.1), each token reused until 80% of
 * its lifetime has passed.
 */
function clientCredentials({ url, clientId, clientSecret, scope, origins }, fetchImpl = globalThis.fetch) {
  let cached = null;
  return async () => {
    if (cached !== null && Date.now() < cached.refreshAt) return { value: cached.token };
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (scope) body.set('scope', scope);
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    const failed = (why) =>
      new KafkaSettingError(`The SASL login failed before reaching Kafka (check ${origins}): ${why}`);
    let response;
    try {
      response = await fetchImpl(url, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: body.toString(),
      });
    } catch (e) {
      throw failed(`the token endpoint ${url} did not answer (${(e.cause && e.cause.code) || e.message})`);
    }
    const text = await response.text();
    if (!response.ok) throw failed(`the token endpoint ${url} answered ${response.status}: ${text.slice(0, 200)}`);
    let token;
    try {
      token = JSON.parse(text);
    } catch (e) {
      token = {};
    }
    if (typeof token.access_token !== 'string') throw failed(`the token endpoint ${url} sent no access_token`);
    const lifetimeMs = (Number(token.expires_in) > 0 ? Number(token.expires_in) : 300) * 1000;
    cached = { token: token.access_token, refreshAt: Date.now() + lifetimeMs * 0.8 };
    return { value: cached.token };
  };
}

/**
 * The kafkajs client options the environment gives: {options, origins, fileBootstrap,
 * securityProtocol, mechanism}. Throws KafkaSettingError naming the variable when a setting
 * cannot be used.
 */
function read(env = process.env) {
  const reader = new Reader(env).read();
  const { options, from } = translate(reader.values, reader.origins);
  return {
    options,
    origins: Object.fromEntries(reader.origins),
    fileBootstrap: reader.fileBootstrap,
    securityProtocol: (reader.values.get('security.protocol') || 'PLAINTEXT').toUpperCase(),
    mechanism: reader.values.has('sasl.mechanism') ? reader.values.get('sasl.mechanism').toUpperCase() : null,
    originsOf(...properties) {
      return [...new Set(properties.map((p) => reader.origins.get(p)).filter(Boolean))].join(', ');
    },
    optionOrigins: from,
  };
}

const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE',
]);

/** The error and its causes, outermost first. */
function chain(error) {
  const all = [];
  for (let e = error; e && !all.includes(e); e = e.cause || e.originalError) all.push(e);
  return all;
}

/**
 * What a kafkajs error on the first contact says about the settings, or null when it is not
 * about them (Kafka unreachable, say).
 */
function explain(error, security) {
  const errors = chain(error);
  const messages = [...new Set(errors.map((e) => e.message).filter(Boolean))].join(': ');
  for (const e of errors) {
    if (e instanceof KafkaSettingError) return e.message;
    if (e.name === 'KafkaJSSASLAuthenticationError') {
      if (/mechanism/i.test(e.message) && /not (supported|enabled)|unsupported/i.test(e.message)) {
        return `Kafka does not offer the SASL mechanism ${security.mechanism} (${security.originsOf('sasl.mechanism')}): ${messages}`;
      }
      return (
        `Kafka refused the SASL credentials (${security.mechanism}) of ` +
        `${security.originsOf('sasl.jaas.config', 'sasl.oauthbearer.client.credentials.client.id') || 'the SASL settings'}: ${messages}`
      );
    }
    const code = e.code || '';
    if (UNTRUSTED.has(code) || /self[- ]signed certificate|unable to verify|unable to get (local )?issuer/i.test(e.message || '')) {
      return (
        "The TLS handshake with Kafka failed: the broker's certificate is not trusted by " +
        `${security.originsOf('ssl.truststore.location', 'ssl.truststore.certificates') || `Node.js' CA certificates (set ${V.TLS_CA_FILE})`}. ${messages}`
      );
    }
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || /altnames|Hostname\/IP does not match/i.test(e.message || '')) {
      return (
        "The TLS handshake with Kafka failed: the broker's certificate does not name the host connected to " +
        `(fix the certificate or the bootstrap address; ${V.TLS_VERIFY_HOSTNAME}=false turns the check off). ${messages}`
      );
    }
    if (/alert (bad|unknown|certificate)|certificate required/i.test(e.message || '')) {
      return (
        "The TLS handshake with Kafka failed: the broker refused this client's certificate " +
        `(${security.originsOf('ssl.keystore.certificate.chain', 'ssl.keystore.key', 'ssl.keystore.location') || `none is set: ${V.TLS_CERT_FILE}, ${V.TLS_KEY_FILE}`}). ${messages}`
      );
    }
  }
  return null;
}

module.exports = { read, explain, passThroughProperty, parseJaas, parseProperties, clientCredentials, KafkaSettingError, V };
