"""The secured-Kafka variables every Portico client reads (README "Secured Kafka"), as librdkafka
settings: the same ``PORTICO_KAFKA_*`` names, rules and refusal messages as the Java side
(kafka-kit's KafkaClientEnvironment), so one deployment's variables serve the services and a
Python function alike. Three sources, highest precedence first:

1. Portico's own variables (protocol, SASL credentials, OAuth client credentials, TLS files),
   checked together before anything connects;
2. pass-through variables: ``PORTICO_KAFKA_<PROPERTY>`` names a Kafka client property (as Kafka's
   Java clients call it) in capitals, ``_`` for ``.``;
3. the ``client.properties`` file named by ``PORTICO_KAFKA_PROPERTIES_FILE``, same vocabulary.

Java property names are translated into librdkafka's; one without a librdkafka equivalent (a JKS
or PKCS#12 trust store, say) is refused with the property named and what to use instead. No
message repeats a secret. Pure logic, no confluent-kafka import: unit-testable anywhere.
"""

import re
from typing import Callable, Dict, Mapping, Optional, Tuple

PREFIX = "PORTICO_KAFKA_"
BOOTSTRAP = PREFIX + "BOOTSTRAP"
MAX_MESSAGE_BYTES = PREFIX + "MAX_MESSAGE_BYTES"
PROPERTIES_FILE = PREFIX + "PROPERTIES_FILE"
SECURITY_PROTOCOL = PREFIX + "SECURITY_PROTOCOL"
SASL_MECHANISM = PREFIX + "SASL_MECHANISM"
SASL_USERNAME = PREFIX + "SASL_USERNAME"
SASL_PASSWORD = PREFIX + "SASL_PASSWORD"
OAUTH_TOKEN_ENDPOINT_URL = PREFIX + "SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL"
OAUTH_CLIENT_ID = PREFIX + "SASL_OAUTHBEARER_CLIENT_ID"
OAUTH_CLIENT_SECRET = PREFIX + "SASL_OAUTHBEARER_CLIENT_SECRET"
OAUTH_SCOPE = PREFIX + "SASL_OAUTHBEARER_SCOPE"
TLS_CA_FILE = PREFIX + "TLS_CA_FILE"
TLS_CERT_FILE = PREFIX + "TLS_CERT_FILE"
TLS_KEY_FILE = PREFIX + "TLS_KEY_FILE"
TLS_KEY_PASSWORD = PREFIX + "TLS_KEY_PASSWORD"
TLS_KEYSTORE_FILE = PREFIX + "TLS_KEYSTORE_FILE"
TLS_KEYSTORE_PASSWORD = PREFIX + "TLS_KEYSTORE_PASSWORD"
TLS_TRUSTSTORE_FILE = PREFIX + "TLS_TRUSTSTORE_FILE"
TLS_TRUSTSTORE_PASSWORD = PREFIX + "TLS_TRUSTSTORE_PASSWORD"
TLS_VERIFY_HOSTNAME = PREFIX + "TLS_VERIFY_HOSTNAME"

OWN_VARIABLES = (
    BOOTSTRAP, MAX_MESSAGE_BYTES, PROPERTIES_FILE, SECURITY_PROTOCOL, SASL_MECHANISM,
    SASL_USERNAME, SASL_PASSWORD, OAUTH_TOKEN_ENDPOINT_URL, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET,
    OAUTH_SCOPE, TLS_CA_FILE, TLS_CERT_FILE, TLS_KEY_FILE, TLS_KEY_PASSWORD, TLS_KEYSTORE_FILE,
    TLS_KEYSTORE_PASSWORD, TLS_TRUSTSTORE_FILE, TLS_TRUSTSTORE_PASSWORD, TLS_VERIFY_HOSTNAME,
)

# Chosen by the SDK for each client, because its guarantees rest on them.
SET_PER_CLIENT = frozenset({
    "bootstrap.servers", "client.id", "group.id", "group.instance.id", "transactional.id",
    "key.serializer", "value.serializer", "key.deserializer", "value.deserializer",
    "enable.auto.commit", "enable.idempotence", "acks", "isolation.level",
})

PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
_MECHANISM = re.compile(r"[A-Z0-9_-]{1,64}")
_SCRAM = re.compile(r"SCRAM-SHA-(256|512)")

# Java client properties that librdkafka knows by the same name, with the same meaning.
_SAME_NAME = frozenset({
    "security.protocol", "sasl.mechanism", "sasl.kerberos.service.name",
    "sasl.oauthbearer.token.endpoint.url", "sasl.oauthbearer.scope",
    "ssl.key.password", "ssl.keystore.password",
    "session.timeout.ms", "heartbeat.interval.ms", "max.poll.interval.ms", "metadata.max.age.ms",
    "connections.max.idle.ms", "reconnect.backoff.ms", "reconnect.backoff.max.ms",
    "retry.backoff.ms", "socket.connection.setup.timeout.ms", "request.timeout.ms",
    "fetch.min.bytes", "fetch.max.bytes", "max.partition.fetch.bytes", "linger.ms", "batch.size",
    "compression.type", "client.rack", "transaction.timeout.ms", "delivery.timeout.ms",
    "retries", "auto.offset.reset",
})
# ... and by another name.
_RENAMED = {
    "sasl.oauthbearer.client.credentials.client.id": "sasl.oauthbearer.client.id",
    "sasl.oauthbearer.client.credentials.client.secret": "sasl.oauthbearer.client.secret",
    "ssl.truststore.certificates": "ssl.ca.pem",
    "ssl.keystore.certificate.chain": "ssl.certificate.pem",
    "ssl.keystore.key": "ssl.key.pem",
    "receive.buffer.bytes": "socket.receive.buffer.bytes",
    "send.buffer.bytes": "socket.send.buffer.bytes",
    "max.request.size": "message.max.bytes",
}
# Secrets in librdkafka's vocabulary: never in a message.
SECRETS = frozenset({
    "sasl.password", "sasl.oauthbearer.client.secret", "ssl.key.password",
    "ssl.keystore.password", "ssl.key.pem", "ssl_key",
})
_JAAS_MODULES = {
    "org.apache.kafka.common.security.plain.PlainLoginModule": "password",
    "org.apache.kafka.common.security.scram.ScramLoginModule": "password",
    "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule": "oauth",
}
_OAUTH_HANDLER = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler"


class KafkaSettingError(ValueError):
    """A Kafka setting that cannot work; the message names the variable (or file) to fix."""


class KafkaEnvironment:
    """librdkafka settings read from the environment, with where each came from."""

    def __init__(self, config: Dict[str, str], origins: Dict[str, str], file_bootstrap):
        self.config = config
        self.origins = origins
        self.file_bootstrap = file_bootstrap

    @property
    def security_protocol(self) -> str:
        return self.config.get("security.protocol", "PLAINTEXT").upper()

    def origins_of(self, *names) -> str:
        seen = []
        for name in names:
            origin = self.origins.get(name)
            if origin is not None and origin not in seen:
                seen.append(origin)
        return ", ".join(seen)

    def __repr__(self):
        shown = {k: ("[hidden]" if k in SECRETS else v) for k, v in sorted(self.config.items())}
        return f"KafkaEnvironment({shown})"


def pass_through_property(variable: str) -> Optional[str]:
    """The Kafka client property a pass-through variable names, or None for Portico's own."""
    if not variable.startswith(PREFIX) or variable in OWN_VARIABLES:
        return None
    return variable[len(PREFIX):].lower().replace("_", ".")


def read(env: Mapping[str, str]) -> KafkaEnvironment:
    """The librdkafka settings the environment gives; raises KafkaSettingError naming the
    variable when a setting cannot be used."""
    return _Reader(env).read()


