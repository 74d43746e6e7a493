package dev.cohort.examples.shop.common;

import dev.cohort.api.ParticipantRefusedException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** A refused plain call (insufficient funds, out of stock) is a 409 with the reason. */
@RestControllerAdvice
public class PlainErrors {
  @ExceptionHandler(ParticipantRefusedException.class)
  public ResponseEntity<Map<String, String>> refused(ParticipantRefusedException e) {
    return ResponseEntity.status(HttpStatus.CONFLICT)
        .body(Map.of("error", "refused", "message", String.valueOf(e.getMessage())));
  }
}
