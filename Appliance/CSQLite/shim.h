// SQLite 3 (libsqlite3-dev).
#include <sqlite3.h>
