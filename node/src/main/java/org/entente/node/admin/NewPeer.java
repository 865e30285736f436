package org.entente.node.admin;

import java.util.List;

/**
 * A peer as an operator describes it (CLI options, admin API body), before {@link Administration}
 * checks it and seals its secrets. Secrets arrive here in plain text and never leave this record
 * unsealed; {@link #toString()} does not show them.
 *
 * @param direction pull, push or both (any case)
 * @param apiRoot the remote API root URL, or null to use the discovery's default
 * @param remoteCollection the remote collection's id
 * @param localCollection id or alias of the collection pulled objects go to (pull, both)
 * @param publishCollections ids or aliases of the local collections pushed to the peer (push, both)
 * @param intervalSeconds null for the default, 300
 * @param tlpCeiling null for the default, amber+strict; never red
 * @param user with {@code password}: HTTP Basic
 * @param token alone: HTTP Bearer
 * @param clientCertificate a PKCS#12 file on this machine, or null
 * @param clientCertificatePassword the file's password, or null
 * @param trustedCertificates a PEM file on this machine of the certificates that vouch for the
 *     peer's server (a private CA), or null for the JDK's default trust
 */
public record NewPeer(
    String name,
    String organisation,
    String discoveryUrl,
    String apiRoot,
    String remoteCollection,
    String direction,
    String localCollection,
    List<String> publishCollections,
    Integer intervalSeconds,
    String tlpCeiling,
    String user,
    String password,
    String token,
    String clientCertificate,
    String clientCertificatePassword,
    String trustedCertificates) {

  public NewPeer {
    publishCollections = publishCollections == null ? List.of() : List.copyOf(publishCollections);
  }

  @Override
  public String toString() {
    return "NewPeer["
        + name
        + " org "
        + organisation
        + " "
        + direction
        + " "
        + discoveryUrl
        + (user == null ? "" : " user " + user)
        + (password == null && token == null && clientCertificatePassword == null ? "" : " ***")
        + "]";
  }
}
