package org.entente.taxii.server;

/** Turns the credentials of a request into a {@link Requester}; implemented by the node. */
public interface Authenticator {

  /**
   * Authenticates one request.
   *
   * @param authorizationHeader the raw {@code Authorization} header ({@code Basic ...} or {@code
   *     Bearer ...}), or null when the request has none
   * @param remoteAddress the peer's IP address, for throttling
   * @return the requester; never null
   * @throws AuthenticationFailedException when the credentials are missing or not acceptable
   * @throws TooManyAttemptsException when this client must wait before trying again
   */
  Requester authenticate(String authorizationHeader, String remoteAddress);
}
