package org.entente.taxii.server;

import java.util.Objects;
import org.entente.store.Visibility;

/**
 * What one requester may do with one collection (the TAXII can_read / can_write), and which of its
 * entries the requester may see when reading.
 */
public record CollectionRights(boolean canRead, boolean canWrite, Visibility visibility) {
  /** Neither right, nothing visible. */
  public static final CollectionRights NONE =
      new CollectionRights(false, false, new Visibility(null, null, false));

  public CollectionRights {
    Objects.requireNonNull(visibility, "visibility");
  }

  /** Neither right: the collection is hidden and answers exactly like a missing one. */
  public boolean hidden() {
    return !canRead && !canWrite;
  }
}
