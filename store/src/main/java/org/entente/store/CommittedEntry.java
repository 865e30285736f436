package org.entente.store;

/**
 * An entry as the store-wide change feed reports it: where it was added and by which user, so that
 * work done once per node (matching observations) can follow every process's commits.
 */
public record CommittedEntry(String collectionId, String producerUser, Entry entry) {}
