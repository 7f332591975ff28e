package io.hearth.gateway.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

/** The one YAML reader of the gateway's files (config, profiles, devices). */
public final class Yaml {
  /**
   * YAML 1.1 reads bare {@code off}, {@code on}, {@code yes} and {@code no} as booleans, which would
   * turn an enum value {@code off} or a name {@code Yes} into {@code false}/{@code true}; only
   * {@code true} and {@code false} are booleans here.
   */
  public static final ObjectMapper MAPPER =
      new ObjectMapper(YAMLFactory.builder().enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS).build());

  private Yaml() {}
}
