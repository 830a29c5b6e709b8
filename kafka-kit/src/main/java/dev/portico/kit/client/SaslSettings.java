package dev.portico.kit.client;

import static dev.portico.kit.client.KafkaClientEnvironment.OAUTH_CLIENT_ID;
import static dev.portico.kit.client.KafkaClientEnvironment.OAUTH_CLIENT_SECRET;
import static dev.portico.kit.client.KafkaClientEnvironment.OAUTH_SCOPE;
import static dev.portico.kit.client.KafkaClientEnvironment.OAUTH_TOKEN_ENDPOINT_URL;
import static dev.portico.kit.client.KafkaClientEnvironment.PREFIX;
import static dev.portico.kit.client.KafkaClientEnvironment.SASL_MECHANISM;
import static dev.portico.kit.client.KafkaClientEnvironment.SASL_PASSWORD;
import static dev.portico.kit.client.KafkaClientEnvironment.SASL_USERNAME;
import static dev.portico.kit.client.KafkaClientEnvironment.invalid;
import static dev.portico.kit.client.KafkaClientEnvironment.requireTogether;

import dev.portico.kit.client.TlsSettings.Setter;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The SASL login of a deployment from Portico's own variables: a username and password for PLAIN
 * and SCRAM, or OAuth client credentials for OAUTHBEARER, turned into the {@code sasl.jaas.config}
 * (and token endpoint settings) Kafka's clients read. A credential that does not fit the mechanism
 * is refused with the variables named.
 */
final class SaslSettings {
  static final Pattern SCRAM = Pattern.compile("SCRAM-SHA-(256|512)");

  private SaslSettings() {}

  /**
   * @param mechanism the {@code sasl.mechanism} already read (upper case), or {@code null}
   */
  static void read(UnaryOperator<String> get, Setter own, String mechanism) {
    readCredentials(get, own, mechanism);
    readOAuth(get, own, mechanism);
  }

  /**
   * A SASL protocol needs a mechanism, and the mechanism a login: a username and password, OAuth
   * client credentials, or a {@code sasl.jaas.config} of one's own.
   */
  static void checkLogin(
      String protocol, String protocolOrigin, String mechanism, boolean hasLogin) {
    if (mechanism == null) {
      throw new KafkaSettingException(
          "The security protocol "
              + protocol
              + " ("
              + protocolOrigin
              + ") needs "
              + SASL_MECHANISM
              + ": PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER");
    }
    if ((mechanism.equals("PLAIN") || SCRAM.matcher(mechanism).matches()) && !hasLogin) {
      throw new KafkaSettingException(
          "The SASL mechanism "
              + mechanism
              + " needs "
              + SASL_USERNAME
              + " and "
              + SASL_PASSWORD
              + " (or a sasl.jaas.config)");
    }
    if (mechanism.equals("OAUTHBEARER") && !hasLogin) {
      throw new KafkaSettingException(
          "The SASL mechanism OAUTHBEARER needs "
              + OAUTH_TOKEN_ENDPOINT_URL
              + ", "
              + OAUTH_CLIENT_ID
              + " and "
              + OAUTH_CLIENT_SECRET
              + " (or a sasl.jaas.config)");
    }
  }

  private static void readCredentials(UnaryOperator<String> get, Setter own, String mechanism) {
    String username = get.apply(SASL_USERNAME);
    String password = get.apply(SASL_PASSWORD);
    if (username == null && password == null) {
      return;
    }
    requireTogether(SASL_USERNAME, username, SASL_PASSWORD, password);
    String module;
    if ("PLAIN".equals(mechanism)) {
      module = "org.apache.kafka.common.security.plain.PlainLoginModule";
    } else if (mechanism != null && SCRAM.matcher(mechanism).matches()) {
      module = "org.apache.kafka.common.security.scram.ScramLoginModule";
    } else {
      throw new KafkaSettingException(
          SASL_USERNAME
              + " and "
              + SASL_PASSWORD
              + " are for the SASL mechanisms PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512; set "
              + SASL_MECHANISM
              + " to one of them (it is "
              + (mechanism == null ? "unset" : mechanism)
              + ")");
    }
    own.set(
        "sasl.jaas.config",
        module
            + " required username=\""
            + jaasQuoted(username)
            + "\" password=\""
            + jaasQuoted(password)
            + "\";",
        SASL_USERNAME + "/" + SASL_PASSWORD);
  }

  private static void readOAuth(UnaryOperator<String> get, Setter own, String mechanism) {
    String url = get.apply(OAUTH_TOKEN_ENDPOINT_URL);
    String id = get.apply(OAUTH_CLIENT_ID);
    String secret = get.apply(OAUTH_CLIENT_SECRET);
    String scope = get.apply(OAUTH_SCOPE);
    if (url == null && id == null && secret == null && scope == null) {
      return;
    }
    for (String[] needed :
        List.of(
            new String[] {OAUTH_TOKEN_ENDPOINT_URL, url},
            new String[] {OAUTH_CLIENT_ID, id},
            new String[] {OAUTH_CLIENT_SECRET, secret})) {
      if (needed[1] == null) {
        throw new KafkaSettingException(
            "OAUTHBEARER client credentials need "
                + OAUTH_TOKEN_ENDPOINT_URL
                + ", "
                + OAUTH_CLIENT_ID
                + " and "
                + OAUTH_CLIENT_SECRET
                + "; "
                + needed[0]
                + " is missing");
      }
    }
    if (!"OAUTHBEARER".equals(mechanism)) {
      throw new KafkaSettingException(
          "The " + PREFIX + "SASL_OAUTHBEARER_* variables need " + SASL_MECHANISM + "=OAUTHBEARER");
    }
    if (!url.startsWith("https://") && !url.startsWith("http://")) {
      throw invalid(OAUTH_TOKEN_ENDPOINT_URL, url, "an http:// or https:// URL");
    }
    String origin = OAUTH_CLIENT_ID + "/" + OAUTH_CLIENT_SECRET;
    own.set(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required ;",
        origin);
    own.set(
        "sasl.login.callback.handler.class",
        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler",
        OAUTH_TOKEN_ENDPOINT_URL);
    own.set("sasl.oauthbearer.token.endpoint.url", url, OAUTH_TOKEN_ENDPOINT_URL);
    own.set("sasl.oauthbearer.client.credentials.client.id", id, origin);
    own.set("sasl.oauthbearer.client.credentials.client.secret", secret, origin);
    if (scope != null) {
      own.set("sasl.oauthbearer.scope", scope, OAUTH_SCOPE);
    }
    OAuthUrls.allow(url);
  }

  /** A value inside a JAAS option's double quotes: the parser reads backslash escapes. */
  static String jaasQuoted(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
