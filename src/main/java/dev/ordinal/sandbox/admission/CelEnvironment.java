package dev.ordinal.sandbox.admission;

import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

/**
 * The CEL environment of CRD validation rules, as close to the API server's as CEL-Java allows:
 * {@code self} and {@code oldSelf} (both dynamically typed here, where the API server derives
 * their types from the schema), the standard macros ({@code has}, {@code all}, {@code exists},
 * {@code exists_one}, {@code map}, {@code filter}), {@code size()}, {@code matches()}, the
 * string and set extension libraries, and cross-type numeric comparisons.
 *
 * <p>Not available (Kubernetes-specific libraries): {@code isSorted}/{@code sum} lists,
 * {@code url()}, {@code quantity()}, {@code ip()}/{@code cidr()}, {@code format.*}, and the cost
 * budget.
 */
final class CelEnvironment {
  static final String SELF = "self";
  static final String OLD_SELF = "oldSelf";

  private final CelCompiler compiler;
  private final CelRuntime runtime;

  CelEnvironment() {
    CelOptions options = CelOptions.current()
        .enableHeterogeneousNumericComparisons(true)
        .build();
    this.compiler = CelCompilerFactory.standardCelCompilerBuilder()
        .setOptions(options)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addVar(SELF, SimpleType.DYN)
        .addVar(OLD_SELF, SimpleType.DYN)
        .addLibraries(CelExtensions.strings(), CelExtensions.sets(options))
        .build();
    this.runtime = CelRuntimeFactory.standardCelRuntimeBuilder()
        .setOptions(options)
        .addLibraries(CelExtensions.strings(), CelExtensions.sets(options))
        .build();
  }

  /**
   * Compiles an expression into a reusable program.
   *
   * @throws IllegalArgumentException with the compiler's issues when it does not compile; the
   *     API server would refuse such a CRD
   */
  CelRuntime.Program compile(String expression, String where) {
    CelValidationResult result = compiler.compile(expression);
    if (result.hasError()) {
      throw new IllegalArgumentException("CEL rule at " + where + " does not compile: "
          + result.getErrorString());
    }
    try {
      return runtime.createProgram(result.getAst());
    } catch (CelEvaluationException e) {
      throw new IllegalArgumentException("CEL rule at " + where + " cannot be planned: " + e.getMessage(), e);
    } catch (dev.cel.common.CelValidationException e) {
      throw new IllegalArgumentException("CEL rule at " + where + " does not compile: " + e.getMessage(), e);
    }
  }
}