class _Reader:
    def __init__(self, env):
        self.env = env
        self.values: Dict[str, str] = {}  # Java property -> value
        self.origins: Dict[str, str] = {}
        self.own_origins: Dict[str, str] = {}
        self.file_bootstrap = None

    def get(self, name):
        value = self.env.get(name)
        return None if value is None or not value.strip() else value.strip()

    def read(self) -> KafkaEnvironment:
        self.read_file()
        self.read_pass_through()
        self.read_own()
        self.check_combination()
        config, origins = _translate(self.values, self.origins)
        return KafkaEnvironment(config, origins, self.file_bootstrap)

    def read_file(self):
        file = self.get(PROPERTIES_FILE)
        if file is None:
            return
        origin = f"{PROPERTIES_FILE} ({file})"
        try:
            with open(file, encoding="iso-8859-1") as f:
                loaded = parse_properties(f.read())
        except OSError as e:
            raise KafkaSettingError(f"Cannot read {origin}: {type(e).__name__} {e.strerror}") from None
        for prop in sorted(loaded):
            value = loaded[prop].strip()
            if prop == "bootstrap.servers":
                self.file_bootstrap = value
                continue
            self.accept(prop, value, origin, f"{origin}: {prop}")

    def read_pass_through(self):
        for variable in sorted(self.env):
            prop = pass_through_property(variable)
            value = self.get(variable)
            if prop is None or value is None:
                continue
            if prop == "bootstrap.servers":
                raise KafkaSettingError(f"{variable}: set the bootstrap servers with {BOOTSTRAP}")
            self.accept(prop, value, variable, variable)

    def accept(self, prop, value, origin, where):
        if prop in SET_PER_CLIENT:
            raise KafkaSettingError(
                f"{where}: {prop} is chosen by Portico for each client and cannot be set")
        _check_translatable(prop, value, where)
        self.values[prop] = value
        self.origins[prop] = origin

    def own(self, prop, value, variable):
        before = self.origins.get(prop)
        if before is not None and not before.startswith(PROPERTIES_FILE) and prop not in self.own_origins:
            raise KafkaSettingError(f"{variable} and {before} both set {prop}; set only one of them")
        self.values[prop] = value
        self.origins[prop] = variable
        self.own_origins[prop] = variable

    def read_own(self):
        protocol = self.get(SECURITY_PROTOCOL)
        if protocol is not None:
            if protocol.upper() not in PROTOCOLS:
                raise invalid(SECURITY_PROTOCOL, protocol, "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL")
            self.own("security.protocol", protocol.upper(), SECURITY_PROTOCOL)
        mechanism = self.get(SASL_MECHANISM)
        if mechanism is not None:
            if not _MECHANISM.fullmatch(mechanism.upper()):
                raise invalid(SASL_MECHANISM, mechanism,
                              "PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER")
            self.own("sasl.mechanism", mechanism.upper(), SASL_MECHANISM)
        self.read_credentials(self.values.get("sasl.mechanism"))
        self.read_oauth(self.values.get("sasl.mechanism"))
        self.read_tls()

    def read_credentials(self, mechanism):
        username, password = self.get(SASL_USERNAME), self.get(SASL_PASSWORD)
        if username is None and password is None:
            return
        require_together(SASL_USERNAME, username, SASL_PASSWORD, password)
        if mechanism != "PLAIN" and not (mechanism and _SCRAM.fullmatch(mechanism)):
            raise KafkaSettingError(
                f"{SASL_USERNAME} and {SASL_PASSWORD} are for the SASL mechanisms PLAIN, "
                f"SCRAM-SHA-256 and SCRAM-SHA-512; set {SASL_MECHANISM} to one of them "
                f"(it is {mechanism or 'unset'})")
        origin = f"{SASL_USERNAME}/{SASL_PASSWORD}"
        self.own("sasl.jaas.config", jaas(mechanism, username, password), origin)

    def read_oauth(self, mechanism):
        url, client_id = self.get(OAUTH_TOKEN_ENDPOINT_URL), self.get(OAUTH_CLIENT_ID)
        secret, scope = self.get(OAUTH_CLIENT_SECRET), self.get(OAUTH_SCOPE)
        if url is None and client_id is None and secret is None and scope is None:
            return
        for name, value in ((OAUTH_TOKEN_ENDPOINT_URL, url), (OAUTH_CLIENT_ID, client_id),
                            (OAUTH_CLIENT_SECRET, secret)):
            if value is None:
                raise KafkaSettingError(
                    f"OAUTHBEARER client credentials need {OAUTH_TOKEN_ENDPOINT_URL}, "
                    f"{OAUTH_CLIENT_ID} and {OAUTH_CLIENT_SECRET}; {name} is missing")
        if mechanism != "OAUTHBEARER":
            raise KafkaSettingError(
                f"The {PREFIX}SASL_OAUTHBEARER_* variables need {SASL_MECHANISM}=OAUTHBEARER")
        if not (url.startswith("https://") or url.startswith("http://")):
            raise invalid(OAUTH_TOKEN_ENDPOINT_URL, url, "an http:// or https:// URL")
        origin = f"{OAUTH_CLIENT_ID}/{OAUTH_CLIENT_SECRET}"
        self.own("sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer."
                 "OAuthBearerLoginModule required ;", origin)
        self.own("sasl.login.callback.handler.class", _OAUTH_HANDLER, OAUTH_TOKEN_ENDPOINT_URL)
        self.own("sasl.oauthbearer.token.endpoint.url", url, OAUTH_TOKEN_ENDPOINT_URL)
        self.own("sasl.oauthbearer.client.credentials.client.id", client_id, origin)
        self.own("sasl.oauthbearer.client.credentials.client.secret", secret, origin)
        if scope is not None:
            self.own("sasl.oauthbearer.scope", scope, OAUTH_SCOPE)

    def read_tls(self):
        g = self.get
        ca, truststore, truststore_password = g(TLS_CA_FILE), g(TLS_TRUSTSTORE_FILE), g(TLS_TRUSTSTORE_PASSWORD)
        cert, key, key_password = g(TLS_CERT_FILE), g(TLS_KEY_FILE), g(TLS_KEY_PASSWORD)
        keystore, keystore_password = g(TLS_KEYSTORE_FILE), g(TLS_KEYSTORE_PASSWORD)
        verify = g(TLS_VERIFY_HOSTNAME)
        if ca is not None and truststore is not None:
            raise exclusive(TLS_CA_FILE, TLS_TRUSTSTORE_FILE)
        if truststore_password is not None and truststore is None:
            raise KafkaSettingError(f"{TLS_TRUSTSTORE_PASSWORD} needs {TLS_TRUSTSTORE_FILE}")
        if keystore is not None and (cert is not None or key is not None):
            raise exclusive(TLS_CERT_FILE if cert is not None else TLS_KEY_FILE, TLS_KEYSTORE_FILE)
        if keystore_password is not None and keystore is None:
            raise KafkaSettingError(f"{TLS_KEYSTORE_PASSWORD} needs {TLS_KEYSTORE_FILE}")
        if key_password is not None and key is None and keystore is None:
            raise KafkaSettingError(f"{TLS_KEY_PASSWORD} needs {TLS_KEY_FILE} or {TLS_KEYSTORE_FILE}")
        if truststore is not None:
            raise KafkaSettingError(
                f"{TLS_TRUSTSTORE_FILE}: librdkafka reads no trust store; give the CA certificates "
                f"as PEM with {TLS_CA_FILE} instead (openssl pkcs12 -in STORE -nokeys -out ca.pem)")
        if ca is not None:
            require_pem(TLS_CA_FILE, ca, "CERTIFICATE")
            self.own("ssl.truststore.type", "PEM", TLS_CA_FILE)
            self.own("ssl.truststore.location", ca, TLS_CA_FILE)
        if cert is not None or key is not None:
            require_together(TLS_CERT_FILE, cert, TLS_KEY_FILE, key)
            require_pem(TLS_CERT_FILE, cert, "CERTIFICATE")
            require_private_key(key, key_password is not None)
            self.own("ssl.keystore.type", "PEM", TLS_CERT_FILE)
            self.own("ssl.keystore.certificate.chain.location", cert, TLS_CERT_FILE)
            self.own("ssl.keystore.key.location", key, TLS_KEY_FILE)
            if key_password is not None:
                self.own("ssl.key.password", key_password, TLS_KEY_PASSWORD)
        if keystore is not None:
            if keystore.lower().endswith(".jks"):
                raise KafkaSettingError(
                    f"{TLS_KEYSTORE_FILE}: librdkafka cannot read a JKS key store; convert it to "
                    f"PKCS#12 (keytool -importkeystore -deststoretype PKCS12) or give "
                    f"{TLS_CERT_FILE} and {TLS_KEY_FILE} as PEM")
            require_readable(TLS_KEYSTORE_FILE, keystore)
            self.own("ssl.keystore.type", "PKCS12", TLS_KEYSTORE_FILE)
            self.own("ssl.keystore.location", keystore, TLS_KEYSTORE_FILE)
            if keystore_password is not None:
                self.own("ssl.keystore.password", keystore_password, TLS_KEYSTORE_PASSWORD)
            if key_password is not None:
                self.own("ssl.key.password", key_password, TLS_KEY_PASSWORD)
        if verify is not None:
            flag = verify.lower()
            if flag not in ("true", "yes", "1", "false", "no", "0"):
                raise invalid(TLS_VERIFY_HOSTNAME, verify, "true or false")
            self.own("ssl.endpoint.identification.algorithm",
                     "https" if flag in ("true", "yes", "1") else "", TLS_VERIFY_HOSTNAME)

    def check_combination(self):
        protocol = self.values.get("security.protocol", "PLAINTEXT").upper()
        protocol_origin = self.origins.get("security.protocol", "the default")
        sasl = protocol.startswith("SASL_")
        mechanism = self.values.get("sasl.mechanism")
        if not sasl:
            for prop in ("sasl.mechanism", "sasl.jaas.config", "sasl.oauthbearer.token.endpoint.url"):
                if prop in self.own_origins:
                    raise KafkaSettingError(
                        f"{self.own_origins[prop]} needs {SECURITY_PROTOCOL}=SASL_SSL (or "
                        f"SASL_PLAINTEXT); the security protocol is {protocol} ({protocol_origin})")
        if protocol not in ("SSL", "SASL_SSL"):
            for prop, origin in self.own_origins.items():
                if prop.startswith("ssl."):
                    raise KafkaSettingError(
                        f"{origin} needs {SECURITY_PROTOCOL}=SSL or SASL_SSL; the security "
                        f"protocol is {protocol} ({protocol_origin})")
        if sasl:
            if mechanism is None:
                raise KafkaSettingError(
                    f"The security protocol {protocol} ({protocol_origin}) needs {SASL_MECHANISM}: "
                    "PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER")
            has_login = "sasl.jaas.config" in self.values
            if (mechanism == "PLAIN" or _SCRAM.fullmatch(mechanism)) and not has_login:
                raise KafkaSettingError(
                    f"The SASL mechanism {mechanism} needs {SASL_USERNAME} and {SASL_PASSWORD} "
                    "(or a sasl.jaas.config)")
            if mechanism == "OAUTHBEARER" and not has_login:
                raise KafkaSettingError(
                    f"The SASL mechanism OAUTHBEARER needs {OAUTH_TOKEN_ENDPOINT_URL}, "
                    f"{OAUTH_CLIENT_ID} and {OAUTH_CLIENT_SECRET} (or a sasl.jaas.config)")


