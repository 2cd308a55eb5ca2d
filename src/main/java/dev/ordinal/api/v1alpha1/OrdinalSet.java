package dev.ordinal.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.SchemaSwap;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A set of ordinal-named pods, each with its own claims: a superset of apps/v1 StatefulSet.
 *
 * <p>The name limit keeps every derived name valid: pods {@code <set>-<ordinal>} are DNS labels
 * (they are hostnames), and the {@code controller-revision-hash} label value {@code <set>-<hash>}
 * must fit in 63 characters.
 *
 * <p>The schema swaps bound what the spec's CEL rules range over (see {@link SchemaBounds}), so
 * that a real API server's cost estimate stays within budget.
 */
@Group(OrdinalSet.GROUP)
@Version(OrdinalSet.VERSION)
@Kind(OrdinalSet.KIND)
@Plural(OrdinalSet.PLURAL)
@Singular("ordinalset")
@ShortNames("ords")
@AdditionalPrinterColumn(name = "DESIRED", jsonPath = ".spec.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.readyReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "UPDATED", jsonPath = ".status.updatedReplicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "BOUND", jsonPath = ".status.boundClaims", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(
    value = "self.metadata.name.size() <= 52",
    message = "metadata.name must be at most 52 characters: the controller-revision-hash label <name>-<hash> must fit in 63",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "self.metadata.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
    message = "metadata.name must be a DNS label (lowercase letters, digits and '-'): pod names <name>-<ordinal> are hostnames",
    reason = "FieldValueInvalid")
@SchemaSwap(originalType = OrdinalSetSpec.class, fieldName = "selector", targetType = LabelSelectorSchema.class)
@SchemaSwap(originalType = PodTemplateSpec.class, fieldName = "metadata", targetType = PodTemplateMetadataSchema.class)
@SchemaSwap(originalType = PersistentVolumeClaim.class, fieldName = "metadata", targetType = ClaimTemplateMetadataSchema.class)
public class OrdinalSet extends CustomResource<OrdinalSetSpec, OrdinalSetStatus> implements Namespaced {
  public static final String GROUP = "ordinal.dev";
  public static final String VERSION = "v1alpha1";
  public static final String KIND = "OrdinalSet";
  public static final String PLURAL = "ordinalsets";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final String CRD_NAME = PLURAL + "." + GROUP;
}
