package io.hearth.gateway.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hearth.gateway.api.ApiLimits;
import io.hearth.gateway.api.ApiRouter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The panel's static files next to the app API (docs/panel.md): caching headers, the CSP, paths
 * that must not resolve, and every file the panel references present in the jar (so the uPlot path
 * in history.js follows the WebJar's version).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PanelAssetsTest {
  private static final Pattern IMPORT = Pattern.compile("from '\\./([a-z-]+\\.js)'|import '\\./([a-z-]+\\.js)'");
  private static final Pattern WEBJAR = Pattern.compile("'(/webjars/[^']+)'");
  private static final Pattern HTML_REF = Pattern.compile("(?:src|href)=\"(/[^\"#]*)\"");

  private static Vertx vertx;
  private static WebClient client;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = await(ApiRouter.create(vertx, Map.of(), ApiLimits.DEFAULTS).map(new PanelAssets(vertx)::mount));
    HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(server.actualPort()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
  }

  private static HttpResponse<Buffer> get(String path, String... headers) throws Exception {
    var req = client.get(path);
    for (int i = 0; i < headers.length; i += 2) {
      req.putHeader(headers[i], headers[i + 1]);
    }
    return await(req.send());
  }

  @Test
  void thePageIsRevalidatedAndCarriesTheStrictPolicy() throws Exception {
    HttpResponse<Buffer> page = get("/");
    assertEquals(200, page.statusCode());
    assertEquals("text/html; charset=utf-8", page.getHeader("Content-Type"));
    assertEquals("no-cache", page.getHeader("Cache-Control"));
    assertEquals(PanelAssets.CSP, page.getHeader("Content-Security-Policy"));
    assertFalse(PanelAssets.CSP.contains("unsafe"), PanelAssets.CSP);
    assertEquals("nosniff", page.getHeader("X-Content-Type-Options"));
    String etag = page.getHeader("ETag");
    assertNotNull(etag);

    // WHEN the browser revalidates THEN 304 with no body
    HttpResponse<Buffer> again = get("/", "If-None-Match", etag);
    assertEquals(304, again.statusCode());
    assertTrue(again.body() == null || again.body().length() == 0);
    assertEquals(200, get("/", "If-None-Match", "\"other\"").statusCode());
  }

  @Test
  void webJarFilesAreImmutable() throws Exception {
    String uplot = webjarPaths().get(0);
    HttpResponse<Buffer> js = get(uplot);
    assertEquals(200, js.statusCode(), uplot);
    assertEquals("text/javascript; charset=utf-8", js.getHeader("Content-Type"));
    assertEquals(PanelAssets.IMMUTABLE, js.getHeader("Cache-Control"));
  }

  @Test
  void everyFileThePanelReferencesIsServed() throws Exception {
    String index = resource("panel/index.html");
    List<String> paths = new ArrayList<>();
    matches(HTML_REF, index, paths);
    for (String module : List.of("app.js", "api.js", "live.js", "ui.js", "device-card.js", "pages.js", "admin.js",
        "history.js", "scenes.js", "automations.js")) {
      paths.add("/panel/" + module);
      List<String> imports = new ArrayList<>();
      matches(IMPORT, resource("panel/" + module), imports);
      imports.forEach(i -> paths.add("/panel/" + i));
    }
    paths.addAll(webjarPaths());
    for (String path : paths) {
      assertEquals(200, get(path).statusCode(), path);
    }
    // AND the page has nothing inline for the policy to refuse
    assertFalse(index.contains("style="), "inline style in index.html");
    assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(index).find(), "inline script in index.html");
  }

  @Test
  void pathsOutsideThePanelAreNotFound() throws Exception {
    for (String path : List.of("/panel/nope.js", "/panel/.hidden.js", "/panel/app", "/panel/", "/webjars/uplot/x.exe",
        "/panel/%2e%2e/openapi/openapi.yaml", "/index.html")) {
      HttpResponse<Buffer> r = get(path);
      assertEquals(404, r.statusCode(), path);
      assertEquals("NOT_FOUND", r.bodyAsJsonObject().getString("code"), path);
    }
    // AND the API's own 404 is untouched
    assertEquals("NOT_FOUND", get("/api/v1/nope").bodyAsJsonObject().getString("code"));
  }

  @Test
  void matchesEntityTags() {
    assertTrue(PanelAssets.matches("\"a\", \"b\"", "\"b\""));
    assertTrue(PanelAssets.matches("W/\"b\"", "\"b\""));
    assertTrue(PanelAssets.matches("*", "\"b\""));
    assertFalse(PanelAssets.matches("\"a\"", "\"b\""));
    assertFalse(PanelAssets.matches(null, "\"b\""));
  }

  private static List<String> webjarPaths() throws IOException {
    List<String> out = new ArrayList<>();
    matches(WEBJAR, resource("panel/history.js"), out);
    assertFalse(out.isEmpty(), "history.js names uPlot's WebJar files");
    return out;
  }

  private static void matches(Pattern p, String text, List<String> out) {
    Matcher m = p.matcher(text);
    while (m.find()) {
      out.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = PanelAssetsTest.class.getClassLoader().getResourceAsStream(name)) {
      assertNotNull(in, name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