def _check_translatable(prop, value, where):
    """Refuses a Java property librdkafka has no equivalent for (or a value it cannot take)."""
    if prop in _SAME_NAME or prop in _RENAMED:
        return
    if prop == "sasl.jaas.config":
        module = value.split()[0] if value.split() else ""
        if module not in _JAAS_MODULES:
            raise KafkaSettingError(
                f"{where}: librdkafka has no equivalent of the login module {module or '(none)'}; "
                "PlainLoginModule, ScramLoginModule and OAuthBearerLoginModule are translated")
        return
    if prop == "sasl.login.callback.handler.class":
        if value != _OAUTH_HANDLER:
            raise KafkaSettingError(f"{where}: librdkafka cannot load the Java class {value}")
        return
    if prop in ("ssl.truststore.type", "ssl.keystore.type"):
        if value.upper() not in ("PEM", "PKCS12", "JKS"):
            raise KafkaSettingError(f"{where}: unknown store type {value}")
        return
    if prop in ("ssl.truststore.location", "ssl.keystore.location", "ssl.truststore.password",
                "ssl.endpoint.identification.algorithm"):
        return  # checked once the store types are known (_translate)
    if prop == "client.dns.lookup":
        if value != "use_all_dns_ips":
            raise KafkaSettingError(
                f"{where}: librdkafka always tries every address of a name; only "
                "client.dns.lookup=use_all_dns_ips can be given")
        return
    raise KafkaSettingError(
        f"{where}: {prop} has no librdkafka equivalent this SDK translates (a pass-through "
        "variable is PORTICO_KAFKA_ followed by a Kafka client property in capitals, dots as "
        "underscores; librdkafka's own properties go in the kafka option)")


