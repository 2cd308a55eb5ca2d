package dev.ordinal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** --log-format json: one JSON object per line, for log collectors. */
class RuntimeJsonLogTest {
  private final PrintStream original = System.out;

  @AfterEach
  void restore() throws Exception {
    System.setOut(original);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(RuntimeJsonLogTest.class.getResource("/logback-test.xml"));
  }

  @Test
  void jsonFormatWritesOneObjectPerLineWithTheMessage() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    LogSettings.apply("json", "info");
    LoggerFactory.getLogger("dev.ordinal.operator.Probe").info("bound {} to {}", "www-web-0", "pv-1");
    LoggerFactory.getLogger("dev.ordinal.operator.Probe").debug("not at info");
    System.out.flush();
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).hasSize(1);
    JsonNode json = new ObjectMapper().readTree(lines.get(0));
    assertThat(json.isObject()).isTrue();
    assertThat(json.get("formattedMessage").asText()).isEqualTo("bound www-web-0 to pv-1");
    assertThat(json.get("level").asText()).isEqualTo("INFO");
    assertThat(json.get("loggerName").asText()).isEqualTo("dev.ordinal.operator.Probe");
  }

  @Test
  void textFormatAndLevelApply() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    LogSettings.apply("text", "debug");
    LoggerFactory.getLogger("dev.ordinal.operator.Probe").debug("visible at debug");
    System.out.flush();
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("DEBUG").contains("Probe - visible at debug").doesNotContain("{");
  }
}
