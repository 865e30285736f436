package org.entente.store;

/** Read and/or write rights on a collection for an organisation, a community or one user. */
public record CollectionGrant(
    String collectionId, GranteeKind kind, String grantee, boolean canRead, boolean canWrite) {

  public enum GranteeKind {
    ORG,
    COMMUNITY,
    USER
  }
}
