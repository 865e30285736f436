package org.entente.store;

import org.entente.stix.StixObject;

/**
 * One object version to add to a collection, with the node-side facts that travel with it.
 *
 * @param json the compact JSON text to store and serve (normally {@code object.toJson()})
 * @param producerOrg name of the organisation on whose behalf it is written
 * @param producerUser name of the user (or peer) that wrote it
 */
public record ObjectWrite(
    String collectionId, StixObject object, String json, String producerOrg, String producerUser) {

  public static ObjectWrite of(String collectionId, StixObject object, String org, String user) {
    return new ObjectWrite(collectionId, object, object.toJson(), org, user);
  }
}
