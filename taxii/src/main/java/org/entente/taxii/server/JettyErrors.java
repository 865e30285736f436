package org.entente.taxii.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.entente.stix.StixJson;
import org.entente.taxii.Taxii;

/**
 * Errors Jetty answers itself, before a request reaches the routes (an unparseable request line, an
 * ambiguous URI, headers too large): still TAXII error resources, still no server details.
 */
final class JettyErrors extends ErrorHandler {

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback)
      throws IOException {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Taxii.MEDIA_TYPE);
    response.write(true, ByteBuffer.wrap(body(code)), callback);
  }

  private static byte[] body(int code) {
    String title = HttpStatus.getMessage(code);
    return StixJson.writeBytes(
        ErrorResponses.errorBody(
            code, title == null ? "Error" : title, "error", "the request could not be processed"));
  }
}
