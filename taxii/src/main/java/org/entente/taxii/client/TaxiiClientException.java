package org.entente.taxii.client;

import com.fasterxml.jackson.databind.JsonNode;

/** A TAXII server answered with an error status; carries the status and its error resource. */
public class TaxiiClientException extends RuntimeException {
  private final int httpStatus;
  private final transient JsonNode error;

  public TaxiiClientException(int httpStatus, JsonNode error, String message) {
    super(message);
    this.httpStatus = httpStatus;
    this.error = error;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The TAXII error resource, or null when the body was not one. */
  public JsonNode error() {
    return error;
  }
}
