package org.entente.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;
import org.entente.stix.StixObject;
import org.entente.stix.StixTimestamp;
import org.entente.stix.marking.Tlp;

/**
 * One object version to add to a collection, with the node-side facts that travel with it.
 *
 * <p>The timestamps the store keys versions by are parsed and formatted here, when the write is
 * made (on the caller's thread, typically one of many request threads), not inside the single
 * writer.
 */
public final class ObjectWrite {
  private final String collectionId;
  private final StixObject object;
  private final String json;
  private final String producerOrg;
  private final String producerUser;
  private final String versionKey;
  private final String version;
  private final String createdKey;
  private final String modifiedKey;
  private final boolean revoked;
  private final Tlp tlp;
  private final String receivedFrom;
  private final boolean producersOnly;

  /**
   * @param json the compact JSON text to store and serve (normally {@code object.toJson()})
   * @param producerOrg name of the organisation on whose behalf it is written
   * @param producerUser name of the user (or peer) that wrote it
   */
  public ObjectWrite(
      String collectionId,
      StixObject object,
      String json,
      String producerOrg,
      String producerUser) {
    this(collectionId, object, json, producerOrg, producerUser, null);
  }

  /**
   * @param tlp the level the object's markings give it (see {@code EffectiveTlp}); null when it
   *     carries none, so that the collection's default level applies
   */
  public ObjectWrite(
      String collectionId,
      StixObject object,
      String json,
      String producerOrg,
      String producerUser,
      Tlp tlp) {
    this.tlp = tlp;
    this.receivedFrom = null;
    this.producersOnly = false;
    this.collectionId = collectionId;
    this.object = Objects.requireNonNull(object, "object");
    this.json = json;
    this.producerOrg = producerOrg;
    this.producerUser = producerUser;
    // As object.created() / modified() / version(), without their per-call parsing.
    Optional<SortKeys.Key> created = timestamp(object, "created");
    Optional<SortKeys.Key> modified = timestamp(object, "modified");
    Optional<SortKeys.Key> declared = modified.or(() -> created);
    this.versionKey = declared.map(SortKeys.Key::sortKey).orElse(null);
    this.version = declared.map(SortKeys.Key::text).orElse(null);
    this.createdKey = created.map(SortKeys.Key::sortKey).orElse(null);
    this.modifiedKey = modified.map(SortKeys.Key::sortKey).orElse(null);
    JsonNode r = object.json().get("revoked");
    this.revoked = r != null && r.asBoolean(false);
  }

  private ObjectWrite(ObjectWrite w, String receivedFrom, boolean producersOnly) {
    this.collectionId = w.collectionId;
    this.object = w.object;
    this.json = w.json;
    this.producerOrg = w.producerOrg;
    this.producerUser = w.producerUser;
    this.versionKey = w.versionKey;
    this.version = w.version;
    this.createdKey = w.createdKey;
    this.modifiedKey = w.modifiedKey;
    this.revoked = w.revoked;
    this.tlp = w.tlp;
    this.receivedFrom = receivedFrom;
    this.producersOnly = producersOnly;
  }

  /**
   * This write as brought in by federation from {@code peer}: the store records the provenance of
   * the version, and with {@code producersOnly} the entry is visible to its producers alone
   * (federated AMBER and AMBER+STRICT: the home organisation, whatever the grants say).
   */
  public ObjectWrite received(String peer, boolean producersOnly) {
    return new ObjectWrite(this, Objects.requireNonNull(peer, "peer"), producersOnly);
  }

  /** The peer this version came from, or null for a local write. */
  public String receivedFrom() {
    return receivedFrom;
  }

  /** Whether the entry is visible to its producers alone. */
  public boolean producersOnly() {
    return producersOnly;
  }

  private static Optional<SortKeys.Key> timestamp(StixObject object, String property) {
    JsonNode v = object.json().get(property);
    return v == null || !v.isTextual() ? Optional.empty() : SortKeys.of(v.asText());
  }

  public static ObjectWrite of(String collectionId, StixObject object, String org, String user) {
    return new ObjectWrite(collectionId, object, object.toJson(), org, user);
  }

  /** An unmarked object takes {@code tlp} null: the collection's default level. */
  public static ObjectWrite of(
      String collectionId, StixObject object, String org, String user, Tlp tlp) {
    return new ObjectWrite(collectionId, object, object.toJson(), org, user, tlp);
  }

  public String collectionId() {
    return collectionId;
  }

  public StixObject object() {
    return object;
  }

  /** The compact JSON text to store and serve. */
  public String json() {
    return json;
  }

  /** The organisation on whose behalf it is written. */
  public String producerOrg() {
    return producerOrg;
  }

  /** The user (or peer) that wrote it. */
  public String producerUser() {
    return producerUser;
  }

  /**
   * The declared version ({@code modified}, else {@code created}) in {@link
   * StixTimestamp#sortKey()} form; null for objects with neither (SCOs), whose version the store
   * assigns.
   */
  public String versionKey() {
    return versionKey;
  }

  /** The declared version as the object writes it; null when {@link #versionKey()} is. */
  public String version() {
    return version;
  }

  /** {@code created} in sort-key form, or null. */
  public String createdKey() {
    return createdKey;
  }

  /** {@code modified} in sort-key form, or null. */
  public String modifiedKey() {
    return modifiedKey;
  }

  /** Whether the object says {@code "revoked": true}. */
  public boolean revoked() {
    return revoked;
  }

  /** The level from the object's own markings, or null (the collection default applies). */
  public Tlp tlp() {
    return tlp;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectWrite w
        && Objects.equals(collectionId, w.collectionId)
        && object.equals(w.object)
        && Objects.equals(json, w.json)
        && Objects.equals(producerOrg, w.producerOrg)
        && Objects.equals(producerUser, w.producerUser)
        && tlp == w.tlp;
  }

  @Override
  public int hashCode() {
    return Objects.hash(collectionId, object, json, producerOrg, producerUser, tlp);
  }

  @Override
  public String toString() {
    return "ObjectWrite[collectionId="
        + collectionId
        + ", id="
        + object.id()
        + ", version="
        + version
        + ", producerOrg="
        + producerOrg
        + ", producerUser="
        + producerUser
        + ", tlp="
        + tlp
        + "]";
  }
}
