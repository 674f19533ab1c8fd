#include <sqlite3.h>

/// sqlite3_config is variadic, which Swift cannot call: this sets the one option the server uses.
/// Without memory statistics, SQLite's allocator takes no global mutex per allocation.
static inline int tracking_sqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
