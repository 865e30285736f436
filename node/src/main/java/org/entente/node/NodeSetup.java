package org.entente.node;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.entente.node.admin.OrganisationIdentity;
import org.entente.node.auth.PasswordHasher;
import org.entente.node.auth.Secrets;
import org.entente.stix.StixObject;
import org.entente.store.AlreadyExistsException;
import org.entente.store.ApiRoot;
import org.entente.store.Collection;
import org.entente.store.CollectionGrant;
import org.entente.store.ObjectWrite;
import org.entente.store.Organisation;
import org.entente.store.Store;
import org.entente.store.User;

/**
 * First start of a node on an empty data directory: the default API root and collection, the home
 * organisation with its STIX identity, and the {@code admin} user.
 */
public final class NodeSetup {
  public static final String API_ROOT = "api";
  static final String ADMIN = "admin";
  static final String ADMIN_PASSWORD_ENV = "ENTENTE_ADMIN_PASSWORD";

  /**
   * @param generatedAdminPassword the admin password when it was generated now (to print once),
   *     else null
   */
  record Outcome(boolean firstStart, String generatedAdminPassword) {}

  private final Store store;
  private final PasswordHasher hasher;
  private final Secrets secrets;
  private final Clock clock;

  NodeSetup(Store store, PasswordHasher hasher, Secrets secrets, Clock clock) {
    this.store = store;
    this.hasher = hasher;
    this.secrets = secrets;
    this.clock = clock;
  }

  Outcome ensure(NodeConfig config, Map<String, String> env) {
    if (!store.apiRoots().isEmpty()) {
      return new Outcome(false, null);
    }
    String envPassword = env.get(ADMIN_PASSWORD_ENV);
    boolean generate = envPassword == null || envPassword.isEmpty();
    String password = generate ? secrets.randomToken(18) : envPassword;
    String passwordHash = hasher.hash(password); // slow by design: outside the transaction
    Instant now = clock.instant();
    StixObject identity = identity(config.homeOrg(), now);
    try {
      store.write(
          tx -> {
            tx.createApiRoot(
                new ApiRoot(
                    API_ROOT,
                    config.title(),
                    "Threat intelligence shared by " + config.homeOrg(),
                    config.maxContentLength()));
            tx.createOrganisation(new Organisation(config.homeOrg(), identity.id(), null, true));
            Collection defaults =
                tx.createCollection(
                    new Collection(
                        UUID.randomUUID().toString(),
                        API_ROOT,
                        "Default",
                        "Default read-write collection of " + config.homeOrg(),
                        "default",
                        "amber",
                        now));
            tx.grant(
                new CollectionGrant(
                    defaults.id(), CollectionGrant.GranteeKind.ORG, config.homeOrg(), true, true));
            tx.createUser(
                new User(ADMIN, config.homeOrg(), User.Role.NODE_ADMIN, passwordHash, false, now));
            tx.put(ObjectWrite.of(defaults.id(), identity, config.homeOrg(), ADMIN));
            return null;
          });
    } catch (AlreadyExistsException e) {
      // Another process of the node, started at the same moment on the same database, did it.
      return new Outcome(false, null);
    }
    return new Outcome(true, generate ? password : null);
  }

  /** The STIX identity object that stands for an organisation in {@code created_by_ref}. */
  static StixObject identity(String orgName, Instant now) {
    return StixObject.of(
        OrganisationIdentity.of(OrganisationIdentity.newId(), orgName, null, List.of(), null, now));
  }
}
