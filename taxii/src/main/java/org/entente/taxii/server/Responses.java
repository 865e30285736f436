package org.entente.taxii.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import org.entente.stix.StixJson;
import org.entente.stix.StixTimestamp;
import org.entente.taxii.Taxii;

/** Writing TAXII resources: every response body is TAXII JSON with the TAXII media type. */
final class Responses {
  /** For streamed bodies; the servlet stream is closed by the container, not by us. */
  static final JsonFactory STREAMING =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  private Responses() {}

  static ObjectNode object() {
    return StixJson.mapper().createObjectNode();
  }

  static void send(Context ctx, int status, ObjectNode body) {
    ctx.status(status);
    ctx.contentType(Taxii.MEDIA_TYPE);
    ctx.result(StixJson.writeBytes(body));
  }

  /** A string as a JSON string literal, quotes included. */
  static String jsonString(String s) {
    if (s == null) {
      return "null";
    }
    if (!plain(s)) {
      return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
    return "\"" + s + "\""; // STIX ids and timestamps: nothing to escape
  }

  private static boolean plain(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /** TAXII timestamps are written with microsecond precision. */
  static String timestamp(Instant instant) {
    return StixTimestamp.taxii(instant);
  }
}
