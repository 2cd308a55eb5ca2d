package dev.ordinal.sandbox.admission;

/**
 * Field paths as {@code field.Path.String()} prints them: {@code spec.template},
 * {@code spec.volumeClaimTemplates[0]}, {@code metadata.labels[app]}. The empty string is the
 * object itself, which Kubernetes prints as {@code <nil>}.
 */
final class FieldPaths {
  static final String ROOT = "";

  private FieldPaths() {}

  static String child(String parent, String name) {
    return parent.isEmpty() ? name : parent + "." + name;
  }

  static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }

  static String key(String parent, String key) {
    return parent + "[" + key + "]";
  }

  /** What the API server prints for a path. */
  static String display(String path) {
    return path.isEmpty() ? "<nil>" : path;
  }

  /**
   * Appends a rule's {@code fieldPath} ({@code .a.b}, {@code .a['b.c']}, relative to the node
   * that declares the rule) to that node's path.
   */
  static String appendRelative(String base, String relative) {
    String path = base;
    int i = 0;
    while (i < relative.length()) {
      char c = relative.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < relative.length() && relative.charAt(end) != '.' && relative.charAt(end) != '[') {
          end++;
        }
        path = child(path, relative.substring(i + 1, end));
        i = end;
      } else if (relative.startsWith("['", i)) {
        int end = relative.indexOf("']", i + 2);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated ['...'] in fieldPath " + relative);
        }
        path = child(path, relative.substring(i + 2, end));
        i = end + 2;
      } else {
        throw new IllegalArgumentException("fieldPath must start each step with '.' or \"['\": " + relative);
      }
    }
    return path;
  }
}
