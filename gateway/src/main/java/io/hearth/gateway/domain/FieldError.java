package io.hearth.gateway.domain;

import java.util.Objects;

/**
 * One problem with one property of a request ({@code brightness}: {@code must be ≤ 100}).
 *
 * @param property the property's path ({@code input.level}, {@code binding.uri}); empty for the whole request
 * @param message  what is wrong with it
 */
public record FieldError(String property, String message) {
  public FieldError {
    Objects.requireNonNull(property, "property");
    Objects.requireNonNull(message, "message");
  }
}
