package dev.idmint.examples.orders;

import com.fasterxml.jackson.databind.JsonMappingException;
import dev.idmint.client.IdMintUnavailableException;
import dev.idmint.core.publicid.InvalidPublicIdException;
import java.util.Map;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Errors as JSON in idmint's own shape, {@code {"error":{"code":"...","message":"..."}}}: 400 for
 * bad input (a malformed public ID says which check failed), 404 for no such order, 503 when no
 * idmint node could serve an id in time.
 */
@RestControllerAdvice
public class ApiErrors {

  @ExceptionHandler(InvalidPublicIdException.class)
  ResponseEntity<Map<String, Object>> invalidPublicId(InvalidPublicIdException e) {
    return error(HttpStatus.BAD_REQUEST, "INVALID_ARGUMENT", e.getMessage());
  }

  @ExceptionHandler(InvalidOrderException.class)
  ResponseEntity<Map<String, Object>> invalidOrder(InvalidOrderException e) {
    return error(HttpStatus.BAD_REQUEST, "INVALID_ARGUMENT", e.getMessage());
  }

  /** Unreadable JSON, including a body whose {@code @PublicId} field is not a public ID. */
  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
    String message =
        e.getCause() instanceof JsonMappingException json
            ? json.getOriginalMessage()
            : "request body is not valid JSON";
    return error(HttpStatus.BAD_REQUEST, "INVALID_ARGUMENT", message);
  }

  @ExceptionHandler(OrderNotFoundException.class)
  ResponseEntity<Map<String, Object>> notFound(OrderNotFoundException e) {
    return error(HttpStatus.NOT_FOUND, "NOT_FOUND", e.getMessage());
  }

  @ExceptionHandler(IdMintUnavailableException.class)
  ResponseEntity<Map<String, Object>> unavailable(IdMintUnavailableException e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header("Retry-After", "1")
        .body(body("UNAVAILABLE", e.getMessage()));
  }

  /**
   * An INSERT whose key the {@code IDMINT} generator could not get reaches us wrapped by
   * ShardingSphere and Spring's JDBC layer: 503 as above; anything else stays a 500.
   */
  @ExceptionHandler(DataAccessException.class)
  ResponseEntity<Map<String, Object>> dataAccess(DataAccessException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof IdMintUnavailableException unavailable) {
        return unavailable(unavailable);
      }
    }
    throw e;
  }

  private static ResponseEntity<Map<String, Object>> error(
      HttpStatus status, String code, String message) {
    return ResponseEntity.status(status).body(body(code, message));
  }

  private static Map<String, Object> body(String code, String message) {
    return Map.of("error", Map.of("code", code, "message", String.valueOf(message)));
  }
}
