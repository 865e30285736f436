package org.entente.store;

/**
 * Which object version a collection entry holds or held, by the entry's seq: how the audit log's
 * record of a read (seqs) is turned back into object ids and versions.
 *
 * @param removed whether a DELETE has since removed the entry
 */
public record EntryRef(long seq, String id, String version, boolean removed) {

  /** {@code id@version}, as audit records name object versions. */
  public String name() {
    return id + "@" + version;
  }
}
