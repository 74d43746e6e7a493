package dev.cohort.examples.shop.fault;

import dev.cohort.protocol.CallSignature;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Applies the {@link FaultSwitch} to the service's business calls: the coordinator's participant
 * calls (the operation from {@code Cohort-Op}) and the plain calls of the mode without Cohort
 * (operation {@code plain}). Admin and purchase requests are never caught. It sits in front of the
 * starter's endpoint, so every fault goes through the real signature check and barrier.
 */
public final class FaultFilter extends OncePerRequestFilter {
  private static final Logger LOG = LoggerFactory.getLogger(FaultFilter.class);

  private final FaultSwitch faults;
  private final String participantPath;
  private final CallSignature signer;
  private final Crash crash;

  /**
   * @param signer signs the duplicated confirm as the coordinator would (a replayed signature is
   *     refused); null when the service accepts unsigned calls
   */
  public FaultFilter(
      FaultSwitch faults, String participantPath, CallSignature signer, Crash crash) {
    this.faults = faults;
    this.participantPath = participantPath.endsWith("/") ? participantPath : participantPath + "/";
    this.signer = signer;
    this.crash = crash;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String path = request.getRequestURI();
    return !path.startsWith(participantPath) && !path.startsWith("/plain/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader(CallSignature.OP_HEADER);
    String op = request.getRequestURI().startsWith("/plain/") ? "plain" : header;
    Fault fault = op == null ? null : faults.take(op);
    String gid = request.getHeader(CallSignature.GID_HEADER);
    String branch = request.getHeader(CallSignature.BRANCH_HEADER);
    if (fault == null) {
      chain.doFilter(request, response);
      afterServed(op, gid, branch);
      return;
    }
    LOG.info("fault switch: {} on {} {}/{}", fault.kind().code(), op, gid, branch);
    faults.started();
    try {
      apply(fault, op, gid, branch, request, response, chain);
    } finally {
      faults.finished();
    }
  }

  private void apply(
      Fault fault,
      String op,
      String gid,
      String branch,
      HttpServletRequest request,
      HttpServletResponse response,
      FilterChain chain)
      throws ServletException, IOException {
    try {
      switch (fault.kind()) {
        case FAIL -> {
          response.setStatus(500);
          response.setContentType("application/json");
          response
              .getOutputStream()
              .write(
                  "{\"error\":\"injected_fault\",\"message\":\"the fault switch failed this call\"}"
                      .getBytes(StandardCharsets.UTF_8));
          return;
        }
        case LATENCY, TIMEOUT -> Thread.sleep(fault.millis());
        case CRASH -> {
          crash.now();
          response.sendError(503, "crashed by the fault switch");
          return;
        }
        case CANCEL_BEFORE_TRY -> faults.awaitCancel(gid, branch, fault.millis());
        case DUPLICATE_CONFIRM -> {
          duplicate(request, response, chain, gid, branch);
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      response.sendError(503, "interrupted");
      return;
    }
    chain.doFilter(request, response);
    afterServed(op, gid, branch);
  }

  private void afterServed(String op, String gid, String branch) {
    if ("cancel".equals(op) && gid != null && branch != null) {
      faults.cancelServed(gid, branch);
    }
  }

  /** The confirm twice through the whole chain; the caller sees the second answer. */
  private void duplicate(
      HttpServletRequest request,
      HttpServletResponse response,
      FilterChain chain,
      String gid,
      String branch)
      throws IOException, ServletException {
    byte[] body = request.getInputStream().readAllBytes();
    ContentCachingResponseWrapper first = new ContentCachingResponseWrapper(response);
    chain.doFilter(new Replayed(request, body, headers(gid, branch, body)), first);
    ContentCachingResponseWrapper second = new ContentCachingResponseWrapper(response);
    chain.doFilter(new Replayed(request, body, headers(gid, branch, body)), second);
    second.copyBodyToResponse();
  }

  private Map<String, String> headers(String gid, String branch, byte[] body) {
    return signer == null ? Map.of() : signer.sign(gid, branch, "confirm", body);
  }

  /** The request again, with its body re-readable and freshly signed headers. */
  private static final class Replayed extends HttpServletRequestWrapper {
    private final byte[] body;
    private final Map<String, String> headers;

    Replayed(HttpServletRequest request, byte[] body, Map<String, String> headers) {
      super(request);
      this.body = body;
      this.headers = headers;
    }

    @Override
    public String getHeader(String name) {
      for (Map.Entry<String, String> h : headers.entrySet()) {
        if (h.getKey().equalsIgnoreCase(name)) {
          return h.getValue();
        }
      }
      return super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      String signed = getHeader(name);
      return signed == null
          ? super.getHeaders(name)
          : Collections.enumeration(java.util.List.of(signed));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("blocking reads only");
        }

        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }
      };
    }
  }
}
