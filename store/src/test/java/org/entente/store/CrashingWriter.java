package org.entente.store;

import static org.entente.store.StoreTestObjects.id;
import static org.entente.store.StoreTestObjects.indicator;
import static org.entente.store.StoreTestObjects.write;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A writer process for the crash test: commits small batches forever and prints each id once its
 * commit returned, until it is killed. Arguments: the data directory, the collection, and the
 * database URL when the store is not the data directory's embedded one.
 */
final class CrashingWriter {
  private CrashingWriter() {}

  public static void main(String[] args) {
    Store store = Stores.open(args.length > 2 ? args[2] : null, Path.of(args[0]));
    String collection = args[1];
    for (int batch = 0; ; batch++) {
      List<ObjectWrite> writes = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        writes.add(
            write(collection, indicator(id("indicator", batch * 7 + i), "2021-01-01T00:00:00Z")));
      }
      store.write(
          tx -> {
            writes.forEach(tx::put);
            return null;
          });
      for (ObjectWrite w : writes) {
        System.out.println("committed " + w.object().id());
      }
      System.out.flush();
    }
  }
}
