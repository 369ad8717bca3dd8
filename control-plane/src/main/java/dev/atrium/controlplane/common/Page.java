package dev.atrium.controlplane.common;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One page of a list; {@code nextCursor} is absent on the last page. */
public record Page<T>(List<T> items, @JsonInclude(JsonInclude.Include.NON_NULL) String nextCursor) {
}
