package io.hearth.gateway.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Locale;
import java.util.Objects;

/**
 * Checks a JSON request body against {@link ApiLimits} with a streaming (non-recursive) parser
 * before anything builds a tree from it.
 *
 * <p>Vert.x decodes bodies with its own static Jackson factory and a recursive tree builder that
 * cannot be configured per application; a 100,000-deep {@code [[[[…} would otherwise reach it.
 * This guard walks the tokens once (O(body) time, O(1) stack), enforcing nesting depth, string,
 * field-name and number lengths both with Jackson's {@link StreamReadConstraints} and with
 * explicit checks, and rejects trailing content and a key repeated within one object ({@link JsonKeys}).
 * Bodies that are not declared as JSON are left to
 * the OpenAPI validator (which answers 415). Runs after the body handler, before validation.
 */
final class JsonBodyGuard implements Handler<RoutingContext> {

  private final ApiLimits limits;
  private final JsonFactory factory;

  JsonBodyGuard(ApiLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(limits.maxJsonDepth())
            .maxStringLength(limits.maxStringLength())
            .maxNameLength(limits.maxStringLength())
            .maxNumberLength(limits.maxNumberLength())
            .maxDocumentLength(limits.maxBodyBytes())
            .build())
        .build();
  }

  @Override
  public void handle(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body != null && body.length() > 0 && isJson(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
      try {
        check(body.getBytes());
      } catch (ApiException e) {
        ctx.fail(e);
        return;
      }
    }
    ctx.next();
  }

  /** Throws {@link ApiException} MALFORMED_REQUEST unless {@code json} is one JSON value within the limits. */
  void check(byte[] json) {
    try (JsonParser parser = factory.createParser(json)) {
      int depth = 0;
      JsonKeys keys = new JsonKeys();
      JsonToken token = parser.nextToken();
      if (token == null) {
        throw malformed("the body is empty");
      }
      do {
        String duplicate = keys.onToken(token, parser);
        if (duplicate != null) {
          throw malformed("the key \"" + duplicate + "\" appears twice in one JSON object"
              + locationOf(parser.currentLocation()));
        }
        switch (token) {
          case START_OBJECT, START_ARRAY -> {
            if (++depth > limits.maxJsonDepth()) {
              throw malformed("JSON nesting is deeper than " + limits.maxJsonDepth());
            }
          }
          case END_OBJECT, END_ARRAY -> depth--;
          case FIELD_NAME, VALUE_STRING -> {
            if (parser.getTextLength() > limits.maxStringLength()) {
              throw malformed("a JSON string is longer than " + limits.maxStringLength() + " characters");
            }
          }
          case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
            if (parser.getTextLength() > limits.maxNumberLength()) {
              throw malformed("a JSON number is longer than " + limits.maxNumberLength() + " characters");
            }
          }
          default -> { }
        }
        token = depth > 0 ? parser.nextToken() : null;
        if (depth > 0 && token == null) {
          throw malformed("the JSON body ends early");
        }
      } while (token != null);
      if (parser.nextToken() != null) {
        throw malformed("unexpected content after the JSON value");
      }
    } catch (StreamConstraintsException e) {
      throw malformed("the JSON body exceeds a limit (nesting " + limits.maxJsonDepth() + ", string "
          + limits.maxStringLength() + " characters, number " + limits.maxNumberLength() + " characters)");
    } catch (JsonProcessingException e) {
      throw malformed("the body is not valid JSON: " + e.getOriginalMessage()
          + locationOf(e));
    } catch (IOException e) {
      throw malformed("the body could not be read as JSON");
    }
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
  }

  private static String locationOf(JsonProcessingException e) {
    return locationOf(e.getLocation());
  }

  private static String locationOf(com.fasterxml.jackson.core.JsonLocation at) {
    return at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
  }

  private static ApiException malformed(String detail) {
    return new ApiException(ErrorCode.MALFORMED_REQUEST, detail);
  }
}