def _translate(values: Dict[str, str], origins: Dict[str, str]) -> Tuple[Dict[str, str], Dict[str, str]]:
    config: Dict[str, str] = {}
    out_origins: Dict[str, str] = {}

    def put(name, value, java):
        config[name] = value
        out_origins[name] = origins[java]

    for prop, value in values.items():
        if prop in _SAME_NAME:
            put(prop, value, prop)
        elif prop in _RENAMED:
            put(_RENAMED[prop], value, prop)
    if "security.protocol" in config:
        config["security.protocol"] = config["security.protocol"].upper()
    if "sasl.mechanism" in config:
        config["sasl.mechanism"] = config["sasl.mechanism"].upper()
    login = values.get("sasl.jaas.config")
    if login is not None:
        module, options = parse_jaas(login, origins["sasl.jaas.config"])
        if _JAAS_MODULES[module] == "password":
            for option in ("username", "password"):
                if option in options:
                    put(f"sasl.{option}", options[option], "sasl.jaas.config")
        else:
            for option, name in (("clientId", "sasl.oauthbearer.client.id"),
                                 ("clientSecret", "sasl.oauthbearer.client.secret"),
                                 ("scope", "sasl.oauthbearer.scope")):
                if option in options:
                    put(name, options[option], "sasl.jaas.config")
    if "sasl.oauthbearer.token.endpoint.url" in values:
        put("sasl.oauthbearer.method", "oidc", "sasl.oauthbearer.token.endpoint.url")
    _translate_store("truststore", values, origins, put)
    _translate_store("keystore", values, origins, put)
    if "ssl.keystore.certificate.chain.location" in values:
        put("ssl.certificate.location", values["ssl.keystore.certificate.chain.location"],
            "ssl.keystore.certificate.chain.location")
        put("ssl.key.location", values["ssl.keystore.key.location"], "ssl.keystore.key.location")
    algorithm = values.get("ssl.endpoint.identification.algorithm")
    if algorithm is not None:
        if algorithm.lower() not in ("https", ""):
            raise KafkaSettingError(
                f"{origins['ssl.endpoint.identification.algorithm']}: "
                f"ssl.endpoint.identification.algorithm is https or empty, not {algorithm}")
        put("ssl.endpoint.identification.algorithm", "https" if algorithm else "none",
            "ssl.endpoint.identification.algorithm")
    return config, out_origins


