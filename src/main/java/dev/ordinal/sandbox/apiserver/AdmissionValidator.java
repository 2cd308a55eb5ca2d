package dev.ordinal.sandbox.apiserver;

import java.util.Map;
import java.util.Optional;

/**
 * Admission hook of the embedded API server: judges custom resources on create, update and patch,
 * as a real API server does with the CRD schema and CEL rules.
 */
@FunctionalInterface
public interface AdmissionValidator {

  /** Accepts everything. */
  AdmissionValidator ALLOW_ALL = (group, version, plural, newObject, oldObjectOrNull) -> Optional.empty();

  /**
   * @return empty to admit the object, or the message of the rejection (answered as 422 Invalid)
   */
  Optional<String> rejectionMessage(String group, String version, String plural,
      Map<String, Object> newObject, Map<String, Object> oldObjectOrNull);
}
