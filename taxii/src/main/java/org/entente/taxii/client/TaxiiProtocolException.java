package org.entente.taxii.client;

/**
 * The server answered, but not as TAXII 2.1 requires: a successful answer whose {@code
 * Content-Type} is not {@code application/taxii+json;version=2.1}, whose body is not a JSON object,
 * or whose body is larger than the client accepts. {@link #httpStatus()} is the answer's status.
 */
public class TaxiiProtocolException extends TaxiiClientException {
  public TaxiiProtocolException(int httpStatus, String message) {
    super(httpStatus, null, message, null, null);
  }
}
