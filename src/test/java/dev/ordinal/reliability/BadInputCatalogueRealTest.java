package dev.ordinal.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordinal.reliability.BadInputCatalogueMockTest.Case;
import dev.ordinal.reliability.BadInputCatalogueMockTest.Outcome;
import dev.ordinal.sandbox.admission.CustomResourceValidator;
import dev.ordinal.sandbox.admission.FieldError;
import dev.ordinal.testing.real.RealHarness;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue judged by a real kube-apiserver with the checked-in CRD: every case the
 * catalogue says the schema rejects is rejected there with the catalogue's message, and every
 * other case is admitted. The sandbox's validator is held to the same verdict on each case, so the
 * two never drift apart. (What the operator then does with admitted specs is the mock tier's job.)
 */
class BadInputCatalogueRealTest {
  @RegisterExtension
  static final RealHarness harness = RealHarness.withoutOperator();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CustomResourceValidator SANDBOX = new CustomResourceValidator(BadInputCatalogueMockTest.loadCrd());

  static Stream<Case> cases() {
    return BadInputCatalogueMockTest.catalogue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @SuppressWarnings("unchecked")
  void theRealApiServerJudgesAsTheCatalogueSays(Case c) {
    Map<String, Object> object = BadInputCatalogueMockTest.web();
    c.edit().accept(object);
    ((Map<String, Object>) object.get("metadata")).put("namespace", harness.namespace());
    GenericKubernetesResource resource = JSON.convertValue(object, GenericKubernetesResource.class);
    var create = harness.client().resource(resource).inNamespace(harness.namespace()).dryRun();

    String sandbox = sandboxVerdict(object);
    if (c.outcome() == Outcome.SCHEMA) {
      KubernetesClientException refused = catchThrowableOfType(KubernetesClientException.class, create::create);
      assertThat(refused).as("the real API server rejects: " + c.name()).isNotNull();
      assertThat(refused.getCode()).isEqualTo(422);
      String real = refused.getStatus().getMessage();
      assertThat(real).contains(c.fragment());
      assertThat(sandbox).as("the sandbox's message, word for word").isEqualTo(real);
    } else {
      assertThat(create.create()).as("admitted by the real API server: " + c.name()).isNotNull();
      assertThat(sandbox).as("admitted by the sandbox").isNull();
    }
  }

  /** The sandbox's status message for this object, or null when it admits it. */
  private static String sandboxVerdict(Map<String, Object> object) {
    Map<String, Object> defaulted = SANDBOX.applyDefaults(BadInputCatalogueMockTest.V, object);
    List<FieldError> errors = SANDBOX.validate(BadInputCatalogueMockTest.V, defaulted, null);
    return errors.isEmpty() ? null
        : SANDBOX.toStatusMessage("OrdinalSet", String.valueOf(((Map<?, ?>) defaulted.get("metadata")).get("name")), errors);
  }
}
