package dev.ordinal.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

/** Applies --log-format and --log-level by reconfiguring logback (flags win over the environment). */
final class LogSettings {
  private LogSettings() {}

  static void apply(String format, String level) {
    if (!format.equals("text") && !format.equals("json")) {
      throw new IllegalArgumentException("--log-format must be text or json, not " + format);
    }
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    var config = LogSettings.class.getResource("/logback.xml");
    if (config != null) {
      try {
        // reset() clears the context's properties: set them afterwards, or the flags are lost
        // and logback.xml falls back to the environment variables.
        context.reset();
        context.putProperty("ORDINAL_LOG_FORMAT", format);
        context.putProperty("ORDINAL_LOG_LEVEL", level);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(config);
      } catch (JoranException e) {
        throw new IllegalStateException("cannot configure logging", e);
      }
    }
    Logger ours = context.getLogger("dev.ordinal");
    ours.setLevel(Level.toLevel(level, Level.INFO));
  }

  /** The sandbox serves v1alpha1 on purpose: fabric8's "unstable version" warning is noise there. */
  static void quietenUnstableVersionWarning() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils").setLevel(Level.ERROR);
  }

  /**
   * kube-api-test logs an ERROR of its own when etcd stops before it was asked to, which Ctrl-C
   * in a terminal does (it signals etcd too); ControlPlane reports a stop that was not part of a
   * shutdown itself.
   */
  static void quietenKubeApiTestProcessLogs() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger("io.fabric8.kubeapitest.process").setLevel(Level.OFF);
  }
}
