package org.entente.taxii.client;

import java.io.IOException;

/**
 * No TAXII answer arrived: the connection was refused or broke, the TLS handshake failed, or the
 * exchange timed out. {@link #httpStatus()} is 0, {@link #retryable()} is true, and the cause is
 * the {@link IOException} that ended the exchange.
 */
public class TaxiiTransportException extends TaxiiClientException {
  public TaxiiTransportException(String message, IOException cause) {
    super(0, null, message, null, cause);
  }

  @Override
  public synchronized IOException getCause() {
    return (IOException) super.getCause();
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
