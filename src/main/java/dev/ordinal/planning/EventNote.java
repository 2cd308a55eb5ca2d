package dev.ordinal.planning;

/** An Event the plan wants recorded; the recorder de-duplicates repeats of the same note. */
public record EventNote(Involved object, Type type, String reason, String message) {
  public enum Type { Normal, Warning }

  /** The object the event is about. */
  public record Involved(String apiVersion, String kind, String namespace, String name, String uid) {
    /** The set itself, as the object its kind names (an OrdinalSet, or a StatefulSet in storage mode). */
    public static Involved of(dev.ordinal.spec.SetDefinition set) {
      return new Involved(set.kind().apiVersion(), set.kind().kind(), set.namespace(), set.name(), set.uid());
    }
  }

  public static final String FAILED_BINDING = "FailedBinding";
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String CONFLICTING_CONTROLLER = "ConflictingController";
}
