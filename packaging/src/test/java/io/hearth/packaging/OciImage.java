package io.hearth.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One image tarball of {@code jib:buildTar} (Docker's {@code docker save} layout, which
 * {@code docker load} reads): {@code manifest.json} naming the config and the layers, each layer a
 * {@code .tar.gz}. Unpacked with the system's {@code tar}.
 *
 * @param dir    the tarball unpacked
 * @param config the image's config ({@code architecture}, {@code os}, {@code config.Entrypoint}...)
 * @param layers the layer files, lowest first
 */
record OciImage(Path dir, JsonNode config, java.util.List<Path> layers) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The tarball of one Debian architecture, built by the {@code oci} profile. */
  static Path tarball(String arch) {
    Path dir = Path.of(System.getProperty("hearth.oci.dir", "target/oci")).toAbsolutePath().normalize();
    Path tar = dir.resolve("hearth-image-" + arch + ".tar");
    assertTrue(Files.isRegularFile(tar), () -> tar + " is missing: build it with ./mvnw -Poci -pl packaging -am package"
        + " after packaging/src/oci/sysroot.sh " + arch + " (docs/install.md, \"Docker\")");
    return tar;
  }

  /** Unpacks the tarball into {@code dir} and reads its manifest and config. */
  static OciImage open(Path tarball, Path dir) {
    Deb.run("tar", "-xf", tarball.toString(), "-C", dir.toString());
    JsonNode manifest = read(dir.resolve("manifest.json"));
    assertEquals(1, manifest.size(), () -> "one image per tarball: " + manifest);
    JsonNode image = manifest.get(0);
    java.util.List<Path> layers = new java.util.ArrayList<>();
    image.get("Layers").forEach(l -> layers.add(dir.resolve(l.asText())));
    layers.forEach(l -> assertTrue(Files.isRegularFile(l), () -> "layer " + l + " named by manifest.json is missing"));
    return new OciImage(dir, read(dir.resolve(image.get("Config").asText())), layers);
  }

  /** Extracts every layer, lowest first, into {@code root}: the container's file system. */
  Path extract(Path root) {
    for (Path layer : layers) {
      Deb.run("tar", "--warning=no-unknown-keyword", "-xzf", layer.toString(), "-C", root.toString());
    }
    return root;
  }

  /** {@code tar -tvzf} of every layer: one line per entry, with its mode. */
  String listing() {
    StringBuilder sb = new StringBuilder();
    for (Path layer : layers) {
      sb.append(Deb.run("tar", "--warning=no-unknown-keyword", "-tvzf", layer.toString()));
    }
    return sb.toString();
  }

  /** The ELF machine of a file ({@code e_machine}: 62 x86-64, 183 AArch64), after checking the magic. */
  static int elfMachine(Path file) {
    try {
      byte[] b = Files.readAllBytes(file);
      assertTrue(b.length > 20 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F', () -> file + " is no ELF file");
      return (b[18] & 0xff) | (b[19] & 0xff) << 8;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
