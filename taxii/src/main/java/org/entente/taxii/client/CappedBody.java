package org.entente.taxii.client;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body of at most {@code max} bytes, never holding more than that (plus the
 * chunk that crosses the cap): past the cap it cancels the download. A body the client must read
 * then fails with {@link TooLarge}; any other body (an error answer's, say) just becomes null, so
 * that the answer's status still counts.
 */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
  private final int status;
  private final long max;
  private final long declared;
  private final boolean required;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final List<ByteBuffer> buffers = new ArrayList<>();
  private Flow.Subscription subscription;
  private long size;

  private CappedBody(int status, long max, long declared, boolean required) {
    this.status = status;
    this.max = max;
    this.declared = declared;
    this.required = required;
  }

  /**
   * @param requiredWhenOk whether a 2xx body is a resource the client must read whole (else it is
   *     dropped when too large, as error bodies always are)
   */
  static HttpResponse.BodyHandler<byte[]> handler(long max, boolean requiredWhenOk) {
    return info -> {
      boolean ok = info.statusCode() >= 200 && info.statusCode() <= 299;
      return new CappedBody(
          info.statusCode(),
          max,
          info.headers().firstValueAsLong("Content-Length").orElse(-1),
          ok && requiredWhenOk);
    };
  }

  /** The body went over the cap; travels inside the HTTP client's IOException. */
  static final class TooLarge extends IOException {
    final int status;

    TooLarge(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (declared > max) {
      overflow("declares " + declared + " bytes (Content-Length)");
    } else {
      s.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      size += b.remaining();
      if (size > max) {
        overflow("exceeds that after " + size + " bytes");
        return;
      }
      buffers.add(b);
    }
  }

  @Override
  public void onError(Throwable t) {
    buffers.clear();
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    if (result.isDone()) {
      return;
    }
    byte[] out = new byte[(int) size];
    int at = 0;
    for (ByteBuffer b : buffers) {
      int n = b.remaining();
      b.get(out, at, n);
      at += n;
    }
    buffers.clear();
    result.complete(out);
  }

  private void overflow(String what) {
    buffers.clear();
    subscription.cancel();
    if (required) {
      result.completeExceptionally(
          new TooLarge(
              status, "the body is larger than the client's cap of " + max + " bytes: it " + what));
    } else {
      result.complete(null);
    }
  }
}
