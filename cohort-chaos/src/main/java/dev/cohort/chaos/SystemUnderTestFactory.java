package dev.cohort.chaos;

import java.util.Map;

/**
 * How the CLI gets your system: name a class implementing this (with a public no-argument
 * constructor) in {@code --system}; it receives the {@code --set key=value} pairs.
 */
public interface SystemUnderTestFactory {
  /** Starts (or connects to) the system; the CLI closes it after the run. */
  SystemUnderTest start(Map<String, String> settings) throws Exception;
}
