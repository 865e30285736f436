package org.entente.taxii.server;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reading a POST body within the API root's max_content_length. */
final class RequestBodies {
  /** The largest array Java can hold, whatever an API root allows. */
  private static final long ARRAY_LIMIT = Integer.MAX_VALUE - 16;

  private RequestBodies() {}

  /**
   * The body, refused with 413 as soon as it is known to be too large: from Content-Length before
   * reading anything, or while reading a body of unknown length (chunked). A body at or below the
   * limit is never refused (§5.5).
   */
  static byte[] read(HttpServletRequest req, long maxContentLength) throws IOException {
    long max = Math.min(maxContentLength, ARRAY_LIMIT);
    long declared = req.getContentLengthLong();
    if (declared > maxContentLength) {
      throw TaxiiError.tooLarge(maxContentLength);
    }
    int initial = declared > 0 ? (int) Math.min(declared, max) : 16 * 1024;
    ByteArrayOutputStream out = new ByteArrayOutputStream(initial);
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    // Not closed here: the container owns the request stream.
    InputStream in = req.getInputStream();
    int n;
    while ((n = in.read(buf)) != -1) {
      total += n;
      if (total > max) {
        throw TaxiiError.tooLarge(maxContentLength);
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }
}
