package dev.cohort.spring.internal;

import dev.cohort.api.Gid;
import dev.cohort.api.InvalidInputException;
import dev.cohort.protocol.CallSignature;
import dev.cohort.spring.GlobalTransactions;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.core.Ordered;

/**
 * Records the {@code Cohort-Gid} a request arrived with ({@link GlobalTransactions#gid()}, and the
 * log's MDC key {@value #MDC_KEY}) so that calls made while serving it carry it on. A value that is
 * not a gid is ignored here; participant endpoints answer it with their own 400.
 */
@SuppressWarnings("try") // scopes opened for their effect on this thread
final class GidFilter implements Filter, Ordered {
  static final String MDC_KEY = "cohort.gid";
  static final int ORDER = ConsistencyFilter.ORDER + 1;

  private final GlobalTransactions transactions;

  GidFilter(GlobalTransactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    Gid gid =
        req instanceof HttpServletRequest r ? parse(r.getHeader(CallSignature.GID_HEADER)) : null;
    if (gid == null) {
      chain.doFilter(req, res);
      return;
    }
    try (GlobalTransactions.Binding b = transactions.receive(gid);
        MDC.MDCCloseable m = MDC.putCloseable(MDC_KEY, gid.value())) {
      chain.doFilter(req, res);
    }
  }

  private static Gid parse(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Gid.of(value);
    } catch (InvalidInputException e) {
      return null;
    }
  }

  @Override
  public int getOrder() {
    return ORDER;
  }
}
