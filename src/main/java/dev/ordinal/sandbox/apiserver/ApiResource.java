package dev.ordinal.sandbox.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One served resource type as discovery describes it.
 *
 * @param crdVersion the CRD's version entry for custom resources (printer columns, subresources), else null
 */
public record ApiResource(String group, String version, String plural, String singular, String kind,
    boolean namespaced, List<String> shortNames, List<String> categories, List<String> subresources,
    JsonNode crdVersion) {

  public static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  public boolean isCustom() {
    return crdVersion != null;
  }

  public boolean hasSubresource(String name) {
    return subresources.contains(name);
  }
}
