package dev.portico.customer.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How the table service lays its state out in one key space per partition (and in its changelog): a
 * one-letter kind, then for per-table kinds the table name and a NUL, then the key. Table names
 * never contain NUL, so any key (even one with NULs) stays unambiguous, and every table's items sit
 * together in key order.
 *
 * <pre>
 *   I customers \0 1230AWS                    an item
 *   T customers \0 0000000001763750000/1230AWS  the TTL index: expiry, then key
 *   R customers \0 1230AWS/PUT/key-1          a receipt of an idempotent write
 *   I Orders \0 0141... (KeyEncoding, in hex)  an item of a team's table (typed values)
 *   X Orders \0 byStatus \0 01...               an entry of a global secondary index
 *   T Orders \0 0000000001763750000/0141...    a team table's TTL index: expiry, then key (hex)
 *   D Orders                                  a table's definition, in the partition its name
 *                                             hashes to (the catalog topic broadcasts it)
 *   M seq                                     the partition's last sequence number
 * </pre>
 */
public final class StateKeys {
  static final char ITEM = 'I';
  static final char TTL = 'T';
  static final char RECEIPT = 'R';
  static final char META = 'M';
  static final char DEFINITION = 'D';
  static final char INDEX = 'X';

  /** The partition's last change-record sequence number. */
  public static final String SEQUENCE = META + "seq";

  private StateKeys() {}

  public static String item(String table, String key) {
    return ITEM + table + '\0' + key;
  }

  public static String ttl(String table, String entry) {
    return TTL + table + '\0' + entry;
  }

  public static String receipt(String table, String receiptKey) {
    return RECEIPT + table + '\0' + receiptKey;
  }

  /** The prefix every key of {@code kind} in {@code table} starts with. */
  static String prefix(char kind, String table) {
    return kind + table + '\0';
  }

  /** What follows {@code prefix} in {@code key}. */
  static String suffix(String prefix, byte[] key) {
    byte[] p = bytes(prefix);
    return new String(key, p.length, key.length - p.length, StandardCharsets.UTF_8);
  }

  public static byte[] bytes(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  /** The smallest key above every key starting with {@code prefix}. */
  static byte[] end(String prefix) {
    return end(bytes(prefix));
  }

  /** The smallest key above every key starting with {@code p}. */
  static byte[] end(byte[] p) {
    byte[] end = Arrays.copyOf(p, p.length);
    end[end.length - 1]++; // the prefix ends with NUL or a kind letter: never 0xFF
    return end;
  }
}
