package dev.ordinal.testing;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * The CRUD mock with one addition: a POST of a SelfSubjectRulesReview is answered the way an API
 * server would for the operator's service account with the chart's Lease Role. (The CRUD mock alone
 * stores the review and returns it without status, and JOSDK's leader election then fails.)
 */
public final class AccessReviewDispatcher extends Dispatcher {
  private final Dispatcher delegate;

  public AccessReviewDispatcher(Dispatcher delegate) {
    this.delegate = delegate;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if ("POST".equals(request.getMethod()) && request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
      return new MockResponse().setResponseCode(201).addHeader("Content-Type: application/json").setBody("""
          {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","spec":{},
           "status":{"incomplete":false,"nonResourceRules":[],"resourceRules":[
             {"apiGroups":["coordination.k8s.io"],"resources":["leases"],"verbs":["get","list","watch","create","update","patch"]}]}}
          """);
    }
    return delegate.dispatch(request);
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }
}
