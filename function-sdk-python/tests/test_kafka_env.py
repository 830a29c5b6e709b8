import os
import tempfile
import unittest

from portico_function import kafka_env, settings
from portico_function.kafka_env import KafkaSettingError

CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
KEY = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"
ENCRYPTED_KEY = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIE\n-----END ENCRYPTED PRIVATE KEY-----\n"
SCRAM = {
    "PORTICO_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
    "PORTICO_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
    "PORTICO_KAFKA_SASL_USERNAME": "fn",
    "PORTICO_KAFKA_SASL_PASSWORD": "s3cret-pw",
}


class KafkaEnvironmentTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def file(self, name, text):
        path = os.path.join(self.dir.name, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def refused(self, env):
        with self.assertRaises(KafkaSettingError) as raised:
            kafka_env.read(env)
        return str(raised.exception)

    def test_no_variables_give_no_settings(self):
        self.assertEqual({}, kafka_env.read({"PORTICO_KAFKA_BOOTSTRAP": "k:9092"}).config)

    def test_sasl_ssl_with_scram_and_a_ca_file_map_onto_librdkafka(self):
        ca = self.file("ca.pem", CERT)
        read = kafka_env.read({**SCRAM, "PORTICO_KAFKA_TLS_CA_FILE": ca})
        self.assertEqual({
            "security.protocol": "SASL_SSL", "sasl.mechanism": "SCRAM-SHA-512",
            "sasl.username": "fn", "sasl.password": "s3cret-pw", "ssl.ca.location": ca,
        }, read.config)
        self.assertEqual("PORTICO_KAFKA_SASL_USERNAME/PORTICO_KAFKA_SASL_PASSWORD",
                         read.origins["sasl.password"])
        self.assertNotIn("s3cret-pw", repr(read))

    def test_a_password_with_quotes_survives_the_login_module_round_trip(self):
        read = kafka_env.read({**SCRAM, "PORTICO_KAFKA_SECURITY_PROTOCOL": "sasl_plaintext",
                               "PORTICO_KAFKA_SASL_PASSWORD": 'a"b\\c d'})
        self.assertEqual('a"b\\c d', read.config["sasl.password"])
        self.assertEqual("SASL_PLAINTEXT", read.config["security.protocol"])

    def test_oauthbearer_uses_librdkafkas_oidc_client_credentials(self):
        read = kafka_env.read({
            "PORTICO_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "PORTICO_KAFKA_SASL_MECHANISM": "OAUTHBEARER",
            "PORTICO_KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL": "https://idp.example/token",
            "PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_ID": "portico",
            "PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET": "oauth-secret",
            "PORTICO_KAFKA_SASL_OAUTHBEARER_SCOPE": "kafka",
        })
        self.assertEqual({
            "security.protocol": "SASL_SSL", "sasl.mechanism": "OAUTHBEARER",
            "sasl.oauthbearer.method": "oidc",
            "sasl.oauthbearer.token.endpoint.url": "https://idp.example/token",
            "sasl.oauthbearer.client.id": "portico", "sasl.oauthbearer.client.secret": "oauth-secret",
            "sasl.oauthbearer.scope": "kafka",
        }, read.config)
        self.assertNotIn("oauth-secret", repr(read))

    def test_mutual_tls_from_pem_files_or_a_pkcs12_key_store(self):
        ca, cert = self.file("ca.pem", CERT), self.file("me.pem", CERT + CERT)
        key = self.file("me.key", ENCRYPTED_KEY)
        read = kafka_env.read({
            "PORTICO_KAFKA_SECURITY_PROTOCOL": "SSL", "PORTICO_KAFKA_TLS_CA_FILE": ca,
            "PORTICO_KAFKA_TLS_CERT_FILE": cert, "PORTICO_KAFKA_TLS_KEY_FILE": key,
            "PORTICO_KAFKA_TLS_KEY_PASSWORD": "kpw", "PORTICO_KAFKA_TLS_VERIFY_HOSTNAME": "false",
        })
        self.assertEqual({
            "security.protocol": "SSL", "ssl.ca.location": ca, "ssl.certificate.location": cert,
            "ssl.key.location": key, "ssl.key.password": "kpw",
            "ssl.endpoint.identification.algorithm": "none",
        }, read.config)
        store = self.file("me.p12", "binary")
        read = kafka_env.read({
            "PORTICO_KAFKA_SECURITY_PROTOCOL": "SSL", "PORTICO_KAFKA_TLS_KEYSTORE_FILE": store,
            "PORTICO_KAFKA_TLS_KEYSTORE_PASSWORD": "spw",
        })
        self.assertEqual({"security.protocol": "SSL", "ssl.keystore.location": store,
                          "ssl.keystore.password": "spw"}, read.config)

    def test_stores_librdkafka_cannot_read_are_refused_naming_what_to_use(self):
        store = self.file("trust.p12", "binary")
        message = self.refused({"PORTICO_KAFKA_SECURITY_PROTOCOL": "SSL",
                                "PORTICO_KAFKA_TLS_TRUSTSTORE_FILE": store})
        self.assertIn("PORTICO_KAFKA_TLS_TRUSTSTORE_FILE: librdkafka reads no trust store", message)
        self.assertIn("PORTICO_KAFKA_TLS_CA_FILE", message)
        jks = self.file("me.jks", "binary")
        message = self.refused({"PORTICO_KAFKA_SECURITY_PROTOCOL": "SSL",
                                "PORTICO_KAFKA_TLS_KEYSTORE_FILE": jks})
        self.assertIn("PORTICO_KAFKA_TLS_KEYSTORE_FILE: librdkafka cannot read a JKS key store", message)

    def test_combinations_that_cannot_work_are_refused_as_the_java_clients_refuse_them(self):
        ca, key = self.file("ca.pem", CERT), self.file("k.pem", KEY)
        enc = self.file("enc.pem", ENCRYPTED_KEY)
        cases = [
            ({"PORTICO_KAFKA_SECURITY_PROTOCOL": "TLS"},
             "Invalid value for PORTICO_KAFKA_SECURITY_PROTOCOL: 'TLS' (expected PLAINTEXT, SSL,"
             " SASL_PLAINTEXT or SASL_SSL)"),
            ({"PORTICO_KAFKA_SASL_MECHANISM": "PLAIN", "PORTICO_KAFKA_SASL_USERNAME": "u",
              "PORTICO_KAFKA_SASL_PASSWORD": "p"},
             "PORTICO_KAFKA_SASL_MECHANISM needs PORTICO_KAFKA_SECURITY_PROTOCOL=SASL_SSL (or"
             " SASL_PLAINTEXT); the security protocol is PLAINTEXT (the default)"),
            ({**SCRAM, "PORTICO_KAFKA_SASL_USERNAME": ""},
             "PORTICO_KAFKA_SASL_PASSWORD is set, so PORTICO_KAFKA_SASL_USERNAME is needed too"),
            ({"PORTICO_KAFKA_SECURITY_PROTOCOL": "SASL_SSL"},
             "The security protocol SASL_SSL (PORTICO_KAFKA_SECURITY_PROTOCOL) needs"
             " PORTICO_KAFKA_SASL_MECHANISM"),
            ({"PORTICO_KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "PORTICO_KAFKA_SASL_MECHANISM": "PLAIN"},
             "The SASL mechanism PLAIN needs PORTICO_KAFKA_SASL_USERNAME and"
             " PORTICO_KAFKA_SASL_PASSWORD"),
            ({**SCRAM, "PORTICO_KAFKA_SASL_MECHANISM": "OAUTHBEARER"},
             "are for the SASL mechanisms PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512"),
            ({"PORTICO_KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "PORTICO_KAFKA_SASL_MECHANISM": "OAUTHBEARER",
              "PORTICO_KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL": "https://idp/token",
              "PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_ID": "c"},
             "PORTICO_KAFKA_SASL_OAUTHBEARER_CLIENT_SECRET is missing"),
            ({"PORTICO_KAFKA_TLS_CA_FILE": ca},
             "PORTICO_KAFKA_TLS_CA_FILE needs PORTICO_KAFKA_SECURITY_PROTOCOL=SSL or SASL_SSL"),
            ({"PORTICO_KAFKA_SECURITY_PROTOCOL": "SSL", "PORTICO_KAFKA_TLS_KEY_FILE": key},
             "PORTICO_KAFKA_TLS_KEY_FILE is set, so PORTICO_KAFKA_TLS_CERT_FILE is needed too"),
            ({"PORTICO_KAFKA_SECURITY_PROTOCOL": "SSL", "PORTICO_KAFKA_TLS_CERT_FILE": ca,
              "PORTICO_KAFKA_TLS_KEY_FILE": enc}, "is encrypted; set PORTICO_KAFKA_TLS_KEY_PASSWORD"),
            ({"PORTICO_KAFKA_SECURITY_PROTOCOL": "SSL", "PORTICO_KAFKA_TLS_KEY_PASSWORD": "x"},
             "PORTICO_KAFKA_TLS_KEY_PASSWORD needs PORTICO_KAFKA_TLS_KEY_FILE or"
             " PORTICO_KAFKA_TLS_KEYSTORE_FILE"),
            ({"PORTICO_KAFKA_SECURITY_PROTOCOL": "SSL", "PORTICO_KAFKA_TLS_CA_FILE": key},
             "holds no PEM block -----BEGIN CERTIFICATE-----"),
            ({"PORTICO_KAFKA_SECURITY_PROTOCOL": "SSL", "PORTICO_KAFKA_TLS_CA_FILE": "/nowhere/ca.pem"},
             "PORTICO_KAFKA_TLS_CA_FILE: cannot read /nowhere/ca.pem"),
            ({"PORTICO_KAFKA_SECURITY_PROTOCOL": "SSL", "PORTICO_KAFKA_TLS_VERIFY_HOSTNAME": "maybe"},
             "Invalid value for PORTICO_KAFKA_TLS_VERIFY_HOSTNAME: 'maybe' (expected true or false)"),
            ({"PORTICO_KAFKA_GROUP_ID": "g"},
             "PORTICO_KAFKA_GROUP_ID: group.id is chosen by Portico for each client"),
            ({"PORTICO_KAFKA_BOOTSTRAP_SERVERS": "k:1"},
             "PORTICO_KAFKA_BOOTSTRAP_SERVERS: set the bootstrap servers with PORTICO_KAFKA_BOOTSTRAP"),
            ({"PORTICO_KAFKA_SSL_ENABLED_PROTOCOLS": "TLSv1.3"},
             "PORTICO_KAFKA_SSL_ENABLED_PROTOCOLS: ssl.enabled.protocols has no librdkafka equivalent"),
            ({**SCRAM, "PORTICO_KAFKA_SASL_MECHANISM": "PLAIN", "PORTICO_KAFKA_CLIENT_RACK": " "},
             None),  # accepted: an empty variable is unset
            ({**SCRAM, "PORTICO_KAFKA_SASL_JAAS_CONFIG": "x required;"},
             "PORTICO_KAFKA_SASL_JAAS_CONFIG: librdkafka has no equivalent of the login module x"),
        ]
        for env, expected in cases:
            with self.subTest(env=env):
                if expected is None:
                    kafka_env.read(env)
                    continue
                message = self.refused(env)
                self.assertIn(expected, message)
                for secret in ("s3cret-pw", "p"):
                    self.assertNotIn(f"'{secret}'", message)

    def test_pass_through_variables_translate_java_names_into_librdkafkas(self):
        read = kafka_env.read({**SCRAM, "PORTICO_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
                               "PORTICO_KAFKA_SOCKET_CONNECTION_SETUP_TIMEOUT_MS": "15000",
                               "PORTICO_KAFKA_RECEIVE_BUFFER_BYTES": "65536",
                               "PORTICO_KAFKA_CLIENT_RACK": "eu-1a"})
        self.assertEqual("15000", read.config["socket.connection.setup.timeout.ms"])
        self.assertEqual("65536", read.config["socket.receive.buffer.bytes"])
        self.assertEqual("eu-1a", read.config["client.rack"])
        self.assertEqual("PORTICO_KAFKA_CLIENT_RACK", read.origins["client.rack"])

    def test_a_pass_through_and_an_own_variable_may_not_set_the_same_property(self):
        message = self.refused({**SCRAM, "PORTICO_KAFKA_SASL_JAAS_CONFIG":
                                    "org.apache.kafka.common.security.plain.PlainLoginModule required;"})
        self.assertIn("PORTICO_KAFKA_SASL_USERNAME/PORTICO_KAFKA_SASL_PASSWORD and "
                      "PORTICO_KAFKA_SASL_JAAS_CONFIG both set sasl.jaas.config", message)

    def test_a_managed_kafkas_client_properties_file_is_translated(self):
        ca = self.file("ca.pem", CERT)
        props = self.file("client.properties", "\n".join([
            "# from the provider's console",
            "bootstrap.servers=pkc-1.example:9092",
            "security.protocol=SASL_SSL",
            "sasl.mechanism=PLAIN",
            "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\",
            "    username='KEY1' password='SECRET1';",
            "client.dns.lookup=use_all_dns_ips",
            "session.timeout.ms=45000",
            f"ssl.truststore.type=PEM",
            f"ssl.truststore.location={ca}",
        ]))
        read = kafka_env.read({"PORTICO_KAFKA_PROPERTIES_FILE": props})
        self.assertEqual({
            "security.protocol": "SASL_SSL", "sasl.mechanism": "PLAIN", "sasl.username": "KEY1",
            "sasl.password": "SECRET1", "session.timeout.ms": "45000", "ssl.ca.location": ca,
        }, read.config)
        self.assertEqual("pkc-1.example:9092", read.file_bootstrap)
        self.assertEqual("pkc-1.example:9092",
                         settings.read({"topic": "t"}, {"PORTICO_KAFKA_PROPERTIES_FILE": props}).bootstrap_servers)
        # A variable wins over the file.
        read = kafka_env.read({"PORTICO_KAFKA_PROPERTIES_FILE": props,
                               "PORTICO_KAFKA_SESSION_TIMEOUT_MS": "30000"})
        self.assertEqual("30000", read.config["session.timeout.ms"])

    def test_a_file_property_without_a_librdkafka_equivalent_is_refused_naming_it(self):
        store = self.file("client.truststore.jks", "binary")
        props = self.file("client.properties", f"security.protocol=SSL\nssl.truststore.location={store}\n"
                                               "ssl.truststore.password=changeit\n")
        message = self.refused({"PORTICO_KAFKA_PROPERTIES_FILE": props})
        self.assertIn(f"PORTICO_KAFKA_PROPERTIES_FILE ({props}): ssl.truststore.location is a JKS "
                      "trust store, which librdkafka cannot read", message)
        self.assertNotIn("changeit", message)
        props = self.file("other.properties", "sasl.login.class=com.example.Login\n")
        self.assertIn(f"PORTICO_KAFKA_PROPERTIES_FILE ({props}): sasl.login.class: sasl.login.class "
                      "has no librdkafka equivalent",
                      self.refused({"PORTICO_KAFKA_PROPERTIES_FILE": props}))
        self.assertIn("Cannot read PORTICO_KAFKA_PROPERTIES_FILE (/nowhere.properties)",
                      self.refused({"PORTICO_KAFKA_PROPERTIES_FILE": "/nowhere.properties"}))

    def test_settings_merge_the_environment_under_the_kafka_option_and_never_print_secrets(self):
        s = settings.read({"topic": "t", "kafka": {"linger.ms": 5}}, SCRAM)
        self.assertEqual("fn", s.kafka["sasl.username"])
        self.assertEqual(5, s.kafka["linger.ms"])
        self.assertNotIn("s3cret-pw", repr(s))

    def test_refusals_by_kafka_are_explained_naming_the_variables(self):
        read = kafka_env.read({**SCRAM, "PORTICO_KAFKA_TLS_CA_FILE": self.file("ca.pem", CERT)})
        sasl = kafka_env.explain(
            "_AUTHENTICATION", "SASL authentication error: Authentication failed during "
            "authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512", read)
        self.assertTrue(sasl.startswith("Kafka refused the SASL credentials (SCRAM-SHA-512) of "
                                        "PORTICO_KAFKA_SASL_USERNAME/PORTICO_KAFKA_SASL_PASSWORD: "), sasl)
        self.assertNotIn("2.6.1", sasl)
        old = kafka_env.explain("_AUTHENTICATION", "SASL authentication error", read, 0x020002FF)
        self.assertIn("librdkafka before 2.6.1, as this one, fails SCRAM logins against Kafka 4.0", old)
        tls = kafka_env.explain(
            "_SSL", "ssl://127.0.0.1:9/bootstrap: SSL handshake failed: error:0A000086:SSL "
            "routines::certificate verify failed: broker certificate could not be verified", read)
        self.assertIn("the broker's certificate is not trusted by PORTICO_KAFKA_TLS_CA_FILE", tls)
        self.assertIsNone(kafka_env.explain("_TRANSPORT", "Connection refused", read))
        self.assertIsNone(kafka_env.explain("_ALL_BROKERS_DOWN", "1/1 brokers are down", read))


if __name__ == "__main__":
    unittest.main()
