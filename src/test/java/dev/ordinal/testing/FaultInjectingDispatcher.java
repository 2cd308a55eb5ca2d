package dev.ordinal.testing;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps the mock API server's dispatcher and fails a seeded fraction of the writes (POST, PUT,
 * PATCH, DELETE) of one client, the one whose requests carry {@link #HEADER}: {@code operator}
 * (see {@link OperatorClientTap}). Everyone else (the test, the kubelet simulator) is served normally.
 *
 * <p>Faults, chosen uniformly once a request is picked:
 * <ul>
 *   <li>{@link Fault#CONFLICT}: 409 Conflict, nothing stored (someone else won);
 *   <li>{@link Fault#ERROR_BEFORE}: 500, nothing stored (the fabric8 client retries 5xx with backoff);
 *   <li>{@link Fault#ERROR_AFTER}: the write IS stored, then 500 (a lost response, like a timeout after
 *       commit: the client's retry then meets 409 AlreadyExists / Conflict or 404);
 *   <li>{@link Fault#SLOW}: stored, response delayed 100..1500 ms.
 * </ul>
 * The random source is seeded per scenario; which request gets which fault still depends on thread
 * timing, so a seed reproduces the scenario and the fault rates, not the exact interleaving.
 */
public final class FaultInjectingDispatcher extends Dispatcher {
  public static final String HEADER = "X-Ordinal-Client";
  public static final String OPERATOR = "operator";
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

  public enum Fault { CONFLICT, ERROR_BEFORE, ERROR_AFTER, SLOW }

  private final Dispatcher delegate;
  private final Map<Fault, AtomicLong> injected = new ConcurrentHashMap<>();
  private final AtomicLong operatorWrites = new AtomicLong();
  private volatile Random random = new Random(0);
  private volatile double rate;

  public FaultInjectingDispatcher(Dispatcher delegate) {
    this.delegate = delegate;
    for (Fault f : Fault.values()) {
      injected.put(f, new AtomicLong());
    }
  }

  /** From now on fail this fraction (0..1) of the operator's writes, drawing from a new seeded source. */
  public void inject(long seed, double rate) {
    this.random = new Random(seed);
    this.rate = rate;
  }

  /** No more faults. */
  public void stop() {
    this.rate = 0;
  }

  public long injected(Fault fault) {
    return injected.get(fault).get();
  }

  public long injectedTotal() {
    return injected.values().stream().mapToLong(AtomicLong::get).sum();
  }

  public long operatorWrites() {
    return operatorWrites.get();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if (!OPERATOR.equals(request.getHeader(HEADER)) || !WRITES.contains(request.getMethod())) {
      return delegate.dispatch(request);
    }
    operatorWrites.incrementAndGet();
    Fault fault = null;
    long delayMs = 0;
    Random r = random;
    synchronized (r) {
      if (rate > 0 && r.nextDouble() < rate) {
        fault = Fault.values()[r.nextInt(Fault.values().length)];
        delayMs = 100 + r.nextInt(1400);
      }
    }
    if (fault == null) {
      return delegate.dispatch(request);
    }
    injected.get(fault).incrementAndGet();
    return switch (fault) {
      case CONFLICT -> status(409, "Conflict", "injected fault: the object has been modified; please apply your changes to the latest version and try again");
      case ERROR_BEFORE -> status(500, "InternalError", "injected fault: internal error before the write");
      case ERROR_AFTER -> {
        delegate.dispatch(request);
        yield status(500, "InternalError", "injected fault: internal error after the write was stored");
      }
      case SLOW -> delegate.dispatch(request).setBodyDelay(Duration.ofMillis(delayMs));
    };
  }

  private static MockResponse status(int code, String reason, String message) {
    return new MockResponse().setResponseCode(code).addHeader("Content-Type", "application/json")
        .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"" + message
            + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}");
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }
}
