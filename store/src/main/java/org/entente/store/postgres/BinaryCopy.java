package org.entente.store.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import org.entente.store.StoreException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows for one table, buffered, then appended with one {@code COPY ... FROM STDIN (FORMAT binary)}:
 * one round trip for any number of rows, and the server inserts them in bulk (several heap tuples
 * per WAL record, no per-row statement, expression or parameter handling).
 *
 * <p>Values are sent in PostgreSQL's binary form, chosen by their Java type, which must match the
 * column's: {@link String} for text, {@link Long} for bigint, {@link Integer} for integer, {@link
 * Boolean} for boolean, null for NULL. The server checks each value's length, so a mismatch fails
 * the COPY. Like a plain INSERT, the COPY fails as a whole if any row breaks a constraint, and
 * {@link #copy} checks that every row went in.
 */
final class BinaryCopy {
  private static final byte[] HEADER = {
    'P',
    'G',
    'C',
    'O',
    'P',
    'Y',
    '\n',
    (byte) 0xff,
    '\r',
    '\n',
    0, // signature
    0,
    0,
    0,
    0, // flags: no OIDs
    0,
    0,
    0,
    0 // no header extension
  };

  /** Buffers larger than this are not kept for the next rows. */
  private static final int KEEP = 1 << 22;

  private final String sql;
  private final int width;
  private byte[] buf = new byte[1 << 16];
  private int len;
  private int rows;

  /** COPY into {@code table}'s {@code columns}, which the rows give in this order. */
  BinaryCopy(String table, String... columns) {
    this.sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN (FORMAT binary)";
    this.width = columns.length;
    clear();
  }

  /** Appends a row; nothing is sent before {@link #copy}. */
  void add(Object... row) {
    if (row.length != width) {
      throw new IllegalArgumentException("a row of " + row.length + " values for " + sql);
    }
    ensure(2);
    putShort(width);
    for (Object v : row) {
      if (v == null) {
        ensure(4);
        putInt(-1);
      } else if (v instanceof String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ensure(4 + b.length);
        putInt(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
      } else if (v instanceof Long l) {
        ensure(12);
        putInt(8);
        putInt((int) (l >>> 32));
        putInt((int) (long) l);
      } else if (v instanceof Integer i) {
        ensure(8);
        putInt(4);
        putInt(i);
      } else if (v instanceof Boolean b) {
        ensure(5);
        putInt(1);
        buf[len++] = (byte) (b ? 1 : 0);
      } else {
        throw new IllegalArgumentException("no binary COPY form for " + v.getClass());
      }
    }
    rows++;
  }

  /**
   * Sends the rows added since the last copy in one COPY, and checks that all of them went in. Does
   * nothing without rows. The rows are dropped either way.
   */
  void copy(Connection db) throws SQLException {
    if (rows == 0) {
      return;
    }
    int expected = rows;
    ensure(2);
    putShort(-1); // trailer
    byte[] data = buf;
    int n = len;
    clear();
    CopyIn in = db.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
    long copied;
    try {
      in.writeToCopy(data, 0, n);
      copied = in.endCopy();
    } catch (SQLException | RuntimeException e) {
      // The connection must leave COPY mode, or the rollback would wait for it forever.
      if (in.isActive()) {
        try {
          in.cancelCopy();
        } catch (SQLException | RuntimeException c) {
          e.addSuppressed(c);
        }
      }
      throw e;
    }
    if (copied != expected) {
      throw new StoreException(
          "copied " + copied + " of " + expected + " rows: the store's tables disagree");
    }
  }

  private void clear() {
    if (buf.length > KEEP) {
      buf = new byte[1 << 16];
    }
    System.arraycopy(HEADER, 0, buf, 0, HEADER.length);
    len = HEADER.length;
    rows = 0;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }

  private void putShort(int v) {
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
  }

  private void putInt(int v) {
    buf[len++] = (byte) (v >>> 24);
    buf[len++] = (byte) (v >>> 16);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
  }
}
