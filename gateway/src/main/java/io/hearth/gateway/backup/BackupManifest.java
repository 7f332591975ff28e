package io.hearth.gateway.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code manifest.json}, the first entry of a backup archive (docs/backup.md#the-archive): the
 * archive format, the database's schema version, the gateway that wrote it, when, and every other
 * entry with its size and SHA-256.
 */
public record BackupManifest(int formatVersion, int schemaVersion, String gatewayVersion, Instant createdAt,
    List<Entry> files) {
  /** The archive format this code writes and reads. */
  public static final int FORMAT = 1;
  static final String NAME = "manifest.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One file of the archive: its name in the archive, size in bytes, SHA-256 in lower-case hex. */
  public record Entry(String path, long size, String sha256) {}

  public BackupManifest {
    Objects.requireNonNull(gatewayVersion, "gatewayVersion");
    Objects.requireNonNull(createdAt, "createdAt");
    files = List.copyOf(files);
  }

  /** The entry named {@code path}, or null. */
  public Entry file(String path) {
    return files.stream().filter(e -> e.path().equals(path)).findFirst().orElse(null);
  }

  byte[] toJson() {
    ObjectNode root = JSON.createObjectNode().put("formatVersion", formatVersion).put("schemaVersion", schemaVersion)
        .put("gatewayVersion", gatewayVersion).put("createdAt", createdAt.toString());
    ArrayNode list = root.putArray("files");
    files.forEach(e -> list.addObject().put("path", e.path()).put("size", e.size()).put("sha256", e.sha256()));
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses a manifest; a missing or malformed field is an {@link ArchiveException}. */
  static BackupManifest parse(byte[] json) {
    try {
      JsonNode root = JSON.readTree(json);
      List<Entry> files = new ArrayList<>();
      for (JsonNode f : required(root, "files")) {
        files.add(new Entry(required(f, "path").asText(), required(f, "size").asLong(),
            required(f, "sha256").asText()));
      }
      return new BackupManifest(required(root, "formatVersion").asInt(), required(root, "schemaVersion").asInt(),
          required(root, "gatewayVersion").asText(), Instant.parse(required(root, "createdAt").asText()), files);
    } catch (IOException | RuntimeException e) {
      throw new ArchiveException("manifest.json is not a Hearth backup manifest: " + e.getMessage());
    }
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    if (v == null || v.isNull()) {
      throw new ArchiveException("manifest.json has no '" + field + "'");
    }
    return v;
  }
}