def _translate_store(kind, values, origins, put):
    location = values.get(f"ssl.{kind}.location")
    if location is None:
        if kind == "truststore" and "ssl.truststore.password" in values:
            raise KafkaSettingError(f"{origins['ssl.truststore.password']}: "
                                    "ssl.truststore.password needs ssl.truststore.location")
        return
    store_type = values.get(f"ssl.{kind}.type")
    if store_type is None:
        store_type = "JKS" if location.lower().endswith(".jks") else "PKCS12"
    store_type = store_type.upper()
    where = origins[f"ssl.{kind}.location"]
    if kind == "truststore":
        if store_type != "PEM":
            raise KafkaSettingError(
                f"{where}: ssl.truststore.location is a {store_type} trust store, which librdkafka "
                f"cannot read; give the CA certificates as PEM ({TLS_CA_FILE}, or "
                "ssl.truststore.type=PEM)")
        put("ssl.ca.location", location, "ssl.truststore.location")
    elif store_type == "PKCS12":
        put("ssl.keystore.location", location, "ssl.keystore.location")
    elif store_type == "PEM":
        # Kafka's PEM key store file holds the key and the certificate chain.
        put("ssl.certificate.location", location, "ssl.keystore.location")
        put("ssl.key.location", location, "ssl.keystore.location")
    else:
        raise KafkaSettingError(
            f"{where}: ssl.keystore.location is a JKS key store, which librdkafka cannot read; "
            "convert it to PKCS#12 (keytool -importkeystore -deststoretype PKCS12)")


