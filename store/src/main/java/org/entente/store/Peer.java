package org.entente.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.entente.stix.marking.Tlp;

/**
 * A remote TAXII 2.1 server this node federates with, standing for one organisation.
 *
 * @param discoveryUrl the server's discovery URL ({@code https://host/taxii2/})
 * @param apiRoot the API root URL to use; null to take the discovery's default
 * @param remoteCollection the remote collection's id
 * @param intervalSeconds how often {@code serve} syncs it
 * @param localCollection the collection pulled objects go to (pull, both)
 * @param publishCollections the local collections whose objects are pushed (push, both)
 * @param tlpCeiling the most restrictive level ever sent to it (never above AMBER+STRICT)
 * @param credentials how to authenticate; its secrets are sealed by the node, never plain
 * @param clientCertificate a PKCS#12 file with a client certificate, or null
 * @param trustedCertificates a PEM file of the certificates that vouch for the peer's server, or
 *     null for the JDK's default trust
 */
public record Peer(
    String name,
    String organisation,
    String discoveryUrl,
    String apiRoot,
    String remoteCollection,
    Direction direction,
    int intervalSeconds,
    String localCollection,
    List<String> publishCollections,
    Tlp tlpCeiling,
    PeerCredentials credentials,
    String clientCertificate,
    Instant created,
    String trustedCertificates) {

  /** Which way objects flow. */
  public enum Direction {
    PULL,
    PUSH,
    BOTH;

    public boolean pulls() {
      return this != PUSH;
    }

    public boolean pushes() {
      return this != PULL;
    }
  }

  /** A peer trusted through the JDK's default certificates. */
  public Peer(
      String name,
      String organisation,
      String discoveryUrl,
      String apiRoot,
      String remoteCollection,
      Direction direction,
      int intervalSeconds,
      String localCollection,
      List<String> publishCollections,
      Tlp tlpCeiling,
      PeerCredentials credentials,
      String clientCertificate,
      Instant created) {
    this(
        name,
        organisation,
        discoveryUrl,
        apiRoot,
        remoteCollection,
        direction,
        intervalSeconds,
        localCollection,
        publishCollections,
        tlpCeiling,
        credentials,
        clientCertificate,
        created,
        null);
  }

  public Peer {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(organisation, "organisation");
    Objects.requireNonNull(discoveryUrl, "discoveryUrl");
    Objects.requireNonNull(remoteCollection, "remoteCollection");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(tlpCeiling, "tlpCeiling");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(created, "created");
    publishCollections = List.copyOf(publishCollections);
    if (intervalSeconds < 1) {
      throw new IllegalArgumentException("interval must be at least one second");
    }
    if (direction.pulls() && localCollection == null) {
      throw new IllegalArgumentException("a pulling peer needs a local collection");
    }
    if (direction.pushes() && publishCollections.isEmpty()) {
      throw new IllegalArgumentException("a pushing peer needs at least one collection to publish");
    }
  }

  /**
   * Stored credentials: {@code kind} none, basic or bearer; {@code sealedSecret} the password or
   * token sealed with the node's key (see the node), {@code sealedCertificatePassword} likewise.
   */
  public record PeerCredentials(
      String kind, String user, String sealedSecret, String sealedCertificatePassword) {
    public PeerCredentials {
      if (!List.of("none", "basic", "bearer").contains(kind)) {
        throw new IllegalArgumentException("credentials kind must be none, basic or bearer");
      }
    }

    public static final PeerCredentials NONE = new PeerCredentials("none", null, null, null);

    @Override
    public String toString() {
      return "PeerCredentials[" + kind + (user == null ? "" : " " + user) + " ***]";
    }
  }

  /** The lease on syncing the peer {@code name}: one process of the node syncs it at a time. */
  public static String leaseName(String name) {
    return "peer:" + name;
  }
}
