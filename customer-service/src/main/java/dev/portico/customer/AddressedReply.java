package dev.portico.customer;

import dev.portico.contracts.FunctionResponse;

/** A response event with the reply address (topic and partition) its request named. */
record AddressedReply(String topic, int partition, FunctionResponse response) {}
