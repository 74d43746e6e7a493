package dev.cohort.spring;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * Two services on one database (a primary and its streaming replica): A renames a profile and asks
 * B for it; neither has a line of Cohort code.
 */
final class ProfileServices {
  private ProfileServices() {}

  /** Service A: writes, then calls B with a plain {@code RestClient} bean. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import(A.Api.class)
  static class A {
    @Bean
    RestClient peer(org.springframework.core.env.Environment env) {
      return RestClient.builder().baseUrl(env.getRequiredProperty("peer.url")).build();
    }

    @RestController
    static class Api {
      private final JdbcTemplate jdbc;
      private final RestClient peer;

      Api(JdbcTemplate jdbc, RestClient peer) {
        this.jdbc = jdbc;
        this.peer = peer;
      }

      @PostMapping("/profiles/{id}")
      String rename(@PathVariable long id, @RequestParam String name) {
        jdbc.update("UPDATE profile SET name = ? WHERE id = ?", name, id);
        return peer.get().uri("/profiles/{id}", id).retrieve().body(String.class);
      }
    }
  }

  /** Service B: reads a profile, from a replica when the caller's token allows. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @Import({B.Api.class, ProfileReader.class})
  static class B {
    @RestController
    static class Api {
      private final ProfileReader reader;

      Api(ProfileReader reader) {
        this.reader = reader;
      }

      @GetMapping("/profiles/{id}")
      String read(@PathVariable long id) {
        return reader.read(id);
      }
    }
  }

  /** Reads one name; {@link #readPrimary} is the same query under {@link ReadPrimary}. */
  static class ProfileReader {
    private final JdbcTemplate jdbc;

    ProfileReader(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    String read(long id) {
      return jdbc.queryForObject("SELECT name FROM profile WHERE id = ?", String.class, id);
    }

    @ReadPrimary
    String readPrimary(long id) {
      return read(id);
    }
  }
}