def jaas(mechanism, username, password) -> str:
    module = ("org.apache.kafka.common.security.plain.PlainLoginModule" if mechanism == "PLAIN"
              else "org.apache.kafka.common.security.scram.ScramLoginModule")
    quote = lambda v: v.replace("\\", "\\\\").replace('"', '\\"')  # noqa: E731
    return f'{module} required username="{quote(username)}" password="{quote(password)}";'


_JAAS_OPTION = re.compile(r'\s*([A-Za-z0-9_.-]+)\s*=\s*("(?:[^"\\]|\\.)*"|\'[^\']*\'|[^\s;]+)')


def parse_jaas(text: str, where: str) -> Tuple[str, Dict[str, str]]:
    """A sasl.jaas.config: its login module and options (quotes removed, escapes read)."""
    parts = text.strip().rstrip(";").split(None, 2)
    if len(parts) < 2 or parts[1] not in ("required", "requisite", "sufficient", "optional"):
        raise KafkaSettingError(f"{where}: sasl.jaas.config is not '<LoginModule> required ...;'")
    options: Dict[str, str] = {}
    rest = parts[2] if len(parts) > 2 else ""
    position = 0
    while rest[position:].strip():
        match = _JAAS_OPTION.match(rest, position)
        if match is None:
            raise KafkaSettingError(f"{where}: sasl.jaas.config has an unreadable option")
        value = match.group(2)
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        elif value.startswith("'"):
            value = value[1:-1]
        options[match.group(1)] = value
        position = match.end()
    return parts[0], options


def parse_properties(text: str) -> Dict[str, str]:
    """A Java .properties file (key=value or key: value, # and ! comments, \\ continuations)."""
    result: Dict[str, str] = {}
    logical = ""
    for raw in text.splitlines():
        line = raw.lstrip()
        if not logical and (not line or line[0] in "#!"):
            continue
        if line.endswith("\\") and not line.endswith("\\\\"):
            logical += line[:-1]
            continue
        logical += line
        match = re.match(r"((?:[^=:\s\\]|\\.)+)\s*[=:\s]\s*(.*)$", logical)
        if match:
            result[re.sub(r"\\(.)", r"\1", match.group(1))] = match.group(2)
        elif logical:
            result[logical] = ""
        logical = ""
    return result


def require_together(name, value, other_name, other):
    if value is None:
        raise KafkaSettingError(f"{other_name} is set, so {name} is needed too")
    if other is None:
        raise KafkaSettingError(f"{name} is set, so {other_name} is needed too")


def invalid(name, value, expected) -> KafkaSettingError:
    return KafkaSettingError(f"Invalid value for {name}: '{value}' (expected {expected})")


def exclusive(one, other) -> KafkaSettingError:
    return KafkaSettingError(f"{one} and {other} exclude each other; set one")


def require_readable(variable, file) -> str:
    try:
        with open(file, encoding="iso-8859-1") as f:
            return f.read()
    except OSError as e:
        raise KafkaSettingError(f"{variable}: cannot read {file} ({type(e).__name__})") from None


def require_pem(variable, file, label):
    if f"-----BEGIN {label}-----" not in require_readable(variable, file):
        raise KafkaSettingError(f"{variable}: {file} holds no PEM block -----BEGIN {label}-----")


def require_private_key(file, has_password):
    text = require_readable(TLS_KEY_FILE, file)
    encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----" in text or "Proc-Type: 4,ENCRYPTED" in text
    if not encrypted and not re.search(r"-----BEGIN (RSA |EC )?PRIVATE KEY-----", text):
        raise KafkaSettingError(
            f"{TLS_KEY_FILE}: {file} holds no PEM private key (-----BEGIN PRIVATE KEY----- or "
            "-----BEGIN ENCRYPTED PRIVATE KEY-----)")
    if encrypted and not has_password:
        raise KafkaSettingError(f"{TLS_KEY_FILE}: {file} is encrypted; set {TLS_KEY_PASSWORD}")
    if not encrypted and has_password:
        raise KafkaSettingError(f"{TLS_KEY_PASSWORD} is set but {file} ({TLS_KEY_FILE}) is not encrypted")


