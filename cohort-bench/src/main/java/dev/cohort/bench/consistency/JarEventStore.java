package dev.cohort.bench.consistency;

import dev.cohort.jdbc.Database;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;

/**
 * An {@code EventStore} of another build of cohort-eventstore (a jar), beside the one on the class
 * path, so that one run measures the store before and after a change in alternating rounds. Only
 * {@code dev.cohort.eventstore} classes come from the jar; everything else (cohort-jdbc, the
 * driver) is shared.
 */
final class JarEventStore {
  private static final String PACKAGE = "dev.cohort.eventstore.";

  private final Object store;
  private final Method append;
  private final Object events;

  private JarEventStore(Object store, Method append, Object events) {
    this.store = store;
    this.append = append;
    this.events = events;
  }

  /** A store of the jar's build on {@code dataSource} (PostgreSQL), its defaults unchanged. */
  static JarEventStore load(Path jar, DataSource dataSource) throws Exception {
    ClassLoader loader = new JarFirst(jar.toUri().toURL(), JarEventStore.class.getClassLoader());
    Class<?> storeClass = loader.loadClass(PACKAGE + "EventStore");
    Class<?> eventData = loader.loadClass(PACKAGE + "EventData");
    Object builder =
        storeClass
            .getMethod("builder", DataSource.class, Database.class)
            .invoke(null, dataSource, Database.POSTGRESQL);
    Object store = builder.getClass().getMethod("build").invoke(builder);
    Object event = eventData.getMethod("of", String.class, String.class).invoke(null, "E", "{}");
    return new JarEventStore(
        store,
        storeClass.getMethod("append", String.class, long.class, List.class),
        List.of(event));
  }

  /** One event of type {@code E}, payload {@code {}}, as the bench's other stores append. */
  void appendOne(String streamId, long expectedVersion) throws Exception {
    try {
      append.invoke(store, streamId, expectedVersion, events);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Loads the event store's classes from the jar first, the rest from the parent. */
  private static final class JarFirst extends URLClassLoader {
    JarFirst(URL jar, ClassLoader parent) {
      super(new URL[] {jar}, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(PACKAGE)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          c = findClass(name);
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }
  }
}
