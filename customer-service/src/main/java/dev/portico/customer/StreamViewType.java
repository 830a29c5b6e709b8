package dev.portico.customer;

/** Which item images stream records carry, as in DynamoDB Streams. */
public enum StreamViewType {
  KEYS_ONLY,
  NEW_IMAGE,
  OLD_IMAGE,
  NEW_AND_OLD_IMAGES;

  boolean showsNew() {
    return this == NEW_IMAGE || this == NEW_AND_OLD_IMAGES;
  }

  boolean showsOld() {
    return this == OLD_IMAGE || this == NEW_AND_OLD_IMAGES;
  }
}