# --- The first contact: a refusal by Kafka, explained -------------------------------------------

# librdkafka before 2.6.1 fails every SCRAM login against Kafka 4.0 and later, whatever the
# password (edenhill/kcat#462); Debian 12's librdkafka is 2.0.2.
SCRAM_WITH_KAFKA_4 = 0x020601FF


def explain(code_name: str, message: str, settings: KafkaEnvironment,
            librdkafka_version: int = SCRAM_WITH_KAFKA_4) -> Optional[str]:
    """What a librdkafka error says about the settings, or None when it is not about them (Kafka
    unreachable, say). ``code_name`` is KafkaError.name() (``_AUTHENTICATION``, ``_SSL``, ...);
    ``librdkafka_version`` is confluent_kafka.libversion()[1]."""
    lower = message.lower()
    mechanism = settings.config.get("sasl.mechanism")
    if code_name == "_AUTHENTICATION" or "sasl authentication" in lower:
        if "oauthbearer" in lower and ("token" in lower and "failed to" in lower):
            return ("The SASL login failed before reaching Kafka (check "
                    + (settings.origins_of("sasl.oauthbearer.token.endpoint.url",
                                           "sasl.oauthbearer.client.id") or "the SASL settings")
                    + f"): {message}")
        if "mechanism" in lower and ("not supported" in lower or "unsupported" in lower
                                     or "not enabled" in lower):
            return (f"Kafka does not offer the SASL mechanism {mechanism} "
                    f"({settings.origins_of('sasl.mechanism')}): {message}")
        if "ssl" in lower and "handshake" in lower:
            return tls_refusal(message, settings)
        refused = (f"Kafka refused the SASL credentials ({mechanism}) of "
                   + (settings.origins_of("sasl.username", "sasl.password",
                                          "sasl.oauthbearer.client.id") or "the SASL settings")
                   + f": {message}")
        if mechanism and _SCRAM.fullmatch(mechanism) and librdkafka_version < SCRAM_WITH_KAFKA_4:
            refused += (" (if the password is right: librdkafka before 2.6.1, as this one, fails "
                        "SCRAM logins against Kafka 4.0 and later; use a newer librdkafka, or PLAIN "
                        "over SASL_SSL)")
        return refused
    if code_name == "_SSL" or "ssl handshake failed" in lower:
        return tls_refusal(message, settings)
    return None


def tls_refusal(message: str, settings: KafkaEnvironment) -> str:
    lower = message.lower()
    if "hostname mismatch" in lower or "ip address mismatch" in lower:
        fix = ("the broker's certificate does not name the host connected to (fix the certificate "
               f"or the bootstrap address; {TLS_VERIFY_HOSTNAME}=false turns the check off)")
    elif "certificate verify failed" in lower or "could not be verified" in lower:
        fix = ("the broker's certificate is not trusted by "
               + (settings.origins_of("ssl.ca.location", "ssl.ca.pem")
                  or f"the system's CA certificates (set {TLS_CA_FILE})"))
    elif any(s in lower for s in ("bad certificate", "certificate required", "unknown ca",
                                  "certificate unknown", "alert")):
        fix = ("the broker refused this client's certificate ("
               + (settings.origins_of("ssl.certificate.location", "ssl.key.location",
                                      "ssl.keystore.location")
                  or f"none is set: {TLS_CERT_FILE}, {TLS_KEY_FILE}") + ")")
    else:
        fix = (f"is the listener at the bootstrap address a TLS listener "
               f"({SECURITY_PROTOCOL}={settings.security_protocol})?")
    return f"The TLS handshake with Kafka failed: {fix}. {message}"


def first_refusal(errors, settings: KafkaEnvironment,
                  librdkafka_version: int = SCRAM_WITH_KAFKA_4) -> Optional[str]:
    """The first of ``(code name, message)`` errors that is about the settings, explained."""
    for code_name, message in errors:
        explained = explain(code_name, message, settings, librdkafka_version)
        if explained is not None:
            return explained
    return None
