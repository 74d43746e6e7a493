package dev.cohort.server.internal;

import dev.cohort.api.BranchId;
import dev.cohort.api.Gid;
import dev.cohort.api.InvalidInputException;

/** Ids from requests, with a 400 naming the field when one is malformed. */
public final class Ids {
  private Ids() {}

  public static Gid gid(String value, String field) {
    try {
      return Gid.of(value);
    } catch (InvalidInputException e) {
      throw ApiException.badRequest(field, e.getMessage());
    }
  }

  /** Branch ids are shorter than gids in the API, leaving room in the participants' barriers. */
  public static final int MAX_BRANCH_ID = 64;

  public static BranchId branch(String value, String field) {
    if (value != null && value.length() > MAX_BRANCH_ID) {
      throw ApiException.badRequest(
          field,
          "field '"
              + field
              + "' is "
              + value.length()
              + " characters long; the maximum is "
              + MAX_BRANCH_ID);
    }
    try {
      return BranchId.of(value);
    } catch (InvalidInputException e) {
      throw ApiException.badRequest(field, e.getMessage());
    }
  }
}
