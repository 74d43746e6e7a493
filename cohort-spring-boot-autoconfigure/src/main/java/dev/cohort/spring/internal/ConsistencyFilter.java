package dev.cohort.spring.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.replica.Consistency;
import dev.cohort.replica.ConsistencyToken;
import dev.cohort.replica.MalformedTokenException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;

/**
 * Opens a consistency session per request, started from the {@code Cohort-Consistency} header, so
 * replica reads in this request see what the caller wrote, and one request's writes do not make the
 * next request on this pooled thread wait. A malformed header is answered 400 with the parse error,
 * which quotes the text and the expected format.
 */
@SuppressWarnings("try") // scopes opened for their effect on this thread
final class ConsistencyFilter implements Filter, Ordered {
  /** Early, so that every other filter's reads already run in the session. */
  static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request)) {
      chain.doFilter(req, res);
      return;
    }
    ConsistencyToken token;
    try {
      token = ConsistencyToken.parse(request.getHeader(ConsistencyToken.HEADER));
    } catch (MalformedTokenException e) {
      reject((HttpServletResponse) res, e.getMessage());
      return;
    }
    try (Consistency.Session session = Consistency.session(token)) {
      chain.doFilter(req, res);
    }
  }

  private static void reject(HttpServletResponse response, String message) throws IOException {
    response.setStatus(400);
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    ObjectNode body = JSON.createObjectNode();
    body.put("error", "bad_request");
    body.put("message", message);
    response.getWriter().write(body.toString());
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
