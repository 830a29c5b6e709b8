package dev.portico.edge.api;

import java.util.List;

/**
 * Who may subscribe to channels matching {@code pattern}: an exact name, or a prefix ending in
 * {@code *} ({@code customers/*} matches {@code customers/1230AWS}). A connection may subscribe
 * when its {@code $connect} token carried every scope listed (none listed: every connection may).
 */
public record ChannelRule(String pattern, List<String> scopes) {
  public ChannelRule {
    scopes = List.copyOf(scopes);
  }

  public boolean matches(String channel) {
    return pattern.endsWith("*")
        ? channel.startsWith(pattern.substring(0, pattern.length() - 1))
        : pattern.equals(channel);
  }
}
